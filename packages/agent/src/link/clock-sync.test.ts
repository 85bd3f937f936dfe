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
