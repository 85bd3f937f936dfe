// The receiving end of `pnpm bench link`, run by link.ts in its own process (child_process.fork)
// as the receiving agent runs apart from the sending one. It serves, with the agent's credentials
// and server options, the Link heartbeat (echo), the bench push stream in both codecs and a plain
// TLS socket; each counts bytes and answers the count once the sender half-closes. On request
// over IPC it dials the sender's server and pulls a stream (the other direction).
// Arguments: the folder holding the pair's certificates, the server certificate's fingerprint.
import * as grpc from '@grpc/grpc-js';
import * as tls from 'node:tls';
import { serviceDefinition } from '@sparesync/common';
import { type BenchAck, type BenchChunk, type BenchPull, type Codec, benchService } from './lib-link-codec';
import { type PeerMaterial, linkClient, linkServer, readMaterial } from './lib-link-peer';

export interface ReceiverPorts {
  grpcPort: number;
  tlsPort: number;
}

export interface PullRequest {
  port: number;
  codec: Codec;
  pull: BenchPull;
}

function countBytes(call: grpc.ServerDuplexStream<BenchChunk, BenchAck>): void {
  let bytes = 0;
  call.on('data', (c: BenchChunk) => (bytes += c.data.length));
  call.on('end', () => {
    call.write({ bytes });
    call.end();
  });
}

async function pull(m: PeerMaterial, r: PullRequest): Promise<number> {
  const Ctor = grpc.makeGenericClientConstructor(benchService(r.codec), 'BenchLink');
  const client = linkClient(m, r.port, Ctor);
  const call = (client as unknown as { Pull(p: BenchPull): grpc.ClientReadableStream<BenchChunk> }).Pull(
    r.pull,
  );
  let bytes = 0;
  call.on('data', (c: BenchChunk) => (bytes += c.data.length));
  await new Promise((res, rej) => call.on('end', res).on('error', rej));
  client.close();
  return bytes;
}

async function main(): Promise<void> {
  const [dir, fingerprint] = process.argv.slice(2);
  const send = process.send?.bind(process);
  if (!dir || !fingerprint || !send)
    throw new Error('usage: fork lib-link-receiver.js <folder> <fingerprint>');
  const m = readMaterial(dir, fingerprint);

  const { server, port: grpcPort } = await linkServer(m, [
    [
      serviceDefinition('Link'),
      {
        heartbeat: (call: grpc.ServerDuplexStream<{ beat?: object }, object>) => {
          call.on('data', (frame: { beat?: object }) => call.write({ beat: frame.beat }));
          call.on('end', () => call.end());
        },
      },
    ],
    [benchService('protobufjs'), { Stream: countBytes }],
    [benchService('raw'), { Stream: countBytes }],
  ]);

  const tlsServer = tls.createServer(
    { ca: m.ca, cert: m.cert, key: m.key, requestCert: true, rejectUnauthorized: true },
    (sock) => {
      let bytes = 0;
      sock.on('data', (d: Buffer) => (bytes += d.length));
      sock.on('end', () => sock.end(String(bytes)));
    },
  );
  const tlsPort = await new Promise<number>((res) =>
    tlsServer.listen(0, '127.0.0.1', () => res((tlsServer.address() as { port: number }).port)),
  );

  process.on('message', (r: PullRequest) => {
    pull(m, r).then(
      (bytes) => send({ pulled: bytes }),
      (e: Error) => send({ error: e.message }),
    );
  });
  // The sender closes the IPC channel when it is done (or dies): leave with it.
  process.on('disconnect', () => {
    server.forceShutdown();
    tlsServer.close();
    process.exit(0);
  });
  const ports: ReceiverPorts = { grpcPort, tlsPort };
  send(ports);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
