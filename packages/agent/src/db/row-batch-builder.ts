// Collects changed rows into a Batch. Several changes of one row collapse into one entry holding
// the row's final state (or its deletion); the entry moves to the end so rows stay ordered by their
// last change, which keeps unique-constraint swaps applying in a workable order.
import type { TableInfo } from './adapter';
import type { Batch, Position, TableChanges, Value } from './batch';
import { rowSize, tableHeaderSize } from './codec';

interface Entry {
  row: Value[] | null;
  pk: Value[];
  size: number;
}

interface TableAcc {
  info: TableInfo;
  truncate: boolean;
  entries: Map<string, Entry>;
  /** Rows added with append(): each row once, nothing to collapse (snapshots). */
  appended: Value[][];
}

const BATCH_HEADER = 64;

const headerSize = (info: TableInfo) =>
  tableHeaderSize({ table: info.name, columns: info.columns.map((c) => c.name), pkColumns: info.pkColumns });

export class RowBatchBuilder {
  private readonly tables = new Map<string, TableAcc>();
  private bytes = BATCH_HEADER;

  constructor(
    private readonly kind: Batch['kind'],
    private readonly from: Position,
  ) {}

  /** Encoded size so far (exact for rows, a small overestimate for headers). */
  get size(): number {
    return this.bytes;
  }

  get rowCount(): number {
    let n = 0;
    for (const t of this.tables.values()) n += t.entries.size + t.appended.length;
    return n;
  }

  /** Upper bound of what put() would add (collapsing with an existing entry only makes it smaller). */
  cost(info: TableInfo, values: Value[]): number {
    return rowSize(values) + (this.tables.has(info.name) ? 0 : headerSize(info));
  }

  /** True when `extra` more bytes would pass `maxBytes`; an empty builder always takes one entry. */
  full(extra: number, maxBytes: number): boolean {
    return this.rowCount > 0 && this.bytes + extra > maxBytes;
  }

  private table(info: TableInfo): TableAcc {
    let acc = this.tables.get(info.name);
    if (!acc) {
      acc = { info, truncate: false, entries: new Map(), appended: [] };
      this.tables.set(info.name, acc);
      this.bytes += tableHeaderSize({
        table: info.name,
        columns: info.columns.map((c) => c.name),
        pkColumns: info.pkColumns,
      });
    }
    return acc;
  }

  /** Records the final state of one row: `row` (all columns) or null when it no longer exists. */
  put(info: TableInfo, key: string, pk: Value[], row: Value[] | null): void {
    const acc = this.table(info);
    const old = acc.entries.get(key);
    if (old) {
      this.bytes -= old.size;
      acc.entries.delete(key);
    }
    const size = row ? rowSize(row) : rowSize(pk);
    acc.entries.set(key, { row, pk, size });
    this.bytes += size;
  }

  /** Adds a row that is known to occur once (a snapshot reads each row once); `size` is rowSize(row). */
  append(info: TableInfo, row: Value[], size = rowSize(row)): void {
    this.table(info).appended.push(row);
    this.bytes += size;
  }

  /** The table was emptied: rows recorded before no longer matter. */
  truncate(info: TableInfo): void {
    const acc = this.table(info);
    for (const e of acc.entries.values()) this.bytes -= e.size;
    for (const row of acc.appended) this.bytes -= rowSize(row);
    acc.entries.clear();
    acc.appended = [];
    acc.truncate = true;
  }

  build(to: Position, complete: boolean, sequences: Record<string, string> = {}): Batch {
    const tables: TableChanges[] = [];
    for (const acc of this.tables.values()) {
      const upserts: Value[][] = [];
      const deletes: Value[][] = [];
      for (const e of acc.entries.values()) (e.row ? upserts : deletes).push(e.row ?? e.pk);
      for (const row of acc.appended) upserts.push(row);
      tables.push({
        table: acc.info.name,
        columns: acc.info.columns.map((c) => c.name),
        pkColumns: acc.info.pkColumns,
        truncate: acc.truncate,
        upserts,
        deletes,
      });
    }
    return { kind: this.kind, from: this.from, to, complete, tables, sequences };
  }
}
