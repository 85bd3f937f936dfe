// Files named by the settings must exist before the agent can start: the certificates and the pair
// key; and this server's side of each folder pair, where it exists, must be a directory. `sparesync config validate` and the agent's start-up call the same check, so an operator sees
// a missing file before the agent fails on it. Existence only: the CLI may run as another user than
// the agent, so readability is the agent's own check when it opens the file.
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SettingsProblem } from './validate';

/** Settings that name files the agent opens at start-up, as JSON paths. */
export const requiredFileSettings = ['/tls/ca', '/tls/cert', '/tls/key', '/pairKeyFile'] as const;

/** The non-empty string at a JSON path of a settings document, if there is one. */
export function stringAt(doc: unknown, path: string): string | undefined {
  let cur: unknown = doc;
  for (const key of path.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return typeof cur === 'string' && cur !== '' ? cur : undefined;
}

/**
 * One problem per file setting whose file is missing or is not a regular file. Relative paths are
 * resolved against the settings file's folder, as the agent resolves them. Settings that are absent
 * or not strings are skipped: schema validation reports those.
 */
export function pathSettingProblems(doc: unknown, settingsFile: string): SettingsProblem[] {
  const dir = dirname(resolve(settingsFile));
  const problems: SettingsProblem[] = [];
  for (const path of requiredFileSettings) {
    const value = stringAt(doc, path);
    if (value === undefined) continue;
    const abs = resolve(dir, value);
    let message: string | undefined;
    try {
      if (!statSync(abs).isFile()) message = `expected a file, but ${abs} is not a regular file`;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      message =
        code === 'ENOENT' || code === 'ENOTDIR'
          ? `expected an existing file, but ${abs} does not exist`
          : `expected an existing file, but ${abs} cannot be checked (${code ?? String(e)})`;
    }
    if (message) problems.push({ path, value, message });
  }
  return [...problems, ...folderProblems(doc, dir)];
}

/** This server's side of each folder pair, where it exists, must be a directory. */
function folderProblems(doc: unknown, dir: string): SettingsProblem[] {
  const role = stringAt(doc, '/role');
  const folders = (doc as { folders?: unknown } | null)?.folders;
  if ((role !== 'primary' && role !== 'secondary') || !Array.isArray(folders)) return [];
  const key = role === 'primary' ? 'primaryPath' : 'secondaryPath';
  const problems: SettingsProblem[] = [];
  folders.forEach((f, i) => {
    const path = `/folders/${i}/${key}`;
    const value = (f as Record<string, unknown> | null)?.[key];
    if (typeof value !== 'string' || value === '') return;
    const abs = resolve(dir, value);
    const st = statSync(abs, { throwIfNoEntry: false });
    if (st && !st.isDirectory()) {
      problems.push({ path, value, message: `expected a folder, but ${abs} is not a directory` });
    }
  });
  return problems;
}
