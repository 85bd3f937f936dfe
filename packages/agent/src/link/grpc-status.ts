// SpareSync errors as gRPC statuses for the Control and Link services, and back. Invalid input
// (settings, arguments) is INVALID_ARGUMENT; a request that cannot apply in this configuration
// (e.g. DNS not configured) FAILED_PRECONDITION; a refused caller PERMISSION_DENIED; something
// worth retrying UNAVAILABLE; anything else INTERNAL. The details are the error's one line.
import * as grpc from '@grpc/grpc-js';
import { errorMessage, SpareSyncError, type ErrorCode } from '@sparesync/common';

const byCode: Partial<Record<ErrorCode, grpc.status>> = {
  ConfigInvalid: grpc.status.INVALID_ARGUMENT,
  InvalidArgument: grpc.status.INVALID_ARGUMENT,
  PermissionDenied: grpc.status.PERMISSION_DENIED,
};

export function toGrpcError(e: unknown): Partial<grpc.StatusObject> {
  if (e instanceof FailedPrecondition) return { code: grpc.status.FAILED_PRECONDITION, details: e.message };
  if (e instanceof SpareSyncError) {
    const code =
      byCode[e.code] ??
      (e.disposition === 'config'
        ? grpc.status.FAILED_PRECONDITION
        : e.disposition === 'retry'
          ? grpc.status.UNAVAILABLE
          : grpc.status.INTERNAL);
    // INVALID_ARGUMENT carries the problems only: the caller knows what it sent.
    return { code, details: code === grpc.status.INVALID_ARGUMENT ? e.message : e.toLine() };
  }
  return { code: grpc.status.INTERNAL, details: errorMessage(e) };
}

/** A unary handler from an async function; errors become statuses as above. */
export function unary<Req, Res>(
  fn: (request: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res> | Res,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => fn(call.request, call))
      .then(
        (reply) => callback(null, reply),
        (e: unknown) => callback(toGrpcError(e)),
      );
  };
}

/** The request cannot apply in this configuration (e.g. DNS is not configured): FAILED_PRECONDITION. */
export class FailedPrecondition extends Error {}
