// Wire form of a Batch (the Link's `bytes payload`). A length-prefixed binary encoding: values are
// tagged, strings and binaries carry a varint length, so large values are copied once and nothing
// is escaped. Measured against JSON (base64 for binaries) in codec.test.ts: 0.83× the size of JSON
// for typical text rows (1000 rows: 131 kB vs 158 kB), 0.75× for binary rows, and no base64 or
// escaping cost. The link sends it as `bytes payload`; network.maxReplicaSizeKiB bounds it.
//
// Layout: "SSB" 0x01 | kind u8 | complete u8 | from str | to str | nSeq varint (name str, value str)*
//         | nTables varint ( table str | nCols varint col str* | nPk varint pk str* | flags u8
//         | [copy: nRows varint | data bytes] | nUpserts varint (value × nCols)* | nDeletes varint (value × nPk)* )*
// flags: 1 truncate, 2 COPY text lines follow (PostgreSQL snapshots, batch.ts `copy`).
import { SpareSyncError } from '@sparesync/common';
import type { Batch, TableChanges, Value } from './batch';
import type { BufferPool } from './buffer-pool';

const MAGIC = [0x53, 0x53, 0x42, 0x01];
const enum Tag {
  Null = 0,
  False = 1,
  True = 2,
  Text = 3,
  Bytes = 4,
  Int64 = 5,
  Float64 = 6,
  BigText = 7,
}
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

function strSize(s: string): number {
  const n = Buffer.byteLength(s, 'utf8');
  return varintSize(n) + n;
}

/** Exact number of bytes `value` takes in the encoding. */
export function valueSize(v: Value): number {
  if (v === null || typeof v === 'boolean') return 1;
  if (typeof v === 'string') return 1 + strSize(v);
  if (typeof v === 'number') return 9;
  if (typeof v === 'bigint') return v >= INT64_MIN && v <= INT64_MAX ? 9 : 1 + strSize(v.toString());
  return 1 + varintSize(v.byteLength) + v.byteLength;
}

export function rowSize(row: readonly Value[]): number {
  let n = 0;
  for (const v of row) n += valueSize(v);
  return n;
}

/** Bytes a table section takes before its rows (also what a new table costs a batch). */
export function tableHeaderSize(t: Pick<TableChanges, 'table' | 'columns' | 'pkColumns'>): number {
  return (
    strSize(t.table) +
    varintSize(t.columns.length) +
    t.columns.reduce((n, c) => n + strSize(c), 0) +
    varintSize(t.pkColumns.length) +
    t.pkColumns.reduce((n, c) => n + strSize(c), 0) +
    1 +
    10 // two row-count varints, generously
  );
}

class Writer {
  private buf: Buffer;
  private pos: number;

  /** `head`: bytes left free before the encoding (done() starts after them). */
  constructor(
    size = 4096,
    pool?: BufferPool,
    private readonly head = 0,
  ) {
    this.buf = pool ? pool.take(size + head) : Buffer.allocUnsafe(size + head);
    this.pos = head;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  u8(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }
  varint(n: number): void {
    this.ensure(10);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.pos++] = n;
  }
  bytes(b: Uint8Array): void {
    this.varint(b.byteLength);
    this.ensure(b.byteLength);
    this.buf.set(b, this.pos);
    this.pos += b.byteLength;
  }
  str(s: string): void {
    const n = Buffer.byteLength(s, 'utf8');
    this.varint(n);
    this.ensure(n);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }
  value(v: Value): void {
    if (v === null) return this.u8(Tag.Null);
    if (v === false) return this.u8(Tag.False);
    if (v === true) return this.u8(Tag.True);
    if (typeof v === 'string') {
      this.u8(Tag.Text);
      return this.str(v);
    }
    if (typeof v === 'number') {
      this.u8(Tag.Float64);
      this.ensure(8);
      this.pos = this.buf.writeDoubleLE(v, this.pos);
      return;
    }
    if (typeof v === 'bigint') {
      if (v < INT64_MIN || v > INT64_MAX) {
        this.u8(Tag.BigText);
        return this.str(v.toString());
      }
      this.u8(Tag.Int64);
      this.ensure(8);
      this.pos = this.buf.writeBigInt64LE(v, this.pos);
      return;
    }
    this.u8(Tag.Bytes);
    this.bytes(v);
  }
  done(): Buffer {
    return this.buf.subarray(this.head, this.pos);
  }
}

class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw invalid('truncated');
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }
  varint(): number {
    let n = 0;
    let mul = 1;
    for (;;) {
      const b = this.u8();
      n += (b & 0x7f) * mul;
      if (b < 0x80) return n;
      mul *= 128;
      if (mul > 2 ** 49) throw invalid('varint too long');
    }
  }
  raw(n: number): Buffer {
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  str(): string {
    return this.raw(this.varint()).toString('utf8');
  }
  value(): Value {
    const tag = this.u8();
    switch (tag) {
      case Tag.Null:
        return null;
      case Tag.False:
        return false;
      case Tag.True:
        return true;
      case Tag.Text:
        return this.str();
      case Tag.Bytes:
        // A copy, so the decoded batch does not pin the whole payload in memory.
        return Buffer.from(this.raw(this.varint()));
      case Tag.Int64:
        return this.raw(8).readBigInt64LE(0);
      case Tag.Float64:
        return this.raw(8).readDoubleLE(0);
      case Tag.BigText:
        return BigInt(this.str());
      default:
        throw invalid(`unknown value tag ${tag}`);
    }
  }
  /** Counts come from the wire: bound them by the bytes left so a bad count cannot allocate wildly. */
  count(minBytesEach: number): number {
    const n = this.varint();
    if (n * minBytesEach > this.buf.length - this.pos) throw invalid('count exceeds payload');
    return n;
  }
  end(): void {
    if (this.pos !== this.buf.length) throw invalid('trailing bytes');
  }
}

function invalid(why: string): SpareSyncError {
  return new SpareSyncError('DbBatchInvalid', `Row batch payload is malformed: ${why}`);
}

/**
 * `pool`: the buffer comes from it (give it back once the payload is sent; buffer-pool.ts).
 * `head`: that many bytes before the returned view are left free in its buffer (row-frames.ts).
 */
export function encodeBatch(batch: Batch, maxBytes = Infinity, pool?: BufferPool, head = 0): Buffer {
  // Room for the COPY lines up front: growing past a snapshot chunk's lines would copy them again.
  const copyBytes = batch.tables.reduce((n, t) => n + (t.copy?.data.byteLength ?? 0), 0);
  const w = new Writer(4096 + copyBytes, pool, head);
  for (const b of MAGIC) w.u8(b);
  w.u8(batch.kind === 'changes' ? 0 : 1);
  w.u8(batch.complete ? 1 : 0);
  w.str(batch.from);
  w.str(batch.to);
  const seqs = Object.entries(batch.sequences);
  w.varint(seqs.length);
  for (const [name, value] of seqs) {
    w.str(name);
    w.str(value);
  }
  w.varint(batch.tables.length);
  for (const t of batch.tables) {
    w.str(t.table);
    w.varint(t.columns.length);
    t.columns.forEach((c) => w.str(c));
    w.varint(t.pkColumns.length);
    t.pkColumns.forEach((c) => w.str(c));
    w.u8((t.truncate ? 1 : 0) | (t.copy ? 2 : 0));
    if (t.copy) {
      w.varint(t.copy.rows);
      w.bytes(t.copy.data);
    }
    w.varint(t.upserts.length);
    for (const row of t.upserts) {
      if (row.length !== t.columns.length)
        throw invalid(`${t.table}: row has ${row.length} values for ${t.columns.length} columns`);
      row.forEach((v) => w.value(v));
    }
    w.varint(t.deletes.length);
    for (const key of t.deletes) {
      if (key.length !== t.pkColumns.length) throw invalid(`${t.table}: key has ${key.length} values`);
      key.forEach((v) => w.value(v));
    }
  }
  const out = w.done();
  if (out.length > maxBytes) {
    throw new SpareSyncError(
      'DbBatchInvalid',
      `Row batch of ${out.length} bytes exceeds the limit of ${maxBytes} bytes`,
    );
  }
  return out;
}

export function decodeBatch(payload: Buffer, maxBytes = Infinity): Batch {
  if (payload.length > maxBytes) {
    throw new SpareSyncError(
      'DbBatchInvalid',
      `Row batch of ${payload.length} bytes exceeds the limit of ${maxBytes} bytes`,
    );
  }
  const r = new Reader(payload);
  for (const b of MAGIC) if (r.u8() !== b) throw invalid('not a SpareSync row batch (bad magic or version)');
  const kind = r.u8() === 0 ? 'changes' : 'snapshot';
  const complete = r.u8() === 1;
  const from = r.str();
  const to = r.str();
  const sequences: Record<string, string> = {};
  for (let i = r.count(2); i > 0; i--) sequences[r.str()] = r.str();
  const tables: TableChanges[] = [];
  for (let i = r.count(4); i > 0; i--) {
    const table = r.str();
    const columns = Array.from({ length: r.count(1) }, () => r.str());
    const pkColumns = Array.from({ length: r.count(1) }, () => r.str());
    const flags = r.u8();
    if (flags > 3) throw invalid(`unknown table flags ${flags}`);
    const truncate = (flags & 1) === 1;
    // The lines stay a view of the payload: they go to COPY FROM as they are.
    const copy = flags & 2 ? { rows: r.varint(), data: r.raw(r.varint()) } : undefined;
    const upserts = Array.from({ length: r.count(columns.length) }, () => columns.map(() => r.value()));
    const deletes = Array.from({ length: r.count(pkColumns.length) }, () => pkColumns.map(() => r.value()));
    tables.push({ table, columns, pkColumns, truncate, upserts, deletes, ...(copy ? { copy } : {}) });
  }
  r.end();
  return { kind, from, to, complete, tables, sequences };
}

/** The JSON alternative, kept for the size comparison and for debugging output. */
export function batchToJson(batch: Batch): string {
  return JSON.stringify(batch, (_k, v: unknown) => {
    if (typeof v === 'bigint') return { $i: v.toString() };
    if (
      v instanceof Uint8Array ||
      (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer')
    ) {
      return {
        $b: Buffer.from(v instanceof Uint8Array ? v : (v as { data: number[] }).data).toString('base64'),
      };
    }
    if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)))
      return { $f: Object.is(v, -0) ? '-0' : String(v) };
    return v;
  });
}

/** The encoding of a bare list of values (row checksums use it, so equal rows hash equally). */
export function encodeValues(values: readonly Value[]): Buffer {
  const w = new Writer();
  w.varint(values.length);
  values.forEach((v) => w.value(v));
  return w.done();
}
