// Signatures of large files that change in place: computed when a delta first asks for one, then
// while the receiver writes each next version from its old copy, so that the next change needs no
// signature pass over the old copy (a 200 MiB file took ~0.4 s to read and hash, a third of a
// delta transfer, before the sender could start). A file that arrives whole is not signed.
//
// An entry is used only while the file still has the size, mtime, ctime and inode it had right
// after it was published: any local change (even chmod or a touch) updates ctime and the entry is
// ignored. A stale signature could still only cost time: the sender's delta would not rebuild the
// file, the receiver's SHA-256 check would refuse it, and the sender would resend it whole.
import type { Stats } from 'node:fs';
import { blockCount, type Signature } from './signature';

/** Files smaller than this are signed on demand: reading and hashing them takes < 40 ms. */
export const CACHE_MIN_BYTES = 16 * 1024 * 1024;
/** Bytes of signatures kept per folder (~20 B per block: ~26 GiB of files at 16 KiB blocks). */
const CACHE_MAX_BYTES = 32 * 1024 * 1024;

interface Entry {
  sig: Signature;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

export class SignatureCache {
  /** Insertion order is recency: get() moves a hit to the end, eviction starts at the front. */
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly maxBytes = CACHE_MAX_BYTES) {}

  /** The signature of `path` at `blockSize` if the file is still the one it was computed for. */
  get(path: string, st: Stats, blockSize: number): Signature | undefined {
    const e = this.entries.get(path);
    if (!e) return undefined;
    if (e.ino !== st.ino || e.size !== st.size || e.mtimeMs !== st.mtimeMs || e.ctimeMs !== st.ctimeMs) {
      this.delete(path);
      return undefined;
    }
    if (e.sig.blockSize !== blockSize) return undefined;
    this.entries.delete(path);
    this.entries.set(path, e);
    return e.sig;
  }

  /** Keeps `sig` for the file at `path` as `st` (taken after it was published) describes it. */
  set(path: string, st: Stats, sig: Signature): void {
    if (sig.fileSize !== st.size || blockCount(sig) !== sig.weak.length) return;
    this.delete(path);
    const cost = sizeOf(sig);
    if (cost > this.maxBytes) return;
    this.entries.set(path, { sig, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs });
    this.bytes += cost;
    for (const [p, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(p);
      this.bytes -= sizeOf(e.sig);
    }
  }

  delete(path: string): void {
    const e = this.entries.get(path);
    if (!e) return;
    this.entries.delete(path);
    this.bytes -= sizeOf(e.sig);
  }

  get size(): number {
    return this.entries.size;
  }
}

function sizeOf(sig: Signature): number {
  return sig.weak.byteLength + sig.strong.length;
}
