import { newNonce, pairKeyProof, proofMatches } from './handshake';

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
