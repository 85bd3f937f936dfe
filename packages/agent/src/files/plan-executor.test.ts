// A Files stream that fails in the middle of a plan (the peer restarted, the link reset) ends the
// plan with that error and leaves no promise rejected behind it: Node 20 ends the process on an
// unhandled rejection, and that is how the primary's agent died when its peer restarted.
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileChannel, type FilesCall } from './channel';
import { CompressionGate } from './compression-gate';
import { FolderStats } from './folder-stats';
import { executePlan } from './plan-executor';
import type { Plan } from './planner';
import type { ManifestEntry } from './scan';

/** A Files call that takes `accept` frames, then reports a full buffer and waits for its drain. */
class StallingCall extends EventEmitter {
  written = 0;
  constructor(private readonly accept: number) {
    super();
  }
  write(): boolean {
    this.written++;
    return this.written <= this.accept;
  }
  end(): void {}
  cancel(): void {}
}

function entry(root: string, path: string, size: number): ManifestEntry {
  writeFileSync(join(root, path), Buffer.alloc(size, 7));
  const st = statSync(join(root, path));
  return { path, type: 'file', size, mtimeMs: st.mtimeMs, mode: st.mode & 0o7777 };
}

describe('executePlan when the stream fails', () => {
  let root: string;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'sparesync-exec-'));
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
    rmSync(root, { recursive: true, force: true });
  });

  async function failMidway(plan: Plan, accept: number): Promise<unknown> {
    const call = new StallingCall(accept);
    const ch = new FileChannel(call as unknown as FilesCall, 'www', () => 0);
    const stats = new FolderStats('www', root, () => undefined);
    const run = executePlan(plan, {
      root,
      channels: [ch],
      remote: new Map(),
      stats,
      options: { maxBlockSize: 128 * 1024, compress: new CompressionGate(false) },
      now: () => Date.now(),
      retryLater: () => undefined,
      failed: () => undefined,
      sent: () => undefined,
    });
    // Let the executor write until the stream's buffer is full, then the peer goes away.
    await new Promise((r) => setTimeout(r, 50));
    expect(call.written).toBeGreaterThan(accept);
    call.emit('error', Object.assign(new Error('14 UNAVAILABLE: read ECONNRESET'), { code: 14 }));
    const error = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    // Unhandled rejections are reported after the microtask queue drains: give them a turn.
    await new Promise((r) => setTimeout(r, 20));
    return error;
  }

  test('with file batches awaiting their acks', async () => {
    // 100 KiB files: two to a batch, so three batches are in flight when the fourth write stalls.
    const files = Array.from({ length: 10 }, (_, i) => entry(root, `f${i}.bin`, 100 * 1024));
    const plan: Plan = {
      renames: [],
      remove: [],
      send: files.map((e) => ({ entry: e, reasons: ['missing'] })),
    };
    const error = await failMidway(plan, 3);
    expect(String(error)).toMatch(/ECONNRESET/);
    expect(unhandled).toEqual([]);
  });

  test('with removals and renames awaiting their confirmations', async () => {
    const gone = (path: string): ManifestEntry => ({ path, type: 'file', size: 1, mtimeMs: 1, mode: 0o644 });
    const plan: Plan = {
      renames: [{ from: 'a', to: 'b' }],
      remove: ['x', 'y', 'z'].map(gone),
      send: [],
    };
    const error = await failMidway(plan, 2);
    expect(String(error)).toMatch(/ECONNRESET/);
    expect(unhandled).toEqual([]);
  });
});
