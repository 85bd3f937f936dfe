import {
  clockOffsetProblem,
  formatOffset,
  newNonce,
  pairKeyProof,
  peerMismatches,
  proofMatches,
} from './handshake';

const local = { role: 'primary', version: '1.2.0', timeZone: 'Europe/Berlin', utcOffsetMinutes: 60 };

describe('peer checks (guide §8.1)', () => {
  const ok = { role: 'secondary', version: '1.2.0', timeZone: 'Europe/Paris', utcOffsetMinutes: 60 };
  it.each<[string, Partial<typeof ok>, RegExp | null]>([
    ['a matching peer', {}, null],
    ['identical roles', { role: 'primary' }, /both servers have the role primary/],
    ['different versions', { version: '1.3.0' }, /different versions: this server 1\.2\.0, peer 1\.3\.0/],
    [
      'different time zones',
      { timeZone: 'UTC', utcOffsetMinutes: 0 },
      /different time zones: this server Europe\/Berlin \(UTC\+01:00\), peer UTC \(UTC\+00:00\)/,
    ],
  ])('%s', (_name, patch, expected) => {
    const reasons = peerMismatches(local, { ...ok, ...patch });
    if (expected) expect(reasons).toEqual([expect.stringMatching(expected)]);
    else expect(reasons).toEqual([]);
  });

  it('reports every mismatch at once', () => {
    expect(
      peerMismatches(local, { role: 'primary', version: '0.9', timeZone: 'UTC', utcOffsetMinutes: 0 }),
    ).toHaveLength(3);
  });
});

describe('clock offset check', () => {
  it.each([
    [0, 30, false],
    [29_999, 30, false],
    [30_000, 30, false],
    [30_001, 30, true],
    [-45_000, 30, true],
    [1_500, 1, true],
  ])('offset %d ms with limit %d s → problem: %s', (offset, limit, problem) => {
    expect(clockOffsetProblem(offset, limit) !== undefined).toBe(problem);
  });

  it('names the measured offset and the setting', () => {
    expect(clockOffsetProblem(-45_200, 30)).toBe(
      'clocks differ by -45.2 s, more than link.maxClockOffsetSeconds (30 s)',
    );
  });
});

describe('pair-key proofs', () => {
  const key = Buffer.from('the-pair-key-0123456789abcdef');
  it('verifies with the same key and nonces, and only then', () => {
    const a = newNonce();
    const b = newNonce();
    const proof = pairKeyProof(key, 'server', a, b);
    expect(proofMatches(pairKeyProof(key, 'server', a, b), proof)).toBe(true);
    expect(
      proofMatches(pairKeyProof(Buffer.from('another-key-0123456789abcdef'), 'server', a, b), proof),
    ).toBe(false);
    expect(proofMatches(pairKeyProof(key, 'client', a, b), proof)).toBe(false);
    expect(proofMatches(pairKeyProof(key, 'server', b, a), proof)).toBe(false);
    expect(proofMatches(pairKeyProof(key, 'server', a, b), Buffer.alloc(0))).toBe(false);
  });
});

it('formats UTC offsets', () => {
  expect([formatOffset(0), formatOffset(330), formatOffset(-210)]).toEqual(['+00:00', '+05:30', '-03:30']);
});
