// Test fixtures for the state machine: settings from the real schema defaults, and a small
// simulator that plays the runner's part (time, ticks, probe answers). It lives in a .test.ts file
// so it is never built into dist; its own test checks that the fixture settings are valid.
import { validateSettings, type Role } from '@sparesync/common';
import { decide, initialState } from './machine';
import type {
  Action,
  DecisionContext,
  DecisionSettings,
  MachineState,
  Observation,
  Outcome,
  Step,
} from './types';

/** Monday 2024-01-01 10:00:00 UTC. */
export const T0 = Date.UTC(2024, 0, 1, 10, 0, 0);
export const S = 1000;

type Patch = {
  [K in keyof Omit<DecisionSettings, 'role'>]?: DecisionSettings[K] extends unknown[]
    ? DecisionSettings[K]
    : Partial<DecisionSettings[K]>;
};

/** Quick numbers for tests: allowable 60 s, checks every 30 s, heartbeat 5 s, recovery 30 s. */
const testDefaults: Patch = {
  system: {
    allowableResponseTimeSeconds: 60,
    availabilityCheckSeconds: 30,
    externalResourcesRecoverySeconds: 30,
  },
  network: { remoteCheckIntervalSeconds: 5 },
  managedSystem: { testPage: testPage('http://primary.example/test') },
};

/** The schema's testPage section with the primary's URL set ('' = no test page configured). */
export function testPage(primaryUrl: string): DecisionSettings['managedSystem']['testPage'] {
  return {
    primaryUrl,
    secondaryUrl: '',
    expectStatus: 200,
    bodyContains: '',
    timeoutSeconds: 10,
    caFile: '',
  };
}

export function schemaSettings(role: Role): DecisionSettings {
  const result = validateSettings({
    role,
    peer: { host: 'peer.example', fingerprint: 'AA'.repeat(32) },
    tls: { ca: 'ca.pem', cert: 'cert.pem', key: 'key.pem' },
    pairKeyFile: 'pair.key',
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return { ...result.settings, role };
}

export function makeSettings(role: Role, patch: Patch = {}): DecisionSettings {
  const base = schemaSettings(role);
  const out: Record<string, unknown> = { ...base };
  for (const p of [testDefaults, patch]) {
    for (const [key, value] of Object.entries(p)) {
      const current = out[key];
      out[key] = Array.isArray(value) ? value : { ...(current as object), ...(value as object) };
    }
  }
  return out as DecisionSettings;
}

export const local = { version: '1.0.0', timeZone: 'Europe/Berlin', utcOffsetMinutes: 0 };

export function peerHello(
  role: Role,
  over: Partial<Extract<Observation, { type: 'PeerConnected' }>['peer']> = {},
) {
  return {
    type: 'PeerConnected' as const,
    peer: { role, ...local, epoch: 0, state: 'Working' as const, ...over },
  };
}

/** Actions that change something outside the agent (as opposed to probes and messages). */
export const effectTypes: readonly Action['type'][] = [
  'PersistEpoch',
  'WriteOfflineMarker',
  'StopManagedSystem',
  'StartManagedSystem',
  'RemoveOfflineMarker',
  'UpdateDns',
  'ReverseSync',
];
export const effects = (actions: Action[]) =>
  actions.filter((a) => effectTypes.includes(a.type) || 'step' in a);
export const types = (actions: Action[]) => actions.map((a) => a.type);
export const messages = (actions: Action[]) =>
  actions.flatMap((a) => (a.type === 'SendMessage' ? [a.code] : []));

/** Plays the runner: holds the state and the clock, and records every outcome. */
export class Sim {
  state: MachineState;
  now = T0;
  readonly log: Outcome[] = [];
  settings: DecisionSettings;

  constructor(
    readonly role: Role,
    patch: Patch = {},
    persisted: { epoch: number; turnedOff?: string } = { epoch: 0 },
  ) {
    this.settings = makeSettings(role, patch);
    this.state = initialState(persisted, this.now);
  }

  ctx(): DecisionContext {
    return { settings: this.settings, now: this.now, local };
  }

  feed(obs: Observation): Outcome {
    const out = decide(this.state, obs, this.ctx());
    this.state = out.state;
    this.log.push(out);
    return out;
  }

  at(ms: number): this {
    this.now = T0 + ms;
    return this;
  }

  /** Started and connected to a healthy peer of the other role. */
  connected(peer: Partial<Extract<Observation, { type: 'PeerConnected' }>['peer']> = {}): this {
    this.feed({ type: 'AgentStarted' });
    this.feed(peerHello(this.role === 'primary' ? 'secondary' : 'primary', peer));
    return this;
  }

  /**
   * Ticks once a second from now to `untilMs` (since T0), answering every probe the machine asks
   * for from `world`, and stops early when the machine starts switching. Returns the last outcome.
   */
  run(untilMs: number, world: World): Outcome {
    let last: Outcome | undefined;
    for (let t = this.now - T0; t <= untilMs; t += S) {
      this.at(t);
      for (const [when, obs] of world.events ?? []) if (when === t) last = this.answer(this.feed(obs), world);
      last = this.answer(this.feed({ type: 'Tick' }), world);
      if (this.state.name === 'SwitchingToSecondary') break;
    }
    if (!last) throw new Error('run: no time passed');
    return last;
  }

  private answer(out: Outcome, world: World): Outcome {
    let last = out;
    const t = this.now - T0;
    for (const a of out.actions) {
      if (this.state.name === 'SwitchingToSecondary') return last;
      if (a.type === 'CheckTestPage' && !a.step)
        last = this.feed({ type: 'TestPageChecked', ok: world.page(t), detail: 'page' });
      if (a.type === 'CheckExternalResources')
        last = this.feed({ type: 'ExternalResourcesChecked', ok: world.external(t), detail: 'ext' });
    }
    return last;
  }
}

export const ok = (step: Step): Observation => ({ type: 'SwitchStepFinished', step, ok: true });
export const fail = (step: Step, error: string): Observation => ({
  type: 'SwitchStepFinished',
  step,
  ok: false,
  error,
});
/** The actions of a decision that belong to a switch step, as `Type:step`. */
export const stepOf = (actions: Action[]) =>
  actions.flatMap((a) => ('step' in a && a.step ? [`${a.type}:${a.step}`] : []));

/** A secondary that took over (epoch 1) with its primary back, connected and fenced. */
export function switchedWithFencedPrimary(): Sim {
  const sim = new Sim('secondary', { dns: { enabled: true } }, { epoch: 1 });
  sim.feed({ type: 'AgentStarted' });
  for (const step of [
    'start-managed-system',
    'remove-offline-marker',
    'check-test-page',
    'update-dns',
  ] as Step[])
    sim.feed(ok(step));
  sim.feed({
    type: 'PeerConnected',
    peer: {
      role: 'primary',
      version: '1.0.0',
      timeZone: 'Europe/Berlin',
      utcOffsetMinutes: 0,
      epoch: 1,
      state: 'Switched',
    },
  });
  expect(sim.state.name).toBe('Switched');
  return sim;
}

export interface World {
  page: (t: number) => boolean;
  external: (t: number) => boolean;
  events?: [number, Observation][];
}

test('fixture settings are valid settings with the test numbers applied', () => {
  const s = makeSettings('secondary', { system: { switchAutomatically: false } });
  expect(s.role).toBe('secondary');
  expect(s.system.allowableResponseTimeSeconds).toBe(60);
  expect(s.system.switchAutomatically).toBe(false);
  expect(s.system.switchWhenManagedSystemDownLinkUp).toBe(true);
  const { role: _role, ...doc } = s;
  expect(validateSettings({ ...schemaSettings('secondary'), ...doc }).ok).toBe(true);
});
