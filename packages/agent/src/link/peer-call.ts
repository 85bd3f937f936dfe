// A unary Link call to the peer agent on the verified link connection (the dialer's client).
import type * as grpc from '@grpc/grpc-js';

export type PeerCallResult<T> =
  | { ok: true; reply: T }
  /** reached: the peer answered with an error (it refused); otherwise it was not reached. */
  | { ok: false; reached: boolean; code: number; detail: string };

type Unary = (
  this: grpc.Client,
  request: object,
  options: grpc.CallOptions,
  callback: (err: grpc.ServiceError | null, res: unknown) => void,
) => void;

// UNAVAILABLE, DEADLINE_EXCEEDED, UNIMPLEMENTED (an older peer), CANCELLED: not an answer.
const notReached = new Set([14, 4, 12, 1]);

export function callPeer<T>(
  client: grpc.Client | undefined,
  method: string,
  request: object,
  timeoutMs = 10_000,
): Promise<PeerCallResult<T>> {
  if (!client) {
    return Promise.resolve({
      ok: false,
      reached: false,
      code: 14,
      detail: 'the link to the peer agent is down',
    });
  }
  const fn = (client as unknown as Record<string, Unary | undefined>)[method];
  if (!fn)
    return Promise.resolve({ ok: false, reached: false, code: 12, detail: `Link has no method ${method}` });
  return new Promise((resolve) => {
    fn.call(client, request, { deadline: Date.now() + timeoutMs }, (err, res) => {
      if (!err) return resolve({ ok: true, reply: res as T });
      resolve({
        ok: false,
        reached: !notReached.has(err.code),
        code: err.code,
        detail: err.details || err.message,
      });
    });
  });
}
