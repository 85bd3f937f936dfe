import * as q from './mssql-sql';

const cols: q.MsColumn[] = [
  { name: 'id', type: 'int' },
  { name: 'name', type: 'nvarchar(50)' },
  { name: 'price', type: 'decimal(38,10)' },
  { name: 'at', type: 'datetime2(7)' },
  { name: 'atz', type: 'datetimeoffset(7)' },
  { name: 'ratio', type: 'float' },
  { name: 'blob', type: 'varbinary(max)' },
  { name: 'ok', type: 'bit' },
];
const pk = [cols[0]!];

describe('SQL Server SQL', () => {
  it('spells types as declared', () => {
    expect(q.fullType('nvarchar', 100, 0, 0)).toBe('nvarchar(50)');
    expect(q.fullType('varbinary', -1, 0, 0)).toBe('varbinary(max)');
    expect(q.fullType('decimal', 17, 38, 10)).toBe('decimal(38,10)');
    expect(q.fullType('datetime2', 8, 27, 7)).toBe('datetime2(7)');
    expect(q.fullType('int', 4, 10, 0)).toBe('int');
  });

  it('quotes names with brackets', () => {
    expect(q.qname('dbo.Order Lines')).toBe('[dbo].[Order Lines]');
    expect(q.qname('dbo.we]ird')).toBe('[dbo].[we]]ird]');
    expect(q.nlit("O'Brien")).toBe("N'O''Brien'");
  });

  it('reads values in exact text forms and writes them back with the inverse conversion', () => {
    const read = cols.map((c) => q.readExpr('T', c));
    expect(read).toEqual([
      'CONVERT(nvarchar(max), T.[id])',
      'CONVERT(nvarchar(max), T.[name])',
      'CONVERT(nvarchar(max), T.[price])',
      'CONVERT(nvarchar(40), T.[at], 126)',
      'CONVERT(nvarchar(40), T.[atz], 127)',
      'CONVERT(varchar(40), T.[ratio], 3)',
      'T.[blob]',
      'T.[ok]',
    ]);
    expect(cols.map((c) => q.writeExpr('@p', c))).toEqual([
      'CAST(@p AS int)',
      'CAST(@p AS nvarchar(50))',
      'CAST(@p AS decimal(38,10))',
      'CONVERT(datetime2(7), @p, 126)',
      'CONVERT(datetimeoffset(7), @p, 127)',
      'CAST(@p AS float)',
      '@p',
      '@p',
    ]);
  });

  it('enables change tracking and snapshot isolation idempotently', () => {
    const db = q.enableDatabaseSql(3).join('\n');
    expect(db).toContain(
      'ALTER DATABASE CURRENT SET CHANGE_TRACKING = ON (CHANGE_RETENTION = 3 DAYS, AUTO_CLEANUP = ON)',
    );
    expect(db).toContain(
      'IF NOT EXISTS (SELECT 1 FROM sys.change_tracking_databases WHERE database_id = DB_ID())',
    );
    expect(db).toContain('SET ALLOW_SNAPSHOT_ISOLATION ON');
    expect(q.enableTableSql('dbo.items')).toMatch(
      /IF NOT EXISTS \(SELECT 1 FROM sys.change_tracking_tables WHERE object_id = OBJECT_ID\(N'\[dbo\]\.\[items\]'\)\)\s+ALTER TABLE \[dbo\]\.\[items\] ENABLE CHANGE_TRACKING/,
    );
    expect(q.minValidVersionSql('dbo.items')).toBe(
      "SELECT CHANGE_TRACKING_MIN_VALID_VERSION(OBJECT_ID(N'[dbo].[items]')) AS v",
    );
  });

  it('reads net changes joined to current rows, skipping rows written by apply', () => {
    expect(q.changesSql('dbo.items', cols.slice(0, 2), pk, 5000)).toBe(
      'SELECT TOP (5000) CT.SYS_CHANGE_VERSION AS __v, CASE WHEN T.[id] IS NULL THEN 0 ELSE 1 END AS __found, ' +
        'CONVERT(nvarchar(max), CT.[id]), CONVERT(nvarchar(max), T.[id]), CONVERT(nvarchar(max), T.[name]) ' +
        'FROM CHANGETABLE(CHANGES [dbo].[items], @from) AS CT LEFT JOIN [dbo].[items] AS T ON T.[id] = CT.[id] ' +
        `WHERE CT.SYS_CHANGE_VERSION <= @to AND (CT.SYS_CHANGE_CONTEXT IS NULL OR CT.SYS_CHANGE_CONTEXT <> ${q.CONTEXT}) ` +
        'ORDER BY CT.SYS_CHANGE_VERSION',
    );
    expect(Buffer.from(q.CONTEXT.slice(2), 'hex').toString()).toBe('sparesync');
  });

  it('merges rows with IDENTITY_INSERT and the apply context, and deletes by key', () => {
    const two = cols.slice(0, 2);
    expect(q.mergeSql('dbo.items', two, ['id'], 2, true)).toBe(
      'SET IDENTITY_INSERT [dbo].[items] ON; ' +
        `WITH CHANGE_TRACKING_CONTEXT (${q.CONTEXT}) MERGE [dbo].[items] AS T ` +
        'USING (VALUES (CAST(@u0_0 AS int), CAST(@u0_1 AS nvarchar(50))), (CAST(@u1_0 AS int), CAST(@u1_1 AS nvarchar(50)))) AS S ([id], [name]) ' +
        'ON T.[id] = S.[id] WHEN MATCHED THEN UPDATE SET T.[name] = S.[name] ' +
        'WHEN NOT MATCHED THEN INSERT ([id], [name]) VALUES (S.[id], S.[name]); SET IDENTITY_INSERT [dbo].[items] OFF;',
    );
    expect(q.mergeSql('dbo.k', pk, ['id'], 1, false)).not.toMatch(/WHEN MATCHED|IDENTITY_INSERT/);
    expect(q.deleteSql('dbo.items', pk, 2)).toBe(
      `WITH CHANGE_TRACKING_CONTEXT (${q.CONTEXT}) DELETE T FROM [dbo].[items] AS T ` +
        'JOIN (VALUES (CAST(@d0_0 AS int)), (CAST(@d1_0 AS int))) AS D ([id]) ON T.[id] = D.[id];',
    );
    expect(q.rowsPerStatement(8) * 8).toBeLessThanOrEqual(2100);
  });

  it('restores a backup onto the current file locations', () => {
    const moves = q.restoreMoves(
      [
        { LogicalName: 'shop', Type: 'D' },
        { LogicalName: 'shop_log', Type: 'L' },
      ],
      [
        { physical_name: 'D:\\data\\shop2.mdf', type: 0 },
        { physical_name: 'E:\\log\\shop2.ldf', type: 1 },
      ],
    );
    expect(moves).toEqual({
      clauses: ["MOVE N'shop' TO @m0", "MOVE N'shop_log' TO @m1"],
      params: ['D:\\data\\shop2.mdf', 'E:\\log\\shop2.ldf'],
    });
    expect(q.restoreSql('shop2', moves.clauses)).toMatch(
      /^USE master; ALTER DATABASE \[shop2\] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; BEGIN TRY RESTORE DATABASE \[shop2\] FROM DISK = @f WITH REPLACE, MOVE/,
    );
  });
});
