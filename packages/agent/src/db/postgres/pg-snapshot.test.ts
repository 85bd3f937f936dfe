import { covers, cutSnap, formatSnap, parseSnap, visible, type Snap } from './pg-snapshot';

const s = (text: string): Snap => parseSnap(text)!;

describe('pg snapshot positions', () => {
  it('parses and formats pg_snapshot text', () => {
    expect(formatSnap(s('100:105:101,103'))).toBe('100:105:101,103');
    expect(formatSnap(s('7:7:'))).toBe('7:7:');
    expect(parseSnap('')).toBeNull();
    expect(parseSnap('12')).toBeNull();
  });

  it('follows PostgreSQL visibility', () => {
    const snap = s('100:105:101,103');
    expect([99n, 100n, 101n, 102n, 103n, 104n, 105n].map((x) => visible(snap, x))).toEqual([
      true,
      true,
      false,
      true,
      false,
      true,
      false,
    ]);
  });

  it('a transaction with a lower txid committing later is not skipped (the seq trap)', () => {
    // T101 was in progress at the first read; T102 had committed. The position keeps 101 out.
    const first = s('101:103:101');
    expect(visible(first, 102n)).toBe(true);
    expect(visible(first, 101n)).toBe(false);
    const later = s('103:103:');
    expect(visible(later, 101n) && !visible(first, 101n)).toBe(true);
    expect(covers(later, first)).toBe(true);
  });

  it('cuts a snapshot before a transaction', () => {
    const now = s('100:110:101,108');
    const cut = cutSnap(now, 105n);
    expect(formatSnap(cut)).toBe('100:105:101');
    for (let x = 95n; x < 115n; x++) expect(visible(cut, x)).toBe(visible(now, x) && x < 105n);
    expect(formatSnap(cutSnap(s('100:110:'), 90n))).toBe('90:90:');
    expect(() => cutSnap(now, 111n)).toThrow(RangeError);
  });

  it('covers: an old position is not covered by a newer trim mark', () => {
    const old = s('100:105:102');
    const newer = s('106:106:');
    expect(covers(newer, old)).toBe(true);
    expect(covers(old, newer)).toBe(false);
    expect(covers(old, old)).toBe(true);
    // 102 hidden in old, visible in other: other covers old, not vice versa.
    expect(covers(s('100:105:'), old)).toBe(true);
    expect(covers(old, s('100:105:'))).toBe(false);
  });
});
