// Settings changes as the Control and Link services receive them: a list of JSON Patch-like
// changes (RFC 6902 add/replace/remove) applied to the settings document, and the settings whose
// effective value (defaults filled in) differs afterwards. Pure: no files, no clock.
import {
  flagsAt,
  settingAt,
  SpareSyncError,
  type SettingChange,
  type SettingOutcome,
} from '@sparesync/common';

export interface ParsedChange {
  /** JSON Pointer. */
  path: string;
  /** undefined: remove the setting (it falls back to its default). */
  value: unknown;
}

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** "system.allowableResponseTimeSeconds" or "/system/allowableResponseTimeSeconds" → the pointer. */
export function toPointer(path: string): string {
  const p = path.trim();
  if (p === '' || p === '/') return '';
  if (p.startsWith('/')) return p.replace(/\/+$/, '');
  return (
    '/' +
    p
      .split('.')
      .map((k) => k.replace(/~/g, '~0').replace(/\//g, '~1'))
      .join('/')
  );
}

/** "/system/x" → "system.x" for messages. */
export function dotted(pointer: string): string {
  return pointer.split('/').slice(1).map(unescape).join('.');
}

const unescape = (k: string) => k.replace(/~1/g, '/').replace(/~0/g, '~');

/**
 * Parses the requested changes. An object value for a group of settings sets each setting inside
 * it (so x-local members can be told apart and left out of what goes to the peer); arrays and
 * scalars are set whole.
 */
export function parseChanges(changes: readonly SettingChange[]): ParsedChange[] {
  if (changes.length === 0) throw new SpareSyncError('InvalidArgument', 'no settings to change were given');
  const out: ParsedChange[] = [];
  for (const c of changes) {
    const path = toPointer(c.path);
    if (path === '') {
      throw new SpareSyncError(
        'InvalidArgument',
        'a setting path is empty; give e.g. system.switchAutomatically',
      );
    }
    if (c.remove) {
      out.push({ path, value: undefined });
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(c.valueJson) as unknown;
    } catch (e) {
      throw new SpareSyncError(
        'InvalidArgument',
        `the value for ${dotted(path)} is not JSON (${(e as Error).message}): ${JSON.stringify(c.valueJson)}; quote text as "\\"text\\""`,
      );
    }
    flatten(path, value, out);
  }
  return out;
}

function flatten(path: string, value: unknown, out: ParsedChange[]): void {
  const node = settingAt(path)?.schema;
  if (isObject(value) && node?.properties && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value))
      flatten(`${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, v, out);
    return;
  }
  out.push({ path, value });
}

/** A copy of `doc` with the changes applied; intermediate objects are created as needed. */
export function applyChanges(doc: unknown, changes: readonly ParsedChange[]): Obj {
  if (!isObject(doc))
    throw new SpareSyncError('ConfigInvalid', 'the settings file does not hold a JSON object');
  const copy = structuredClone(doc);
  for (const c of changes) setAt(copy, c.path, c.value, true);
  return copy;
}

/**
 * Sets (or with value undefined removes) the value at a pointer inside `root`, in place.
 * `create` makes missing intermediate objects; without it a missing parent is left alone.
 */
export function setAt(root: Obj, pointer: string, value: unknown, create: boolean): void {
  const keys = pointer.split('/').slice(1).map(unescape);
  let cur: unknown = root;
  for (const key of keys.slice(0, -1)) {
    const container = cur as Obj;
    if (!isObject(container[key]) && !Array.isArray(container[key])) {
      if (!create || value === undefined) return;
      container[key] = {};
    }
    cur = container[key];
  }
  const last = keys[keys.length - 1]!;
  if (Array.isArray(cur)) {
    const i = Number(last);
    if (!Number.isInteger(i) || i < 0 || i > cur.length) {
      throw new SpareSyncError(
        'InvalidArgument',
        `${dotted(pointer)}: no such array item (the list has ${cur.length})`,
      );
    }
    if (value === undefined) cur.splice(i, 1);
    else cur[i] = value;
    return;
  }
  if (!isObject(cur)) {
    throw new SpareSyncError('InvalidArgument', `${dotted(pointer)}: its parent is not an object`);
  }
  if (value === undefined) delete cur[last];
  else cur[last] = value;
}

export function valueAt(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const key of pointer.split('/').slice(1).map(unescape)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Obj)[key];
  }
  return cur;
}

/** Pointers whose value differs: objects are compared member by member, everything else whole. */
export function changedPaths(before: unknown, after: unknown, base = ''): string[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) =>
      changedPaths(before[k], after[k], `${base}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`),
    );
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [base || '/'];
}

/**
 * One changed setting and what it needs. `live` says whether this agent reads the setting at each
 * use (see live.ts); anything else takes effect at the next start.
 */
export function outcomeOf(
  path: string,
  before: unknown,
  after: unknown,
  live: (p: string) => boolean,
): SettingOutcome {
  const flags = flagsAt(path);
  return {
    path,
    oldJson: JSON.stringify(valueAt(before, path)) ?? 'null',
    newJson: JSON.stringify(valueAt(after, path)) ?? 'null',
    local: flags.local,
    restartRequired: flags.restartRequired || !live(path),
    critical: flags.critical,
  };
}

/** The changes that go to the peer: those of settings not marked x-local. */
export function sharedChanges(changes: readonly ParsedChange[]): ParsedChange[] {
  return changes.filter((c) => !flagsAt(c.path).local);
}

/** Back to the wire form (for Link PushSettings). */
export function toWire(changes: readonly ParsedChange[]): SettingChange[] {
  return changes.map((c) =>
    c.value === undefined
      ? { path: c.path, valueJson: '', remove: true }
      : { path: c.path, valueJson: JSON.stringify(c.value), remove: false },
  );
}
