// The composition root's HTTP builder (builders.ts holds the others): the admin page and the
// observability routes on one HTTPS server. agent.ts calls it; nothing else imports this file.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { adminListen, type Status } from '@sparesync/common';
import type { WiredControl } from './api/wiring';
import { statusChanges, type Base, type Link } from './builders';
import type { RunningHttpServer } from './http';
import { checkTestPage } from './monitor';
import type { Runner } from './runner/runner';
import { holderOf } from './state';

/**
 * The HTTP server with the admin page (undefined when admin.enabled is false). The page is a
 * client of the Control service (`control.inProcess`) and follows the same status changes as
 * WatchStatus. Plain HTTP only when admin.plainHttp says so, and then with a warning.
 */
export async function buildHttp(
  b: Base,
  d: { control: WiredControl; runner: Runner; link: Link; status(): Status },
): Promise<RunningHttpServer | undefined> {
  const a = b.s.admin;
  if (!a.enabled) return undefined;
  // The HTTP stack (fastify and its plugins, ~9 MB resident) is loaded only when the page is on.
  const { adminPage, AuditLog, ControlCaller, startHttpServer } =
    require('./http') as typeof import('./http');
  const { observeRoutes } = require('./http/observe') as typeof import('./http/observe');
  const log = b.log.child({ component: 'http' });
  const { host, port } = adminListen(b.s);
  const tls = a.plainHttp
    ? undefined
    : a.tls.cert && a.tls.key
      ? {
          cert: readFileSync(b.loaded.resolvePath(a.tls.cert)),
          key: readFileSync(b.loaded.resolvePath(a.tls.key)),
        }
      : { cert: b.material.cert, key: b.material.key };
  if (a.plainHttp) {
    log.warn(
      'admin.plainHttp is on: the admin page is served without TLS, so passwords and session cookies cross the network readable',
    );
  }
  const server = await startHttpServer({
    host,
    port,
    tls,
    log,
    routes: [
      adminPage({
        loaded: b.loaded,
        configFile: b.loaded.file,
        plainHttp: a.plainHttp,
        control: new ControlCaller(d.control.inProcess),
        status: { status: d.status, onChange: statusChanges(d.runner, d.link) },
        audit: new AuditLog(join(b.loaded.resolvePath(b.s.dataDir), 'admin-audit.jsonl'), log, b.now),
        log,
        webRoot: resolve(__dirname, '..', 'web'),
        server: { role: b.s.role, name: b.name },
      }),
      observeRoutes({
        status: d.status,
        holder: holderOf,
        checkOwnPage: async () => {
          const r = await checkTestPage(b.loaded.settings, b.s.role, b.loaded.resolvePath);
          return { ok: r.ok, why: r.detail };
        },
        tokenFile: a.metricsTokenFile ? b.loaded.resolvePath(a.metricsTokenFile) : '',
        outcomes: b.outcomes,
        onSwitches: (tally) => {
          const feed = () => tally.observe(d.runner.lastSwitch);
          d.runner.on('changed', feed);
          feed();
        },
      }),
    ],
  });
  log.info(`admin page at ${server.url}/web/`);
  return server;
}
