import { localTimeZone, newNonce, pairKeyProof, proofMatches } from './handshake';

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

describe('localTimeZone', () => {
  const saved = process.env.TZ;
  afterAll(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });
  it('names the zone as Intl does, canonical, asked of a node of its own (which sees TZ)', () => {
    process.env.TZ = 'US/Pacific';
    const now = new Date('2026-01-15T12:00:00Z');
    expect(localTimeZone(now)).toEqual({
      timeZone: 'America/Los_Angeles',
      utcOffsetMinutes: -now.getTimezoneOffset(),
    });
  });
});
