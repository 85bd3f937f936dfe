// Validation of sparesync.json: the JSON Schema (ajv, defaults filled in) plus the cross-field
// checks JSON Schema cannot express. Every problem names its JSON path, the value found and what
// was expected, one line each, so `sparesync config validate` and the agent print the same text.
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { FromSchema } from 'json-schema-to-ts';
import validateGenerated from '../generated-settings/validator';
import type { settingsSchema } from './schema';
import { expectationText, type SchemaNode } from './annotations';
import { notificationProblems } from './sections/notifications';
import { witnessProblems } from './sections/witness';

export type Settings = FromSchema<typeof settingsSchema>;

export interface SettingsProblem {
  /** JSON path, e.g. "/network/blockSizeBytes" ("/" for the document). */
  path: string;
  value: unknown;
  message: string;
}

// The schema compiled ahead of time (scripts/gen-settings-validator.js, with ajv's verbose
// errors: each carries its schema node, so messages can state the whole expectation, "an integer
// from 1 to 64", rather than the one keyword that failed). Compiling it here took ~0.2 s of every
// start.
const validateSchema = validateGenerated as unknown as ValidateFunction;

function valueAt(doc: unknown, pointer: string): unknown {
  let cur: unknown = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function describe(err: ErrorObject): { path: string; message: string } {
  const base = err.instancePath || '';
  const node = err.parentSchema as SchemaNode | undefined;
  switch (err.keyword) {
    case 'additionalProperties': {
      const extra = (err.params as { additionalProperty: string }).additionalProperty;
      return {
        path: `${base}/${extra}`,
        message: unknownSettingMessage(extra, Object.keys(node?.properties ?? {})),
      };
    }
    case 'required': {
      const missing = (err.params as { missingProperty: string }).missingProperty;
      return { path: `${base}/${missing}`, message: 'required setting is missing' };
    }
    case 'enum':
      return {
        path: base || '/',
        message: `expected one of ${(err.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'pattern':
      return { path: base || '/', message: patternMessage(base) };
    case 'type':
    case 'minimum':
    case 'maximum':
    case 'minLength':
    case 'minItems':
      if (node) return { path: base || '/', message: `expected ${expectationText(node)}` };
      break;
  }
  return {
    path: base || '/',
    message: `expected ${(err.message ?? 'a valid value').replace(/^must (be )?/, '')}`,
  };
}

/** Names a likely intended setting: same letters in another case, or at most two edits away. */
function unknownSettingMessage(name: string, known: string[]): string {
  const candidates = known.filter((k) => k !== '$schema');
  const close =
    candidates.find((k) => k.toLowerCase() === name.toLowerCase()) ??
    candidates.find((k) => editDistance(k.toLowerCase(), name.toLowerCase()) <= 2);
  if (close) return `unknown setting (did you mean "${close}"?)`;
  return `unknown setting (check its spelling; settings here: ${candidates.join(', ')})`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

function patternMessage(path: string): string {
  if (path.endsWith('/fingerprint')) return 'expected a SHA-256 fingerprint (64 hex digits, colons allowed)';
  if (path.endsWith('/start') || path.endsWith('/end')) return 'expected a time as HH:MM';
  if (path.endsWith('/name')) return 'expected letters, digits, ".", "_" or "-" only';
  if (/^\/notifications\/smtp\/to\/\d+$/.test(path)) return 'expected a mail address like ops@example.com';
  return 'does not have the expected format';
}

/** Cross-field checks on settings that already passed the schema. */
export function crossFieldProblems(s: Settings): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  const beat = s.network.remoteCheckIntervalSeconds;
  const lost = beat * s.link.heartbeatMisses;
  if (lost >= s.system.allowableResponseTimeSeconds) {
    problems.push({
      path: '/network/remoteCheckIntervalSeconds',
      value: beat,
      message: `expected network.remoteCheckIntervalSeconds × link.heartbeatMisses (${beat} × ${s.link.heartbeatMisses} = ${+lost.toFixed(3)} s) to be less than system.allowableResponseTimeSeconds (${s.system.allowableResponseTimeSeconds} s), so that a lost peer is noticed within the allowable response time`,
    });
  }
  if (s.link.reconnectMaxMs < s.link.reconnectInitialMs) {
    problems.push({
      path: '/link/reconnectMaxMs',
      value: s.link.reconnectMaxMs,
      message: `expected at least link.reconnectInitialMs (${s.link.reconnectInitialMs})`,
    });
  }
  const names = new Set<string>();
  s.folders.forEach((f, i) => {
    if (names.has(f.name))
      problems.push({ path: `/folders/${i}/name`, value: f.name, message: 'expected a unique folder name' });
    names.add(f.name);
  });
  if (s.database.capture === 'logical' && s.database.engine !== 'postgres')
    problems.push({
      path: '/database/capture',
      value: s.database.capture,
      message: `expected auto or triggers: logical capture is for PostgreSQL (database.engine is ${s.database.engine})`,
    });
  problems.push(...notificationProblems(s.notifications));
  problems.push(...witnessProblems(s));
  return problems;
}

/**
 * Validates a parsed settings document. On success returns the settings with defaults filled in
 * (a copy; the input is not changed); otherwise the problems.
 */
export function validateSettings(
  doc: unknown,
): { ok: true; settings: Settings } | { ok: false; problems: SettingsProblem[] } {
  const copy: unknown = structuredClone(doc);
  if (copy === null || typeof copy !== 'object' || Array.isArray(copy)) {
    return { ok: false, problems: [{ path: '/', value: doc, message: 'expected a JSON object' }] };
  }
  if (!validateSchema(copy)) {
    const seen = new Set<string>();
    const problems: SettingsProblem[] = [];
    for (const err of validateSchema.errors ?? []) {
      const { path, message } = describe(err);
      const key = `${path}\0${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push({ path, value: valueAt(doc, path), message });
    }
    return { ok: false, problems };
  }
  const settings = copy as Settings;
  const problems = crossFieldProblems(settings);
  return problems.length ? { ok: false, problems } : { ok: true, settings };
}

/** "FILE: /path = value: message"; a problem with the whole file and no value: "FILE: message". */
export function formatProblem(p: SettingsProblem, file?: string): string {
  const prefix = file ? `${file}: ` : '';
  if (p.path === '/' && p.value === undefined) return `${prefix}${p.message}`;
  const value = p.value === undefined ? '(missing)' : JSON.stringify(p.value);
  return `${prefix}${p.path} = ${value}: ${p.message}`;
}
