// Settings templates (guide §7.2): named sets of values for /network and /system. The tables below
// are the guide's tables row for row, one column per template, so they can be checked against it
// by eye. Applying a template overwrites those settings and leaves every other setting alone; the
// template's name is not stored (guide §7.2: the choice is not remembered).
import { SpareSyncError } from '../errors';
import { defaultAt } from './annotations';
import type { Settings } from './validate';

type Column<T> = readonly [T, T, T];
/** A row per setting of the section; a partial map, so sections can grow without touching templates. */
type Rows<S> = { readonly [K in keyof S]?: Column<S[K]> };

interface TemplateGroup<Section extends 'network' | 'system'> {
  section: Section;
  guide: string;
  levels: Column<string>;
  titles: Column<string>;
  rows: Rows<Settings[Section]>;
}

const network: TemplateGroup<'network'> = {
  section: 'network',
  guide: '§7.2.1',
  levels: ['slow', 'ordinary', 'fast'],
  titles: ['Slow network', '"Ordinary" network', 'Fast network'],
  rows: {
    blockSizeBytes: [65536, 65536, 65536],
    maxConnections: [1, 3, 3],
    sendDelaySeconds: [5, 3, 3],
    compression: [true, true, false],
    maxReplicaSizeKiB: [512, 2048, 4096],
    remoteCheckIntervalSeconds: [10, 5, 5],
    dbIterationPauseSeconds: [20, 5, 5],
  },
};

const system: TemplateGroup<'system'> = {
  section: 'system',
  guide: '§7.2.2',
  levels: ['reduced', 'recommended', 'fast'],
  titles: ['Reduced attention mode', 'Recommended mode', 'Fast response mode'],
  rows: {
    switchAutomatically: [true, true, true],
    allowableResponseTimeSeconds: [600, 120, 60],
    switchAfterConfigErrorsFixed: [false, false, true],
    switchWhenManagedSystemDownLinkUp: [false, true, true],
    switchIfRemoteStopped: [false, false, true],
    externalResourcesRecoverySeconds: [120, 60, 30],
    dbConnectionErrorsFatal: [true, true, false],
    availabilityCheckSeconds: [60, 60, 30],
  },
};

export type TemplateValue = number | boolean;

export interface Template {
  /** "network:slow", ... */
  name: string;
  group: 'network' | 'system';
  title: string;
  /** Values by JSON path, in the guide's row order. */
  values: ReadonlyArray<{ path: string; value: TemplateValue }>;
}

export interface TemplateGroupInfo {
  group: 'network' | 'system';
  guide: string;
  templates: Template[];
}

function expand(g: TemplateGroup<'network'> | TemplateGroup<'system'>): TemplateGroupInfo {
  const rows = Object.entries(g.rows) as Array<[string, Column<TemplateValue>]>;
  return {
    group: g.section,
    guide: g.guide,
    templates: g.levels.map((level, i) => ({
      name: `${g.section}:${level}`,
      group: g.section,
      title: g.titles[i]!,
      values: rows.map(([key, column]) => ({ path: `/${g.section}/${key}`, value: column[i]! })),
    })),
  };
}

export const templateGroups: readonly TemplateGroupInfo[] = [expand(network), expand(system)];
export const templates: readonly Template[] = templateGroups.flatMap((g) => g.templates);
export const templateNames: readonly string[] = templates.map((t) => t.name);

export function findTemplate(name: string): Template | undefined {
  return templates.find((t) => t.name === name);
}

export interface TemplateChange {
  path: string;
  /** The value in force before: as written in the file, or the schema default when absent. */
  old: unknown;
  /** True when the setting was absent from the file and `old` is its default. */
  oldIsDefault: boolean;
  new: TemplateValue;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Applies a template to a parsed settings document. Returns a new document (the input is not
 * changed) and the settings whose value in force changes. Only those are written: a setting that
 * already has the template's value, written or by default, stays as it is in the file.
 */
export function applyTemplate(
  doc: unknown,
  name: string,
): { doc: Record<string, unknown>; changes: TemplateChange[] } {
  const template = findTemplate(name);
  if (!template) {
    throw new SpareSyncError(
      'InvalidArgument',
      `unknown template "${name}"; valid templates: ${templateNames.join(', ')}`,
    );
  }
  if (!isPlainObject(doc)) {
    throw new SpareSyncError('ConfigInvalid', 'the settings document is not a JSON object');
  }
  const out = structuredClone(doc);
  const section = out[template.group] ?? {};
  if (!isPlainObject(section)) {
    throw new SpareSyncError(
      'ConfigInvalid',
      `/${template.group} = ${JSON.stringify(section)}: expected an object`,
    );
  }
  const changes: TemplateChange[] = [];
  for (const { path, value } of template.values) {
    const key = path.slice(template.group.length + 2);
    const written = Object.hasOwn(section, key);
    const old = written ? section[key] : defaultAt(path);
    if (old === value) continue;
    section[key] = value;
    changes.push({ path, old, oldIsDefault: !written, new: value });
  }
  if (changes.length) out[template.group] = section;
  return { doc: out, changes };
}

/** "/network/compression: true (default) -> false" */
export function formatChange(c: TemplateChange): string {
  const old = c.old === undefined ? '(unset)' : JSON.stringify(c.old);
  return `${c.path}: ${old}${c.oldIsDefault ? ' (default)' : ''} -> ${JSON.stringify(c.new)}`;
}
