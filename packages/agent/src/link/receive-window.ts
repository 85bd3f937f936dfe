// The HTTP/2 receive window of the agent's server side. Files and Rows are client streams: the
// sending agent dials and writes, so their bytes flow against the window of the receiving agent's
// server session. Node starts every session at 64 KiB (connection and stream) and grpc-js offers
// no option to change that on a server (it does on a channel: 'grpc-node.flow_control_window').
// At 64 KiB the sender waits for a WINDOW_UPDATE every 64 KiB, and whenever the receiver's event
// loop is busy with a file it is not sending one: `pnpm bench files` spent 1.4 s on 160 MiB of
// 8 MiB files that way, 0.9 s with the window raised.
//
// grpc-js keeps its http2 servers in a private map; this reaches into it, so a grpc-js upgrade
// that renames it makes raiseReceiveWindow return false (the agent logs that and runs as before,
// only slower) and fails receive-window.test.ts.
import type { EventEmitter } from 'node:events';
import type { ServerHttp2Session } from 'node:http2';
import type * as grpc from '@grpc/grpc-js';

/**
 * Raises the connection and stream receive windows of every HTTP/2 session the bound `server`
 * accepts from now on to `bytes`. Returns false when grpc-js's servers cannot be found.
 */
export function raiseReceiveWindow(server: grpc.Server, bytes: number): boolean {
  const servers = (server as unknown as { http2Servers?: unknown }).http2Servers;
  if (!(servers instanceof Map) || servers.size === 0) return false;
  for (const http2Server of servers.keys() as IterableIterator<EventEmitter>) {
    http2Server.on('session', (session: ServerHttp2Session) => {
      try {
        session.setLocalWindowSize(bytes);
        session.settings({ initialWindowSize: bytes });
      } catch {
        // the session is already closing: nothing to raise
      }
    });
  }
  return true;
}
