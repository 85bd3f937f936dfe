import type { Status } from '@sparesync/common';
import { holdsService, readyHealth, servingHealth } from './health';
import { metricsRegistry, Outcomes } from './metrics';

const holder = (epoch: number) => (epoch % 2 === 0 ? 'primary' : 'secondary');

function status(over: { role?: string; state?: string; epoch?: number; connected?: boolean } = {}): Status {
  return {
    local: {
      role: over.role ?? 'primary',
      state: over.state ?? 'Working',
      reason: 'connected to the peer, no problems',
      version: '0.1.0',
      name: 'web1',
      epoch: over.epoch ?? 0,
      startedAtMs: 0,
      decision: '',
      lastSwitch: null,
      lastShutdown: null,
    },
    remote: {
      state: 'Working',
      reachable: true,
      role: 'secondary',
      version: '0.1.0',
      name: 'web2',
      reason: '',
      address: 'web2:7701',
      lastSeenMs: 1_700_000_000_000,
    },
    link: {
      connected: over.connected ?? true,
      rttMs: 2.5,
      clockOffsetMs: -40,
      lastError: '',
      connectedSinceMs: 0,
      reconnectAttempts: 0,
    },
    history: [],
    folders: [
      {
        name: 'www',
        path: '/srv/www',
        direction: 'send',
        filesPending: 3,
        bytesPending: 10,
        lastScanMs: 0,
        lastChangeMs: 1_700_000_001_000,
        errorCount: 1,
        errors: ['x'],
        bytesSent: 4096,
        bytesMatched: 0,
        filesTransferred: 2,
        problem: '',
        changesWaiting: 2,
      },
    ],
    database: null,
  } as unknown as Status;
}

describe('health answers', () => {
  const up = { ok: true, why: 'the test page answered' };
  it('serving: only the side holding the epoch whose application answers', () => {
    expect(servingHealth(status(), holder, up).ok).toBe(true);
    expect(servingHealth(status({ role: 'secondary' }), holder, up)).toMatchObject({
      ok: false,
      why: expect.stringMatching(/primary holds epoch 0/),
    });
    expect(servingHealth(status({ role: 'secondary', epoch: 1, state: 'Switched' }), holder, up).ok).toBe(
      true,
    );
    // The fenced old primary after a failover: Switched, but the epoch names the secondary.
    expect(servingHealth(status({ epoch: 1, state: 'Switched' }), holder, up).ok).toBe(false);
    expect(servingHealth(status(), holder, { ok: false, why: 'refused' })).toMatchObject({
      ok: false,
      why: expect.stringMatching(/does not answer: refused/),
    });
    expect(holdsService(status({ state: 'Stopped' }), holder)).toBe(false);
  });
  it('ready: linked and replicating, or why not', () => {
    expect(readyHealth(status()).ok).toBe(true);
    expect(readyHealth(status({ connected: false }))).toMatchObject({
      ok: false,
      why: expect.stringMatching(/not connected/),
    });
    expect(readyHealth(status({ state: 'TurnedOff' }))).toMatchObject({
      ok: false,
      why: expect.stringMatching(/^TurnedOff/),
    });
  });
});

describe('/metrics', () => {
  it('reads every figure from the status at scrape time, one-hot state, counted switches', async () => {
    let current = status();
    const outcomes = new Outcomes();
    const { registry, switches } = metricsRegistry({
      status: () => current,
      outcomes,
      serving: (s) => holdsService(s, holder),
    });
    let text = await registry.metrics();
    expect(text).toContain('sparesync_state{state="Working"} 1');
    expect(text).toContain('sparesync_state{state="Switched"} 0');
    expect(text).toContain('sparesync_serving 1');
    expect(text).toContain('sparesync_epoch 0');
    expect(text).toContain('sparesync_link_rtt_seconds 0.0025');
    expect(text).toContain('sparesync_clock_offset_seconds -0.04');
    expect(text).toContain('sparesync_files_pending{folder="www"} 5');
    expect(text).toContain('sparesync_file_bytes_sent_total{folder="www"} 4096');
    expect(text).toContain('sparesync_peer_last_seen_timestamp_seconds 1700000000');
    expect(text).toMatch(/# HELP sparesync_serving .+/);
    current = status({ epoch: 1, state: 'Switched' });
    const sw = { id: 'sw-1', kind: 'SwitchingToSecondary', phase: 'completed' } as never;
    switches.observe(sw);
    switches.observe(sw); // seen once, counted once
    outcomes.dnsUpdate('changed');
    outcomes.notification('SwitchedToSecondary', true);
    outcomes.notification('SwitchedToSecondary', false);
    outcomes.notification('SwitchedToSecondary', true);
    text = await registry.metrics();
    expect(text).toContain('sparesync_dns_updates_total{result="changed"} 1');
    expect(text).toContain('sparesync_notifications_total{code="SwitchedToSecondary",result="sent"} 2');
    expect(text).toContain('sparesync_notifications_total{code="SwitchedToSecondary",result="failed"} 1');
    expect(text).toContain('sparesync_serving 0');
    expect(text).toContain('sparesync_epoch 1');
    expect(text).toContain('sparesync_switches_total{kind="SwitchingToSecondary",result="completed"} 1');
  });
});
