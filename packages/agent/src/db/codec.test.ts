import { randomBytes } from 'node:crypto';
import type { Batch, Value } from './batch';
import { batchToJson, decodeBatch, encodeBatch, encodeValues, rowSize, valueSize } from './codec';

const row = (i: number): Value[] => [
  BigInt(i),
  `name ${i} — Zürich 東京 🎉`,
  i % 2 === 0,
  null,
  '12345678901234567890.000000000000000001',
  '2024-02-29 23:59:59.999999+00',
  i * 0.1,
  Buffer.from([i & 255, 0, 255]),
];

function batch(rows: Value[][], extra: Partial<Batch> = {}): Batch {
  return {
    kind: 'changes',
    from: '100:105:101',
    to: '106:106:',
    complete: true,
    sequences: { 'public.items_id_seq': '42' },
    tables: [
      {
        table: 'public.items',
        columns: ['id', 'name', 'flag', 'nothing', 'dec', 'ts', 'r', 'bin'],
        pkColumns: ['id'],
        truncate: false,
        upserts: rows,
        deletes: [[7n], [8n]],
      },
    ],
    ...extra,
  };
}

describe('batch codec', () => {
  it('round-trips every value type exactly', () => {
    const edge: Value[][] = [
      [-(2n ** 63n), '', true, null, 'NaN', '', -0, Buffer.alloc(0)],
      [
        2n ** 63n - 1n,
        '\u0000\uffff\ud83d\ude00',
        false,
        null,
        '-0.0',
        'infinity',
        Number.NaN,
        randomBytes(1_100_000),
      ],
      [2n ** 64n, 'x'.repeat(1_500_000), false, null, '', '', Number.MAX_VALUE, Buffer.from('ff', 'hex')],
    ];
    const b = batch([...edge, ...Array.from({ length: 50 }, (_, i) => row(i))], {
      kind: 'snapshot',
      complete: false,
    });
    const back = decodeBatch(encodeBatch(b));
    // Large values compared as bytes (jest's deep equality is slow on MBs), then the rest deeply.
    const [bigBin, bigText] = [b.tables[0]!.upserts[1]![7] as Buffer, b.tables[0]!.upserts[2]![1] as string];
    expect((back.tables[0]!.upserts[1]![7] as Buffer).equals(bigBin)).toBe(true);
    expect(back.tables[0]!.upserts[2]![1] === bigText).toBe(true);
    for (const x of [b, back]) {
      x.tables[0]!.upserts[1]![7] = null;
      x.tables[0]!.upserts[2]![1] = null;
    }
    expect(back).toEqual(b);
    expect(Object.is(back.tables[0]!.upserts[0]![6], -0)).toBe(true);
    expect(Buffer.isBuffer(back.tables[0]!.upserts[3]![7])).toBe(true);
  });

  it('carries COPY lines as they are, beside the truncate flag', () => {
    const b = batch([], { kind: 'snapshot', complete: false });
    const data = Buffer.from('1\tä\\tb\t\\N\n2\tx\t\\\\x00ff\n');
    b.tables[0] = { ...b.tables[0]!, truncate: true, deletes: [], copy: { rows: 2, data } };
    b.tables.push({
      ...b.tables[0]!,
      table: 'public.other',
      truncate: false,
      copy: { rows: 0, data: Buffer.alloc(0) },
    });
    const back = decodeBatch(encodeBatch(b));
    expect(back).toEqual(b);
    expect(Buffer.from(back.tables[0]!.copy!.data).equals(data)).toBe(true);
    expect(() =>
      decodeBatch(Buffer.from([0x53, 0x53, 0x42, 0x01, 1, 0, 0, 0, 0, 1, 1, 0x61, 0, 0, 4])),
    ).toThrow(/unknown table flags 4/);
  });

  it('valueSize and rowSize are the exact encoded sizes', () => {
    const values: Value[] = [null, true, 'héllo', 1n, 2n ** 70n, 0.5, Buffer.alloc(300)];
    for (const v of values) expect(encodeValues([v]).length - 1).toBe(valueSize(v));
    expect(encodeValues(values).length - 1).toBe(rowSize(values));
  });

  it('enforces the size limit on both sides', () => {
    const b = batch(Array.from({ length: 100 }, (_, i) => row(i)));
    const payload = encodeBatch(b);
    expect(() => encodeBatch(b, payload.length - 1)).toThrow(/exceeds the limit/);
    expect(() => decodeBatch(payload, payload.length - 1)).toThrow(/exceeds the limit/);
    expect(decodeBatch(payload, payload.length)).toEqual(b);
  });

  it('rejects malformed payloads with DbBatchInvalid, never a wild allocation', () => {
    const payload = encodeBatch(batch([row(1)]));
    expect(() => decodeBatch(Buffer.from('nope'))).toThrow(/bad magic/);
    expect(() => decodeBatch(payload.subarray(0, payload.length - 3))).toThrow(/truncated/);
    expect(() => decodeBatch(Buffer.concat([payload, Buffer.from([0])]))).toThrow(/trailing/);
    // A huge table count in a tiny payload.
    const bad = Buffer.from([0x53, 0x53, 0x42, 0x01, 0, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(() => decodeBatch(bad)).toThrow(expect.objectContaining({ code: 'DbBatchInvalid' }));
    expect(() => encodeBatch(batch([[1n]]))).toThrow(/1 values for 8 columns/);
  });

  it('is smaller than JSON (measured)', () => {
    const text = batch(Array.from({ length: 1000 }, (_, i) => row(i)));
    const binary = batch(
      Array.from({ length: 200 }, (_, i) => [BigInt(i), randomBytes(2048)]),
      {},
    );
    binary.tables[0]!.columns = ['id', 'blob'];
    const sizes = {
      textRows: { binary: encodeBatch(text).length, json: Buffer.byteLength(batchToJson(text)) },
      binaryRows: { binary: encodeBatch(binary).length, json: Buffer.byteLength(batchToJson(binary)) },
    };
    // Recorded in codec.ts's header: ~0.83× JSON for typical rows, ~0.75× for binary-heavy rows.
    expect(sizes.textRows.binary).toBeLessThan(sizes.textRows.json);
    expect(sizes.binaryRows.binary).toBeLessThan(sizes.binaryRows.json * 0.8);
    console.log(JSON.stringify(sizes));
  });
});
