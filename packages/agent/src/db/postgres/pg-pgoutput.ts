// Decodes pgoutput (protocol version 1) messages into what the reader needs: per committed
// transaction its xid, its end LSN, the primary keys it touched (the text form of each key value)
// and the rows as the change left them, each value in the Value form the adapter's sessions give
// (pg-connection.ts: the walsender session runs with the same fixed output settings, so the text
// forms are the same). A row the message does not carry whole (an unchanged TOASTed value, 'u')
// is not kept: the reader then reads the current row, as with triggers.
import type { Value } from '../batch';

const OID_BOOL = 16;
const OID_BYTEA = 17;

/** A relation as the last Relation message described it. */
interface Relation {
  table: string;
  columns: string[];
  types: number[];
}

export interface LogicalChange {
  table: string;
  /** 'K': the row with this key changed (insert, update, delete); 'T': the table was truncated. */
  op: 'K' | 'T';
  /** JSON array of the key's text values (null for 'T'). */
  pk: string | null;
  /** The key's values. */
  key?: Value[];
  /**
   * The row after this change, in `columns` order: values (insert, update), null (the row with
   * this key is gone: a delete, or an update that changed the key), undefined (not carried whole).
   */
  row?: Value[] | null;
  /** The relation's columns when the change was made (the names of `row`'s values). */
  columns?: readonly string[];
}

export interface LogicalTxn {
  xid: number;
  /** End LSN of the commit record: the position after this transaction. */
  end: bigint;
  changes: LogicalChange[];
  /** Text bytes of the rows kept (the capture's memory bound). */
  bytes: number;
}

export function parseLsn(text: string): bigint {
  const m = /^([0-9A-F]+)\/([0-9A-F]+)$/i.exec(text);
  if (!m) throw new RangeError(`not an LSN: ${text}`);
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

class Reader {
  pos = 0;
  constructor(private readonly b: Buffer) {}
  u8(): number {
    return this.b.readUInt8(this.pos++);
  }
  i16(): number {
    const v = this.b.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  i32(): number {
    const v = this.b.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  u64(): bigint {
    const v = this.b.readBigUInt64BE(this.pos);
    this.pos += 8;
    return v;
  }
  cstr(): string {
    const end = this.b.indexOf(0, this.pos);
    const s = this.b.toString('utf8', this.pos, end);
    this.pos = end + 1;
    return s;
  }
  bytes(n: number): Buffer {
    const v = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
}

/**
 * Keeps the relations and the transaction being decoded; `message` returns a transaction when its
 * Commit arrives. `keyColumns(table)` names the key columns the reader uses (the table's primary
 * key as install() recorded it), so the replica identity's own choice does not matter.
 */
export class PgoutputDecoder {
  private readonly relations = new Map<number, Relation>();
  private txn: LogicalTxn | null = null;

  /** `keepValues(bytes)`: whether the capture's memory bound lets the transaction keep `bytes` of rows. */
  constructor(
    private readonly keyColumns: (table: string) => string[] | undefined,
    private readonly keepValues: (bytes: number) => boolean = () => true,
  ) {}

  message(buf: Buffer): LogicalTxn | null {
    const r = new Reader(buf);
    const tag = String.fromCharCode(r.u8());
    switch (tag) {
      case 'B': {
        r.u64(); // final LSN
        r.u64(); // commit time
        this.txn = { xid: r.i32() >>> 0, end: 0n, changes: [], bytes: 0 };
        return null;
      }
      case 'C': {
        r.u8();
        r.u64(); // commit LSN
        const txn = this.txn;
        this.txn = null;
        if (!txn) return null;
        txn.end = r.u64();
        return txn;
      }
      case 'R': {
        const id = r.i32();
        const schema = r.cstr();
        const name = r.cstr();
        r.u8(); // replica identity
        const n = r.i16();
        const columns: string[] = [];
        const types: number[] = [];
        for (let i = 0; i < n; i++) {
          r.u8();
          columns.push(r.cstr());
          types.push(r.i32() >>> 0);
          r.i32();
        }
        this.relations.set(id, { table: `${schema || 'pg_catalog'}.${name}`, columns, types });
        return null;
      }
      case 'I':
      case 'U':
      case 'D': {
        const rel = this.relations.get(r.i32());
        if (!rel || !this.txn) return null;
        // U: an optional old key/row ('K'/'O') precedes the new row ('N'); D: only the old one.
        // The old one's key no longer exists unless the new row has it again (collapsed later).
        for (;;) {
          if (r.pos >= buf.length) break;
          const kind = String.fromCharCode(r.u8());
          this.push(rel, this.tuple(r, rel), kind === 'N');
          if (kind === 'N') break;
        }
        return null;
      }
      case 'T': {
        const n = r.i32();
        r.u8();
        for (let i = 0; i < n; i++) {
          const rel = this.relations.get(r.i32());
          if (rel && this.txn) this.txn.changes.push({ table: rel.table, op: 'T', pk: null });
        }
        return null;
      }
      default:
        return null; // Origin, Type, Message: nothing to capture
    }
  }

  private tuple(r: Reader, rel: Relation): { text: (string | null)[]; whole: boolean } {
    const n = r.i16();
    const text: (string | null)[] = [];
    let whole = n === rel.columns.length;
    for (let i = 0; i < n; i++) {
      const kind = String.fromCharCode(r.u8());
      // 'n' null, 'u' unchanged TOAST value (never a changed key), 't' text, 'b' binary.
      if (kind === 't' || kind === 'b') text.push(r.bytes(r.i32()).toString('utf8'));
      else text.push(null);
      if (kind === 'u' || kind === 'b') whole = false;
    }
    return { text, whole };
  }

  private push(rel: Relation, tuple: { text: (string | null)[]; whole: boolean }, isNew: boolean): void {
    const keys = this.keyColumns(rel.table);
    if (!keys || !keys.length) return; // not a tracked table
    const at = keys.map((k) => rel.columns.indexOf(k));
    const text = at.map((i) => (i < 0 ? null : tuple.text[i]));
    if (text.some((v) => v === null || v === undefined)) return; // a key left out: unchanged
    const txn = this.txn!;
    const value = (v: string | null, i: number): Value =>
      v === null
        ? null
        : rel.types[i] === OID_BOOL
          ? v === 't'
          : rel.types[i] === OID_BYTEA
            ? Buffer.from(v.slice(2), 'hex')
            : v;
    let row: Value[] | null | undefined = null;
    if (isNew) {
      const bytes = tuple.text.reduce((n, v) => n + (v?.length ?? 0), 0);
      row = tuple.whole && this.keepValues(txn.bytes + bytes) ? tuple.text.map(value) : undefined;
      if (row) txn.bytes += bytes;
    }
    txn.changes.push({
      table: rel.table,
      op: 'K',
      pk: JSON.stringify(text),
      key: at.map((i) => value(tuple.text[i]!, i)),
      row,
      columns: rel.columns,
    });
  }
}
