import { open, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SpareSyncError } from '@sparesync/common';
import { applyDelta, writeDelta } from './apply-delta';
import { delta, type DeltaOp } from './delta';
import { signature, SignatureBuilder } from './signature';
import { collect, fromArray, pseudoRandomBytes, tempFolder } from '@sparesync/devkit/testing';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempFolder('apply')));
afterAll(() => cleanup());

const bs = 1024;
const basisBytes = pseudoRandomBytes(20 * bs, 5);
const targetBytes = Buffer.concat([
  basisBytes.subarray(0, 10 * bs),
  Buffer.from('changed'),
  basisBytes.subarray(11 * bs),
]);

async function setup(name: string): Promise<{ basis: string; ops: DeltaOp[]; out: string }> {
  const basis = join(dir, `${name}.basis`);
  const target = join(dir, `${name}.target`);
  await writeFile(basis, basisBytes);
  await writeFile(target, targetBytes);
  const ops = await collect(delta(target, await signature(basis, bs)));
  return { basis, ops, out: join(dir, `${name}.out`) };
}

async function expectRejected(
  basis: string | null,
  ops: DeltaOp[],
  out: string,
  message: RegExp,
): Promise<void> {
  const err = await applyDelta(basis, fromArray(ops), out, { blockSize: bs }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(SpareSyncError);
  expect((err as SpareSyncError).code).toBe('FileVerifyFailed');
  expect((err as SpareSyncError).message).toMatch(message);
  expect(await readdir(dir)).not.toContain(out.slice(dir.length + 1)); // the temp file is gone
}

describe('applyDelta verification', () => {
  it('accepts the untouched ops', async () => {
    const { basis, ops, out } = await setup('ok');
    const r = await applyDelta(basis, fromArray(ops), out, { blockSize: bs });
    expect(r.size).toBe(targetBytes.length);
  });

  it('rejects a wrong whole-file SHA-256 and removes the temp file', async () => {
    const { basis, ops, out } = await setup('sha');
    const end = ops[ops.length - 1] as Extract<DeltaOp, { kind: 'end' }>;
    const bad = Buffer.from(end.sha256);
    bad[0]! ^= 1;
    await expectRejected(basis, [...ops.slice(0, -1), { ...end, sha256: bad }], out, /SHA-256 .* differs/);
  });

  it('rejects a wrong size', async () => {
    const { basis, ops, out } = await setup('size');
    const end = ops[ops.length - 1] as Extract<DeltaOp, { kind: 'end' }>;
    await expectRejected(
      basis,
      [...ops.slice(0, -1), { ...end, size: end.size + 1 }],
      out,
      /bytes, the sender's file/,
    );
  });

  it('rejects a stream cut before its end op', async () => {
    const { basis, ops, out } = await setup('cut');
    await expectRejected(basis, ops.slice(0, -1), out, /ended before its final checksum/);
  });

  it('rejects copies beyond the basis, and copies without a basis', async () => {
    const { basis, ops, out } = await setup('range');
    await expectRejected(basis, [{ kind: 'copy', block: 19, count: 2 }, ...ops], out, /beyond the old copy/);
    await expectRejected(basis, [{ kind: 'copy', block: -1, count: 1 }, ...ops], out, /invalid copy/);
    await expectRejected(null, ops, out, /there is none/);
  });

  it('rejects the result when the basis changed after its signature was taken', async () => {
    const { basis, ops, out } = await setup('changed');
    const altered = Buffer.from(basisBytes);
    altered[3 * bs]! ^= 0xff;
    await writeFile(basis, altered);
    await expectRejected(basis, ops, out, /SHA-256/);
  });
});

describe('writeDelta with a signing sink', () => {
  it.each([
    ['a literal of a few bytes (the output leaves block boundaries)', targetBytes],
    [
      'a whole changed block (copies stay aligned)',
      Buffer.concat([
        basisBytes.subarray(0, 10 * bs),
        pseudoRandomBytes(bs, 6),
        basisBytes.subarray(11 * bs),
      ]),
    ],
    ['a short last block in the basis', Buffer.concat([basisBytes, basisBytes.subarray(0, 100)])],
  ])('signs the result as signature() would, copies taking the basis checksums: %s', async (_name, next) => {
    const basis = join(dir, 'signed.basis');
    const target = join(dir, 'signed.target');
    const out = join(dir, 'signed.out');
    await writeFile(basis, basisBytes.subarray(0, 19 * bs + 500)); // a short last block
    await writeFile(target, next);
    const basisSig = await signature(basis, bs);
    const builder = new SignatureBuilder(bs);
    let taken = 0;
    const sink = {
      update: (c: Uint8Array) => builder.update(c),
      copied: (block: number, count: number) => {
        const n = builder.takeBlocks(basisSig, block, count);
        taken += n;
        return n;
      },
    };
    const fh = await open(out, 'w');
    const bh = await open(basis, 'r');
    try {
      await writeDelta(bh, bs, delta(target, basisSig), fh, 'signed', sink);
    } finally {
      await fh.close();
      await bh.close();
    }
    expect(builder.finish()).toEqual(await signature(out, bs));
    expect(taken).toBeGreaterThan(0);
  });
});
