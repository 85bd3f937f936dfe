// The floor under the initial sync of many small files: publishing them on this machine's disk
// the way the receiver must (temp file, data, mode, mtime, fsync, rename; one fsync per directory
// per 64 files), with no network, no agent and 64 files in flight on libuv's thread pool. The
// same with the file fsyncs left out shows what the durability rule costs; plain rsync does not
// fsync, rsync --fsync does, one file after the other.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fsync,
  futimesSync,
  mkdirSync,
  open,
  openSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { performance } from 'node:perf_hooks';

const GROUP = 64;

// The callback API, as the receiver uses it (one thread-pool request each, no FileHandle).
const fsyncFd = promisify(fsync);
const openFd = promisify(open);

async function fsyncPath(path: string): Promise<void> {
  const fd = openSync(path, 'r');
  try {
    await fsyncFd(fd);
  } finally {
    closeSync(fd);
  }
}

async function publish(path: string, data: Buffer, fsyncFiles: boolean): Promise<void> {
  const tmp = `${path}.tmp`;
  const fd = await openFd(tmp, 'wx', 0o600);
  writeSync(fd, data);
  fchmodSync(fd, 0o644);
  futimesSync(fd, 1_700_000_000, 1_700_000_000);
  if (fsyncFiles) await fsyncFd(fd);
  closeSync(fd);
  renameSync(tmp, path);
}

/**
 * Milliseconds to publish `count` files of 1-16 KiB in 100 directories under `base` (sized and
 * ordered as bench files' tree, groups of one directory), with or without each file's fsync.
 * `base` must not exist; the caller removes it later.
 */
export async function publishFloorMs(base: string, count: number, fsyncFiles: boolean): Promise<number> {
  for (let d = 0; d < 100; d++) mkdirSync(join(base, `d${d}`), { recursive: true });
  const data = randomBytes(16 * 1024);
  const t0 = performance.now();
  const committing: Promise<unknown>[] = [];
  for (let g = 0; g < count; g += GROUP) {
    const dir = join(base, `d${(g / GROUP) % 100}`);
    const files = [];
    for (let i = g; i < Math.min(count, g + GROUP); i++) {
      files.push(
        publish(join(dir, `f${i}.bin`), data.subarray(0, 1024 + ((i * 7919) % (15 * 1024))), fsyncFiles),
      );
    }
    committing.push(Promise.all(files).then(() => fsyncPath(dir)));
    if (committing.length > 4) await committing.shift();
  }
  await Promise.all(committing);
  // Not removed here: ext4 skips inodes freed in the last seconds when it allocates new ones (on
  // a file system without a journal), which made a run right after a removal ~2x slower.
  return performance.now() - t0;
}
