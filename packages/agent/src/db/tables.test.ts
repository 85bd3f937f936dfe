import type { TableInfo } from './adapter';
import { RowBatchBuilder } from './row-batch-builder';
import {
  asInstalled,
  diffSchema,
  notReplicated,
  requirePrimaryKeys,
  tableMatcher,
  tableSignature,
} from './tables';

const t = (name: string, cols: string[], pk: string[] = [cols[0]!]): TableInfo => ({
  name,
  columns: cols.map((c) => ({ name: c, type: 'TEXT' })),
  pkColumns: pk,
});

describe('table selection', () => {
  it('matches bare names everywhere and dotted patterns against schema.table', () => {
    const m = tableMatcher({ include: [], exclude: ['audit_*', 'archive.*', 'tmp?'] });
    expect(['public.orders', 'orders', 'sales.orders'].map(m)).toEqual([true, true, true]);
    expect(['public.audit_log', 'audit_log', 'archive.orders', 'tmp1', 'public.tmp12'].map(m)).toEqual([
      false,
      false,
      false,
      false,
      true,
    ]);
    const only = tableMatcher({ include: ['public.ord*'], exclude: [] });
    expect(['public.orders', 'sales.orders', 'public.x.ord'].map(only)).toEqual([true, false, false]);
    expect(tableMatcher({ include: ['a.b'], exclude: [] })('aXb')).toBe(false); // a dot is literal
  });

  it('refuses tables without a primary key, naming all of them', () => {
    expect(() => requirePrimaryKeys([t('ok', ['id']), t('log', ['at'], []), t('tmp', ['x'], [])])).toThrow(
      'Tables without a primary key cannot be replicated: log, tmp',
    );
    expect(() => requirePrimaryKeys([t('ok', ['id'])])).not.toThrow();
  });

  it('diffs the installed schema against the current one', () => {
    const installed = new Map(
      [t('a', ['id', 'x']), t('b', ['id']), t('gone', ['id'])].map((x) => [x.name, tableSignature(x)]),
    );
    const change = diffSchema(installed, [t('a', ['id', 'x', 'y']), t('b', ['id']), t('new', ['id'])]);
    expect(change).toMatchObject({ unchanged: false, added: ['new'], removed: ['gone'] });
    expect(change.changed).toEqual([
      { table: 'a', before: 'id TEXT, x TEXT; key (id)', after: 'id TEXT, x TEXT, y TEXT; key (id)' },
    ]);
    expect(change.summary).toMatch(/tables added: new; tables removed: gone; columns changed: a/);
    expect(diffSchema(installed, [t('a', ['id', 'x']), t('b', ['id']), t('gone', ['id'])]).unchanged).toBe(
      true,
    );
    expect(diffSchema(null, [t('a', ['id'])]).summary).toMatch(/not installed/);
    // Per table: the others go on; the changed, added and removed ones wait for install-scripts.
    expect(notReplicated(change)).toEqual(['a', 'gone', 'new']);
    const now = [t('a', ['id', 'x', 'y']), t('b', ['id']), t('new', ['id'])];
    expect(asInstalled(installed, now).map((x) => x.name)).toEqual(['b']);
  });
});

describe('RowBatchBuilder', () => {
  const items = t('items', ['id', 'name']);

  it('collapses changes of one row into its final state, ordered by last change', () => {
    const b = new RowBatchBuilder('changes', '1');
    b.put(items, 'k1', [1n], [1n, 'a']);
    b.put(items, 'k2', [2n], [2n, 'b']);
    b.put(items, 'k1', [1n], [1n, 'a2']);
    b.put(items, 'k3', [3n], null);
    const batch = b.build('9', true);
    expect(batch.tables[0]).toMatchObject({
      upserts: [
        [2n, 'b'],
        [1n, 'a2'],
      ],
      deletes: [[3n]],
      truncate: false,
    });
    expect(b.rowCount).toBe(3);
  });

  it('a truncate drops earlier entries of that table', () => {
    const b = new RowBatchBuilder('changes', '1');
    b.put(items, 'k1', [1n], [1n, 'a']);
    const before = b.size;
    b.truncate(items);
    expect(b.size).toBeLessThan(before);
    b.put(items, 'k2', [2n], [2n, 'b']);
    expect(b.build('2', true).tables[0]).toMatchObject({ truncate: true, upserts: [[2n, 'b']], deletes: [] });
  });

  it('full() lets an empty batch take one entry of any size', () => {
    const b = new RowBatchBuilder('changes', '1');
    expect(b.full(10_000_000, 100)).toBe(false);
    b.put(items, 'k', [1n], [1n, 'x'.repeat(500)]);
    expect(b.full(b.cost(items, [2n, 'y']), 100)).toBe(true);
    expect(b.full(b.cost(items, [2n, 'y']), 10_000)).toBe(false);
  });
});
