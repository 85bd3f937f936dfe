// The admin page as a client of the Control service: a page action calls the same handler the
// gRPC method runs (api/), in process, and gets its reply or its error with the same gRPC status.
// Who may call what is the Control service's own rule (`readOnlyMethods`), applied here to the
// page's user roles instead of certificates.
import * as grpc from '@grpc/grpc-js';
import { readOnlyMethods } from '../../api/authorize';

export interface ControlError {
  httpStatus: number;
  message: string;
}

const httpOf: Partial<Record<grpc.status, number>> = {
  [grpc.status.INVALID_ARGUMENT]: 400,
  [grpc.status.FAILED_PRECONDITION]: 409,
  [grpc.status.PERMISSION_DENIED]: 403,
  [grpc.status.NOT_FOUND]: 404,
  [grpc.status.UNAVAILABLE]: 503,
  [grpc.status.DEADLINE_EXCEEDED]: 504,
};

export class ControlCaller {
  constructor(
    private readonly handlers: grpc.UntypedServiceImplementation,
    private readonly streaming: ReadonlySet<string> = new Set(['watchStatus']),
  ) {}

  has(method: string): boolean {
    return Object.hasOwn(this.handlers, method) && !this.streaming.has(method);
  }

  /** Whether a page user of this role may call the method (the Control service's own rule). */
  allowed(method: string, role: 'operator' | 'read-only'): boolean {
    return role === 'operator' || readOnlyMethods.has(method);
  }

  /** Runs a unary Control method in process; rejects with a ControlError. */
  call<T>(method: string, request: object, peer: string): Promise<T> {
    const handler = this.has(method) ? (this.handlers[method] as grpc.handleUnaryCall<object, T>) : undefined;
    if (!handler) {
      return Promise.reject({
        httpStatus: 404,
        message: `no Control method ${method}`,
      } satisfies ControlError);
    }
    return new Promise((resolve, reject) => {
      const call = {
        request,
        metadata: new grpc.Metadata(),
        cancelled: false,
        getPeer: () => peer,
        getAuthContext: () => null,
        getDeadline: () => Infinity,
        getPath: () => `/sparesync.Control/${method}`,
        on: () => call,
        once: () => call,
        emit: () => false,
      };
      handler(call as unknown as grpc.ServerUnaryCall<object, T>, (err, reply) => {
        if (err) {
          const e = err as Partial<grpc.ServiceError>;
          reject({
            httpStatus: (e.code !== undefined && httpOf[e.code]) || 500,
            message: e.details || e.message || String(err),
          } satisfies ControlError);
        } else resolve(reply as T);
      });
    });
  }
}

export function isControlError(e: unknown): e is ControlError {
  return typeof e === 'object' && e !== null && 'httpStatus' in e && 'message' in e;
}
