// Reading sparesync.json from disk: parse, validate, resolve relative paths against the file's
// folder. Errors name the file and every problem in it.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SpareSyncError } from '../errors';
import { formatProblem, validateSettings, type SettingsProblem, type Settings } from './validate';

export interface LoadedSettings {
  file: string;
  /** Settings as validated, defaults filled in; paths still as written. */
  settings: Settings;
  /** Resolves a path from the settings against the settings file's folder. */
  resolvePath(p: string): string;
}

export class SettingsError extends SpareSyncError {
  readonly problems: SettingsProblem[];
  readonly file: string;
  constructor(file: string, problems: SettingsProblem[]) {
    super(
      'ConfigInvalid',
      `${file} is not valid:\n${problems.map((p) => '  ' + formatProblem(p)).join('\n')}`,
    );
    this.file = file;
    this.problems = problems;
  }
}

export function parseSettingsText(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new SettingsError(file, [{ path: '/', value: undefined, message: `expected valid JSON (${msg})` }]);
  }
}

export function readSettingsDocument(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new SpareSyncError(
      'ConfigUnreadable',
      `cannot read settings file ${file}: ${(e as Error).message}`,
    );
  }
  return parseSettingsText(text, file);
}

export function loadSettings(file: string): LoadedSettings {
  const abs = resolve(file);
  const result = validateSettings(readSettingsDocument(abs));
  if (!result.ok) throw new SettingsError(abs, result.problems);
  const dir = dirname(abs);
  return { file: abs, settings: result.settings, resolvePath: (p: string) => resolve(dir, p) };
}
