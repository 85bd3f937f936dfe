// Every check the agent runs on a settings document before it uses it, in one place: the schema
// and its cross-field rules, the DNS settings, the files and folders the document names, and
// whether its certificates and keys fit together.
// `sparesync config validate`, the agent's start and `sparesync settings set` all call this, so a
// file that validates is a file the agent accepts.
import {
  certificateProblems,
  pathSettingProblems,
  validateSettings,
  type SettingsProblem,
} from '@sparesync/common';
import { dnsSettingsProblems } from '../dns/settings';

export function settingsProblems(doc: unknown, file: string): SettingsProblem[] {
  const result = validateSettings(doc);
  return [
    ...(result.ok ? dnsSettingsProblems(result.settings.dns) : result.problems),
    ...pathSettingProblems(doc, file),
    ...certificateProblems(doc, file),
  ];
}
