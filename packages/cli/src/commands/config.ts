// `sparesync config ...`: check a settings file, apply a template to it, list the templates, print
// the schema or the settings with defaults. Every check the agent makes at start-up on the file
// (schema, cross-field, named files exist) is made here too, with the same messages.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  applyTemplate,
  errorMessage,
  findTemplate,
  formatChange,
  formatProblem,
  serializeSettings,
  settingsSchema,
  templateGroups,
  templateNames,
  validateSettings,
  writeFileAtomic,
  type SettingsProblem,
} from '@sparesync/common';
import { settingsProblems } from '@sparesync/agent';
import { ExitCode } from '../exit-codes';
import { defaultConfig, DEFAULT_CONFIG } from '../options';

type Read = { ok: true; doc: unknown; text: string } | { ok: false; problems: SettingsProblem[] };

/** Reads and parses a settings file; an unreadable file or bad JSON is a problem at "/". */
function readDocument(file: string): Read {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return {
      ok: false,
      problems: [{ path: '/', value: undefined, message: `cannot read the file (${errorMessage(e)})` }],
    };
  }
  try {
    return { ok: true, doc: JSON.parse(text) as unknown, text };
  } catch (e) {
    return {
      ok: false,
      problems: [{ path: '/', value: undefined, message: `expected valid JSON (${jsonError(e, text)})` }],
    };
  }
}

/** Node 20 reports a JSON error by character position; an operator's editor shows lines. */
function jsonError(e: unknown, text: string): string {
  const message = errorMessage(e);
  const at = /at position (\d+)/.exec(message);
  if (!at || /line \d+/.test(message)) return message;
  const before = text.slice(0, Number(at[1])).split('\n');
  return `${message}: line ${before.length}, column ${before.at(-1)!.length + 1}`;
}

/** All problems of a settings file: schema and cross-field, then missing files. */
function checkFile(file: string): SettingsProblem[] {
  const read = readDocument(file);
  if (!read.ok) return read.problems;
  return settingsProblems(read.doc, file);
}

function print(text: string): void {
  process.stdout.write(text + '\n');
}

function fail(lines: string[]): void {
  process.stderr.write(lines.map((l) => l + '\n').join(''));
  process.exitCode = ExitCode.Invalid;
}

function validateAction(file: string, opts: { json?: boolean }): void {
  const problems = checkFile(file);
  if (opts.json) print(JSON.stringify({ file, valid: problems.length === 0, problems }, null, 2));
  else if (problems.length === 0) print(`${file}: valid`);
  else print(problems.map((p) => formatProblem(p, file)).join('\n'));
  if (problems.length) process.exitCode = ExitCode.Invalid;
}

function templateAction(name: string, file: string, opts: { dryRun?: boolean; json?: boolean }): void {
  if (!findTemplate(name))
    return fail([`sparesync: unknown template "${name}"; valid templates: ${templateNames.join(', ')}`]);
  const read = readDocument(file);
  if (!read.ok) return fail(read.problems.map((p) => formatProblem(p, file)));
  const { doc, changes } = applyTemplate(read.doc, name);
  const result = validateSettings(doc);
  if (!result.ok) {
    return fail([
      `${file}: not changed: with template ${name} the settings would not be valid:`,
      ...result.problems.map((p) => '  ' + formatProblem(p)),
    ]);
  }
  const write = changes.length > 0 && !opts.dryRun;
  if (write) writeFileAtomic(file, serializeSettings(doc, read.text));
  if (opts.json)
    return print(
      JSON.stringify({ file, template: name, dryRun: !!opts.dryRun, written: write, changes }, null, 2),
    );
  if (changes.length === 0)
    return print(`${file}: no change: every setting of ${name} already has its value`);
  print(changes.map(formatChange).join('\n'));
  print(opts.dryRun ? `${file}: not changed (--dry-run)` : `${file}: ${changes.length} setting(s) changed`);
}

/** Columns padded to their widest cell, two spaces apart. */
function textTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function templatesAction(opts: { json?: boolean }): void {
  if (opts.json) return print(JSON.stringify(templateGroups, null, 2));
  const blocks = templateGroups.map((g) => {
    const first = g.templates[0]!;
    const header = ['setting', ...g.templates.map((t) => t.name)];
    const rows = first.values.map((v, i) => [
      v.path,
      ...g.templates.map((t) => JSON.stringify(t.values[i]!.value)),
    ]);
    const titles = g.templates.map((t) => `${t.name}: ${t.title}`).join('; ');
    return `${g.group} templates (guide ${g.guide}): ${titles}\n${textTable([header, ...rows])}`;
  });
  print(blocks.join('\n\n'));
}

function showAction(file: string): void {
  const read = readDocument(file);
  if (!read.ok) return fail(read.problems.map((p) => formatProblem(p, file)));
  const result = validateSettings(read.doc);
  if (!result.ok) return fail(result.problems.map((p) => formatProblem(p, file)));
  print(JSON.stringify(result.settings, null, 2));
}

export function registerConfigCommands(program: Command): void {
  const config = program
    .command('config')
    .description('Check settings files, apply templates, and print the settings schema.')
    .addHelpText(
      'after',
      '\nThe settings reference is docs/settings.md; the templates are those of the guide §7.2.',
    );

  config
    .command('validate')
    .description(
      'Check a settings file: schema, cross-field rules, that the certificate and pair key files exist, that each key belongs to its certificate and that the pair CA (tls.ca) signed the agent and control certificates.',
    )
    .argument('[file]', `settings file; default $SPARESYNC_CONFIG, else ${DEFAULT_CONFIG}`, defaultConfig())
    .option('--json', 'print {file, valid, problems: [{path, value, message}]} as JSON')
    .addHelpText(
      'after',
      '\nPrints "FILE: valid", or one line per problem: "FILE: /json/path = value: what was expected".\n' +
        "Relative file paths in the settings (tls.*, pairKeyFile) are resolved against the settings file's folder.\n" +
        'Exit codes: 0 valid, 2 invalid, unreadable or not JSON.',
    )
    .action(validateAction);

  config
    .command('template')
    .description('Apply a settings template to a settings file, in place.')
    .argument('<name>', `template: ${templateNames.join(', ')}`)
    .argument('<file>', 'settings file (sparesync.json)')
    .option('--dry-run', 'print what would change, change nothing')
    .option(
      '--json',
      'print {file, template, dryRun, written, changes: [{path, old, oldIsDefault, new}]} as JSON',
    )
    .addHelpText(
      'after',
      '\nA template overwrites its settings under /network or /system (guide §7.2) and leaves all others alone.\n' +
        'Prints one line per changed setting, "path: old -> new". The result is validated first: when it\n' +
        'would be invalid nothing is written. The file is replaced atomically and keeps its mode.\n' +
        '`sparesync config templates` lists every template and its values.\n' +
        'Exit codes: 0 applied (or nothing to change), 2 unknown template, unreadable file or invalid result.\n\n' +
        'Example: sparesync config template network:slow /etc/sparesync/sparesync.json --dry-run',
    )
    .action(templateAction);

  config
    .command('templates')
    .description('List the settings templates and the value each one sets.')
    .option('--json', 'print the templates as JSON')
    .action(templatesAction);

  config
    .command('schema')
    .description(
      'Print the JSON Schema of the settings file (for editors: save it and point "$schema" at it).',
    )
    .action(() =>
      print(
        JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...settingsSchema }, null, 2),
      ),
    );

  config
    .command('show')
    .description('Print the settings of a file with every default filled in.')
    .argument('[file]', `settings file; default $SPARESYNC_CONFIG, else ${DEFAULT_CONFIG}`, defaultConfig())
    .addHelpText(
      'after',
      '\nExit codes: 0 printed, 2 the file is unreadable or invalid (problems listed as by `config validate`).',
    )
    .action(showAction);
}
