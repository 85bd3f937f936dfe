import {
  askHostZoneName,
  localTimeZone,
  newNonce,
  pairKeyProof,
  proofMatches,
  zoneNameOf,
} from './handshake';

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
  it('has no zone name until the child node has answered', () => {
    expect(localTimeZone(new Date()).timeZone).toBe('');
  });
  it('names the zone as Intl does, canonical, asked of a node of its own (which sees TZ)', async () => {
    process.env.TZ = 'US/Pacific';
    await expect(askHostZoneName()).resolves.toBe('America/Los_Angeles');
    const now = new Date('2026-01-15T12:00:00Z');
    expect(localTimeZone(now)).toEqual({
      timeZone: 'America/Los_Angeles',
      utcOffsetMinutes: -now.getTimezoneOffset(),
    });
  });
  it('asks Intl itself where no node can be started, or the binary is not node', async () => {
    process.env.TZ = 'Europe/Paris';
    const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(own).not.toBe('');
    await expect(zoneNameOf('/no/such/dir/node')).resolves.toBe(own);
    await expect(zoneNameOf('/bin/sh')).resolves.toBe(own);
  });
});
