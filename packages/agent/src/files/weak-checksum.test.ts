import { packWeak, weakChecksum } from './weak-checksum';
import { pseudoRandomBytes } from '@sparesync/devkit/testing';

function naive(buf: Uint8Array, start: number, end: number): number {
  let s1 = 0;
  let s2 = 0;
  for (let i = start; i < end; i++) {
    s1 = (s1 + buf[i]!) & 0xffff;
    s2 = (s2 + s1) & 0xffff;
  }
  return packWeak(s1, s2);
}

describe('weakChecksum', () => {
  const data = pseudoRandomBytes(70_000, 7);

  it('equals the byte-by-byte definition at every alignment and length', () => {
    for (const start of [0, 1, 2, 3, 5, 64]) {
      for (const len of [0, 1, 3, 63, 64, 65, 1000, 4096, 65536]) {
        expect(weakChecksum(data, start, start + len)).toBe(naive(data, start, start + len));
      }
    }
  });

  it('works on a Buffer that starts at an odd offset of its ArrayBuffer', () => {
    const backing = Buffer.alloc(5000);
    const view = backing.subarray(3);
    data.copy(view, 0, 0, 4000);
    expect(weakChecksum(view, 1, 3001)).toBe(naive(data, 1, 3001));
  });

  it('does not overflow on large all-0xff blocks', () => {
    const ff = Buffer.alloc(16 * 1024 * 1024 + 3, 0xff);
    expect(weakChecksum(ff, 0, ff.length)).toBe(naive(ff, 0, ff.length));
  });

  it('rolls: dropping one byte and taking the next equals the sum of the shifted window', () => {
    const n = 1024;
    const w0 = weakChecksum(data, 10, 10 + n);
    const out = data[10]!;
    const s1 = ((w0 & 0xffff) - out + data[10 + n]!) & 0xffff;
    const s2 = ((w0 >>> 16) - n * out + s1) & 0xffff;
    expect(packWeak(s1, s2)).toBe(weakChecksum(data, 11, 11 + n));
  });
});
