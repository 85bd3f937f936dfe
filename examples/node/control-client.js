#!/usr/bin/env node
// A SpareSync integrator's client written from proto/sparesync.proto alone, with only
// @grpc/grpc-js and @grpc/proto-loader: reads the status of an agent, waits for its next status
// event (WatchStatus), and with --turn-off/--turn-on changes it (needs an operator certificate).
//
//   npm install @grpc/grpc-js @grpc/proto-loader
//   node control-client.js --address 127.0.0.1:7701 --ca ca.crt --cert client-me.crt \
//     --key client-me.key --fingerprint <agent certificate SHA-256> [--proto sparesync.proto]
//
// The agent's certificate is pinned by its SHA-256 fingerprint (as `sparesync certs init` prints
// it), not by host name: the pair CA issues the certificates for the pair only.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

function args(argv) {
  const out = { proto: path.join(__dirname, '..', '..', 'proto', 'sparesync.proto') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--turn-off' || a === '--turn-on') out.turn = a.slice(7);
    else if (a.startsWith('--')) out[a.slice(2)] = argv[++i];
  }
  for (const k of ['address', 'ca', 'cert', 'key', 'fingerprint']) {
    if (!out[k]) throw new Error(`--${k} is required`);
  }
  return out;
}

const normalize = (fp) => fp.replace(/:/g, '').toUpperCase().match(/.{2}/g).join(':');

function client(o) {
  const def = protoLoader.loadSync(o.proto, {
    keepCase: true,
    longs: Number,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const { Control } = grpc.loadPackageDefinition(def).sparesync.v1;
  const creds = grpc.credentials.createSsl(
    fs.readFileSync(o.ca),
    fs.readFileSync(o.key),
    fs.readFileSync(o.cert),
    {
      checkServerIdentity: (_host, cert) =>
        cert.fingerprint256 === normalize(o.fingerprint)
          ? undefined
          : new Error(`the agent's certificate ${cert.fingerprint256} is not the expected ${o.fingerprint}`),
    },
  );
  // Any fixed name: the certificate is checked by fingerprint above.
  return new Control(o.address, creds, { 'grpc.ssl_target_name_override': 'sparesync-agent' });
}

const unary = (c, method, request) =>
  new Promise((resolve, reject) =>
    c[method](request, { deadline: Date.now() + 10_000 }, (err, reply) =>
      err ? reject(err) : resolve(reply),
    ),
  );

async function main() {
  const o = args(process.argv.slice(2));
  const c = client(o);
  const st = await unary(c, 'GetStatus', {});
  console.log(
    `status: ${st.local.role} ${st.local.state} (${st.local.reason}); peer ${st.remote.state}; link ${st.link.connected ? 'up' : 'down'}`,
  );
  if (o.turn) {
    const reply = await unary(c, o.turn === 'off' ? 'TurnOff' : 'TurnOn', { this_server_only: true });
    console.log(`turn ${o.turn}: accepted=${reply.accepted}: ${reply.message}`);
  }
  await new Promise((resolve, reject) => {
    const call = c.WatchStatus({ keepalive_seconds: 1 });
    call.on('data', (event) => {
      console.log(`event: ${event.cause} ${event.status.local.state}`);
      call.cancel();
      resolve();
    });
    call.on('error', (err) => (err.code === grpc.status.CANCELLED ? resolve() : reject(err)));
  });
  c.close();
}

main().catch((err) => {
  console.error(
    `control-client: ${err.code !== undefined ? `${grpc.status[err.code]}: ${err.details}` : err.message}`,
  );
  process.exit(1);
});
