// This agent's settings file as the Control and Link services change it: read it fresh, apply
// changes, validate the result with the checks and messages of `sparesync config validate` (plus
// the DNS checks the agent makes at start), write it atomically, and update the running settings
// in place for the settings that take effect at once (live.ts).
import { readFileSync } from 'node:fs';
import {
  formatProblem,
  parseSettingsText,
  serializeSettings,
  SpareSyncError,
  validateSettings,
  writeFileAtomic,
  flagsAt,
  type GetSettingsReply,
  type LoadedSettings,
  type SettingsProblem,
  type SettingOutcome,
  type Settings,
} from '@sparesync/common';
import { settingsProblems } from './settings-checks';
import { isLive } from './live';
import {
  applyChanges,
  changedPaths,
  dotted,
  outcomeOf,
  setAt,
  toPointer,
  valueAt,
  type ParsedChange,
} from './patch';

/** A validated change not yet written. */
export interface SettingsPlan {
  text: string;
  settings: Settings;
  outcomes: SettingOutcome[];
}

export class SettingsStore {
  /** `onLive` runs after a commit changed live settings (the runner re-decides at once on them). */
  constructor(
    private readonly loaded: LoadedSettings,
    private readonly onLive: () => void = () => {},
  ) {}

  get file(): string {
    return this.loaded.file;
  }

  get(path: string): GetSettingsReply {
    const pointer = toPointer(path);
    const value = pointer === '' ? this.loaded.settings : valueAt(this.loaded.settings, pointer);
    if (value === undefined) {
      throw new SpareSyncError(
        'InvalidArgument',
        `${dotted(pointer)} is not a setting (see docs/settings.md or \`sparesync config schema\`)`,
      );
    }
    const flags =
      pointer === '' ? { critical: false, restartRequired: false, local: false } : flagsAt(pointer);
    return { file: this.file, path: pointer, valueJson: JSON.stringify(value), ...flags };
  }

  /**
   * The file with the changes applied, validated. Throws ConfigInvalid with one problem per line
   * ("FILE: /path = value: what was expected") when the result would not be valid.
   */
  plan(changes: readonly ParsedChange[]): SettingsPlan {
    const text = this.readText();
    const doc = parseSettingsText(text, this.file);
    const next = applyChanges(doc, changes);
    const result = validateSettings(next);
    const problems: SettingsProblem[] = settingsProblems(next, this.file);
    if (!result.ok || problems.length) {
      throw new SpareSyncError(
        'ConfigInvalid',
        `settings not changed: ${problems.map((p) => formatProblem(p, this.file)).join('\n')}`,
        { hint: 'Nothing was written; correct the value and try again.' },
      );
    }
    const before = validateSettings(doc);
    const old = before.ok ? before.settings : this.loaded.settings;
    const outcomes = changedPaths(old, result.settings).map((p) =>
      outcomeOf(p, old, result.settings, isLive),
    );
    return { text: serializeSettings(next, text), settings: result.settings, outcomes };
  }

  /** Writes the planned file atomically, then updates the running settings that are live. */
  commit(plan: SettingsPlan): void {
    if (plan.outcomes.length === 0) return;
    writeFileAtomic(this.file, plan.text);
    const running = this.loaded.settings as unknown as Record<string, unknown>;
    let live = false;
    for (const o of plan.outcomes) {
      if (o.restartRequired) continue;
      setAt(running, o.path, structuredClone(valueAt(plan.settings, o.path)), true);
      live = true;
    }
    if (live) this.onLive();
  }

  private readText(): string {
    try {
      return readFileSync(this.file, 'utf8');
    } catch (e) {
      throw new SpareSyncError(
        'ConfigUnreadable',
        `cannot read settings file ${this.file}: ${(e as Error).message}`,
      );
    }
  }
}
