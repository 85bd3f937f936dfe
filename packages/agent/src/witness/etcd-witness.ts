// The witness client (issue 15): one lease on the etcd cluster, renewed every third of its TTL, and
// two keys under the pair's prefix. `<prefix>/holder` = {role, epoch, since}, attached to the lease
// of the side that serves, so it vanishes when that side stops renewing; `<prefix>/epoch`, without
// a lease, the highest epoch any switch wrote. Every write is one transaction that compares
// revisions or values first, so a stale side can never write the key back. Each round reports what
// it saw to the machine (WitnessChecked); what that means is decided in state/witness.ts.
import { Etcd3, EtcdAuthenticationFailedError, EtcdPermissionDeniedError } from 'etcd3';
import type { Logger, Role } from '@sparesync/common';
import { holderOf, type Observation, type WitnessHolder } from '../state';
import { clientOptions, looseFile, message, type WitnessSettings } from './client-options';

export type { WitnessSettings };

export type WitnessReport = Omit<Extract<Observation, { type: 'WitnessChecked' }>, 'type'>;

export interface WitnessOptions {
  settings: WitnessSettings;
  role: Role;
  resolvePath: (p: string) => string;
  /** The epoch this side knows now: the side it names serves and holds the key. */
  epoch: () => number;
  report: (r: WitnessReport) => void;
  log: Logger;
  now?: () => number;
}

/** A key as read: its value and the revisions the transactions compare on. */
interface Read {
  value: string;
  modRevision: string;
  lease: string;
}

/** What a switch asks for (state's TakeWitnessKey). */
export interface Take {
  holder: Role;
  epoch: number;
  fromEpoch: number;
  onlyIfFree: boolean;
}

export class EtcdWitness {
  /** One client per member: a round that fails on one is tried on the next (etcd3's own retry
   * across hosts does not cover the lease stream). */
  private readonly clients: Etcd3[];
  private at = 0;
  private readonly holderKey: Buffer;
  private readonly epochKey: Buffer;
  private readonly ttl: number;
  private readonly callMs: number;
  private readonly now: () => number;
  private leaseId: string | undefined;
  private validUntil: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lane: Promise<void> = Promise.resolve();
  private stopped = false;
  private last: WitnessReport | undefined;
  /** Why no client could be built (a credentials file that cannot be read): every round says so. */
  private readonly unusable: string | undefined;

  constructor(private readonly o: WitnessOptions) {
    const w = o.settings;
    const prefix = w.keyPrefix.replace(/\/+$/, '');
    this.holderKey = Buffer.from(`${prefix}/holder`);
    this.epochKey = Buffer.from(`${prefix}/epoch`);
    this.ttl = w.leaseTtlSeconds;
    // A call that takes longer than a third of the lease is as good as failed: the next renewal is due.
    this.callMs = Math.max(300, Math.min(2000, (this.ttl * 1000) / 3));
    this.now = o.now ?? Date.now;
    let clients: Etcd3[] = [];
    try {
      clients = w.etcd.endpoints.map((host) => new Etcd3(clientOptions(w, o.resolvePath, this.callMs, host)));
    } catch (e) {
      this.unusable = message(e);
      o.log.error(`the witness cannot be used: ${this.unusable}`);
    }
    this.clients = clients;
    const loose = looseFile(w.etcd.passwordFile, o.resolvePath);
    if (loose) {
      o.log.warn(
        `the file named by witness.etcd.passwordFile (${loose.file}, mode ${loose.mode.toString(8)}) can be read by other users; run chmod 600 on it`,
      );
    }
  }

  /** The last round's report (status shows it). */
  get lastReport(): WitnessReport | undefined {
    return this.last;
  }

  start(): void {
    const loop = () => {
      if (this.stopped) return;
      this.check().finally(() => {
        if (!this.stopped) this.timer = setTimeout(loop, (this.ttl * 1000) / 3);
      });
    };
    loop();
  }

  /** Stops renewing; the lease expires by itself (an agent that stops does not hand the key over). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const c of this.clients) c.close();
  }

  /** One round now (renew, read, claim or adopt the key when this side serves), then report. */
  check(): Promise<void> {
    return this.serially(async () => {
      this.report(await this.round());
    });
  }

  /**
   * Moves the holder key to `t.holder` at `t.epoch` and `<prefix>/epoch` from `t.fromEpoch`, in one
   * transaction, attached to this side's lease. With onlyIfFree the holder key must be absent (the
   * old holder's lease gone); otherwise it must be unchanged since read. Resolves to a detail line;
   * rejects with the reason it was refused.
   */
  take(t: Take): Promise<string> {
    return this.serially(async () => {
      try {
        return await this.onAnyMember(() => this.takeOnce(t));
      } catch (e) {
        // The machine hears about an unreachable witness from the next round.
        throw new Error(`the witness key could not be taken: ${this.explain(e)}`);
      }
    });
  }

  private async takeOnce(t: Take): Promise<string> {
    const lease = await this.renewed();
    const [holder, epoch] = await Promise.all([this.get(this.holderKey), this.get(this.epochKey)]);
    const already = holder ? parseHolder(holder.value) : undefined;
    // A retry after a transaction whose answer was lost: it did commit.
    if (already?.role === t.holder && already.epoch === t.epoch && holder!.lease === lease) {
      return `the witness key already names the ${t.holder} at epoch ${t.epoch} under this server's lease`;
    }
    const recorded = epoch ? Number(epoch.value) : undefined;
    // A side whose epoch is behind the witness's must not move it: it has missed a switch.
    if (recorded !== undefined && recorded !== t.fromEpoch) {
      throw new Error(
        `the witness records epoch ${recorded}, but this server moves from epoch ${t.fromEpoch}`,
      );
    }
    if (t.onlyIfFree && holder) {
      throw new Error(`the holder key is not free: ${holder.value}`);
    }
    const value: WitnessHolder = { role: t.holder, epoch: t.epoch, since: this.now() };
    const compare = this.unchanged(holder, epoch);
    const r = await this.client.kv.txn(
      {
        compare,
        success: [
          {
            request_put: { key: this.holderKey, value: Buffer.from(JSON.stringify(value)), lease: lease },
          },
          { request_put: { key: this.epochKey, value: Buffer.from(String(t.epoch)) } },
        ],
      },
      this.callOptions(),
    );
    if (!r.succeeded) throw new Error('the holder or epoch key changed since it was read');
    const from = holder ? `from ${holder.value}` : 'while it was free';
    const detail = `took the witness key for the ${t.holder} at epoch ${t.epoch} ${from} (revision ${r.header.revision})`;
    this.o.log.info(detail);
    this.report(await this.round());
    return detail;
  }

  private async round(): Promise<WitnessReport> {
    try {
      return await this.onAnyMember(() => this.observe());
    } catch (e) {
      return {
        reachable: false,
        detail: this.explain(e),
        mine: false,
        ...(this.validUntil === undefined ? {} : { leaseValidUntil: this.validUntil }),
      };
    }
  }

  private async observe(): Promise<WitnessReport> {
    const lease = await this.renewed();
    let [holder, epoch] = await Promise.all([this.get(this.holderKey), this.get(this.epochKey)]);
    const local = this.o.epoch();
    if (holderOf(local) === this.o.role && !this.isMine(holder, lease)) {
      const claimed = await this.claim(local, lease, holder, epoch);
      if (claimed) [holder, epoch] = await Promise.all([this.get(this.holderKey), this.get(this.epochKey)]);
    }
    const value = holder ? parseHolder(holder.value) : undefined;
    return {
      reachable: true,
      detail: holder ? `the key names ${holder.value}` : 'the holder key is free',
      ...(value ? { holder: value } : {}),
      mine: this.isMine(holder, lease),
      ...(epoch ? { epoch: Number(epoch.value) } : {}),
      ...(this.validUntil === undefined ? {} : { leaseValidUntil: this.validUntil }),
    };
  }

  /** Tries `f` on each member in turn, starting with the last that answered. */
  private async onAnyMember<T>(f: () => Promise<T>): Promise<T> {
    if (this.unusable) throw new Error(this.unusable);
    let last: unknown;
    for (let i = 0; i < this.clients.length; i++) {
      try {
        return await f();
      } catch (e) {
        last = e;
        this.at = (this.at + 1) % this.clients.length;
      }
    }
    throw last;
  }

  /** A refusal of the credentials names the settings to check; the password never appears. */
  private explain(e: unknown): string {
    const etcd = this.o.settings.etcd;
    const text = message(e);
    if (e instanceof EtcdAuthenticationFailedError || /authentication failed/.test(text)) {
      return `etcd refused user "${etcd.user}" with the password in witness.etcd.passwordFile (${this.o.resolvePath(etcd.passwordFile)}): ${text}; check witness.etcd.user and that file`;
    }
    if (e instanceof EtcdPermissionDeniedError || /permission denied/.test(text)) {
      return `etcd user "${etcd.user}" may not read and write the keys under ${this.holderKey.toString().replace(/holder$/, '')} (${text}): grant its role readwrite on witness.keyPrefix`;
    }
    return text;
  }

  private get client(): Etcd3 {
    return this.clients[this.at]!;
  }

  /**
   * The serving side takes a free key at its own epoch (the epoch key must still hold that epoch,
   * or be absent on a new pair), or adopts a key that names it at its epoch under another lease (a
   * switch back writes the key for the primary under the secondary's lease).
   */
  private async claim(
    local: number,
    lease: string,
    holder: Read | undefined,
    epoch: Read | undefined,
  ): Promise<boolean> {
    const current = holder ? parseHolder(holder.value) : undefined;
    if (holder && !(current && current.role === this.o.role && current.epoch === local)) return false;
    if (epoch && Number(epoch.value) !== local) return false;
    const value: WitnessHolder = current ?? { role: this.o.role, epoch: local, since: this.now() };
    const success = [
      { request_put: { key: this.holderKey, value: Buffer.from(JSON.stringify(value)), lease } },
    ];
    if (!epoch)
      success.push({ request_put: { key: this.epochKey, value: Buffer.from(String(local)), lease: '0' } });
    const compare = this.unchanged(holder, epoch);
    const r = await this.client.kv.txn({ compare, success }, this.callOptions());
    if (r.succeeded) this.o.log.info(`${holder ? 'adopted' : 'took'} the witness key at epoch ${local}`);
    return r.succeeded;
  }

  /** Compares that hold while both keys are as read: the same revision, or still absent. */
  private unchanged(holder: Read | undefined, epoch: Read | undefined) {
    return [asRead(this.epochKey, epoch), asRead(this.holderKey, holder)];
  }

  private isMine(holder: Read | undefined, lease: string): boolean {
    const v = holder ? parseHolder(holder.value) : undefined;
    return !!v && v.role === this.o.role && holder!.lease === lease;
  }

  /** The lease, granted if needed and renewed now; validUntil counts from the request's send time. */
  private async renewed(): Promise<string> {
    if (this.leaseId === undefined) {
      const sent = this.now();
      const g = await this.client.leaseClient.leaseGrant({ TTL: this.ttl }, this.callOptions());
      this.leaseId = String(g.ID);
      this.validUntil = sent + Number(g.TTL) * 1000;
      return this.leaseId;
    }
    const sent = this.now();
    const stream = await this.client.leaseClient.leaseKeepAlive(this.callOptions());
    const res = await new Promise<{ TTL: string }>((resolve, reject) => {
      stream.on('data', resolve);
      stream.on('error', reject);
      stream.write({ ID: this.leaseId });
    }).finally(() => stream.end());
    if (Number(res.TTL) <= 0) {
      // Expired while it could not be renewed: whatever it held is gone (the keys as read say so).
      this.leaseId = undefined;
      this.validUntil = undefined;
      this.o.log.warn('the witness lease had expired; granting a new one');
      return this.renewed();
    }
    this.validUntil = sent + Number(res.TTL) * 1000;
    return this.leaseId;
  }

  private async get(key: Buffer): Promise<Read | undefined> {
    const r = await this.client.kv.range({ key }, this.callOptions());
    const kv = r.kvs[0];
    return kv
      ? { value: kv.value.toString(), modRevision: kv.mod_revision, lease: String(kv.lease) }
      : undefined;
  }

  private callOptions() {
    return { deadline: Date.now() + this.callMs };
  }

  private report(r: WitnessReport): void {
    this.last = r;
    if (!this.stopped) this.o.report(r);
  }

  private serially<T>(f: () => Promise<T>): Promise<T> {
    const run = this.lane.then(f);
    this.lane = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}

function asRead(key: Buffer, read: Read | undefined) {
  return read
    ? { key, target: 'Mod' as const, result: 'Equal' as const, mod_revision: read.modRevision }
    : { key, target: 'Create' as const, result: 'Equal' as const, create_revision: 0 };
}

function parseHolder(text: string): WitnessHolder | undefined {
  try {
    const v = JSON.parse(text) as Partial<WitnessHolder>;
    if ((v.role === 'primary' || v.role === 'secondary') && typeof v.epoch === 'number') {
      return { role: v.role, epoch: v.epoch, since: typeof v.since === 'number' ? v.since : 0 };
    }
  } catch {
    // not ours: reported as a key that names nobody
  }
  return undefined;
}
