// `sparesync admin ...`: the admin page's users on this server. Works on the users file only (the
// agent reads it at each login), so it needs no running agent. A password is read from a prompt
// without echo or from stdin, never from the command line (argv is visible to every user).
import type { Command } from 'commander';
import {
  adminListen,
  adminRoles,
  adminUrl,
  adminUsersPath,
  loadSettings,
  readAdminUsers,
  removeAdminUser,
  SpareSyncError,
  setAdminPassword,
  type AdminRole,
} from '@sparesync/common';
import { ExitCode } from '../exit-codes';

const examples = `
Examples:
  sparesync admin set-password -c /etc/sparesync/sparesync.json
  sparesync admin set-password -c sparesync.json --user night-shift --role read-only
  printf '%s\\n' "$PASSWORD" | sparesync admin set-password -c sparesync.json --user ops
  sparesync admin list-users -c sparesync.json
  sparesync admin remove-user -c sparesync.json --user night-shift`;

export function registerAdminCommands(program: Command): void {
  const admin = program
    .command('admin')
    .description("The admin page's users on this server (no running agent needed).")
    .addHelpText('after', examples);

  admin
    .command('set-password')
    .description(
      "Set a user's password (adds the user when new). Asks twice without echo on a terminal; otherwise reads one line from stdin. Takes effect at the next login, no restart.",
    )
    .requiredOption('-c, --config <file>', 'settings file of this server')
    .option('--user <name>', 'user name', 'admin')
    .option('--role <role>', 'operator (may act) or read-only (may look)', 'operator')
    .action(async (o: { config: string; user: string; role: string }) => {
      if (!adminRoles.includes(o.role as AdminRole)) {
        throw new SpareSyncError('InvalidArgument', `--role ${o.role}: expected operator or read-only`);
      }
      const loaded = loadSettings(o.config);
      const password = await readPassword(`Password for ${o.user}: `);
      const file = adminUsersPath(loaded);
      const added = await setAdminPassword(file, { name: o.user, role: o.role as AdminRole, password });
      process.stdout.write(
        `${added ? 'added' : 'changed the password of'} ${o.role} user ${o.user} in ${file}\n` +
          `log in at ${adminUrl(loaded.settings, adminListen(loaded.settings).port)}\n`,
      );
    });

  admin
    .command('list-users')
    .description('List the users (names, roles, when their password was set).')
    .requiredOption('-c, --config <file>', 'settings file of this server')
    .option('--json', 'print JSON')
    .action((o: { config: string; json?: boolean }) => {
      const file = adminUsersPath(loadSettings(o.config));
      const users = readAdminUsers(file).map((u) => ({
        name: u.name,
        role: u.role,
        passwordSetAt: new Date(u.changedAtMs).toISOString(),
      }));
      if (o.json) {
        process.stdout.write(JSON.stringify(users, null, 2) + '\n');
        return;
      }
      if (!users.length) {
        process.stdout.write(
          `no users in ${file}: nobody can log in; add one with \`sparesync admin set-password\`\n`,
        );
        return;
      }
      for (const u of users) process.stdout.write(`${u.name}\t${u.role}\tpassword set ${u.passwordSetAt}\n`);
    });

  admin
    .command('remove-user')
    .description('Remove a user; their sessions end at their next request.')
    .requiredOption('-c, --config <file>', 'settings file of this server')
    .requiredOption('--user <name>', 'user name')
    .action(async (o: { config: string; user: string }) => {
      const file = adminUsersPath(loadSettings(o.config));
      if (!(await removeAdminUser(file, o.user))) {
        process.stderr.write(`sparesync: there is no user ${o.user} in ${file}\n`);
        process.exitCode = ExitCode.Failure;
        return;
      }
      process.stdout.write(`removed user ${o.user} from ${file}\n`);
    });
}

/** On a terminal: asked twice, without echo. Otherwise: the first line of stdin. */
async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  const first = await promptHidden(prompt);
  const again = await promptHidden('Again: ');
  if (first !== again)
    throw new SpareSyncError('InvalidArgument', 'the two passwords differ; nothing was changed');
  return first;
}

function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  let typed = '';
  return new Promise((resolve, reject) => {
    const done = (e?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (e) reject(e);
      else resolve(typed);
    };
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003')
          return done(new SpareSyncError('InvalidArgument', 'cancelled; nothing was changed'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}
