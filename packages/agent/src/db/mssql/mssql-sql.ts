// SQL Server change capture with Change Tracking, written against Microsoft's documented behaviour
// ("Work with change tracking", CHANGETABLE, CHANGE_TRACKING_CURRENT_VERSION,
// CHANGE_TRACKING_MIN_VALID_VERSION, WITH CHANGE_TRACKING_CONTEXT). Pure functions: the SQL they
// generate is unit-tested in mssql-sql.test.ts; a live server is exercised only when
// SPARESYNC_TEST_MSSQL is set.
//
// Positions are Change Tracking versions. A version is assigned when a transaction commits, so
// reading "versions ≤ CHANGE_TRACKING_CURRENT_VERSION() under snapshot isolation" cannot skip a
// transaction that commits later (that one gets a higher version).

export const CONTEXT = '0x737061726573796e63'; // "sparesync": marks rows written by apply, never read back

export interface MsColumn {
  name: string;
  /** Full type as declared, e.g. nvarchar(50), decimal(38,10), datetime2(7). */
  type: string;
}

export function bq(name: string): string {
  return `[${name.replace(/]/g, ']]')}]`;
}

/** "schema.table" → [schema].[table]. */
export function qname(name: string): string {
  const dot = name.indexOf('.');
  return `${bq(name.slice(0, dot))}.${bq(name.slice(dot + 1))}`;
}

export function nlit(s: string): string {
  return `N'${s.replace(/'/g, "''")}'`;
}

/** Full type from sys.columns / sys.types (max_length is in bytes: n-types halve it, -1 is max). */
export function fullType(type: string, maxLength: number, precision: number, scale: number): string {
  const t = type.toLowerCase();
  if (['varchar', 'char', 'varbinary', 'binary'].includes(t))
    return `${t}(${maxLength === -1 ? 'max' : maxLength})`;
  if (['nvarchar', 'nchar'].includes(t)) return `${t}(${maxLength === -1 ? 'max' : maxLength / 2})`;
  if (['decimal', 'numeric'].includes(t)) return `${t}(${precision},${scale})`;
  if (['datetime2', 'datetimeoffset', 'time'].includes(t)) return `${t}(${scale})`;
  return t;
}

const DATE_TYPES = /^(date|datetime|datetime2|smalldatetime|time)\b/;

/**
 * How a column is read so that its value survives exactly: binaries and bit stay typed (Buffer,
 * boolean); dates as ISO 8601 text (style 126/127 keeps every fractional digit); floats with style 3
 * (17 significant digits, exact); money with style 2 (4 decimals); everything else as its text.
 */
export function readExpr(alias: string, c: MsColumn): string {
  const ref = `${alias}.${bq(c.name)}`;
  const t = c.type.toLowerCase();
  if (/^(binary|varbinary|image|bit)\b/.test(t)) return ref;
  if (t.startsWith('datetimeoffset')) return `CONVERT(nvarchar(40), ${ref}, 127)`;
  if (DATE_TYPES.test(t)) return `CONVERT(nvarchar(40), ${ref}, 126)`;
  if (t === 'float' || t === 'real') return `CONVERT(varchar(40), ${ref}, 3)`;
  if (t === 'money' || t === 'smallmoney') return `CONVERT(varchar(40), ${ref}, 2)`;
  return `CONVERT(nvarchar(max), ${ref})`;
}

/** The inverse of readExpr for a parameter. */
export function writeExpr(param: string, c: MsColumn): string {
  const t = c.type.toLowerCase();
  if (/^(binary|varbinary|image|bit)\b/.test(t)) return param;
  if (t.startsWith('datetimeoffset')) return `CONVERT(${c.type}, ${param}, 127)`;
  if (DATE_TYPES.test(t)) return `CONVERT(${c.type}, ${param}, 126)`;
  return `CAST(${param} AS ${c.type})`;
}

export function enableDatabaseSql(retentionDays: number): string[] {
  return [
    `IF NOT EXISTS (SELECT 1 FROM sys.change_tracking_databases WHERE database_id = DB_ID())
       ALTER DATABASE CURRENT SET CHANGE_TRACKING = ON (CHANGE_RETENTION = ${retentionDays} DAYS, AUTO_CLEANUP = ON)`,
    // Reads of changes and snapshots run under SNAPSHOT isolation, as Microsoft recommends.
    `IF (SELECT snapshot_isolation_state FROM sys.databases WHERE database_id = DB_ID()) = 0
       ALTER DATABASE CURRENT SET ALLOW_SNAPSHOT_ISOLATION ON`,
    `IF SCHEMA_ID('sparesync') IS NULL EXEC('CREATE SCHEMA sparesync')`,
    `IF OBJECT_ID('sparesync.state') IS NULL
       CREATE TABLE sparesync.state ([key] nvarchar(100) PRIMARY KEY, value nvarchar(max) NOT NULL)`,
    `IF OBJECT_ID('sparesync.tables') IS NULL
       CREATE TABLE sparesync.tables (name nvarchar(300) PRIMARY KEY, signature nvarchar(max) NOT NULL)`,
  ];
}

export function enableTableSql(table: string): string {
  return `IF NOT EXISTS (SELECT 1 FROM sys.change_tracking_tables WHERE object_id = OBJECT_ID(${nlit(qname(table))}))
  ALTER TABLE ${qname(table)} ENABLE CHANGE_TRACKING WITH (TRACK_COLUMNS_UPDATED = OFF)`;
}

export function disableTableSql(table: string): string {
  return `IF EXISTS (SELECT 1 FROM sys.change_tracking_tables WHERE object_id = OBJECT_ID(${nlit(qname(table))}))
  ALTER TABLE ${qname(table)} DISABLE CHANGE_TRACKING`;
}

export function minValidVersionSql(table: string): string {
  return `SELECT CHANGE_TRACKING_MIN_VALID_VERSION(OBJECT_ID(${nlit(qname(table))})) AS v`;
}

/**
 * Net changes of one table in (@from, @to], one row per key (CHANGETABLE already collapses them),
 * joined to the current row: found = 0 means the row is gone (a delete). Rows written by apply on
 * this server carry our context and are skipped.
 */
export function changesSql(table: string, columns: MsColumn[], pk: MsColumn[], top?: number): string {
  const join = pk.map((c) => `T.${bq(c.name)} = CT.${bq(c.name)}`).join(' AND ');
  return (
    `SELECT${top ? ` TOP (${top})` : ''} CT.SYS_CHANGE_VERSION AS __v, ` +
    `CASE WHEN T.${bq(pk[0]!.name)} IS NULL THEN 0 ELSE 1 END AS __found, ` +
    `${pk.map((c) => readExpr('CT', c)).join(', ')}, ${columns.map((c) => readExpr('T', c)).join(', ')} ` +
    `FROM CHANGETABLE(CHANGES ${qname(table)}, @from) AS CT LEFT JOIN ${qname(table)} AS T ON ${join} ` +
    `WHERE CT.SYS_CHANGE_VERSION <= @to AND (CT.SYS_CHANGE_CONTEXT IS NULL OR CT.SYS_CHANGE_CONTEXT <> ${CONTEXT}) ` +
    `ORDER BY CT.SYS_CHANGE_VERSION`
  );
}

export function snapshotPageSql(table: string, columns: MsColumn[], pk: string[]): string {
  return (
    `SELECT ${columns.map((c) => readExpr('T', c)).join(', ')} FROM ${qname(table)} AS T ` +
    `ORDER BY ${pk.map((c) => `T.${bq(c)}`).join(', ')} OFFSET @offset ROWS FETCH NEXT @page ROWS ONLY`
  );
}

const params = (cols: MsColumn[], rows: number, prefix: string) =>
  Array.from(
    { length: rows },
    (_, r) => `(${cols.map((c, i) => writeExpr(`@${prefix}${r}_${i}`, c)).join(', ')})`,
  ).join(', ');

/** MERGE of `rows` rows; parameters are @u{row}_{column}. */
export function mergeSql(
  table: string,
  columns: MsColumn[],
  pk: string[],
  rows: number,
  identity: boolean,
): string {
  const names = columns.map((c) => bq(c.name));
  const on = pk.map((c) => `T.${bq(c)} = S.${bq(c)}`).join(' AND ');
  const set = columns.filter((c) => !pk.includes(c.name)).map((c) => `T.${bq(c.name)} = S.${bq(c.name)}`);
  const merge =
    `WITH CHANGE_TRACKING_CONTEXT (${CONTEXT}) MERGE ${qname(table)} AS T ` +
    `USING (VALUES ${params(columns, rows, 'u')}) AS S (${names.join(', ')}) ON ${on} ` +
    (set.length ? `WHEN MATCHED THEN UPDATE SET ${set.join(', ')} ` : '') +
    `WHEN NOT MATCHED THEN INSERT (${names.join(', ')}) VALUES (${names.map((n) => `S.${n}`).join(', ')});`;
  // Explicit values for an IDENTITY column need IDENTITY_INSERT, one table at a time per session.
  return identity
    ? `SET IDENTITY_INSERT ${qname(table)} ON; ${merge} SET IDENTITY_INSERT ${qname(table)} OFF;`
    : merge;
}

/** DELETE of `rows` keys; parameters are @d{row}_{column}. */
export function deleteSql(table: string, pk: MsColumn[], rows: number): string {
  const names = pk.map((c) => bq(c.name));
  return (
    `WITH CHANGE_TRACKING_CONTEXT (${CONTEXT}) DELETE T FROM ${qname(table)} AS T ` +
    `JOIN (VALUES ${params(pk, rows, 'd')}) AS D (${names.join(', ')}) ON ${names.map((n) => `T.${n} = D.${n}`).join(' AND ')};`
  );
}

/** SQL Server allows 2100 parameters per request; stay well below. */
export function rowsPerStatement(columns: number): number {
  return Math.max(1, Math.min(1000, Math.floor(2000 / Math.max(1, columns))));
}

/**
 * WITH MOVE clauses for RESTORE: the n-th data (log) file of the backup goes to the path of the
 * n-th data (log) file of the database being replaced. Paths travel as parameters @m0, @m1, ….
 */
export function restoreMoves(
  backupFiles: { LogicalName: string; Type: string }[],
  currentFiles: { physical_name: string; type: number }[],
): { clauses: string[]; params: string[] } {
  const clauses: string[] = [];
  const params: string[] = [];
  const pools = { D: currentFiles.filter((f) => f.type === 0), L: currentFiles.filter((f) => f.type === 1) };
  const used = { D: 0, L: 0 };
  for (const f of backupFiles) {
    const kind = f.Type === 'L' ? 'L' : 'D';
    const target = pools[kind][used[kind]++];
    if (!target) continue;
    clauses.push(`MOVE ${nlit(f.LogicalName)} TO @m${params.length}`);
    params.push(target.physical_name);
  }
  return { clauses, params };
}

/** Replaces database `db` with the backup @f; runs from master because the database goes away. */
export function restoreSql(db: string, moves: string[]): string {
  return (
    `USE master; ALTER DATABASE ${bq(db)} SET SINGLE_USER WITH ROLLBACK IMMEDIATE; ` +
    `BEGIN TRY RESTORE DATABASE ${bq(db)} FROM DISK = @f WITH REPLACE${moves.length ? `, ${moves.join(', ')}` : ''}; END TRY ` +
    `BEGIN CATCH ALTER DATABASE ${bq(db)} SET MULTI_USER; THROW; END CATCH; ` +
    `ALTER DATABASE ${bq(db)} SET MULTI_USER;`
  );
}
