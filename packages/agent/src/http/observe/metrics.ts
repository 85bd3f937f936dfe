// /metrics: the agent's status in the Prometheus text format (prom-client). Every value is read
// from the agent's Status at scrape time, so the figures and `sparesync status` never disagree;
// the switch counter is kept from the runner's switch log as attempts end.
import { Counter, Gauge, Registry } from 'prom-client';
import { agentStates, type Status, type SwitchLog } from '@sparesync/common';

/** How DNS updates and notifications ended, counted as the runner's effects and the notifier report them. */
export class Outcomes {
  readonly dnsUpdates = new Map<string, number>();
  /** By `code result`. */
  readonly notifications = new Map<string, number>();
  dnsUpdate(result: string): void {
    this.dnsUpdates.set(result, (this.dnsUpdates.get(result) ?? 0) + 1);
  }
  notification(code: string, ok: boolean): void {
    const key = `${code} ${ok ? 'sent' : 'failed'}`;
    this.notifications.set(key, (this.notifications.get(key) ?? 0) + 1);
  }
}

export interface MetricsSource {
  status(): Status;
  outcomes: Outcomes;
  /** Whether this side should receive traffic now (health.ts servingNow, without the page probe). */
  serving(s: Status): boolean;
}

/** Counts switch attempts by kind and how each ended, as the switch log shows them. */
export class SwitchTally {
  private readonly seen = new Set<string>();
  constructor(private readonly counter: Counter<'kind' | 'result'>) {}
  observe(sw: SwitchLog | null | undefined): void {
    if (!sw || !['completed', 'halted', 'cancelled', 'abandoned'].includes(sw.phase)) return;
    const key = `${sw.id}:${sw.phase}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.counter.inc({ kind: sw.kind, result: sw.phase });
  }
}

const seconds = (ms: number) => ms / 1000;

export function metricsRegistry(src: MetricsSource): { registry: Registry; switches: SwitchTally } {
  const registry = new Registry();
  let current: Status | undefined;
  /** One status per scrape: the first gauge collected reads it, the others reuse it. */
  const st = () => (current ??= src.status());
  const gauge = <L extends string>(
    name: string,
    help: string,
    labelNames: L[],
    set: (g: Gauge<L>, s: Status) => void,
  ) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        set(this, st());
      },
    });
  gauge(
    'sparesync_info',
    'This agent: role, name and version (always 1).',
    ['role', 'name', 'version'],
    (g, s) => g.set({ role: s.local.role, name: s.local.name, version: s.local.version }, 1),
  );
  gauge('sparesync_role', "This agent's role: 1 for the role it has.", ['role'], (g, s) => {
    for (const role of ['primary', 'secondary']) g.set({ role }, s.local.role === role ? 1 : 0);
  });
  gauge(
    'sparesync_state',
    "This agent's state (guide §8): 1 for the current one, 0 for the others.",
    ['state'],
    (g, s) => {
      for (const state of agentStates) g.set({ state }, s.local.state === state ? 1 : 0);
    },
  );
  gauge(
    'sparesync_epoch',
    'The persisted epoch; even: the primary holds the managed system, odd: the secondary.',
    [],
    (g, s) => g.set(s.local.epoch),
  );
  gauge(
    'sparesync_serving',
    '1 when this side should receive traffic (holds the epoch and runs).',
    [],
    (g, s) => g.set(src.serving(s) ? 1 : 0),
  );
  gauge('sparesync_peer_connected', '1 while the link to the peer agent is up.', [], (g, s) =>
    g.set(s.link.connected ? 1 : 0),
  );
  gauge(
    'sparesync_peer_last_seen_timestamp_seconds',
    'When the peer agent was last heard (Unix time; 0: never).',
    [],
    (g, s) => g.set(seconds(s.remote.lastSeenMs)),
  );
  gauge('sparesync_link_rtt_seconds', 'Heartbeat round trip to the peer.', [], (g, s) =>
    g.set(seconds(s.link.rttMs)),
  );
  gauge('sparesync_clock_offset_seconds', "The peer's clock minus this server's.", [], (g, s) =>
    g.set(seconds(s.link.clockOffsetMs)),
  );
  gauge(
    'sparesync_files_pending',
    'Files waiting to reach the other side, per folder pair.',
    ['folder'],
    (g, s) => {
      for (const f of s.folders) g.set({ folder: f.name }, f.filesPending + f.changesWaiting);
    },
  );
  gauge(
    'sparesync_file_bytes_sent_total',
    'Bytes of file data sent since the agent started, per folder pair.',
    ['folder'],
    (g, s) => {
      for (const f of s.folders) g.set({ folder: f.name }, f.bytesSent);
    },
  );
  gauge('sparesync_file_errors', 'File errors now, per folder pair (0: none).', ['folder'], (g, s) => {
    for (const f of s.folders) g.set({ folder: f.name }, f.errorCount);
  });
  gauge(
    'sparesync_folder_last_change_timestamp_seconds',
    'When a change of the folder pair last reached the other side (Unix time).',
    ['folder'],
    (g, s) => {
      for (const f of s.folders) g.set({ folder: f.name }, seconds(f.lastChangeMs));
    },
  );
  gauge(
    'sparesync_db_lag_seconds',
    'Database replication lag: commit on the sender to applied on the receiver.',
    [],
    (g, s) => {
      if (s.database) g.set(seconds(s.database.lagMs));
    },
  );
  gauge('sparesync_db_rows_applied_total', 'Rows replicated since the agent started.', [], (g, s) => {
    if (s.database) g.set(s.database.rowsReplicated);
  });
  gauge(
    'sparesync_db_slot_retained_wal_bytes',
    'PostgreSQL logical capture: WAL the replication slot retains (0 without a slot).',
    [],
    (g, s) => {
      if (s.database) g.set(s.database.slotRetainedWalBytes);
    },
  );
  gauge('sparesync_db_reinit_in_progress', '1 while a database reinitialisation runs.', [], (g, s) => {
    if (s.database) g.set(s.database.reinit?.active ? 1 : 0);
  });
  gauge(
    'sparesync_last_switch_timestamp_seconds',
    'When the last switch started (Unix time; absent before the first).',
    [],
    (g, s) => {
      const sw = s.local.lastSwitch;
      if (sw) g.set(seconds(sw.startedAtMs));
    },
  );
  const switches = new SwitchTally(
    new Counter({
      name: 'sparesync_switches_total',
      help: 'Switch attempts since the agent started, by kind and by how they ended (completed, halted, cancelled, abandoned).',
      labelNames: ['kind', 'result'],
      registers: [registry],
    }),
  );
  new Counter({
    name: 'sparesync_dns_updates_total',
    help: "DNS updates of the managed system's record by this agent, by result (changed, unchanged, failed).",
    labelNames: ['result'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [result, n] of src.outcomes.dnsUpdates) this.inc({ result }, n);
    },
  });
  new Counter({
    name: 'sparesync_notifications_total',
    help: 'Notification deliveries (one per transport) by message code and result (sent, failed).',
    labelNames: ['code', 'result'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [key, n] of src.outcomes.notifications) {
        const [code, result] = key.split(' ') as [string, string];
        this.inc({ code, result }, n);
      }
    },
  });
  const metrics = registry.metrics.bind(registry);
  registry.metrics = async () => {
    current = undefined;
    try {
      return await metrics();
    } finally {
      current = undefined;
    }
  };
  return { registry, switches };
}
