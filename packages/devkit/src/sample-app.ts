#!/usr/bin/env node
// `sparesync-sample-app`: a tiny managed system for the demo and the failover tests.
//   start  --port P --dir D [--name N]   start a detached HTTP server on 127.0.0.1:P
//   stop   --dir D                       SIGTERM it (by pid file) and wait; fine when not running
//   status --dir D                       exit 0 while it runs, 3 when not (as LSB init scripts)
// D holds sample-app.pid (written once the server listens) and sample-app.log.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const NOT_RUNNING = 3;
const USAGE = 'usage: sparesync-sample-app start --port P --dir D [--name N] | stop --dir D | status --dir D';

class UsageError extends Error {}

export interface SampleArgs {
  command: 'start' | 'stop' | 'status' | 'serve';
  port: number;
  dir: string;
  name: string;
}

export function parseSampleArgs(argv: string[]): SampleArgs {
  const [command, ...rest] = argv;
  if (command !== 'start' && command !== 'stop' && command !== 'status' && command !== 'serve')
    throw new UsageError(`unknown command ${JSON.stringify(command ?? '')}`);
  const opts: Record<string, string> = {};
  for (let i = 0; i < rest.length; i += 2) {
    const key = rest[i] ?? '';
    const value = rest[i + 1];
    if (!['--port', '--dir', '--name'].includes(key) || value === undefined)
      throw new UsageError(`unexpected argument ${JSON.stringify(key)}`);
    opts[key.slice(2)] = value;
  }
  if (!opts.dir) throw new UsageError('--dir is required');
  const port = Number(opts.port ?? 0);
  const needsPort = command === 'start' || command === 'serve';
  if (needsPort && !(Number.isInteger(port) && port >= 1 && port <= 65535))
    throw new UsageError('--port must be a TCP port (1-65535)');
  return { command, port, dir: resolve(opts.dir), name: opts.name ?? 'app' };
}

const pidFile = (dir: string) => join(dir, 'sample-app.pid');
const logFile = (dir: string) => join(dir, 'sample-app.log');

/** The pid of the running server, or undefined (a stale pid file is removed). */
export function runningPid(dir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile(dir), 'utf8').trim());
  } catch {
    return undefined;
  }
  if (Number.isInteger(pid) && pid > 0 && alive(pid)) return pid;
  rmSync(pidFile(dir), { force: true });
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !zombie(pid);
}

/** An exited process its parent has not reaped yet still answers kill(pid, 0); Linux says 'Z'. */
function zombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

async function start(args: SampleArgs): Promise<number> {
  mkdirSync(args.dir, { recursive: true });
  const running = runningPid(args.dir);
  if (running !== undefined) {
    // Idempotent, as `systemctl start` of a running unit: a switch that resumes after a restart
    // starts the managed system again.
    console.log(`sample app already running in ${args.dir} (pid ${running})`);
    return 0;
  }
  const log = openSync(logFile(args.dir), 'a');
  const serveArgs = ['serve', '--port', String(args.port), '--dir', args.dir, '--name', args.name];
  const child = spawn(process.execPath, [__filename, ...serveArgs], {
    detached: true,
    stdio: ['ignore', log, log],
    windowsHide: true,
  });
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  child.unref();
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    if (runningPid(args.dir) === child.pid) {
      console.log(`sample app ${args.name} started on http://127.0.0.1:${args.port}/ (pid ${child.pid})`);
      return 0;
    }
    if (exited !== undefined) break;
    await sleep(25);
  }
  const tail = readFileSync(logFile(args.dir), 'utf8').trim().split('\n').slice(-3).join('\n');
  console.error(
    `sample app ${args.name} did not start${exited === undefined ? ' within 10 s' : ''}:\n${tail}`,
  );
  if (exited === undefined && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  return 1;
}

function serve(args: SampleArgs): void {
  const body = `sample app ${args.name} ok\n`;
  const server = createServer((req, res) => {
    const known = req.method === 'GET' && (req.url === '/' || req.url === '/health');
    res.writeHead(known ? 200 : 404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(known ? body : 'not found\n');
  });
  server.on('error', (e) => {
    console.error(`${new Date().toISOString()} cannot listen on 127.0.0.1:${args.port}: ${e.message}`);
    process.exit(1);
  });
  server.listen(args.port, '127.0.0.1', () => {
    // Written only once listening, so `start` returns when the app answers.
    const temp = `${pidFile(args.dir)}.${process.pid}.tmp`;
    writeFileSync(temp, `${process.pid}\n`);
    renameSync(temp, pidFile(args.dir));
    console.log(`${new Date().toISOString()} sample app ${args.name} listening on 127.0.0.1:${args.port}`);
  });
  process.on('SIGTERM', () => {
    console.log(`${new Date().toISOString()} SIGTERM: stopping`);
    server.close();
    server.closeAllConnections();
    rmSync(pidFile(args.dir), { force: true });
    process.exit(0);
  });
}

async function stop(args: SampleArgs): Promise<number> {
  const pid = runningPid(args.dir);
  if (pid === undefined) {
    console.log(`sample app in ${args.dir} is not running`);
    return 0;
  }
  process.kill(pid, 'SIGTERM');
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(25)) {
    if (!alive(pid)) {
      rmSync(pidFile(args.dir), { force: true });
      console.log(`sample app stopped (pid ${pid})`);
      return 0;
    }
  }
  process.kill(pid, 'SIGKILL');
  rmSync(pidFile(args.dir), { force: true });
  console.error(`sample app (pid ${pid}) ignored SIGTERM for 10 s and was killed`);
  return 0;
}

function status(args: SampleArgs): number {
  const pid = runningPid(args.dir);
  console.log(pid === undefined ? 'not running' : `running (pid ${pid})`);
  return pid === undefined ? NOT_RUNNING : 0;
}

async function main(argv: string[]): Promise<void> {
  let args: SampleArgs;
  try {
    args = parseSampleArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${e.message}\n${USAGE}`);
    process.exit(64);
  }
  if (args.command === 'serve') return serve(args);
  const code =
    args.command === 'start' ? await start(args) : args.command === 'stop' ? await stop(args) : status(args);
  process.exit(code);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}
