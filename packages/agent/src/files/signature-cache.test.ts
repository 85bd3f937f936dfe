import type { Stats } from 'node:fs';
import { SignatureBuilder } from './signature';
import { SignatureCache } from './signature-cache';
import { pseudoRandomBytes } from '@sparesync/devkit/testing';

const signed = (size: number, seed: number) => {
  const b = new SignatureBuilder(1024);
  b.update(pseudoRandomBytes(size, seed));
  return b.finish();
};
const stat = (size: number, more: Partial<Stats> = {}) =>
  ({ ino: 7, size, mtimeMs: 1000.5, ctimeMs: 2000.25, ...more }) as Stats;

describe('SignatureCache', () => {
  it('returns a signature while the file keeps its inode, size, mtime and ctime', () => {
    const c = new SignatureCache();
    const sig = signed(10_000, 1);
    c.set('a', stat(10_000), sig);
    expect(c.get('a', stat(10_000), 1024)).toBe(sig);
    expect(c.get('a', stat(10_000), 2048)).toBeUndefined(); // another block size: not this one
    expect(c.get('a', stat(10_000), 1024)).toBe(sig);
  });

  it.each([
    ['inode', { ino: 8 }],
    ['mtime', { mtimeMs: 1000.75 }],
    ['ctime (chmod, touch, link)', { ctimeMs: 2001 }],
    ['size', { size: 10_001 }],
  ])('forgets it once the %s changed', (_what, change) => {
    const c = new SignatureCache();
    c.set('a', stat(10_000), signed(10_000, 1));
    expect(c.get('a', stat(10_000, change), 1024)).toBeUndefined();
    expect(c.get('a', stat(10_000), 1024)).toBeUndefined(); // dropped, not just skipped
  });

  it('refuses a signature that does not describe the stat it is given', () => {
    const c = new SignatureCache();
    c.set('a', stat(9_999), signed(10_000, 1));
    expect(c.size).toBe(0);
  });

  it('evicts the least recently used entries beyond its byte budget', () => {
    const one = signed(10 * 1024, 1); // 10 blocks × (4 + 16) bytes = 200
    const c = new SignatureCache(450);
    c.set('a', stat(10 * 1024), one);
    c.set('b', stat(10 * 1024), signed(10 * 1024, 2));
    expect(c.get('a', stat(10 * 1024), 1024)).toBe(one); // a is now the most recent
    c.set('c', stat(10 * 1024), signed(10 * 1024, 3));
    expect(c.size).toBe(2);
    expect(c.get('b', stat(10 * 1024), 1024)).toBeUndefined();
    expect(c.get('a', stat(10 * 1024), 1024)).toBe(one);
  });
});
