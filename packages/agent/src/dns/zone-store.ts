// The embedded server's zone on disk: one JSON file, replaced atomically (temp file, fsync,
// rename, fsync of the folder: common durable-file.ts), so a crash leaves the old zone or the
// new one. A file that is not a valid zone for this origin is an error naming the file, never
// silently replaced by a fresh zone.
import { readFile } from 'node:fs/promises';
import { SpareSyncError, writeFileDurably } from '@sparesync/common';
import { encodeRdata } from './rdata';
import { isRecordType, soaOf, type Zone, type ZoneRecord } from './zone';
import { canonicalName } from './wire';

interface ZoneFile {
  version: 1;
  origin: string;
  records: ZoneRecord[];
}

function invalid(file: string, why: string): SpareSyncError {
  return new SpareSyncError(
    'ConfigInvalid',
    `embedded DNS zone file ${file} (dns.embedded.zoneFile) is not valid: ${why}`,
    {
      hint: 'Fix or move the file away; when it is missing the server starts with a fresh zone from the dns settings.',
    },
  );
}

function checkRecord(file: string, r: unknown, i: number): ZoneRecord {
  const rec = r as Partial<ZoneRecord> | null;
  if (!rec || typeof rec.name !== 'string' || !Number.isInteger(rec.ttl) || (rec.ttl as number) < 0) {
    throw invalid(file, `record ${i} needs a name and a TTL`);
  }
  const data = rec.data as ZoneRecord['data'] | undefined;
  if (!data || typeof data.type !== 'string' || !isRecordType(data.type))
    throw invalid(file, `record ${i} has no known type`);
  try {
    encodeRdata(data);
  } catch (e) {
    throw invalid(file, `record ${i} (${rec.name} ${data.type}): ${(e as Error).message}`);
  }
  return { name: canonicalName(rec.name), ttl: rec.ttl as number, data };
}

/** The zone kept in `file`, or undefined if there is no such file yet. */
export async function loadZone(file: string, origin: string): Promise<Zone | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SpareSyncError(
      'ConfigUnreadable',
      `cannot read embedded DNS zone file ${file}: ${(e as Error).message}`,
    );
  }
  let doc: Partial<ZoneFile>;
  try {
    doc = JSON.parse(text) as Partial<ZoneFile>;
  } catch (e) {
    throw invalid(file, `not JSON (${(e as Error).message})`);
  }
  if (doc.version !== 1 || !Array.isArray(doc.records))
    throw invalid(file, 'expected {"version": 1, "origin", "records": [...]}');
  if (canonicalName(String(doc.origin)) !== canonicalName(origin)) {
    throw invalid(file, `it holds zone "${String(doc.origin)}", but dns.zone is "${origin}"`);
  }
  const zone: Zone = {
    origin: canonicalName(origin),
    records: doc.records.map((r, i) => checkRecord(file, r, i)),
  };
  try {
    soaOf(zone);
  } catch {
    throw invalid(file, 'it has no SOA record at the zone origin');
  }
  return zone;
}

export async function saveZone(file: string, zone: Zone): Promise<void> {
  const doc: ZoneFile = { version: 1, origin: zone.origin, records: zone.records };
  await writeFileDurably(file, JSON.stringify(doc, null, 2) + '\n');
}
