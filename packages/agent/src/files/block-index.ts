import { blockCount, strongHash, type Signature } from './signature';

// Lookup from weak checksum to basis blocks, built once per delta. Chained hashing in typed
// arrays (like rsync's): `heads[bucket]` is the first block of a chain, `next[block]` the next one.
// In front of it, a bit filter with ~128 bits per block (64 KiB..1 MiB, cache-sized): the rolling
// loop tests one bit per byte and calls find() only on a hit (<1% of misses), since a call per
// byte would cost more than the rolling itself.

export const GOLDEN = 0x9e3779b1; // Fibonacci hashing: the top bits of w·GOLDEN spread rsync's sums well

export class BlockIndex {
  /** Bit set indexed by `Math.imul(weak, GOLDEN) >>> filterShift`. */
  readonly filter: Uint8Array;
  readonly filterShift: number;
  /** Blocks of exactly blockSize; only these can match away from the end of the input. */
  readonly fullBlocks: number;
  private readonly heads: Int32Array;
  private readonly next: Int32Array;
  private readonly shift: number;

  constructor(readonly sig: Signature) {
    this.fullBlocks = Math.floor(sig.fileSize / sig.blockSize);
    const bits = (min: number, max: number, want: number): number => {
      let b = min;
      while (1 << b < want && b < max) b++;
      return b;
    };
    const hb = bits(8, 24, 2 * this.fullBlocks);
    const fb = bits(19, 23, 128 * this.fullBlocks);
    this.shift = 32 - hb;
    this.filterShift = 32 - fb;
    this.heads = new Int32Array(1 << hb).fill(-1);
    this.next = new Int32Array(Math.max(blockCount(sig), 1)).fill(-1);
    this.filter = new Uint8Array((1 << fb) >>> 3);
    // Inserted in reverse so that each chain runs in ascending block order.
    for (let k = this.fullBlocks - 1; k >= 0; k--) {
      const h = Math.imul(sig.weak[k]!, GOLDEN);
      const b = h >>> this.shift;
      this.next[k] = this.heads[b]!;
      this.heads[b] = k;
      const f = h >>> this.filterShift;
      this.filter[f >>> 3]! |= 1 << (f & 7);
    }
  }

  /** True if block k's strong hash equals `digest` (a full SHA-256). */
  strongEquals(k: number, digest: Buffer): boolean {
    const L = this.sig.strongLength;
    return digest.compare(this.sig.strong, k * L, k * L + L, 0, L) === 0;
  }

  /**
   * The full block whose checksums match data[pos, pos+blockSize), or -1. `preferred` (the block
   * after the previous match) is tried first so that unchanged runs coalesce into one copy op;
   * the strong hash is computed at most once, and only after a weak hit (`known` if the caller
   * has it already).
   */
  find(weak: number, data: Uint8Array, pos: number, preferred: number, known: Buffer | null = null): number {
    const w = this.sig.weak;
    let digest = known;
    if (preferred >= 0 && preferred < this.fullBlocks && w[preferred] === weak) {
      digest ??= strongHash(data.subarray(pos, pos + this.sig.blockSize));
      if (this.strongEquals(preferred, digest)) return preferred;
    }
    for (let k = this.heads[Math.imul(weak, GOLDEN) >>> this.shift]!; k !== -1; k = this.next[k]!) {
      if (w[k] !== weak || k === preferred) continue;
      digest ??= strongHash(data.subarray(pos, pos + this.sig.blockSize));
      if (this.strongEquals(k, digest)) return k;
    }
    return -1;
  }
}
