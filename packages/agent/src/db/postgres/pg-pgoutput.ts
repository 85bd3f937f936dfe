// Decodes pgoutput (protocol version 1) messages into what the reader needs: per committed
// transaction its xid, its end LSN and the primary keys it touched, as the text form of each key
// value (the walsender session runs with the adapter's fixed output settings, pg-connection.ts).
// Values other than keys are not decoded: the reader reads current rows, as with triggers.

/** A relation as the last Relation message described it. */
interface Relation {
  table: string;
  columns: string[];
}

export interface LogicalChange {
  table: string;
  /** 'K': the row with this key changed (insert, update, delete); 'T': the table was truncated. */
  op: 'K' | 'T';
  /** JSON array of the key's text values (null for 'T'). */
  pk: string | null;
}

export interface LogicalTxn {
  xid: number;
  /** End LSN of the commit record: the position after this transaction. */
  end: bigint;
  changes: LogicalChange[];
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

  constructor(private readonly keyColumns: (table: string) => string[] | undefined) {}

  message(buf: Buffer): LogicalTxn | null {
    const r = new Reader(buf);
    const tag = String.fromCharCode(r.u8());
    switch (tag) {
      case 'B': {
        r.u64(); // final LSN
        r.u64(); // commit time
        this.txn = { xid: r.i32() >>> 0, end: 0n, changes: [] };
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
        for (let i = 0; i < n; i++) {
          r.u8();
          columns.push(r.cstr());
          r.i32();
          r.i32();
        }
        this.relations.set(id, { table: `${schema || 'pg_catalog'}.${name}`, columns });
        return null;
      }
      case 'I':
      case 'U':
      case 'D': {
        const rel = this.relations.get(r.i32());
        if (!rel || !this.txn) return null;
        // U: an optional old key/row ('K'/'O') precedes the new row ('N'); D: only the old one.
        for (;;) {
          if (r.pos >= buf.length) break;
          const kind = String.fromCharCode(r.u8());
          this.push(rel, this.tuple(r, rel));
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

  private tuple(r: Reader, rel: Relation): Map<string, string | null> {
    const n = r.i16();
    const out = new Map<string, string | null>();
    for (let i = 0; i < n; i++) {
      const kind = String.fromCharCode(r.u8());
      // 'n' null, 'u' unchanged TOAST value (never a changed key), 't' text, 'b' binary.
      if (kind === 't' || kind === 'b') out.set(rel.columns[i]!, r.bytes(r.i32()).toString('utf8'));
      else out.set(rel.columns[i]!, null);
    }
    return out;
  }

  private push(rel: Relation, tuple: Map<string, string | null>): void {
    const keys = this.keyColumns(rel.table);
    if (!keys || !keys.length) return; // not a tracked table
    const values = keys.map((k) => tuple.get(k));
    if (values.some((v) => v === null || v === undefined)) return; // a key left out: unchanged
    this.txn!.changes.push({ table: rel.table, op: 'K', pk: JSON.stringify(values) });
  }
}
