import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyDelta } from './apply-delta';
import { delta, type DeltaOp } from './delta';
import { signature } from './signature';
import { collect, fromArray, pseudoRandomBytes, tempFolder } from '@sparesync/devkit/testing';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempFolder('delta')));
afterAll(() => cleanup());

let seq = 0;
/** Sends `target` against `basis` (null: no basis) and checks the rebuilt file byte for byte. */
async function roundTrip(basis: Buffer | null, target: Buffer, blockSize: number, maxLiteral?: number) {
  const n = ++seq;
  const basisPath = join(dir, `basis-${n}`);
  const targetPath = join(dir, `target-${n}`);
  const outPath = join(dir, `out-${n}`);
  await writeFile(targetPath, target);
  if (basis) await writeFile(basisPath, basis);
  const sig = basis ? await signature(basisPath, blockSize) : null;
  const ops = await collect(delta(targetPath, sig, { maxLiteral }));
  await applyDelta(basis ? basisPath : null, fromArray(ops), outPath, { blockSize });
  expect((await readFile(outPath)).equals(target)).toBe(true);
  const data = ops.filter((o) => o.kind === 'data');
  const copies = ops.filter((o): o is Extract<DeltaOp, { kind: 'copy' }> => o.kind === 'copy');
  return {
    ops,
    literal: data.reduce((a, o) => a + o.data.length, 0),
    copyOps: copies.length,
    copiedBlocks: copies.reduce((a, o) => a + o.count, 0),
  };
}

const splice = (b: Buffer, at: number, remove: number, insert: Buffer = Buffer.alloc(0)) =>
  Buffer.concat([b.subarray(0, at), insert, b.subarray(at + remove)]);

describe.each([1024, 4096, 65536])('delta with %i-byte blocks', (bs) => {
  const size = 40 * bs + 123; // ends with a short block
  const basis = pseudoRandomBytes(size, bs);
  const noise = (n: number) => pseudoRandomBytes(n, n * 31 + bs);

  it('identical files: one coalesced copy op, no literal bytes', async () => {
    const r = await roundTrip(basis, basis, bs);
    expect(r.literal).toBe(0);
    expect(r.ops).toEqual([
      { kind: 'copy', block: 0, count: 41 },
      expect.objectContaining({ kind: 'end', size }),
    ]);
  });

  it.each([
    ['start', 0],
    ['middle', Math.floor(size / 2)],
    ['end', size],
  ])('insertion at the %s', async (_, at) => {
    const r = await roundTrip(basis, splice(basis, at, 0, noise(777)), bs);
    expect(r.literal).toBeGreaterThanOrEqual(777);
    expect(r.literal).toBeLessThanOrEqual(777 + 2 * bs);
  });

  it.each([
    ['start', 0],
    ['middle', Math.floor(size / 2)],
    ['end', size - 500],
  ])('deletion at the %s', async (_, at) => {
    const r = await roundTrip(basis, splice(basis, at, 500), bs);
    expect(r.literal).toBeLessThanOrEqual(2 * bs);
  });

  it.each([
    ['start', 0],
    ['middle', Math.floor(size / 2)],
    ['end', size - 300],
  ])('bytes changed in place at the %s', async (_, at) => {
    const r = await roundTrip(basis, splice(basis, at, 300, noise(300)), bs);
    expect(r.literal).toBeGreaterThanOrEqual(300);
    expect(r.literal).toBeLessThanOrEqual(2 * bs);
  });

  it('scattered changes: literal bytes stay near the changed blocks', async () => {
    let target = basis;
    for (const at of [3, 11, 29]) target = splice(target, at * bs + 10, 4, noise(4));
    const r = await roundTrip(basis, target, bs);
    expect(r.literal).toBe(3 * bs);
    expect(r.copiedBlocks).toBe(41 - 3);
  });

  it('a completely different file: data ops only', async () => {
    const r = await roundTrip(basis, noise(size), bs);
    expect(r.copyOps).toBe(0);
    expect(r.literal).toBe(size);
  });

  it('a file shorter than one block, against itself and against a longer basis', async () => {
    const small = basis.subarray(0, 100);
    const self = await roundTrip(small, small, bs);
    expect(self.literal).toBe(0); // matched as the basis's short last block
    const r = await roundTrip(basis, small, bs);
    expect(r.literal).toBe(100);
  });

  it('data ops never exceed maxLiteral', async () => {
    const r = await roundTrip(basis, noise(size), bs, 3000);
    for (const op of r.ops) if (op.kind === 'data') expect(op.data.length).toBeLessThanOrEqual(3000);
  });
});

describe('delta edge cases', () => {
  const bs = 2048;
  const basis = pseudoRandomBytes(64 * bs, 99);

  it('empty files, either side', async () => {
    const empty = Buffer.alloc(0);
    expect((await roundTrip(empty, empty, bs)).ops.map((o) => o.kind)).toEqual(['end']);
    expect((await roundTrip(basis, empty, bs)).ops.map((o) => o.kind)).toEqual(['end']);
    expect((await roundTrip(empty, basis, bs)).literal).toBe(basis.length);
  });

  it('no basis: the same ops stream with only data ops', async () => {
    const r = await roundTrip(null, basis, bs);
    expect(r.copyOps).toBe(0);
    expect(r.literal).toBe(basis.length);
  });

  it('repeated blocks (zeros) coalesce into runs', async () => {
    const zeros = Buffer.alloc(32 * bs);
    const r = await roundTrip(zeros, splice(zeros, 5 * bs, 0, Buffer.from('x')), bs);
    expect(r.literal).toBeLessThanOrEqual(bs + 1);
    expect(r.copyOps).toBeLessThanOrEqual(3);
  });

  it('reordered blocks are found anywhere in the basis', async () => {
    const a = basis.subarray(0, 32 * bs);
    const b = basis.subarray(32 * bs);
    const r = await roundTrip(basis, Buffer.concat([b, a]), bs);
    expect(r.literal).toBe(0);
    expect(r.copyOps).toBe(2);
  });

  it('reads a stream as well as a path, with the same ops', async () => {
    const target = splice(basis, 1000, 10, pseudoRandomBytes(50, 1));
    const t = join(dir, 'stream-target');
    const b = join(dir, 'stream-basis');
    await writeFile(t, target);
    await writeFile(b, basis);
    const sigFromPath = await signature(b, bs);
    const sigFromStream = await signature(createReadStream(b, { highWaterMark: 1000 }), bs);
    expect(sigFromStream).toEqual(sigFromPath);
    const fromPath = await collect(delta(t, sigFromPath));
    const fromStream = await collect(
      delta(createReadStream(t, { highWaterMark: 777 }), sigFromPath, { readSize: 5000 }),
    );
    expect(fromStream).toEqual(fromPath);
  });
});

describe('delta fuzz: random edits, block sizes, literal limits, read sizes and stream chunking', () => {
  it('always rebuilds the target exactly', async () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let iter = 0; iter < 150; iter++) {
      const bs = 16 + rand(3000);
      const basis = pseudoRandomBytes(rand(40_000), iter + 1);
      let target = basis;
      for (let e = rand(6); e > 0; e--) {
        const at = rand(target.length + 1);
        target = splice(
          target,
          at,
          rand(Math.min(500, target.length - at) + 1),
          pseudoRandomBytes(rand(600), iter * 7 + e),
        );
      }
      if (rand(4) === 0) target = Buffer.concat([target, target.subarray(0, rand(target.length + 1))]); // repeats
      const b = join(dir, 'fuzz-basis');
      await writeFile(b, basis);
      const sig = await signature(b, bs);
      const chunkSize = 1 + rand(5000);
      async function* chunks() {
        for (let i = 0; i < target.length; i += chunkSize) yield target.subarray(i, i + chunkSize);
      }
      const options = { maxLiteral: 1 + rand(4000), readSize: 1 + rand(9000) };
      const ops = await collect(delta(chunks(), sig, options));
      const out = join(dir, `fuzz-out-${iter}`);
      await applyDelta(b, fromArray(ops), out, { blockSize: bs });
      const rebuilt = await readFile(out);
      if (!rebuilt.equals(target))
        throw new Error(`iteration ${iter}: bs ${bs} ${JSON.stringify(options)} differs`);
      for (const op of ops)
        if (op.kind === 'data') expect(op.data.length).toBeLessThanOrEqual(options.maxLiteral);
    }
  });
});
