import type { Batch } from '../batch';
import type { PgTable } from './pg-catalog';
import { changeStatements } from './pg-apply-changes';

const items: PgTable = {
  name: 'public.items',
  columns: [
    { name: 'id', type: 'integer' },
    { name: 'name', type: 'text' },
  ],
  pkColumns: ['id'],
  types: new Map([
    ['id', 'integer'],
    ['name', 'text'],
  ]),
  identityAlways: false,
};
const catalog = new Map([[items.name, items]]);

const batch = (over: Partial<Batch['tables'][0]> = {}): Batch => ({
  kind: 'changes',
  from: 'a',
  to: 'b',
  complete: true,
  tables: [
    {
      table: 'public.items',
      columns: ['id', 'name'],
      pkColumns: ['id'],
      truncate: true,
      upserts: [
        [1, 'x'],
        [2, 'y'],
      ],
      deletes: [[3]],
      ...over,
    },
  ],
  sequences: { 'public.items_id_seq': '9' },
});

describe('changeStatements', () => {
  it('empties, deletes, upserts, then sets sequences, with the catalog types as casts', () => {
    const s = changeStatements(batch(), catalog)!;
    expect(s.map((x) => x.text.split(' ').slice(0, 3).join(' '))).toEqual([
      'DELETE FROM "public"."items"',
      'DELETE FROM "public"."items"',
      'INSERT INTO "public"."items"',
      'SELECT setval($1::regclass, $2::bigint,',
    ]);
    expect(s[1]!.values).toEqual([3]);
    expect(s[2]!.text).toContain('($1::integer, $2::text), ($3::integer, $4::text)');
    expect(s[2]!.values).toEqual([1, 'x', 2, 'y']);
  });

  it('returns null for a table or column the catalog lacks (the catalog is read again)', () => {
    expect(changeStatements(batch({ table: 'public.other' }), catalog)).toBeNull();
    expect(changeStatements(batch({ columns: ['id', 'colour'] }), catalog)).toBeNull();
    expect(changeStatements(batch({ pkColumns: ['code'] }), catalog)).toBeNull();
  });
});
