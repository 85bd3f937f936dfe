import { ManifestPacker, unpackManifest } from './manifest-codec';
import type { ManifestEntry } from './entry';

const entries: ManifestEntry[] = [
  { path: 'a', type: 'dir', size: 0, mtimeMs: 1_700_000_000_000.123, mode: 0o755 },
  { path: 'a/b.txt', type: 'file', size: 12, mtimeMs: 1_700_000_000_001.5, mode: 0o644 },
  { path: 'a/bé.txt', type: 'file', size: 2 ** 53 - 1, mtimeMs: 0, mode: 0o4755 },
  { path: 'a/c', type: 'symlink', size: 0, mtimeMs: 3.25, mode: 0o777, linkTarget: '../ü/x' },
  { path: 'a/d', type: 'symlink', size: 0, mtimeMs: 4, mode: 0o777, linkTarget: '' },
  { path: 'z', type: 'file', size: 300, mtimeMs: -1.5, mode: 0 },
];

function roundTrip(list: ManifestEntry[], partBytes?: number): { parts: Buffer[]; out: ManifestEntry[] } {
  const p = new ManifestPacker(partBytes);
  const parts: Buffer[] = [];
  for (const e of list) {
    p.add(e);
    if (p.full) parts.push(p.take());
  }
  if (!p.empty) parts.push(p.take());
  const out: ManifestEntry[] = [];
  for (const part of parts) unpackManifest(part, (e) => out.push(e));
  return { parts, out };
}

describe('manifest codec', () => {
  it('gives back every entry exactly (mtime to the last bit, sizes up to 2^53, UTF-8 names)', () => {
    expect(roundTrip(entries).out).toEqual(entries);
  });

  it('splits into parts that each decode on their own', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ ...entries[1]!, path: `d${i % 7}/f${i}.txt` }));
    const { parts, out } = roundTrip(many, 1024);
    expect(parts.length).toBeGreaterThan(3);
    expect(out).toEqual(many);
    const alone: ManifestEntry[] = [];
    unpackManifest(parts[2]!, (e) => alone.push(e));
    expect(alone[0]!.path).toMatch(/^d\d\/f\d+\.txt$/);
  });

  it('grows a part for long paths and link targets, never writing past its buffer', () => {
    const long = (c: string) => c.repeat(20_000);
    const list: ManifestEntry[] = [
      { path: long('x'), type: 'file', size: 1, mtimeMs: 1, mode: 0o644 },
      { path: long('y'), type: 'symlink', size: 0, mtimeMs: 2, mode: 0o777, linkTarget: long('é') },
      { path: long('z'), type: 'dir', size: 0, mtimeMs: 3, mode: 0o755 },
    ];
    expect(roundTrip(list, 16).out).toEqual(list);
    expect(roundTrip(list, 1 << 20).out).toEqual(list);
  });

  it('refuses a truncated or malformed part', () => {
    const { parts } = roundTrip(entries);
    const whole = parts[0]!;
    expect(() => unpackManifest(whole.subarray(0, whole.length - 3), () => undefined)).toThrow(/malformed/);
    const badType = Buffer.from(whole);
    badType[3] = 9; // 'a': shared 0, length 1, the byte, then the type
    expect(() => unpackManifest(badType, () => undefined)).toThrow(/type/);
    expect(() => unpackManifest(Buffer.from([5, 1, 0x61]), () => undefined)).toThrow(/path/);
  });
});
