// The Control service implementation (CLI, admin page, integrators).
import * as grpc from '@grpc/grpc-js';
import type { Status } from '@sparesync/common';

export interface ControlBackend {
  status(): Status;
}

export function controlService(backend: ControlBackend): grpc.UntypedServiceImplementation {
  return {
    getStatus: (_call: grpc.ServerUnaryCall<unknown, Status>, callback: grpc.sendUnaryData<Status>) => {
      try {
        callback(null, backend.status());
      } catch (e) {
        callback({ code: grpc.status.INTERNAL, details: (e as Error).message });
      }
    },
  };
}
