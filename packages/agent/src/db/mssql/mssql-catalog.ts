// What the SQL Server catalog tells the adapter: user tables with columns (computed and rowversion
// columns left out), keys, identity columns, and the identity values that travel with batches.
import type * as sql from 'mssql';
import type { TableInfo } from '../adapter';
import * as q from './mssql-sql';

// Loaded on first use: mssql pulls in ESM-only Azure packages that jest cannot load, and only
// SQL Server sites need it.
let driver: typeof sql | null = null;
export const mssql = (): typeof sql => (driver ??= require('mssql') as typeof sql);

export interface MsTable extends TableInfo {
  cols: q.MsColumn[];
  pk: q.MsColumn[];
  identity: boolean;
}

export async function discoverTables(
  t: sql.Transaction | sql.ConnectionPool,
  matches: (name: string) => boolean,
): Promise<MsTable[]> {
  const res = await t.request().query<{ name: string; cols: string; pk: string | null }>(`
    SELECT s.name + '.' + o.name AS name,
      (SELECT c.name, ty.name AS type, c.max_length AS len, c.precision AS prec, c.scale AS scale, c.is_identity AS ident
         FROM sys.columns c JOIN sys.types ty ON ty.user_type_id = c.user_type_id
        WHERE c.object_id = o.object_id AND c.is_computed = 0 AND ty.name NOT IN ('timestamp', 'rowversion')
        ORDER BY c.column_id FOR JSON PATH) AS cols,
      (SELECT c.name FROM sys.indexes i JOIN sys.index_columns ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id
         JOIN sys.columns c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
        WHERE i.object_id = o.object_id AND i.is_primary_key = 1 ORDER BY ic.key_ordinal FOR JSON PATH) AS pk
    FROM sys.objects o JOIN sys.schemas s ON s.schema_id = o.schema_id
    WHERE o.type = 'U' AND o.is_ms_shipped = 0 AND s.name <> 'sparesync' ORDER BY 1`);
  return res.recordset
    .filter((r) => matches(r.name))
    .map((r) => {
      const raw = JSON.parse(r.cols) as {
        name: string;
        type: string;
        len: number;
        prec: number;
        scale: number;
        ident: boolean;
      }[];
      const cols = raw.map((c) => ({ name: c.name, type: q.fullType(c.type, c.len, c.prec, c.scale) }));
      const pkNames = r.pk ? (JSON.parse(r.pk) as { name: string }[]).map((c) => c.name) : [];
      return {
        name: r.name,
        columns: cols,
        pkColumns: pkNames,
        cols,
        pk: pkNames.map((n) => cols.find((c) => c.name === n)!),
        identity: raw.some((c) => c.ident),
      };
    });
}

export async function identities(t: sql.Transaction, tables: MsTable[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const x of tables.filter((y) => y.identity)) {
    const v = (
      await t
        .request()
        .input('t', q.qname(x.name))
        .query<{ v: string | null }>('SELECT CAST(IDENT_CURRENT(@t) AS varchar(40)) AS v')
    ).recordset[0]!.v;
    if (v !== null) out[x.name] = v;
  }
  return out;
}
