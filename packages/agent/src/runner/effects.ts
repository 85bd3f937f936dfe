// The runner's effects on this server: the persisted state, the managed system, the probes, DNS,
// the replication switch and the notifier. Built from the settings by the composition root.
import type { LoadedSettings, Logger, Role } from '@sparesync/common';
import { checkDnsName, switchDns } from '../dns';
import { dnsTargetFromSettings, type DnsTarget } from '../dns/settings';
import type { ManagedPort } from '../managed';
import type { Notifier } from '../notify';
import type { StateFile } from '../persisted-state';
import type { EtcdWitness } from '../witness';
import type { Effects, ProbeResult } from './runner';

/** The probes of monitor/. */
export interface MonitorPort {
  checkTestPage(target: Role): Promise<ProbeResult>;
  checkExternalResources(): Promise<ProbeResult>;
}

export interface EffectsOptions {
  loaded: LoadedSettings;
  log: Logger;
  stateFile: StateFile;
  managed: ManagedPort;
  monitor: MonitorPort;
  setReplication(on: boolean): void;
  /** Resolves when the replication parts hold nothing the peer lacks (reverse sync). */
  reverseSync(): Promise<void>;
  /** A planned switch: the primary stops its managed system and drains replication (a detail line). */
  handOver(): Promise<string>;
  /** Called after the epoch is durable (the link announces it from then on). */
  onEpoch(epoch: number): void;
  /** Messages to operators, with the guide's delays and repeats (notify/). */
  notifier: Pick<Notifier, 'raise' | 'cancel'>;
  /** The witness client (witness/), when settings.witness is set. */
  witness?: Pick<EtcdWitness, 'take' | 'check'>;
  /** Told how each DNS update ended (changed, unchanged, failed), for /metrics. */
  onDnsUpdate?(result: 'changed' | 'unchanged' | 'failed'): void;
}

export function agentEffects(o: EffectsOptions): Effects {
  const { settings, resolvePath } = o.loaded;
  let target: DnsTarget | undefined;
  const dns = (): DnsTarget => (target ??= dnsTargetFromSettings(settings.dns, resolvePath));
  return {
    persistEpoch(epoch) {
      o.stateFile.update({ epoch });
      o.onEpoch(epoch);
    },
    takeWitnessKey(t) {
      if (!o.witness) return Promise.reject(new Error('no witness is configured'));
      return o.witness.take(t);
    },
    persistTurnedOff(cause) {
      o.stateFile.update({ turnedOff: cause ?? null });
    },
    startManagedSystem: () => o.managed.start(),
    stopManagedSystem: () => o.managed.stop(),
    writeOfflineMarker: () => o.managed.writeOfflineMarker(),
    removeOfflineMarker: () => o.managed.removeOfflineMarker(),
    setReplication: (on) => o.setReplication(on),
    reverseSync: () => o.reverseSync(),
    handOver: () => o.handOver(),
    async updateDns(from, to) {
      try {
        // A record that already holds the target needs no update (a switch resumed after a
        // restart, an undo of a switch whose DNS step never ran): no write, no key rights needed.
        const before = await checkDnsName(dns());
        if (before.pointsAt === to) {
          o.onDnsUpdate?.('unchanged');
          return `${dns().name} already points at the ${to}`;
        }
        const r = await switchDns(dns(), from, to);
        o.onDnsUpdate?.(r.changed ? 'changed' : 'unchanged');
        return `${r.name} ${r.type} ${r.changed ? 'now points at' : 'already pointed at'} ${r.address} (the ${to})`;
      } catch (e) {
        o.onDnsUpdate?.('failed');
        throw e;
      }
    },
    checkTestPage: (role) => o.monitor.checkTestPage(role),
    async checkManagedSystem() {
      const running = await o.managed.isRunning();
      if (running !== undefined) {
        return { running, detail: `managedSystem.statusCommand says it is ${running ? '' : 'not '}running` };
      }
      // No status command: the test page of this server's own role answers for it.
      const page = await o.monitor.checkTestPage(settings.role);
      return {
        running: page.ok,
        detail: `its test page ${page.ok ? 'answers' : 'does not answer'}: ${page.detail}`,
      };
    },
    checkExternalResources: () => o.monitor.checkExternalResources(),
    async checkDns() {
      const check = await checkDnsName(dns());
      const unreachable = check.error?.code === 'DnsUnavailable';
      return { ok: check.ok, detail: check.detail, ...(unreachable ? { unreachable } : {}) };
    },
    sendMessage: (code, detail, source) => o.notifier.raise(code, detail, source),
    cancelMessage: (code, source) => o.notifier.cancel(code, source),
  };
}
