import * as grpc from '@grpc/grpc-js';
import * as http2 from 'node:http2';
import { raiseReceiveWindow } from './receive-window';

const WINDOW = 4 * 1024 * 1024;

async function bound(): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server();
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) =>
      e ? reject(e) : resolve(p),
    ),
  );
  return { server, port };
}

/** What a client connecting to `port` is told: the stream window and, once updated, the connection's. */
async function windowsSeenBy(port: number): Promise<{ stream: number; connection: number }> {
  const client = http2.connect(`http://127.0.0.1:${port}`);
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('remoteSettings', () => resolve());
      client.once('error', reject);
    });
    // The raised windows come in a second SETTINGS frame and a WINDOW_UPDATE frame, both sent
    // before the server answers a ping.
    await new Promise<void>((resolve, reject) => client.ping((e) => (e ? reject(e) : resolve())));
    return {
      stream: client.remoteSettings.initialWindowSize ?? 65535,
      connection: client.state.remoteWindowSize ?? 0,
    };
  } finally {
    client.close();
  }
}

describe('raiseReceiveWindow', () => {
  it("raises a gRPC server's stream and connection windows for the sessions it accepts", async () => {
    const { server, port } = await bound();
    try {
      expect(raiseReceiveWindow(server, WINDOW)).toBe(true);
      expect(await windowsSeenBy(port)).toEqual({ stream: WINDOW, connection: WINDOW });
    } finally {
      server.forceShutdown();
    }
  });

  it("leaves Node's 64 KiB when not called (what the test above would see without it)", async () => {
    const { server, port } = await bound();
    try {
      expect(await windowsSeenBy(port)).toEqual({ stream: 65535, connection: 65535 });
    } finally {
      server.forceShutdown();
    }
  });

  it('returns false for a server that is not bound yet (nothing to raise)', () => {
    const server = new grpc.Server();
    expect(raiseReceiveWindow(server, WINDOW)).toBe(false);
    server.forceShutdown();
  });
});
