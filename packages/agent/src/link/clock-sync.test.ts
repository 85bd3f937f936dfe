import type { Beat } from './frames';
import { ClockFilter, sampleFromBeat } from './clock-sync';

function beat(p: Partial<Beat>): Beat {
  return {
    seq: 2,
    sentAtMs: 0,
    echoSeq: 1,
    echoSentAtMs: 0,
    echoReceivedAtMs: 0,
    state: 'Working',
    reason: '',
    epoch: 0,
    ...p,
  };
}

describe('round trip and clock offset from a heartbeat echo', () => {
  it('recovers a known offset and delay', () => {
    // Peer clock = local clock + 5000 ms. One-way delay 10 ms each way; the peer held our beat 200 ms.
    const t0 = 1_000_000;
    const t1 = t0 + 10 + 5000;
    const t2 = t1 + 200;
    const t3 = t0 + 10 + 200 + 10;
    const s = sampleFromBeat(beat({ echoSentAtMs: t0, echoReceivedAtMs: t1, sentAtMs: t2 }), t3);
    expect(s).toEqual({ rttMs: 20, offsetMs: 5000 });
  });

  it('gives nothing before the peer echoed one of our beats', () => {
    expect(sampleFromBeat(beat({ echoSeq: 0 }), 5)).toBeUndefined();
  });

  it('keeps the offset of the sample with the smallest round trip', () => {
    const f = new ClockFilter(4);
    f.add({ rttMs: 50, offsetMs: 30 });
    f.add({ rttMs: 2, offsetMs: 1 });
    expect(f.add({ rttMs: 80, offsetMs: -40 })).toEqual({ rttMs: 80, offsetMs: 1 });
    f.reset();
    expect(f.add({ rttMs: 80, offsetMs: -40 })).toEqual({ rttMs: 80, offsetMs: -40 });
  });
});

describe('a wall clock set during the exchange', () => {
  // Peer clock = local clock. 10 ms each way, the peer holds our beat 200 ms.
  const t0 = 1_000_000;
  const exchange = (stepLocal: number, stepPeerBeforeReply: number) =>
    sampleFromBeat(
      beat({ echoSentAtMs: t0, echoReceivedAtMs: t0 + 10, sentAtMs: t0 + 210 + stepPeerBeforeReply }),
      t0 + 220 + stepLocal,
    );

  it('gives no sample when our clock went back or the peer’s forward mid-exchange', () => {
    // Either reads as a round trip below zero and an offset off by half the step.
    expect(exchange(-80_000, 0)).toBeUndefined();
    expect(exchange(0, 80_000)).toBeUndefined();
  });

  it('still gives the sample of an unstepped exchange with a zero round trip', () => {
    const s = sampleFromBeat(beat({ echoSentAtMs: t0, echoReceivedAtMs: t0, sentAtMs: t0 + 200 }), t0 + 199);
    expect(s).toEqual({ rttMs: 0, offsetMs: 0.5 });
  });

  it('follows a step at once, away and back, instead of keeping the older best sample', () => {
    const f = new ClockFilter();
    for (let i = 0; i < 5; i++) f.add({ rttMs: 1, offsetMs: 0 });
    // The peer's clock was set 80 s ahead: the next sample cannot agree with the old ones.
    expect(f.add({ rttMs: 4, offsetMs: 80_000 }).offsetMs).toBe(80_000);
    f.add({ rttMs: 3, offsetMs: 80_001 });
    // ...and back: the offset is 0 again with the first sample, not 8 samples later.
    expect(f.add({ rttMs: 5, offsetMs: 2 }).offsetMs).toBe(2);
    expect(f.add({ rttMs: 1, offsetMs: 0 }).offsetMs).toBe(0);
  });

  it('keeps the best sample through samples that merely queued longer', () => {
    const f = new ClockFilter();
    f.add({ rttMs: 2, offsetMs: 10 });
    // Consistent: 900 ms apart, but the round trip of 1.2 s allows ±600 ms plus the margin.
    expect(f.add({ rttMs: 1200, offsetMs: 910 }).offsetMs).toBe(10);
  });
});
