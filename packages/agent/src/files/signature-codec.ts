import { SpareSyncError } from '@sparesync/common';
import { blockCount, checkBlockSize, type Signature } from './signature';

// Wire form of a Signature: a 24-byte header, then the weak checksums (uint32 LE), then the strong
// hashes. Decoding checks every length, since the bytes come from the other server.
//   offset 0 'SSG1' · 4 blockSize u32 · 8 strongLength u8 · 9..15 zero · 16 fileSize u64

const MAGIC = 0x31475353; // 'SSG1' little-endian
const HEADER = 24;

export function encodedSignatureSize(sig: Signature): number {
  return HEADER + sig.weak.length * (4 + sig.strongLength);
}

export function encodeSignature(sig: Signature): Buffer {
  const n = sig.weak.length;
  const out = Buffer.alloc(encodedSignatureSize(sig));
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(sig.blockSize, 4);
  out.writeUInt8(sig.strongLength, 8);
  out.writeBigUInt64LE(BigInt(sig.fileSize), 16);
  for (let i = 0; i < n; i++) out.writeInt32LE(sig.weak[i]!, HEADER + 4 * i);
  sig.strong.copy(out, HEADER + 4 * n);
  return out;
}

export function decodeSignature(buf: Buffer): Signature {
  const bad = (why: string): never => {
    throw new SpareSyncError('FileVerifyFailed', `malformed block signature: ${why}`);
  };
  if (buf.length < HEADER || buf.readUInt32LE(0) !== MAGIC) bad('bad header');
  const blockSize = buf.readUInt32LE(4);
  const strongLength = buf.readUInt8(8);
  const fileSize = Number(buf.readBigUInt64LE(16));
  try {
    checkBlockSize(blockSize);
  } catch {
    bad(`block size ${blockSize}`);
  }
  if (strongLength < 4 || strongLength > 32) bad(`strong length ${strongLength}`);
  if (!Number.isSafeInteger(fileSize)) bad(`file size ${fileSize}`);
  const n = blockCount({ blockSize, fileSize });
  if (buf.length !== HEADER + n * (4 + strongLength)) bad(`${buf.length} bytes for ${n} blocks`);
  const weak = new Int32Array(n);
  for (let i = 0; i < n; i++) weak[i] = buf.readInt32LE(HEADER + 4 * i);
  const strong = Buffer.from(buf.subarray(HEADER + 4 * n));
  return { blockSize, strongLength, fileSize, weak, strong };
}
