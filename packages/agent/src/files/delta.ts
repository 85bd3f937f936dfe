import { createHash } from 'node:crypto';
import { openByteSource, readFully, type ByteInput, type ByteSource } from './byte-source';
import { BlockIndex, GOLDEN } from './block-index';
import { strongHash, type Signature } from './signature';
import { packWeak, weakChecksum } from './weak-checksum';

/**
 * The instructions that rebuild the sender's file from the receiver's basis. `copy` names a run
 * of basis blocks, `data` carries literal bytes; `end` closes the stream with the size and
 * SHA-256 of the whole result, which the receiver checks before publishing anything.
 */
export type DeltaOp =
  | { kind: 'copy'; block: number; count: number }
  | { kind: 'data'; data: Buffer }
  | { kind: 'end'; size: number; sha256: Buffer };

export interface DeltaOptions {
  /** Largest data op (default 256 KiB); bounds memory and message size. */
  maxLiteral?: number;
  /** Bytes asked of the input per read (default 4 MiB). */
  readSize?: number;
}

export const DEFAULT_MAX_LITERAL = 256 * 1024;
const DEFAULT_READ_SIZE = 4 * 1024 * 1024;

/**
 * Streams the ops that turn the basis described by `sig` into `input`. Without a signature (no
 * basis) the stream is data ops only. Reads the input once; memory is about
 * maxLiteral + blockSize + readSize plus the signature's index.
 */
export async function* delta(
  input: ByteInput,
  sig: Signature | null,
  options: DeltaOptions = {},
): AsyncGenerator<DeltaOp> {
  const maxLiteral = options.maxLiteral ?? DEFAULT_MAX_LITERAL;
  const readSize = options.readSize ?? DEFAULT_READ_SIZE;
  const src = await openByteSource(input);
  try {
    if (!sig || sig.fileSize === 0) {
      yield* literalOnly(src, fitted(maxLiteral, src));
      return;
    }
    const engine = new DeltaEngine(new BlockIndex(sig), maxLiteral, fitted(readSize, src));
    for (;;) {
      engine.step();
      if (engine.ops.length > 0) yield* engine.takeOps();
      if (engine.done) break;
      await engine.fill(src);
    }
    yield { kind: 'end', size: engine.size, sha256: engine.hash.digest() };
  } finally {
    await src.close();
  }
}

/**
 * `limit`, or less for an input of known size: room for all of it plus one byte (the EOF check),
 * and at least 4 KiB so that a file growing while read is not read in tiny pieces.
 */
function fitted(limit: number, src: ByteSource): number {
  if (src.sizeHint === undefined) return limit;
  return Math.min(limit, Math.max(4096, src.sizeHint + 1));
}

async function* literalOnly(src: ByteSource, maxLiteral: number): AsyncGenerator<DeltaOp> {
  const hash = createHash('sha256');
  let size = 0;
  for (;;) {
    const buf = Buffer.allocUnsafe(maxLiteral); // handed to the consumer, so never reused
    const n = await readFully(src, buf, 0, maxLiteral);
    if (n > 0) {
      const data = buf.subarray(0, n);
      hash.update(data);
      size += n;
      yield { kind: 'data', data };
    }
    if (n < maxLiteral) break;
  }
  yield { kind: 'end', size, sha256: hash.digest() };
}

/**
 * The matching loop, kept synchronous so the per-byte work never awaits. The window win[lit, end)
 * holds the pending literal [lit, pos), the candidate block [pos, pos+bs) and read-ahead.
 * Invariants: pos - lit ≤ maxLiteral; when `rolling`, (s1, s2) are the sums of win[pos, pos+bs)
 * and that window has been looked up without a match.
 */
class DeltaEngine {
  readonly ops: DeltaOp[] = [];
  readonly hash = createHash('sha256');
  size = 0;
  done = false;
  private readonly bs: number;
  private readonly win: Buffer;
  private lit = 0;
  private pos = 0;
  private end = 0;
  private eof = false;
  private rolling = false;
  private s1 = 0;
  private s2 = 0;
  private preferred = -1; // the block after the last match
  private runStart = -1;
  private runCount = 0;
  private readonly roll = new Int32Array(3); // pos, s1, s2 in and out of rollToCandidate

  constructor(
    private readonly index: BlockIndex,
    private readonly maxLiteral: number,
    private readonly readSize: number,
  ) {
    this.bs = index.sig.blockSize;
    this.win = Buffer.allocUnsafeSlow(maxLiteral + this.bs + readSize);
  }

  *takeOps(): Generator<DeltaOp> {
    const ops = this.ops.splice(0);
    yield* ops;
  }

  /** Moves the live window to the front and appends one read; end of input sets `eof`. */
  async fill(src: ByteSource): Promise<void> {
    if (this.lit > 0) {
      this.win.copyWithin(0, this.lit, this.end);
      this.pos -= this.lit;
      this.end -= this.lit;
      this.lit = 0;
    }
    const n = await src.read(this.win, this.end, Math.min(this.readSize, this.win.length - this.end));
    if (n === 0) {
      this.eof = true;
      return;
    }
    this.hash.update(this.win.subarray(this.end, this.end + n));
    this.end += n;
    this.size += n;
  }

  /** Consumes as much of the window as it can; returns when it needs input or is done. */
  step(): void {
    const { bs, win, index } = this;
    for (;;) {
      if (!this.rolling) {
        if (this.end - this.pos < bs) {
          if (this.eof) this.finish();
          return;
        }
        let digest: Buffer | null = null;
        const p = this.preferred;
        if (p >= 0 && p < index.fullBlocks) {
          // Unchanged data continues with the next block: one strong hash, no weak sum.
          digest = strongHash(win.subarray(this.pos, this.pos + bs));
          if (index.strongEquals(p, digest)) {
            this.match(p);
            continue;
          }
        }
        const w = weakChecksum(win, this.pos, this.pos + bs);
        this.s1 = w & 0xffff;
        this.s2 = w >>> 16;
        this.rolling = true;
        const k = index.find(w, win, this.pos, p, digest);
        if (k >= 0) {
          this.match(k);
          continue;
        }
      }
      if (this.pos - this.lit >= this.maxLiteral) this.flushLiteral(this.pos);
      const limit = Math.min(this.end - bs, this.lit + this.maxLiteral);
      let found = -1;
      if (index.fullBlocks === 0) {
        this.pos = Math.max(this.pos, limit); // nothing to find: skip the rolling
      } else {
        const roll = this.roll;
        roll[0] = this.pos;
        roll[1] = this.s1;
        roll[2] = this.s2;
        while (roll[0]! < limit) {
          if (!rollToCandidate(win, bs, limit, index.filter, index.filterShift, roll)) break;
          found = index.find(packWeak(roll[1]!, roll[2]!), win, roll[0]!, this.preferred);
          if (found >= 0) break;
        }
        this.pos = roll[0]!;
        this.s1 = roll[1]!;
        this.s2 = roll[2]!;
      }
      if (found >= 0) {
        this.match(found);
      } else if (this.pos + bs >= this.end) {
        if (this.eof) this.finish();
        return;
      }
    }
  }

  private match(k: number): void {
    this.flushLiteral(this.pos);
    if (this.runCount > 0 && this.runStart + this.runCount === k) {
      this.runCount++;
    } else {
      this.flushRun();
      this.runStart = k;
      this.runCount = 1;
    }
    this.pos += this.bs;
    this.lit = this.pos;
    this.rolling = false;
    this.preferred = k + 1;
  }

  /** Emits win[lit, to) as data ops (after any pending copy run, to keep the order). */
  private flushLiteral(to: number): void {
    if (to <= this.lit) return;
    this.flushRun();
    for (let a = this.lit; a < to; a += this.maxLiteral) {
      this.ops.push({
        kind: 'data',
        data: Buffer.from(this.win.subarray(a, Math.min(a + this.maxLiteral, to))),
      });
    }
    this.lit = to;
  }

  private flushRun(): void {
    if (this.runCount === 0) return;
    this.ops.push({ kind: 'copy', block: this.runStart, count: this.runCount });
    this.runCount = 0;
  }

  /** End of input: the basis's short last block can only match the input's last bytes. */
  private finish(): void {
    const { index, win, end } = this;
    const sig = index.sig;
    const lastLen = sig.fileSize % sig.blockSize;
    const t = end - lastLen;
    if (lastLen > 0 && t >= this.pos) {
      const last = sig.weak.length - 1;
      if (
        weakChecksum(win, t, end) === sig.weak[last] &&
        index.strongEquals(last, strongHash(win.subarray(t, end)))
      ) {
        this.pos = t;
        this.match(last);
        this.lit = this.pos = end; // match() stepped a whole block; the short block ends here
      }
    }
    this.flushLiteral(end);
    this.flushRun();
    this.done = true;
  }
}

/**
 * The per-byte loop, alone in a small function so that V8 optimizes it as a whole: rolls the
 * window [pos, pos+bs) forward one byte at a time until its weak checksum hits the index's bit
 * filter (returns true, state at the candidate) or pos reaches `limit` (returns false).
 * `state` is [pos, s1, s2]; limit ≤ end - bs keeps the incoming byte inside the window buffer.
 */
function rollToCandidate(
  win: Uint8Array,
  bs: number,
  limit: number,
  filter: Uint8Array,
  fshift: number,
  state: Int32Array,
): boolean {
  let pos = state[0]!;
  let s1 = state[1]!;
  let s2 = state[2]!;
  const m = bs & 0xffff;
  let hit = false;
  while (pos < limit) {
    const out = win[pos]!;
    s1 = (s1 - out + win[pos + bs]!) & 0xffff;
    s2 = (s2 - m * out + s1) & 0xffff;
    pos++;
    const f = Math.imul((s2 << 16) | s1, GOLDEN) >>> fshift;
    if ((filter[f >>> 3]! & (1 << (f & 7))) !== 0) {
      hit = true;
      break;
    }
  }
  state[0] = pos;
  state[1] = s1;
  state[2] = s2;
  return hit;
}
