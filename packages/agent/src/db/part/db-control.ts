// The database operations of the Control service (guide §7.3.2): install scripts, set the
// reinitialisation flag (or reinitialise through a backup), fix the synchronisation state.
import * as grpc from '@grpc/grpc-js';
import { SpareSyncError, type DbOperationReply } from '@sparesync/common';

export interface DbOperations {
  installScripts(): Promise<DbOperationReply>;
  requestReinit(fromBackup: boolean): Promise<DbOperationReply>;
  requestFix(): Promise<DbOperationReply>;
}

function grpcError(e: unknown): Partial<grpc.StatusObject> {
  if (e instanceof SpareSyncError) {
    const code =
      e.disposition === 'config'
        ? grpc.status.FAILED_PRECONDITION
        : e.disposition === 'retry'
          ? grpc.status.UNAVAILABLE
          : grpc.status.INTERNAL;
    return { code, details: e.toLine() };
  }
  return { code: grpc.status.INTERNAL, details: e instanceof Error ? e.message : String(e) };
}

type Handler = (
  call: grpc.ServerUnaryCall<Record<string, unknown>, DbOperationReply>,
  cb: grpc.sendUnaryData<DbOperationReply>,
) => void;

function unary(fn: (req: Record<string, unknown>) => Promise<DbOperationReply>): Handler {
  return (call, cb) => {
    fn(call.request).then(
      (reply) => cb(null, reply),
      (e: unknown) => cb(grpcError(e)),
    );
  };
}

export function dbControlHandlers(ops: () => DbOperations): grpc.UntypedServiceImplementation {
  return {
    dbInstallScripts: unary(() => ops().installScripts()),
    dbReinitialize: unary((req) => ops().requestReinit(req.fromBackup === true)),
    dbFixSyncState: unary(() => ops().requestFix()),
  };
}
