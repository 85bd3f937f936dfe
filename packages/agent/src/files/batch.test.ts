import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { addBatch, BATCH_BYTES, BatchBuilder, batchCost, batchOutcomes, unpackBatchedFile } from './batch';
import { CommitPipeline } from './commit-group';
import { CompressionGate } from './compression-gate';
import { plainFolder } from './folder-config';
import { FolderWriter } from './folder-writer';
import type { BatchedFileWire, FileAck, FileFailureWire } from './frames';
import type { ManifestEntry } from './scan';
import { pseudoRandomBytes, tempFolder } from '@sparesync/devkit/testing';

const MTIME = 1_700_000_000_123.5;

function whole(data: Buffer, mode = 0o640): { stat: Stats; data: Buffer } {
  const stat = { size: data.length, mtimeMs: MTIME, mode: 0o100000 | mode } as Stats;
  return { stat, data };
}

function entry(path: string, size: number): ManifestEntry {
  return { path, type: 'file', size, mtimeMs: 0, mode: 0o644 };
}

function wire(path: string, data: Buffer, mode = 0o640): BatchedFileWire {
  const b = new BatchBuilder();
  b.add(entry(path, data.length), whole(data, mode), new CompressionGate(false));
  return b.take().batch.files[0]!;
}

describe('BatchBuilder', () => {
  it('packs whole files with the stat read with them and their SHA-256, and starts empty again', () => {
    const b = new BatchBuilder();
    const a = pseudoRandomBytes(5000, 1);
    expect(b.add(entry('d/a', 1), whole(a, 0o600), new CompressionGate(false))).toBe(5000);
    expect(b.add(entry('d/empty', 0), whole(Buffer.alloc(0)), new CompressionGate(false))).toBe(0);
    expect(b.size).toBe(2);
    const { batch, entries } = b.take();
    expect(b.size).toBe(0);
    expect(batch.files.map((f) => f.entry?.path)).toEqual(['d/a', 'd/empty']);
    expect(batch.files[0]).toMatchObject({
      entry: { path: 'd/a', type: 'file', size: 5000, mtimeMs: MTIME, mode: 0o600 },
      deflated: false,
    });
    expect(batch.files[0]!.sha256).toEqual(createHash('sha256').update(a).digest());
    expect(entries[0]).toMatchObject({ size: 5000, mtimeMs: MTIME, mode: 0o600 });
  });

  it('stops at the byte budget, but takes any one file into an empty batch', () => {
    const b = new BatchBuilder(10_000);
    expect(b.fits('a', 50_000)).toBe(true);
    b.add(entry('a', 4000), whole(Buffer.alloc(4000)), new CompressionGate(false));
    expect(b.fits('b', 4000)).toBe(true);
    b.add(entry('b', 4000), whole(Buffer.alloc(4000)), new CompressionGate(false));
    expect(b.fits('c', 4000)).toBe(false);
    expect(batchCost('c', 4000)).toBeGreaterThan(4000);
    expect(BATCH_BYTES).toBe(256 * 1024);
  });

  it('deflates when asked and that helps; unpacking gives back the data and end ops', () => {
    const b = new BatchBuilder();
    const text = Buffer.from('sparesync '.repeat(1000));
    const noise = pseudoRandomBytes(3000, 7);
    expect(b.add(entry('t', 0), whole(text), new CompressionGate(true))).toBeLessThan(text.length);
    expect(b.add(entry('n', 0), whole(noise), new CompressionGate(true))).toBe(noise.length); // random: sent raw
    const [t, n] = b.take().batch.files;
    expect([t!.deflated, n!.deflated]).toEqual([true, false]);
    const u = unpackBatchedFile(t!);
    expect(u.entry).toMatchObject({ path: 't', size: text.length, mode: 0o640 });
    expect(u.ops).toEqual([
      { kind: 'data', data: text },
      { kind: 'end', size: text.length, sha256: createHash('sha256').update(text).digest() },
    ]);
    expect(unpackBatchedFile(wire('e', Buffer.alloc(0))).ops.map((o) => o.kind)).toEqual(['end']);
  });

  it('refuses directories and symlinks in a batch', () => {
    const f = wire('x', Buffer.from('x'));
    f.entry = { ...f.entry!, type: 'dir' };
    expect(() => unpackBatchedFile(f)).toThrow(/dir entry/);
  });
});

describe('batchOutcomes', () => {
  const ack = (a: Partial<FileAck> & { failures?: FileFailureWire[] }) =>
    ({ id: 1, last: true, ...a }) as FileAck;

  it('maps per-file failures to their files, the others to null', () => {
    const out = batchOutcomes(
      [ack({ failures: [{ index: 1, path: '../x', error: 'outside', code: 'PathRejected' }] })],
      3,
    );
    expect(out[0]).toBeNull();
    expect(out[1]).toMatchObject({ message: 'outside', code: 'PathRejected' });
    expect(out[2]).toBeNull();
  });

  it('fails every file when the whole batch failed', () => {
    const out = batchOutcomes([ack({ error: 'no folder pair', code: 'ConfigInvalid' })], 2);
    expect(out.map((e) => e?.code)).toEqual(['ConfigInvalid', 'ConfigInvalid']);
  });
});

describe('addBatch', () => {
  async function setup() {
    const t = await tempFolder('batch');
    const root = join(t.dir, 'root');
    mkdirSync(root);
    const cfg = plainFolder('f', root);
    return { ...t, root, writer: new FolderWriter(cfg) };
  }

  it('publishes the good files of a batch and reports a refused path (../x) alone, after the commit', async () => {
    const { dir, root, writer, cleanup } = await setup();
    try {
      const a = pseudoRandomBytes(3000, 2);
      const b = pseudoRandomBytes(9000, 3);
      const group = new CommitPipeline(64);
      const got: FileFailureWire[][] = [];
      await addBatch(
        writer,
        { files: [wire('d/a.bin', a, 0o600), wire('../x', Buffer.from('evil')), wire('b.bin', b)] },
        group,
        async (f) => void got.push(f),
      );
      expect(got).toEqual([]); // nothing answered before the group has committed
      await group.drain();
      expect(got).toHaveLength(1);
      expect(got[0]).toEqual([{ index: 1, path: '../x', error: expect.any(String), code: 'PathRejected' }]);
      expect(readFileSync(join(root, 'd/a.bin'))).toEqual(a);
      expect(readFileSync(join(root, 'b.bin'))).toEqual(b);
      expect(existsSync(join(dir, 'x'))).toBe(false);
      const st = statSync(join(root, 'd/a.bin'));
      expect(st.mode & 0o7777).toBe(0o600);
      expect(Math.abs(st.mtimeMs - MTIME)).toBeLessThan(1);
    } finally {
      await cleanup();
    }
  });

  it('fails a file whose checksum does not match, or whose path repeats, and answers an empty batch at once', async () => {
    const { root, writer, cleanup } = await setup();
    try {
      const bad = wire('bad', Buffer.from('hello'));
      bad.sha256 = Buffer.alloc(32);
      const group = new CommitPipeline(64);
      const got: FileFailureWire[][] = [];
      await addBatch(
        writer,
        { files: [bad, wire('ok', Buffer.from('1')), wire('ok', Buffer.from('2'))] },
        group,
        async (f) => void got.push(f),
      );
      await group.drain();
      expect(got[0]!.map((f) => [f.index, f.code])).toEqual([
        [0, 'FileVerifyFailed'],
        [2, 'InvalidArgument'],
      ]);
      expect(existsSync(join(root, 'bad'))).toBe(false);
      expect(readFileSync(join(root, 'ok'), 'utf8')).toBe('1');
      const empty: FileFailureWire[][] = [];
      await addBatch(writer, { files: [] }, group, async (f) => void empty.push(f));
      expect(empty).toEqual([[]]);
    } finally {
      await cleanup();
    }
  });

  it('does not follow a symlinked directory out of the folder', async () => {
    const { dir, root, writer, cleanup } = await setup();
    try {
      mkdirSync(join(dir, 'outside'));
      symlinkSync(join(dir, 'outside'), join(root, 'link'));
      const group = new CommitPipeline(64);
      const got: FileFailureWire[][] = [];
      await addBatch(
        writer,
        {
          files: [
            wire('link/x', Buffer.from('x')),
            wire('fine', Buffer.from('y')),
            wire('link/z', Buffer.from('z')),
            wire('new/dir/a', Buffer.from('a')),
            wire('new/dir/b', Buffer.from('b')),
          ],
        },
        group,
        async (f) => void got.push(f),
      );
      await group.drain();
      // A parent is checked once per batch, but a refused one refuses every file below it.
      expect(got[0]!.map((f) => [f.index, f.code])).toEqual([
        [0, 'PathRejected'],
        [2, 'PathRejected'],
      ]);
      expect(existsSync(join(dir, 'outside', 'x'))).toBe(false);
      expect(existsSync(join(dir, 'outside', 'z'))).toBe(false);
      expect(readFileSync(join(root, 'fine'), 'utf8')).toBe('y');
      expect(readFileSync(join(root, 'new', 'dir', 'b'), 'utf8')).toBe('b');
    } finally {
      await cleanup();
    }
  });
});
