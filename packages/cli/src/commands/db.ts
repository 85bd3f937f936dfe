// `sparesync db …`: the database operations of guide §7.3.2 through the agent's Control service.
// Requests that need both servers are recorded by the agent and carried out by the sending agent;
// the commands that start a copy wait and show its progress unless --no-wait is given.
import type { Command } from 'commander';
import {
  SpareSyncError,
  type ControlClient,
  type DatabaseStatus,
  type DbOperationReply,
  type Status,
} from '@sparesync/common';
import { confirm, secondsOption, secondsText, yesOption } from '../options';
import { controlOptions, withControl, type ControlOpts } from './control';

interface WaitOpts extends ControlOpts {
  wait: boolean;
  /** Milliseconds (given in seconds). */
  waitSeconds: number;
  yes?: boolean;
}

function database(st: Status): DatabaseStatus {
  if (!st.database) throw new SpareSyncError('Internal', 'the agent reports no database status');
  return st.database;
}

/** One screen of Status.database for people. */
export function formatDatabase(d: DatabaseStatus, now = Date.now()): string {
  const lines = [
    `engine       ${d.engine}, ${d.phase}`,
    `tables       ${d.tables.length ? d.tables.join(', ') : '(none tracked)'}`,
    `positions    source ${d.sourcePosition || '-'}, applied ${d.appliedPosition || '(none)'}`,
    `replicated   ${d.rowsReplicated} rows in ${d.batchesReplicated} batches; pending ${d.rowsPending} rows, lag ${Math.round(d.lagMs)} ms`,
  ];
  const requests = [
    d.reinitRequested && 'reinitialisation',
    d.backupReinitRequested && 'reinitialisation through a backup',
    d.fixRequested && 'fix synchronisation state',
  ].filter(Boolean);
  if (requests.length) lines.push(`requested    ${requests.join(', ')}`);
  if (d.reinit) lines.push(`reinit       ${progressLine(d)}`);
  if (d.lastError)
    lines.push(`last error   ${d.lastError} (${Math.round((now - d.lastErrorAtMs) / 1000)} s ago)`);
  return lines.join('\n');
}

function progressLine(d: DatabaseStatus): string {
  const r = d.reinit!;
  const state = r.active ? 'running' : r.error ? `failed: ${r.error}` : 'finished';
  if (r.kind === 'backup') {
    const pct = r.bytesTotal ? Math.floor((100 * r.bytesDone) / r.bytesTotal) : 0;
    return `backup ${state}, ${r.bytesDone}/${r.bytesTotal} bytes (${pct}%)`;
  }
  const pct = r.rowsTotal ? Math.floor((100 * r.rowsDone) / r.rowsTotal) : r.active ? 0 : 100;
  return `snapshot ${state}, tables ${r.tablesDone}/${r.tables.length}, rows ${r.rowsDone}/${r.rowsTotal} (${pct}%)`;
}

/** Polls the agent until the requests it recorded are carried out, printing progress to stderr. */
async function waitDone(c: ControlClient, opts: WaitOpts, startedAfter: number): Promise<DatabaseStatus> {
  const deadline = Date.now() + opts.waitSeconds;
  let last = '';
  for (;;) {
    const d = database(await c.getStatus(opts.timeout));
    const pending = d.reinitRequested || d.backupReinitRequested || d.fixRequested || d.reinit?.active;
    const line =
      d.reinit && d.reinit.startedAtMs >= startedAfter
        ? progressLine(d)
        : `${d.phase}${d.lastError ? `: ${d.lastError}` : ''}`;
    if (line !== last) process.stderr.write(`${line}\n`);
    last = line;
    if (!pending) {
      if (d.reinit?.error && d.reinit.startedAtMs >= startedAfter) {
        throw new SpareSyncError('DbReinitRequired', `reinitialisation failed: ${d.reinit.error}`);
      }
      return d;
    }
    if (Date.now() > deadline) {
      throw new SpareSyncError(
        'AgentUnreachable',
        `still not done after ${secondsText(opts.waitSeconds)} (${d.phase}); the request stays recorded, see \`sparesync db status\``,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

const REINIT = "Copy every tracked table from the sending server's database over the receiving server's?";

const example = (args: string) => [`sparesync db ${args} -c /etc/sparesync/sparesync.json`];

function common(cmd: Command): Command {
  return controlOptions(cmd, example(cmd.name()));
}

function waiting(cmd: Command): Command {
  return yesOption(controlOptions(cmd, example(`${cmd.name()} --yes --wait-seconds 600`)))
    .option('--no-wait', 'only record the request; do not wait for it to be carried out')
    .addOption(secondsOption('--wait-seconds <s>', 'how long to wait for it to finish (seconds)', 3600));
}

/** A data operation: asks for confirmation (unless --yes) when `question` is given. */
function operation(method: string, request: object, wait: boolean, question?: string) {
  return async (opts: WaitOpts, cmd: Command) => {
    const startedAfter = Date.now() - 1000;
    if (question) await confirm(opts, question);
    await withControl(opts, `db ${cmd.name()}`, async (c) => {
      const reply = await c.call<DbOperationReply>(method, request, opts.timeout);
      if (!opts.json) process.stdout.write(`${reply.message}\n`);
      const final = wait && opts.wait ? await waitDone(c, opts, startedAfter) : null;
      if (opts.json) process.stdout.write(JSON.stringify({ ...reply, database: final }, null, 2) + '\n');
      else if (final) process.stdout.write(formatDatabase(final) + '\n');
    });
  };
}

export function registerDbCommands(program: Command): void {
  const db = program
    .command('db')
    .description(
      'Database replication: status, install scripts, reinitialise, fix the synchronisation state (guide §7.3.2, §11.2).',
    );

  common(db.command('status'))
    .description(
      'Show database replication on this agent: engine, tables, positions, pending rows, lag, last error, reinitialisation progress.',
    )
    .action(async (opts: ControlOpts) => {
      const d = await withControl(opts, 'db status', async (c) => database(await c.getStatus(opts.timeout)));
      process.stdout.write((opts.json ? JSON.stringify(d, null, 2) : formatDatabase(d)) + '\n');
    });

  common(db.command('install-scripts'))
    .description(
      "Install or refresh change capture on this agent's database. Run it on both servers on first setup and after every change of the database structure: tables whose structure changed (or that were added) are then copied again one by one while the others keep replicating.",
    )
    .action(operation('dbInstallScripts', {}, false));

  waiting(db.command('reinit'))
    .description(
      'Reinitialise: copy every tracked table from the sending to the receiving server, then continue replicating. Waits and shows progress.',
    )
    .option(
      '--from-backup',
      'copy through a backup (pg_dump / SQLite backup API) moved over the link instead',
    )
    .action((opts: WaitOpts & { fromBackup?: boolean }, cmd: Command) =>
      operation('dbReinitialize', { fromBackup: opts.fromBackup === true }, true, REINIT)(opts, cmd),
    );

  waiting(db.command('backup-reinit'))
    .description(
      'Reinitialise through a backup (guide §11.2, §11.3): back up the sending database, move the file over the link, restore it on the receiving server.',
    )
    .action(operation('dbReinitialize', { fromBackup: true }, true, REINIT));

  yesOption(common(db.command('set-reinit-flag')))
    .description(
      'Set the reinitialisation flag only; the sending agent reinitialises when replication next runs.',
    )
    .action(operation('dbReinitialize', { fromBackup: false }, false, REINIT));

  waiting(db.command('fix-sync').alias('fix-state'))
    .description(
      'Fix synchronisation state (guide §7.3.2.6): mark the databases as in sync without copying. Only when you know both hold the same data; otherwise rows may be lost or stay different.',
    )
    .action(
      operation(
        'dbFixSyncState',
        {},
        true,
        'Mark the databases as in sync without copying? Rows that differ stay different',
      ),
    );
}
