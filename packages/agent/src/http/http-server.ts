// The agent's HTTP server: one fastify instance on admin.listen, HTTPS with the agent's certificate
// (or the one admin.tls names), security headers from helmet. What it serves is a list of route
// plugins (the admin page today; /metrics or /health/* later are one more entry), so the server
// knows nothing of any page.
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import helmet from '@fastify/helmet';
import type { Logger } from '@sparesync/common';

export interface HttpServerOptions {
  host: string;
  /** 0: any free port (the bound one is `RunningHttpServer.port`). */
  port: number;
  /** PEM certificate and key; absent only when plain HTTP was chosen on purpose. */
  tls?: { cert: Buffer; key: Buffer };
  log: Logger;
  /** Each registered on its own, in order. */
  routes: FastifyPluginAsync[];
}

export interface RunningHttpServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function startHttpServer(o: HttpServerOptions): Promise<RunningHttpServer> {
  const app: FastifyInstance = Fastify({
    logger: false,
    trustProxy: false,
    bodyLimit: 1024 * 1024,
    // Server-sent event streams stay open; they end when the server closes.
    forceCloseConnections: true,
    ...(o.tls ? { https: { cert: o.tls.cert, key: o.tls.key } } : {}),
  }) as unknown as FastifyInstance;
  await app.register(helmet, {
    // Everything is served by the agent itself: no CDN, no inline script.
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'upgrade-insecure-requests': o.tls ? [] : null,
      },
    },
    hsts: o.tls ? { maxAge: 15552000, includeSubDomains: false } : false,
  });
  app.setErrorHandler((e: Error & { statusCode?: number }, req, reply) => {
    const status = e.statusCode && e.statusCode >= 400 ? e.statusCode : 500;
    if (status >= 500) o.log.error(`HTTP ${req.method} ${req.url} failed`, { err: e });
    void reply.code(status).send({ error: status >= 500 ? 'internal error; see the agent log' : e.message });
  });
  for (const routes of o.routes) await app.register(routes);
  await app.listen({ host: o.host, port: o.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    port,
    url: `${o.tls ? 'https' : 'http'}://${host}:${port}`,
    close: () => app.close(),
  };
}
