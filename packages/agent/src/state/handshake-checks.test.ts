import { checkClockOffset, checkHandshake, formatUtcOffset } from './handshake-checks';
import type { Identity } from './types';

const me: Identity = { role: 'primary', version: '1.2.0', timeZone: 'Europe/Berlin', utcOffsetMinutes: 60 };

describe('checkHandshake (guide §8.1 items 1, 2, 4)', () => {
  const rows: [string, Partial<Identity>, RegExp[]][] = [
    ['a proper pair', { role: 'secondary' }, []],
    ['identical roles', { role: 'primary' }, [/^both servers have the role primary/]],
    [
      'different versions',
      { role: 'secondary', version: '1.3.0' },
      [/different versions: this server runs 1\.2\.0, the peer 1\.3\.0/],
    ],
    [
      'different UTC offsets',
      { role: 'secondary', timeZone: 'Europe/London', utcOffsetMinutes: 0 },
      [
        /different time zones: this server Europe\/Berlin \(UTC\+01:00\), the peer Europe\/London \(UTC\+00:00\)/,
      ],
    ],
    [
      'same offset today, different zone names',
      { role: 'secondary', timeZone: 'Africa/Lagos' },
      [/this server Europe\/Berlin \(UTC\+01:00\), the peer Africa\/Lagos \(UTC\+01:00\)/],
    ],
    ['a peer that cannot name its zone, same offset', { role: 'secondary', timeZone: '' }, []],
    [
      'a peer that cannot name its zone, other offset',
      { role: 'secondary', timeZone: '', utcOffsetMinutes: -300 },
      [/the peer \(unnamed zone\) \(UTC-05:00\)/],
    ],
    [
      'everything wrong',
      { role: 'primary', version: '0.9', utcOffsetMinutes: 0 },
      [/role/, /versions/, /time zones/],
    ],
  ];
  test.each(rows)('%s', (_name, peer, expected) => {
    const reasons = checkHandshake(me, { ...me, ...peer });
    expect(reasons).toHaveLength(expected.length);
    expected.forEach((re, i) => expect(reasons[i]).toMatch(re));
  });
});

describe('checkClockOffset (guide §8.1 item 3)', () => {
  test.each([
    [0, 30, undefined],
    [30_000, 30, undefined],
    [-30_000, 30, undefined],
    [30_001, 30, 'the clocks differ by 30.0 s, more than link.maxClockOffsetSeconds (30 s)'],
    [-45_500, 30, 'the clocks differ by 45.5 s, more than link.maxClockOffsetSeconds (30 s)'],
    [600, 0.5, 'the clocks differ by 0.6 s, more than link.maxClockOffsetSeconds (0.5 s)'],
  ])('offset %d ms with limit %d s', (offset, max, expected) => {
    expect(checkClockOffset(offset, max)).toBe(expected);
  });
});

test.each([
  [0, 'UTC+00:00'],
  [330, 'UTC+05:30'],
  [-210, 'UTC-03:30'],
])('formatUtcOffset(%d) = %s', (m, s) => expect(formatUtcOffset(m)).toBe(s));
