// The admin page's routes under /web/: the page itself (static files of packages/agent/web), its
// session (login, logout), the status and its live stream, the audit log, and one route that runs a
// Control method for the logged-in user. Every state-changing request needs a session cookie and
// the CSRF token; read-only users may run only the Control service's read-only methods.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import staticFiles from '@fastify/static';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import {
  adminUsersPath,
  readAdminUsers,
  settingsSchema,
  verifyLogin,
  type AdminUser,
  type LoadedSettings,
  type Logger,
} from '@sparesync/common';
import type { AuditLog } from './audit';
import { isControlError, type ControlCaller } from './control-call';
import { streamStatus, type StatusSource } from './events';
import { History } from './history';
import { LoginThrottle } from './login-throttle';
import { Peer } from './peer';
import { SESSION_COOKIE, Sessions, type Session } from './sessions';

export interface AdminPageOptions {
  loaded: LoadedSettings;
  /** The settings file, for the "how to set a password" text. */
  configFile: string;
  plainHttp: boolean;
  control: ControlCaller;
  status: StatusSource;
  audit: AuditLog;
  log: Logger;
  /** Folder of the page's static files. */
  webRoot: string;
  server: { role: string; name: string };
}

const sessionOf = new WeakMap<FastifyRequest, Session>();

export function adminPage(o: AdminPageOptions): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    const usersFile = adminUsersPath(o.loaded);
    const users = (): AdminUser[] => readAdminUsers(usersFile);
    const sessions = new Sessions(() => o.loaded.settings.admin.sessionIdleMinutes * 60_000);
    const throttle = new LoginThrottle();
    const secure = !o.plainHttp;
    const cookieOpts = { httpOnly: true, secure, sameSite: 'strict', path: '/web' } as const;
    const setupCommand = `sparesync admin set-password -c ${o.configFile}`;
    const peer = new Peer(o.loaded);
    const history = new History(o.status.status);
    history.start();
    app.addHook('onClose', async () => {
      peer.close();
      history.stop();
    });

    await app.register(cookie, { secret: randomBytes(32) });
    await app.register(csrf, {
      sessionPlugin: '@fastify/cookie',
      cookieOpts: { ...cookieOpts, signed: true },
    });
    await app.register(rateLimit, { global: false });
    await app.register(staticFiles, { root: o.webRoot, prefix: '/web/', index: 'index.html' });
    // The chart library, served by the agent like everything else (the servers may have no internet).
    await app.register(staticFiles, {
      root: join(dirname(require.resolve('uplot/package.json')), 'dist'),
      prefix: '/web/vendor/uplot/',
      decorateReply: false,
      allowedPath: (path) => path === '/uPlot.esm.js' || path === '/uPlot.min.css',
    });
    app.get('/', (_req, reply) => reply.redirect('/web/'));
    app.get('/web', (_req, reply) => reply.redirect('/web/'));

    /** The session, still valid, of a user who still exists with the same role; else 401. */
    const requireUser = async (req: FastifyRequest, reply: FastifyReply) => {
      const s = sessions.get(req.cookies[SESSION_COOKIE]);
      const u = s && users().find((x) => x.name === s.user);
      if (!s || !u || u.role !== s.role) {
        if (s) sessions.end(s.id);
        return reply.code(401).send({ error: 'not logged in (or the session ended): log in again' });
      }
      sessionOf.set(req, s);
    };
    const csrfCheck = app.csrfProtection.bind(app);
    const audit = (
      req: FastifyRequest,
      user: string,
      action: string,
      result: 'ok' | 'refused' | 'failed' | 'denied',
      detail = '',
    ) => o.audit.write({ user, address: req.ip, action, result, detail });

    app.get('/web/api/session', async (req, reply) => {
      const s = sessions.get(req.cookies[SESSION_COOKIE], false);
      return {
        setupNeeded: users().length === 0,
        setupCommand,
        plainHttp: o.plainHttp,
        server: o.server,
        user: s ? { name: s.user, role: s.role } : null,
        csrfToken: reply.generateCsrf(),
      };
    });

    app.post(
      '/web/api/login',
      { onRequest: csrfCheck, config: { rateLimit: { max: 30, timeWindow: 60_000 } } },
      async (req, reply) => {
        const body = (req.body ?? {}) as { user?: unknown; password?: unknown };
        const name = typeof body.user === 'string' ? body.user : '';
        const password = typeof body.password === 'string' ? body.password : '';
        const known = users();
        if (!known.length) {
          audit(req, name, 'login', 'denied', 'no password is set on this server');
          return reply
            .code(403)
            .send({ error: `no password is set on this server yet: run ${setupCommand}` });
        }
        const wait = throttle.waitMs(req.ip);
        if (wait > 0) {
          const seconds = Math.ceil(wait / 1000);
          audit(req, name, 'login', 'denied', `too many failed logins: refused for ${seconds} s more`);
          return reply
            .code(429)
            .header('retry-after', String(seconds))
            .send({ error: `too many failed logins from this address: try again in ${seconds} s` });
        }
        const user = await verifyLogin(known, name, password);
        if (!user) {
          throttle.failed(req.ip);
          audit(req, name, 'login', 'denied', 'wrong user name or password');
          return reply.code(401).send({ error: 'wrong user name or password' });
        }
        throttle.succeeded(req.ip);
        const s = sessions.create(user.name, user.role, req.ip);
        audit(req, user.name, 'login', 'ok', user.role);
        return reply
          .setCookie(SESSION_COOKIE, s.id, cookieOpts)
          .send({ user: { name: s.user, role: s.role } });
      },
    );

    app.post('/web/api/logout', { onRequest: csrfCheck, preHandler: requireUser }, async (req, reply) => {
      const s = sessions.end(sessionOf.get(req)?.id);
      if (s) audit(req, s.user, 'logout', 'ok');
      return reply.clearCookie(SESSION_COOKIE, cookieOpts).send({ ok: true });
    });

    app.get('/web/api/status', { preHandler: requireUser }, () =>
      o.control.call('getStatus', {}, 'admin page'),
    );

    app.get('/web/api/events', { preHandler: requireUser }, (req, reply) => {
      const id = sessionOf.get(req)?.id;
      streamStatus(reply, o.status, peer, () => sessions.get(id, false) !== undefined);
    });

    app.get('/web/api/history', { preHandler: requireUser }, () => ({ samples: history.recent() }));

    app.get('/web/api/schema', { preHandler: requireUser }, () => settingsSchema);

    app.get('/web/api/audit', { preHandler: requireUser }, () => ({ entries: o.audit.recent(200) }));

    // ?server=peer: the same method on the other server's Control service (a switch is run by the
    // secondary, whichever page it was started from).
    app.post<{ Params: { method: string }; Querystring: { server?: string } }>(
      '/web/api/control/:method',
      { onRequest: csrfCheck, preHandler: requireUser },
      async (req, reply) => {
        const s = sessionOf.get(req)!;
        const { method } = req.params;
        const request = (req.body ?? {}) as object;
        const onPeer = req.query.server === 'peer';
        const action = `${method} ${JSON.stringify(request)}${onPeer ? ' on the other server' : ''}`;
        if (!o.control.has(method)) return reply.code(404).send({ error: `no Control method ${method}` });
        if (!o.control.allowed(method, s.role)) {
          audit(req, s.user, action, 'refused', 'read-only user');
          return reply.code(403).send({ error: `${method} needs the operator role; ${s.user} is read-only` });
        }
        // Reads are not audited; every call that may change something is.
        const readOnly = o.control.allowed(method, 'read-only') || method.startsWith('get');
        try {
          type Reply = { accepted?: boolean; message?: string };
          const r = onPeer
            ? await peer.call<Reply>(method, request)
            : await o.control.call<Reply>(method, request, `admin page user ${s.user} at ${req.ip}`);
          if (!readOnly) audit(req, s.user, action, r.accepted === false ? 'refused' : 'ok', r.message ?? '');
          return r;
        } catch (e) {
          if (!isControlError(e)) throw e;
          if (!readOnly) audit(req, s.user, action, 'failed', e.message);
          return reply.code(e.httpStatus).send({ error: e.message });
        }
      },
    );
  };
}
