// What the settings schema says about each setting, by JSON path: its schema node, whether it is
// required, and the guide §7.1 markers. The admin page highlights critical settings, the agent asks
// for a restart after restart-required ones change, and settings sync skips local ones; all read
// them from here so the schema stays the one source.
//
// Invariant: a marker on an object applies to everything inside it (tls is local, so tls.ca is).
// Array items appear in paths as "*" ("/folders/*/name"); flagsAt() accepts concrete indexes.
import { settingsSchema } from './schema';

export interface SchemaNode {
  readonly type?: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly minItems?: number;
  readonly pattern?: string;
  readonly required?: readonly string[];
  readonly properties?: { readonly [name: string]: SchemaNode };
  readonly items?: SchemaNode;
  readonly 'x-critical'?: boolean;
  readonly 'x-restartRequired'?: boolean;
  readonly 'x-local'?: boolean;
}

export interface SettingFlags {
  critical: boolean;
  restartRequired: boolean;
  local: boolean;
}

export interface SettingInfo extends SettingFlags {
  /** JSON Pointer; "*" stands for any array index. */
  path: string;
  schema: SchemaNode;
  /** The parent object lists it in `required`. */
  required: boolean;
  /** An object or an array of objects: its members are listed as settings of their own. */
  isGroup: boolean;
}

export const rootSchema: SchemaNode = settingsSchema;

const noFlags: SettingFlags = { critical: false, restartRequired: false, local: false };

function inherit(parent: SettingFlags, node: SchemaNode): SettingFlags {
  return {
    critical: parent.critical || node['x-critical'] === true,
    restartRequired: parent.restartRequired || node['x-restartRequired'] === true,
    local: parent.local || node['x-local'] === true,
  };
}

/** The properties of an object node, or of the objects in an array node. */
function members(node: SchemaNode): { prefix: string; owner: SchemaNode } | undefined {
  if (node.properties) return { prefix: '', owner: node };
  if (node.items?.properties) return { prefix: '/*', owner: node.items };
  return undefined;
}

/** Every setting in schema order, depth first; groups come before their members. */
export function listSettings(root: SchemaNode = rootSchema): SettingInfo[] {
  const out: SettingInfo[] = [];
  const walk = (owner: SchemaNode, base: string, parentFlags: SettingFlags) => {
    for (const [name, node] of Object.entries(owner.properties ?? {})) {
      if (name === '$schema') continue;
      const path = `${base}/${name}`;
      const flags = inherit(parentFlags, node);
      const inner = members(node);
      out.push({
        path,
        schema: node,
        required: owner.required?.includes(name) ?? false,
        isGroup: !!inner,
        ...flags,
      });
      if (inner) walk(inner.owner, path + inner.prefix, flags);
    }
  };
  walk(root, '', noFlags);
  return out;
}

const byPath = new Map(listSettings().map((s) => [s.path, s]));

/** The schema entry for a path; concrete array indexes ("/folders/0/name") are accepted. */
export function settingAt(path: string): SettingInfo | undefined {
  return byPath.get(path.replace(/\/\d+(?=\/|$)/g, '/*'));
}

/**
 * Markers in force at a path, inherited from enclosing objects. A path below a leaf (inside a
 * free-form value) takes the leaf's markers; an unknown path has none.
 */
export function flagsAt(path: string): SettingFlags {
  const parts = path.split('/');
  for (let n = parts.length; n > 1; n--) {
    const s = settingAt(parts.slice(0, n).join('/'));
    if (s) return { critical: s.critical, restartRequired: s.restartRequired, local: s.local };
  }
  return { ...noFlags };
}

function pathsWith(flag: keyof SettingFlags): string[] {
  return listSettings()
    .filter((s) => s[flag])
    .map((s) => s.path);
}

/** Settings the admin page highlights (guide §7.1), groups included. */
export const criticalSettings = (): string[] => pathsWith('critical');
/** Settings that take effect only after the agent restarts. */
export const restartRequiredSettings = (): string[] => pathsWith('restartRequired');
/** Settings of this server only, never copied to the other one. */
export const localSettings = (): string[] => pathsWith('local');

/** The schema default of a setting, or undefined when it has none. */
export function defaultAt(path: string): unknown {
  return settingAt(path)?.schema.default;
}

const article = (word: string) => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);

/** "integer", "array of string", ... */
export function typeName(node: SchemaNode): string {
  if (node.type === 'array') return node.items ? `array of ${typeName(node.items)}` : 'array';
  return node.type ?? 'any';
}

/** The allowed values beyond the type, in words: "1024 to 16777216", "one of "a", "b"", ... */
export function allowedText(node: SchemaNode): string | undefined {
  if (node.enum) return `one of ${node.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if (node.minimum !== undefined && node.maximum !== undefined) return `${node.minimum} to ${node.maximum}`;
  if (node.minimum !== undefined) return `at least ${node.minimum}`;
  if (node.maximum !== undefined) return `at most ${node.maximum}`;
  if (node.minLength === 1) return 'not empty';
  if (node.minLength !== undefined) return `at least ${node.minLength} characters`;
  if (node.pattern) return `matching ${node.pattern}`;
  if (node.type === 'array') {
    const count =
      node.minItems === undefined ? [] : [`at least ${node.minItems} item${node.minItems === 1 ? '' : 's'}`];
    const each = node.items && allowedText(node.items);
    const parts = [...count, ...(each ? [`items ${each}`] : [])];
    return parts.length ? parts.join(', ') : undefined;
  }
  return undefined;
}

/** "an integer from 1024 to 16777216", "a string", ... for problem messages. */
export function expectationText(node: SchemaNode): string {
  const type =
    node.type === 'integer' || node.type === 'number' ? article(node.type) : article(typeName(node));
  const allowed = allowedText(node);
  if (!allowed) return type;
  if (node.minimum !== undefined && node.maximum !== undefined) return `${type} from ${allowed}`;
  if (node.minLength === 1) return `a non-empty ${typeName(node)}`;
  if (node.minItems !== undefined) return `${type} with ${allowed}`;
  return `${type}, ${allowed}`;
}
