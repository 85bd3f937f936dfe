import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { delta, type DeltaOp } from './delta';
import { plainFolder } from './folder-config';
import { FolderWriter } from './folder-writer';
import * as signatures from './signature';
import { CACHE_MIN_BYTES } from './signature-cache';
import { pseudoRandomBytes, tempFolder } from '@sparesync/devkit/testing';

async function collect(ops: AsyncIterable<DeltaOp>): Promise<DeltaOp[]> {
  const out: DeltaOp[] = [];
  for await (const op of ops) out.push(op);
  return out;
}

async function* replay(ops: DeltaOp[]): AsyncGenerator<DeltaOp> {
  yield* ops;
}

describe('FolderWriter signatures of large files', () => {
  it('signs a file that changes in place as it writes it, but not one that arrives whole', async () => {
    const t = await tempFolder('fw-sig');
    try {
      const root = join(t.dir, 'root');
      mkdirSync(root);
      const cfg = plainFolder('f', root, false);
      const writer = new FolderWriter(cfg);
      const v1 = pseudoRandomBytes(CACHE_MIN_BYTES + 12345, 7);
      const staged = join(t.dir, 'staged.bin');
      writeFileSync(staged, v1);
      const entry = {
        path: 'big.bin',
        type: 'file' as const,
        size: v1.length,
        mtimeMs: 1_700_000_000_000,
        mode: 0o644,
      };
      const passes = jest.spyOn(signatures, 'signature');

      await writer.file(entry, 0, replay(await collect(delta(staged, null))));
      expect(readFileSync(join(root, 'big.bin')).equals(v1)).toBe(true);
      // Arrived whole: the first delta's request reads and signs it (and keeps that signature).
      const sig1 = await writer.signature('big.bin', 0);
      expect(passes).toHaveBeenCalledTimes(1);
      expect(sig1).not.toBeNull();

      const v2 = Buffer.from(v1);
      pseudoRandomBytes(4096, 9).copy(v2, 5 * 1024 * 1024 + 11);
      writeFileSync(staged, v2);
      const ops = await collect(delta(staged, sig1));
      await writer.file({ ...entry, mtimeMs: entry.mtimeMs + 1000 }, sig1!.blockSize, replay(ops));
      expect(readFileSync(join(root, 'big.bin')).equals(v2)).toBe(true);

      // Rebuilt from its old copy: signed while written, so the next request reads nothing,
      // and that signature is the one a pass over the file gives.
      const sig2 = await writer.signature('big.bin', 0);
      expect(passes).toHaveBeenCalledTimes(1);
      passes.mockRestore();
      expect(sig2).toEqual(await signatures.signature(join(root, 'big.bin'), sig1!.blockSize));
    } finally {
      await t.cleanup();
    }
  });
});
