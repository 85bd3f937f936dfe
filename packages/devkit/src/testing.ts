// Helpers for unit tests across the packages (real temp folders, reproducible data). Imported as
// `@sparesync/devkit/testing`, which jest and the test typecheck map to this file.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder under the OS temp dir; `cleanup` removes it. */
export async function tempFolder(label: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `sparesync-${label}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** `n` pseudo-random bytes from a seed (xorshift32): the same seed gives the same bytes. */
export function pseudoRandomBytes(n: number, seed: number): Buffer {
  const buf = Buffer.allocUnsafe(n);
  let x = seed | 0 || 0x2545f491;
  for (let i = 0; i < n; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    buf[i] = x & 0xff;
    if (i + 1 < n) buf[i + 1] = (x >>> 8) & 0xff;
    if (i + 2 < n) buf[i + 2] = (x >>> 16) & 0xff;
    if (i + 3 < n) buf[i + 3] = (x >>> 24) & 0xff;
  }
  return buf;
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

export async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}
