// "Update test DNS record" (guide §7.3.3): proves that the DNS server accepts our signed updates
// for the zone, without touching the managed system's record. Adds a test record, reads it back,
// deletes it, and checks it is gone; each step reports its own result.
import { transact, answerError, queryRecords, type DnsRequestOptions } from './client';
import { DnsError } from './errors';
import { buildUpdate, type Update } from './messages';
import { dataText, encodeRdata, type RecordData } from './rdata';
import { canonicalName } from './wire';

export type TestStepName = 'add' | 'query-added' | 'delete' | 'query-deleted';

export interface TestStep {
  step: TestStepName;
  ok: boolean;
  /** What was done or found, for the admin page. */
  detail: string;
  /** Set when the step was not run because an earlier one made it pointless. */
  skipped?: boolean;
  error?: { dnsError: string; message: string; hint: string; retryable: boolean };
}

export interface TestRecordRequest extends DnsRequestOptions {
  zone: string;
  /**
   * Default `_sparesync-test.<zone>` for TXT; `sparesync-test.<zone>` for an address record, since
   * servers check address owners as host names (BIND's check-names refuses the underscore).
   */
  name?: string;
  /** Default: a TXT record with a time stamp. */
  data?: RecordData;
  ttl?: number;
}

export interface TestRecordReport {
  ok: boolean;
  name: string;
  steps: TestStep[];
}

function failed(step: TestStepName, e: unknown): TestStep {
  if (e instanceof DnsError) {
    const { dnsError, message, hint, retryable } = e;
    return { step, ok: false, detail: message, error: { dnsError, message, hint, retryable } };
  }
  throw e;
}

export async function testDnsRecord(req: TestRecordRequest): Promise<TestRecordReport> {
  const now = req.now ?? Date.now;
  const data: RecordData = req.data ?? {
    type: 'TXT',
    strings: [`SpareSync test record ${new Date(now()).toISOString()}`],
  };
  const name = canonicalName(req.name ?? `${data.type === 'TXT' ? '_' : ''}sparesync-test.${req.zone}`);
  const rdata = encodeRdata(data);
  const shown = `${name} ${data.type} ${dataText(data)}`;
  const holds = async () =>
    (await queryRecords(req, name, data.type)).records.some((d) => encodeRdata(d).equals(rdata));
  const update = async (updates: Update[], what: string) => {
    const reply = await transact(req, (id) => buildUpdate(id, req.zone, [], updates), what);
    if (reply.rcode !== 0) throw answerError(reply, req.server, what);
  };

  const steps: TestStep[] = [];
  const run = async (step: TestStepName, body: () => Promise<string>) => {
    try {
      steps.push({ step, ok: true, detail: await body() });
    } catch (e) {
      steps.push(failed(step, e));
    }
    return steps[steps.length - 1]!;
  };

  // Replacing the whole RRset keeps a test record left behind by an interrupted run from piling up.
  const added = await run('add', async () => {
    await update(
      [
        { kind: 'deleteRRset', name, type: data.type },
        { kind: 'add', name, ttl: req.ttl ?? 60, data },
      ],
      `DNS update adding ${shown}`,
    );
    return `added ${shown}`;
  });
  // A timed-out or unverifiable add may still have been applied: clean up anyway.
  const mayExist = added.ok || added.error?.retryable === true;
  if (added.ok) {
    await run('query-added', async () => {
      if (!(await holds()))
        throw new DnsError('BADRESPONSE', `the server does not return ${shown} after adding it`);
      return `the server returns ${shown}`;
    });
  } else {
    steps.push({
      step: 'query-added',
      ok: false,
      skipped: true,
      detail: 'skipped: the record was not added',
    });
  }
  if (mayExist) {
    const deleted = await run('delete', async () => {
      await update(
        [{ kind: 'deleteRRset', name, type: data.type }],
        `DNS update deleting ${name} ${data.type}`,
      );
      return `deleted ${name} ${data.type}`;
    });
    if (deleted.ok) {
      await run('query-deleted', async () => {
        if (await holds())
          throw new DnsError('BADRESPONSE', `the server still returns ${shown} after deleting it`);
        return `${name} ${data.type} is gone`;
      });
    } else {
      steps.push({ step: 'query-deleted', ok: false, skipped: true, detail: 'skipped: the delete failed' });
    }
  } else {
    for (const step of ['delete', 'query-deleted'] as const) {
      steps.push({ step, ok: false, skipped: true, detail: 'skipped: the record was not added' });
    }
  }
  return { ok: steps.every((s) => s.ok), name, steps };
}
