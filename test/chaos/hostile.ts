// A hostile peer: a client holding the primary's valid pair certificate sends crafted frames to
// the secondary's Link service while the pair replicates. Every frame must be refused with
// nothing changed on the secondary (its folder, a folder outside it, its database), the agent
// must stay up, and real replication must go on afterwards.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSettings, pinnedClientCredentials, serviceClient, type WireMessage } from '@sparesync/common';
import { encodeBatch, type Batch } from '../../packages/agent/src/db';
import type { ScenarioResult } from '../harness/chaos';
import type { Engine } from '../db/engines';
import { describeTree, foldersPatch, makeFolderPair, waitForSameTree } from '../harness/folders';
import { Pair, waitFor } from '../harness/pair';
import { scenario } from './context';
import { withDbPair } from './rows';

/** The part of a gRPC client stream this scenario uses. */
interface Duplex<A> {
  on(event: 'data', listener: (a: A) => void): unknown;
  on(event: 'error', listener: (e: StreamError) => void): unknown;
  write(frame: object): unknown;
  cancel(): void;
}
type FileAck = WireMessage<'FileAck'>;
/** Rows and checksums hold bigints (SQLite integers). */
const text = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? String(x) : x));
type RowAck = WireMessage<'RowAck'>;
type StreamError = Error & { code: number; details: string };
interface LinkClient {
  files(): Duplex<FileAck>;
  rows(): Duplex<RowAck>;
  close(): void;
}

/** A Link client to the secondary with the primary's own certificate and key. */
function impostor(pair: Pair): LinkClient {
  const s = loadSettings(pair.config('primary'));
  const read = (p: string) => readFileSync(s.resolvePath(p));
  const secondary = loadSettings(pair.config('secondary')).settings;
  const Link = serviceClient('Link');
  return new Link(
    `127.0.0.1:${secondary.listen.port}`,
    pinnedClientCredentials(
      { ca: read(s.settings.tls.ca), cert: read(s.settings.tls.cert), key: read(s.settings.tls.key) },
      s.settings.peer.fingerprint,
    ),
    { 'grpc.max_send_message_length': 64 * 1024 * 1024 },
  ) as never;
}

/** Writes frames on one stream and collects the acks, or the error that ended the stream. */
async function exchange<A>(
  call: Duplex<A>,
  frames: object[],
  acks: number,
): Promise<{ acks: A[]; error?: StreamError }> {
  const got: A[] = [];
  let error: StreamError | undefined;
  call.on('data', (a: A) => got.push(a));
  call.on('error', (e) => (error = e));
  for (const f of frames) call.write(f);
  await waitFor(
    `${acks} acks or the stream's end`,
    async () => (got.length >= acks || error ? true : undefined),
    30_000,
  );
  call.cancel();
  return { acks: got, error };
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest();
const entry = (path: string, type = 'file', size = 4, linkTarget = '') => ({
  path,
  type,
  size,
  mtimeMs: Date.now(),
  mode: 0o644,
  linkTarget,
});

/** Crafted Files frames: escapes, absolute and internal paths, symlink tricks, deltas past the end. */
export async function hostileFiles(): Promise<ScenarioResult> {
  const r = scenario('hostile peer: crafted file frames to the secondary', 1);
  const f = makeFolderPair('www');
  const outside = join(f.dst, '..', `outside-${randomBytes(4).toString('hex')}`);
  mkdirSync(outside);
  writeFileSync(join(f.src, 'base.bin'), randomBytes(64 * 1024));
  const pair = await Pair.create({ both: foldersPatch([f], { scanIntervalSeconds: 1 }) });
  try {
    await pair.startBoth();
    await waitForSameTree(f, 60_000);
    const before = describeTree(f.dst).join('\n');
    const client = impostor(pair);
    const frame = (id: number, body: object) => ({ epoch: 0, folder: 'www', id, ...body });
    const file = (id: number, path: string) => [
      frame(id, { begin: { entry: entry(path), blockSize: 0 } }),
      frame(id, { chunk: { data: Buffer.from('evil') } }),
      frame(id, { end: { size: 4, sha256: sha256(Buffer.from('evil')), abort: false } }),
    ];
    const crafted: [string, object[]][] = [
      ['a path with ..', file(1, '../escaped.txt')],
      ['an absolute path', file(2, `${outside}/abs.txt`)],
      ['the .deleted archive', file(3, '.deleted/www/planted.txt')],
      ['a temp name', file(4, 'sub/.sparesync-tmp-planted')],
      ['a removal outside', [frame(5, { remove: { path: '../../etc' } })]],
      ['a rename outside', [frame(6, { rename: { from: 'base.bin', to: '../stolen.bin' } })]],
      [
        'a file through a symlink',
        [
          frame(7, { begin: { entry: entry('sneaky', 'symlink', 0, outside), blockSize: 0 } }),
          ...file(8, 'sneaky/through.txt'),
          frame(9, { remove: { path: 'sneaky' } }),
        ],
      ],
      [
        'a delta past the end of the basis',
        [
          frame(10, { begin: { entry: entry('base.bin', 'file', 8192), blockSize: 1024 } }),
          frame(10, { chunk: { block: 10_000, count: 8 } }),
          frame(10, { end: { size: 8192, sha256: Buffer.alloc(32), abort: false } }),
        ],
      ],
      [
        'a batch with an escaping file',
        [
          frame(11, {
            batch: {
              files: [
                {
                  entry: entry('../batch.txt'),
                  data: Buffer.from('evil'),
                  deflated: false,
                  sha256: sha256(Buffer.from('evil')),
                },
              ],
            },
          }),
        ],
      ],
    ];
    // Acks expected: one per request id, and the symlink and its removal are allowed (the
    // primary may have a symlink; it is never followed).
    const allowed = new Set([7, 9]);
    const out = await exchange(
      client.files(),
      crafted.flatMap(([, fs]) => fs),
      11,
    );
    for (const a of out.acks) {
      const failed = (a as FileAck & { failures?: unknown[] }).failures ?? [];
      const refused = a.code !== '' || failed.length > 0;
      if (!allowed.has(Number(a.id)) && !refused) {
        r.violations['hostile frame accepted']++;
        r.notes.push(
          `frame ${a.id} accepted: ${crafted.find(([, fs]) => fs.some((x) => (x as { id: number }).id === Number(a.id)))?.[0]}`,
        );
      }
    }
    if (out.error) r.notes.push(`the stream ended early: ${out.error.details}`);
    // An oversized frame: refused by the link's message limit, the stream ends, nothing written.
    const big = await exchange(
      client.files(),
      [...file(12, 'huge.bin').slice(0, 1), frame(12, { chunk: { data: Buffer.alloc(40 * 1024 * 1024) } })],
      1,
    );
    if (!big.error) {
      r.violations['hostile frame accepted']++;
      r.notes.push('an oversized frame was not refused');
    }
    client.close();
    if (
      readdirSync(outside).length ||
      existsSync(join(f.dst, '..', 'escaped.txt')) ||
      existsSync(join(f.dst, '..', 'stolen.bin'))
    ) {
      r.violations['hostile frame accepted']++;
      r.notes.push(`something was written outside the folder: ${readdirSync(outside).join(', ')}`);
    }
    const after = describeTree(f.dst).join('\n');
    if (after !== before) {
      r.violations['hostile frame accepted']++;
      r.notes.push("the secondary's folder changed");
    }
    // The pair goes on: a real file still arrives.
    writeFileSync(join(f.src, 'after.txt'), 'real');
    await waitForSameTree(f, 60_000).catch((e) => {
      r.violations['trees differ after quiet']++;
      r.notes.push(String(e).slice(0, 300));
    });
    for (const side of ['primary', 'secondary'] as const) {
      if (pair.procs[side]!.child.exitCode !== null) r.violations['agent died']++;
    }
  } finally {
    await pair.stop();
    for (const d of [f.src, f.dst, outside]) rmSync(d, { recursive: true, force: true });
  }
  return r;
}

/** Crafted Rows frames: batches for an excluded table, SpareSync's own table, an unknown table. */
export async function hostileRows(engine: Engine): Promise<ScenarioResult> {
  const r = scenario(`hostile peer: crafted row frames to the secondary (${engine.name})`, 1);
  const schema =
    'CREATE TABLE items (id INTEGER PRIMARY KEY, v TEXT); CREATE TABLE secret (id INTEGER PRIMARY KEY, v TEXT)';
  const settings = { database: { tables: { exclude: ['secret'] } } };
  return withDbPair(r, engine, schema, settings, async (dp, p, q) => {
    await q.exec(`INSERT INTO secret VALUES (1, 'only the secondary knows')`);
    const applied = (await dp.database('secondary')).appliedPosition;
    const before = text(await dp.checksums('secondary'));
    const secretBefore = text(await q.rows('SELECT id, v FROM secret ORDER BY id'));
    const batch = (table: string): Batch => ({
      kind: 'changes',
      from: applied,
      to: applied,
      complete: true,
      sequences: {},
      tables: [
        {
          table,
          columns: ['id', 'v'],
          pkColumns: ['id'],
          truncate: true,
          upserts: [['7', 'pwned']],
          deletes: [],
        },
      ],
    });
    const targets = [
      engine.table('secret'),
      engine.table('sparesync_changes'),
      engine.table('no_such_table'),
    ];
    for (const table of targets) {
      const client = impostor(dp.pair);
      const out = await exchange<RowAck>(
        client.rows(),
        [
          { epoch: 0, seq: 1, hello: { engine: engine.name, role: 'primary' } },
          { epoch: 0, seq: 2, payload: encodeBatch(batch(table)), readAtMs: Date.now() },
        ],
        2,
      );
      client.close();
      const ack = out.acks[1];
      if (ack && !ack.error) {
        r.violations['hostile frame accepted']++;
        r.notes.push(`a batch for ${table} was applied`);
      }
    }
    if (text(await q.rows('SELECT id, v FROM secret ORDER BY id')) !== secretBefore) {
      r.violations['hostile frame accepted']++;
      r.notes.push('the excluded table changed');
    }
    if (text(await dp.checksums('secondary')) !== before) {
      r.violations['hostile frame accepted']++;
      r.notes.push("the secondary's replicated tables changed");
    }
    await p.exec(`INSERT INTO items VALUES (1, 'real')`); // replication goes on after
  });
}
