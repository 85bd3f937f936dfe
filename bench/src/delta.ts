// Micro-benchmark of the block delta: `pnpm bench delta` (or `node bench/dist/delta.js [MiB]`).
// Generates a random file (default 256 MiB), changes it in several ways, and prints per scenario
// the speed of signature, delta and delta→atomic apply, and the bytes that would cross the wire.
// If rsync is installed, the same update is run through `rsync --no-whole-file` (local, two
// processes over a pipe, the same delta algorithm) for comparison.
import { execFileSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { copyFile, mkdtemp, open, readFile, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applyDeltaAtomically,
  chooseBlockSize,
  delta,
  encodedSignatureSize,
  signature,
  type DeltaOp,
} from '@sparesync/agent';

const MiB = 2 ** 20;
const size = Number(process.argv[2] ?? 256) * MiB;

type Change = (fh: FileHandle) => Promise<void>;
const scatter =
  (count: number, len: number): Change =>
  async (fh) => {
    const buf = Buffer.alloc(len);
    for (let i = 0; i < count; i++) {
      randomFillSync(buf);
      await fh.write(buf, 0, len, Math.floor(((i + 0.5) / count) * (size - len)));
    }
  };

const scenarios: Array<[string, Change | 'insert' | 'none' | 'identical']> = [
  ['identical', 'identical'],
  ['100 × 4 KiB writes', scatter(100, 4096)],
  ['1% changed (4 KiB writes)', scatter(Math.round((size * 0.01) / 4096), 4096)],
  ['1 byte inserted at 1 KiB', 'insert'],
  ['no basis (whole file)', 'none'],
];

/** Wire bytes of an op stream: literal bytes plus a small header per op (as a protobuf would). */
function opBytes(op: DeltaOp): number {
  return op.kind === 'data' ? op.data.length + 6 : op.kind === 'copy' ? 8 : 44;
}

async function time<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t0 = process.hrtime.bigint();
  const r = await f();
  return [r, Number(process.hrtime.bigint() - t0) / 1e9];
}

function rsync(src: string, dest: string): { seconds: number; bytes: number } | null {
  try {
    const t0 = process.hrtime.bigint();
    const out = execFileSync('rsync', ['--no-whole-file', '--ignore-times', '--stats', src, dest], {
      encoding: 'utf8',
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const num = (label: string) =>
      Number(/label: ([\d,]+)/.source && new RegExp(`${label}: ([\\d,]+)`).exec(out)?.[1]?.replace(/,/g, ''));
    return { seconds, bytes: num('Total bytes sent') + num('Total bytes received') };
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sparesync-bench-'));
  try {
    const original = join(dir, 'original');
    const fh = await open(original, 'w');
    const chunk = Buffer.allocUnsafe(16 * MiB);
    for (let at = 0; at < size; at += chunk.length) {
      randomFillSync(chunk);
      await fh.write(chunk, 0, Math.min(chunk.length, size - at));
    }
    await fh.close();
    const mb = size / 1e6;
    const rows: string[][] = [];
    for (const [name, change] of scenarios) {
      const source = join(dir, 'source');
      const target = join(dir, 'target');
      await copyFile(original, source);
      if (change === 'insert') {
        const all = await readFile(original);
        await writeFile(source, Buffer.concat([all.subarray(0, 1024), Buffer.from('!'), all.subarray(1024)]));
      } else if (typeof change === 'function') {
        const s = await open(source, 'r+');
        await change(s);
        await s.close();
      }
      for (const bs of [chooseBlockSize(size, 65536), 65536]) {
        if (change === 'none' && bs !== 65536) continue;
        await rm(target, { force: true });
        if (change !== 'none') await copyFile(original, target);
        const [sig, tSig] = change === 'none' ? [null, 0] : await time(() => signature(target, bs));
        let wire = sig ? encodedSignatureSize(sig) : 0;
        const [, tDelta] = await time(async () => {
          for await (const op of delta(source, sig)) wire += opBytes(op);
        });
        const [, tApply] = await time(() =>
          applyDeltaAtomically(target, delta(source, sig), {
            blockSize: bs,
            mtimeMs: Date.now(),
            mode: 0o644,
          }),
        );
        let rs = '–';
        let rsBytes = '–';
        if (change !== 'none') {
          await copyFile(original, target);
          const r = rsync(source, target);
          if (r) [rs, rsBytes] = [r.seconds.toFixed(2), (r.bytes / MiB).toFixed(2)];
        }
        rows.push([
          name,
          `${bs / 1024} KiB`,
          sig ? (mb / tSig).toFixed(0) : '–',
          (mb / tDelta).toFixed(0),
          (mb / Math.max(tApply - tDelta, 1e-3)).toFixed(0),
          (tSig + tApply).toFixed(2),
          (wire / MiB).toFixed(2),
          rs,
          rsBytes === '–' ? '–' : `${rsBytes} (${(wire / MiB / Number(rsBytes)).toFixed(2)}×)`,
        ]);
      }
    }
    const head = [
      'scenario',
      'block',
      'sig MB/s',
      'delta MB/s',
      'apply MB/s',
      'total s',
      'wire MiB',
      'rsync s',
      'rsync MiB (ours/rsync)',
    ];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: string[]) => '| ' + r.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
    console.log(
      `file: ${size / MiB} MiB, Node ${process.version}, load average at start ${loadavg()[0]!.toFixed(2)}`,
    );
    console.log(
      'total s = signature + delta piped into applyDeltaAtomically in this one process (fsync included);',
    );
    console.log(
      'apply MB/s = size / (that piped time - delta alone). rsync: --no-whole-file, local, no fsync.',
    );
    console.log(line(head));
    console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
    for (const r of rows) console.log(line(r));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

void main();
