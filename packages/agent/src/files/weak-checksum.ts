import { endianness } from 'node:os';

// rsync's rolling checksum over a block x[0..n): s1 = Σ x[k], s2 = Σ (n-k)·x[k], both mod 2^16;
// the 32-bit weak checksum is s2 << 16 | s1, kept as an int32 bit pattern so that V8 keeps it a
// small integer in the hot loops (a uint32 above 2^31 would be a heap number).
//
// Rolling by one byte (drop `out`, take `in`):  s1' = s1 - out + in;  s2' = s2 - n·out + s1'.

const LITTLE_ENDIAN = endianness() === 'LE';

/** Packs the two 16-bit sums into the int32 weak checksum. */
export function packWeak(s1: number, s2: number): number {
  return ((s2 & 0xffff) << 16) | (s1 & 0xffff);
}

/**
 * The weak checksum of buf[start, end). Reads aligned 32-bit words where it can (about 1.6× the
 * speed of a byte loop in V8); every sum is kept modulo 2^32 with `| 0` / Math.imul, which is
 * exact for the final modulo-2^16 result.
 */
export function weakChecksum(buf: Uint8Array, start: number, end: number): number {
  const n = end - start;
  let s = 0; // Σ x[k]
  let t = 0; // Σ k·x[k]
  let i = start;
  let k = 0;
  if (LITTLE_ENDIAN && n >= 64) {
    for (; (buf.byteOffset + i) & 3; i++, k++) {
      s = (s + buf[i]!) | 0;
      t = (t + Math.imul(k, buf[i]!)) | 0;
    }
    const words = (end - i) >> 2;
    const u32 = new Uint32Array(buf.buffer, buf.byteOffset + i, words);
    for (let j = 0; j < words; j++, k += 4) {
      const w = u32[j]!;
      // Byte lanes: lo = x0 | x2<<16, hi = x1 | x3<<16 (little-endian word x0 x1 x2 x3).
      const lo = w & 0x00ff00ff;
      const hi = (w >>> 8) & 0x00ff00ff;
      const pair = lo + hi; // (x0+x1) | (x2+x3)<<16, no carry between lanes
      const sum4 = (pair & 0xffff) + (pair >>> 16);
      s = (s + sum4) | 0;
      // Σ (k+m)·x[m] for m = 0..3  =  k·sum4 + x1 + 2·x2 + 3·x3
      t = (t + Math.imul(k, sum4) + (hi & 0xffff) + 2 * (lo >>> 16) + 3 * (hi >>> 16)) | 0;
    }
    i += words << 2;
  }
  for (; i < end; i++, k++) {
    s = (s + buf[i]!) | 0;
    t = (t + Math.imul(k, buf[i]!)) | 0;
  }
  // s2 = Σ (n-k)·x[k] = n·s - t
  return packWeak(s, (Math.imul(n, s) - t) | 0);
}
