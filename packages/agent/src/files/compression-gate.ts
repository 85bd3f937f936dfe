// Whether a file's data is deflated on the way (network.compression). Data that does not shrink
// (media, archives, encrypted or random bytes) cost the sender deflate's CPU for nothing (issue
// 16: CPU per GiB ≤ 2× rsync's, which does not compress by default). The gate learns per
// file-name extension: after MISSES tries in a row that saved less than 1/32, data of that
// extension goes raw, and one try in PROBE_EVERY is still deflated so that data which became
// compressible is noticed.
import { deflateRawSync } from 'node:zlib';

export const MISSES = 4;
export const PROBE_EVERY = 32;
/** Extensions remembered at most; past this the memory starts again (a tree of odd names). */
const MAX_KINDS = 1024;

interface Kind {
  misses: number;
  skipped: number;
}

export class CompressionGate {
  private readonly kinds = new Map<string, Kind>();

  constructor(readonly enabled: boolean) {}

  /** The bytes to send for `data` of the file at `path`, deflated (level 1) when that pays. */
  pack(path: string, data: Buffer): { data: Buffer; deflated: boolean } {
    if (!this.enabled || data.length === 0) return { data, deflated: false };
    const kind = this.kind(path);
    if (kind.misses >= MISSES && ++kind.skipped % PROBE_EVERY !== 0) return { data, deflated: false };
    const packed = deflateRawSync(data, { level: 1 });
    const saved = data.length - packed.length;
    kind.misses = saved * 32 < data.length ? kind.misses + 1 : 0;
    return saved > 0 ? { data: packed, deflated: true } : { data, deflated: false };
  }

  private kind(path: string): Kind {
    const name = path.slice(path.lastIndexOf('/') + 1);
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
    let k = this.kinds.get(ext);
    if (!k) {
      if (this.kinds.size >= MAX_KINDS) this.kinds.clear();
      k = { misses: 0, skipped: 0 };
      this.kinds.set(ext, k);
    }
    return k;
  }
}
