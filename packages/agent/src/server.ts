// The agent's one gRPC server: the Link service for the peer agent and the Control service for
// the CLI, the admin page and integrators, both behind mutual TLS with the pair CA.
import * as grpc from '@grpc/grpc-js';
import { serviceDefinition, SpareSyncError, type Logger } from '@sparesync/common';
import {
  callerFingerprint,
  LINK_FLOW_CONTROL_WINDOW_BYTES,
  serverCredentials,
  serverOptions,
  type Keepalive,
} from './link/credentials';
import { raiseReceiveWindow } from './link/receive-window';
import type { TlsMaterial } from './link/tls-material';

export interface ServerOptions {
  host: string;
  port: number;
  material: TlsMaterial;
  keepalive: Keepalive;
  maxMessageBytes: number;
  log: Logger;
  /** A Heartbeat stream from the verified peer agent. */
  onHeartbeat: (call: grpc.ServerDuplexStream<unknown, unknown>) => void;
  control: grpc.UntypedServiceImplementation;
  /** Link stream RPCs served by the replication parts (files, rows); the others answer UNIMPLEMENTED. */
  link: Record<string, (call: grpc.ServerDuplexStream<unknown, unknown>) => void>;
  /** Unary Link RPCs (operator requests forwarded by the peer: settings, turn on/off). */
  linkUnary?: Record<string, grpc.handleUnaryCall<never, unknown>>;
}

export interface RunningServer {
  port: number;
  shutdown(): Promise<void>;
}

function unimplemented(name: string) {
  return (call: grpc.ServerDuplexStream<unknown, unknown>) =>
    call.emit('error', {
      code: grpc.status.UNIMPLEMENTED,
      details: `${name} is not implemented in this version`,
    });
}

export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const server = new grpc.Server(serverOptions(o.keepalive, o.maxMessageBytes));
  /** The refusal for a Link call from anything but the pinned peer, or undefined when it is the peer. */
  const notPeer = (
    call: Parameters<typeof callerFingerprint>[0] & { getPeer(): string },
  ): Partial<grpc.StatusObject> | undefined => {
    const fp = callerFingerprint(call);
    if (fp === o.material.peerFingerprint) return undefined;
    o.log.warn('refused a Link call from a certificate that is not the pinned peer', {
      caller: fp ?? 'none',
      peer: call.getPeer(),
    });
    return {
      code: grpc.status.PERMISSION_DENIED,
      details: `this agent pins a different peer.fingerprint than certificate ${fp ?? '(none)'}`,
    };
  };
  const peerOnly =
    (handler: (call: grpc.ServerDuplexStream<unknown, unknown>) => void) =>
    (call: grpc.ServerDuplexStream<unknown, unknown>) => {
      const refused = notPeer(call);
      if (refused) return void call.emit('error', refused);
      handler(call);
    };
  const peerOnlyUnary =
    (handler: grpc.handleUnaryCall<never, unknown>) =>
    (call: grpc.ServerUnaryCall<never, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      const refused = notPeer(call);
      if (refused) return callback(refused);
      handler(call, callback);
    };
  server.addService(serviceDefinition('Link'), {
    heartbeat: peerOnly(o.onHeartbeat),
    files: peerOnly(o.link.files ?? unimplemented('Files')),
    rows: peerOnly(o.link.rows ?? unimplemented('Rows')),
    ...Object.fromEntries(
      Object.entries(o.link)
        .filter(([name]) => name !== 'files' && name !== 'rows')
        .map(([name, handler]) => [name, peerOnly(handler)]),
    ),
    ...Object.fromEntries(
      Object.entries(o.linkUnary ?? {}).map(([name, handler]) => [name, peerOnlyUnary(handler)]),
    ),
  });
  server.addService(serviceDefinition('Control'), o.control);

  const address = `${o.host.includes(':') ? `[${o.host}]` : o.host}:${o.port}`;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(address, serverCredentials(o.material), (err, boundPort) => {
      if (!err) return resolve(boundPort);
      const inUse = /EADDRINUSE|address already in use|No address added/i.test(err.message);
      reject(
        new SpareSyncError(
          inUse ? 'PortInUse' : 'ListenFailed',
          `cannot listen on ${address} (listen.host/listen.port): ${err.message}`,
        ),
      );
    });
  });
  if (!raiseReceiveWindow(server, LINK_FLOW_CONTROL_WINDOW_BYTES)) {
    o.log.warn(
      'cannot raise the HTTP/2 receive window of this gRPC server (grpc-js internals changed): files and rows arrive slower',
    );
  }
  return {
    port,
    shutdown: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.forceShutdown(), 2000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
