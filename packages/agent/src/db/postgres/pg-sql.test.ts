import { captureDdl, deleteSql, lookupSql, qname, rowsPerStatement, upsertSql } from './pg-sql';

describe('PostgreSQL SQL', () => {
  it('quotes schema-qualified names', () => {
    expect(qname('public.orders')).toBe('"public"."orders"');
    expect(qname('My Schema.we"ird')).toBe('"My Schema"."we""ird"');
  });

  it('capture triggers record the key, the old key on a key change, and truncates', () => {
    const [fn, drop1, drop2, row, trunc] = captureDdl('public.lines', ['order_id', 'line']);
    expect(fn).toMatch(/CREATE OR REPLACE FUNCTION sparesync\."capture_[0-9a-f]{16}"\(\)/);
    expect(fn).toContain(
      `VALUES ('public.lines', jsonb_build_array(NEW."order_id", NEW."line"), left(TG_OP, 1))`,
    );
    expect(fn).toContain(
      `OLD."order_id" IS DISTINCT FROM NEW."order_id" OR OLD."line" IS DISTINCT FROM NEW."line"`,
    );
    expect(fn).toContain(`VALUES ('public.lines', NULL, 'T')`);
    expect(fn).toContain(`pg_notify('sparesync', '')`);
    expect([drop1, drop2]).toEqual([
      'DROP TRIGGER IF EXISTS sparesync_capture ON "public"."lines"',
      'DROP TRIGGER IF EXISTS sparesync_truncate ON "public"."lines"',
    ]);
    expect(row).toMatch(/AFTER INSERT OR UPDATE OR DELETE ON "public"."lines" FOR EACH ROW/);
    expect(trunc).toMatch(/AFTER TRUNCATE ON "public"."lines" FOR EACH STATEMENT/);
  });

  it('looks rows up by JSON keys cast to the column types', () => {
    const sql = lookupSql(
      'public.t',
      [
        { name: 'id', type: 'bigint' },
        { name: 'v', type: 'text' },
      ],
      [{ name: 'id', type: 'bigint' }],
    );
    expect(sql).toBe(
      'SELECT t.ctid IS NOT NULL, (k.key->>0)::bigint, t."id", t."v" FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS k(key, i) ' +
        'LEFT JOIN LATERAL (SELECT r.ctid, r."id", r."v" FROM "public"."t" r WHERE r."id" = (k.key->>0)::bigint OFFSET 0) t ' +
        'ON true ORDER BY k.i',
    );
  });

  it('upserts with typed placeholders and deletes by composite key', () => {
    const cols = [
      { name: 'a', type: 'integer' },
      { name: 'b', type: 'numeric(10,2)' },
    ];
    expect(upsertSql('public.t', cols, ['a'], 2, false)).toBe(
      'INSERT INTO "public"."t" ("a", "b") VALUES ($1::integer, $2::numeric(10,2)), ($3::integer, $4::numeric(10,2)) ' +
        'ON CONFLICT ("a") DO UPDATE SET "b" = EXCLUDED."b"',
    );
    expect(upsertSql('public.t', cols, ['a', 'b'], 1, true)).toBe(
      'INSERT INTO "public"."t" ("a", "b") OVERRIDING SYSTEM VALUE VALUES ($1::integer, $2::numeric(10,2)) ON CONFLICT ("a", "b") DO NOTHING',
    );
    expect(deleteSql('public.t', cols, 2)).toBe(
      'DELETE FROM "public"."t" t USING (VALUES ($1::integer, $2::numeric(10,2)), ($3::integer, $4::numeric(10,2))) AS d("a", "b") ' +
        'WHERE t."a" = d."a" AND t."b" = d."b"',
    );
    expect(rowsPerStatement(3) * 3).toBeLessThanOrEqual(65535);
  });
});
