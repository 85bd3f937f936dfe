// The agent's own link configuration for both bench processes: the pair's certificates from one
// folder, gRPC clients with the agent's channel options and pinning, servers with its server
// options, credentials and receive window. The server side holds the primary's certificate, the client side the
// secondary's, whichever process plays which.
import * as grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pinnedChannelOptions, pinnedClientCredentials } from '@sparesync/common';
import {
  channelOptions,
  LINK_FLOW_CONTROL_WINDOW_BYTES,
  raiseReceiveWindow,
  serverCredentials,
  serverOptions,
} from '@sparesync/agent';

export const KEEPALIVE_MS = 10_000;
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

export interface PeerMaterial {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
  clientCert: Buffer;
  clientKey: Buffer;
  serverFingerprint: string;
}

export function readMaterial(dir: string, serverFingerprint: string): PeerMaterial {
  const f = (n: string) => readFileSync(join(dir, n));
  return {
    ca: f('ca.crt'),
    cert: f('primary.crt'),
    key: f('primary.key'),
    clientCert: f('secondary.crt'),
    clientKey: f('secondary.key'),
    serverFingerprint,
  };
}

export function linkClient(m: PeerMaterial, port: number, Ctor: grpc.ServiceClientConstructor): grpc.Client {
  return new Ctor(
    `127.0.0.1:${port}`,
    pinnedClientCredentials({ ca: m.ca, cert: m.clientCert, key: m.clientKey }, m.serverFingerprint),
    {
      ...channelOptions({ intervalMs: KEEPALIVE_MS, timeoutMs: KEEPALIVE_MS }, MAX_MESSAGE_BYTES),
      ...pinnedChannelOptions,
    },
  );
}

export async function linkServer(
  m: PeerMaterial,
  services: [grpc.ServiceDefinition, grpc.UntypedServiceImplementation][],
): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server(
    serverOptions({ intervalMs: KEEPALIVE_MS, timeoutMs: KEEPALIVE_MS }, MAX_MESSAGE_BYTES),
  );
  for (const [def, impl] of services) server.addService(def, impl);
  const port = await new Promise<number>((res, rej) =>
    server.bindAsync('127.0.0.1:0', serverCredentials(m), (e, p) => (e ? rej(e) : res(p))),
  );
  raiseReceiveWindow(server, LINK_FLOW_CONTROL_WINDOW_BYTES); // as the agent's server does
  return { server, port };
}

/** Writes `total` bytes in `chunkBytes` pieces, waiting for 'drain' whenever `write` says so. */
export async function writeWithBackPressure(
  total: number,
  chunkBytes: number,
  write: (b: Buffer) => boolean,
  drainTarget: NodeJS.EventEmitter,
): Promise<void> {
  const chunk = Buffer.alloc(chunkBytes, 0x5a);
  for (let sent = 0; sent < total; sent += chunkBytes) {
    if (!write(chunk)) await new Promise((r) => drainTarget.once('drain', r));
  }
}
