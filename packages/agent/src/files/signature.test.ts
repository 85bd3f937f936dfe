import { symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SpareSyncError } from '@sparesync/common';
import { chooseBlockSize, signature, SignatureBuilder, strongHash } from './signature';
import { decodeSignature, encodeSignature, encodedSignatureSize } from './signature-codec';
import { pseudoRandomBytes, tempFolder } from '@sparesync/devkit/testing';
import { weakChecksum } from './weak-checksum';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempFolder('sig')));
afterAll(() => cleanup());

describe('signature', () => {
  const data = pseudoRandomBytes(5 * 4096 + 10, 3);

  it('has one weak and one truncated strong checksum per block, the last one short', async () => {
    const p = join(dir, 'a');
    await writeFile(p, data);
    const sig = await signature(p, 4096, { strongLength: 8 });
    expect(sig.fileSize).toBe(data.length);
    expect(sig.weak.length).toBe(6);
    expect(sig.strong.length).toBe(6 * 8);
    expect(sig.weak[5]).toBe(weakChecksum(data, 5 * 4096, data.length));
    expect(sig.strong.subarray(40, 48)).toEqual(strongHash(data.subarray(5 * 4096)).subarray(0, 8));
  });

  it('of an empty file has no blocks', async () => {
    const p = join(dir, 'empty');
    await writeFile(p, '');
    const sig = await signature(p, 1024);
    expect(sig.weak.length).toBe(0);
    expect(decodeSignature(encodeSignature(sig))).toEqual(sig);
  });

  it('does not read through a symlink', async () => {
    await writeFile(join(dir, 'secret'), 'outside data');
    await symlink(join(dir, 'secret'), join(dir, 'link'));
    await expect(signature(join(dir, 'link'), 1024)).rejects.toMatchObject({ code: 'ELOOP' });
  });

  it('refuses block sizes and strong lengths out of range', async () => {
    await expect(signature(join(dir, 'a'), 8)).rejects.toThrow(/block size 8/);
    await expect(signature(join(dir, 'a'), 1024, { strongLength: 2 })).rejects.toThrow(SpareSyncError);
  });

  it('round-trips through its wire form, which has 4 + strongLength bytes per block', async () => {
    const p = join(dir, 'b');
    await writeFile(p, data);
    const sig = await signature(p, 1024);
    const wire = encodeSignature(sig);
    expect(wire.length).toBe(encodedSignatureSize(sig));
    expect(wire.length).toBe(24 + 21 * 20);
    expect(decodeSignature(wire)).toEqual(sig);
  });

  it('refuses malformed wire forms', async () => {
    const p = join(dir, 'c');
    await writeFile(p, data);
    const wire = encodeSignature(await signature(p, 1024));
    expect(() => decodeSignature(wire.subarray(0, wire.length - 1))).toThrow(/malformed block signature/);
    const badMagic = Buffer.from(wire);
    badMagic[0] = 0;
    expect(() => decodeSignature(badMagic)).toThrow(/bad header/);
    const badBlock = Buffer.from(wire);
    badBlock.writeUInt32LE(3, 4);
    expect(() => decodeSignature(badBlock)).toThrow(/block size 3/);
  });
});

describe('chooseBlockSize', () => {
  it('takes about the square root of the size, as a power of two within [1 KiB, the setting]', () => {
    expect(chooseBlockSize(0, 65536)).toBe(1024);
    expect(chooseBlockSize(100_000, 65536)).toBe(1024);
    expect(chooseBlockSize(256 * 2 ** 20, 65536)).toBe(16384);
    expect(chooseBlockSize(2 ** 30, 65536)).toBe(32768);
    expect(chooseBlockSize(2 ** 40, 65536)).toBe(65536);
    expect(chooseBlockSize(2 ** 30, 4096)).toBe(4096);
  });
});

describe('SignatureBuilder', () => {
  const data = pseudoRandomBytes(7 * 1024 + 333, 9);

  it.each([
    ['one piece', [data.length]],
    ['block-sized pieces', [1024, 1024, 1024, 1024, 1024, 1024, 1024, 333]],
    ['pieces splitting blocks', [1, 1023, 1500, 7, 2000, 1, 2000, 969]],
    ['byte by byte at the start', [1, 1, 1, 1, 7 * 1024 + 329]],
  ])('gives what signature() gives for the same bytes (%s)', async (_name, sizes) => {
    const p = join(dir, 'builder');
    await writeFile(p, data);
    const b = new SignatureBuilder(1024);
    let at = 0;
    for (const n of sizes) {
      b.update(data.subarray(at, at + n));
      at += n;
    }
    expect(at).toBe(data.length);
    expect(b.finish()).toEqual(await signature(p, 1024));
  });

  it('of no bytes has no blocks', async () => {
    const p = join(dir, 'builder-empty');
    await writeFile(p, '');
    expect(new SignatureBuilder(1024).finish()).toEqual(await signature(p, 1024));
  });
});
