import { PgoutputDecoder, type LogicalTxn } from './pg-pgoutput';

// pgoutput protocol version 1 messages, built byte by byte.
const u8 = (n: number) => Buffer.from([n]);
const i16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
const i32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const u64 = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(n);
  return b;
};
const cstr = (s: string) => Buffer.concat([Buffer.from(s), u8(0)]);
const tag = (c: string) => u8(c.charCodeAt(0));
/** A tuple: a string is a text value, null is NULL, 'u' an unchanged TOASTed value. */
const tuple = (values: (string | null | { u: true })[]) =>
  Buffer.concat([
    i16(values.length),
    ...values.map((v) =>
      v === null
        ? tag('n')
        : typeof v === 'object'
          ? tag('u')
          : Buffer.concat([tag('t'), i32(Buffer.byteLength(v)), Buffer.from(v)]),
    ),
  ]);

const REL = 7;
const relation = Buffer.concat([
  tag('R'),
  i32(REL),
  cstr('public'),
  cstr('items'),
  u8(100),
  i16(4),
  ...[
    ['id', 23],
    ['ok', 16],
    ['blob', 17],
    ['note', 25],
  ].flatMap(([name, oid]) => [u8(0), cstr(name as string), i32(oid as number), i32(-1)]),
]);
const begin = (xid: number) => Buffer.concat([tag('B'), u64(0n), u64(0n), i32(xid)]);
const commit = (end: bigint) => Buffer.concat([tag('C'), u8(0), u64(end - 1n), u64(end), u64(0n)]);

function decode(keepValues = () => true): LogicalTxn | null {
  const d = new PgoutputDecoder((t) => (t === 'public.items' ? ['id'] : undefined), keepValues);
  const msgs = [
    relation,
    begin(42),
    Buffer.concat([tag('I'), i32(REL), tag('N'), tuple(['1', 't', '\\x00ff', 'a'])]),
    // An update that left a TOASTed value as it was: not carried whole.
    Buffer.concat([tag('U'), i32(REL), tag('N'), tuple(['2', 'f', { u: true }, 'b'])]),
    // An update of the key: the old key ('K', other columns null) is gone.
    Buffer.concat([
      tag('U'),
      i32(REL),
      tag('K'),
      tuple(['3', null, null, null]),
      tag('N'),
      tuple(['4', 'f', null, 'c']),
    ]),
    Buffer.concat([tag('D'), i32(REL), tag('K'), tuple(['5', null, null, null])]),
  ];
  for (const m of msgs) expect(d.message(m)).toBeNull();
  return d.message(commit(1000n));
}

describe('PgoutputDecoder', () => {
  it('keeps each change with its key and, when carried whole, its row as typed values', () => {
    const txn = decode()!;
    expect(txn).toMatchObject({ xid: 42, end: 1000n });
    expect(txn.changes.map((c) => [c.pk, c.key, c.row])).toEqual([
      ['["1"]', ['1'], ['1', true, Buffer.from([0, 255]), 'a']],
      ['["2"]', ['2'], undefined],
      ['["3"]', ['3'], null],
      ['["4"]', ['4'], ['4', false, null, 'c']],
      ['["5"]', ['5'], null],
    ]);
    expect(txn.changes[0]!.columns).toEqual(['id', 'ok', 'blob', 'note']);
    expect(txn.bytes).toBeGreaterThan(0);
  });

  it('keeps only keys once the memory bound is reached', () => {
    const txn = decode(() => false)!;
    expect(txn.changes.map((c) => c.row)).toEqual([undefined, undefined, null, undefined, null]);
    expect(txn.bytes).toBe(0);
  });
});
