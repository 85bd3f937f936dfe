// The observation routes of the agent's HTTP server: /metrics (Prometheus) and /health/live,
// /health/ready, /health/serving. The health routes are open (a load balancer has no login);
// /metrics is open to loopback callers and otherwise needs the bearer token of
// admin.metricsTokenFile.
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Status } from '@sparesync/common';
import { metricsRegistry, type Outcomes, type SwitchTally } from './metrics';
import { holdsService, readyHealth, servingHealth, type Health } from './health';

export interface ObserveOptions {
  status(): Status;
  /** The side that holds an epoch (state/epoch.ts holderOf). */
  holder(epoch: number): string;
  /** This server's own application's test page, probed now. */
  checkOwnPage(): Promise<Health>;
  /** DNS updates and notifications as they ended. */
  outcomes: Outcomes;
  /** Resolved path of admin.metricsTokenFile, or '' for none. */
  tokenFile: string;
  /** Called with the switch tally so the composition root can feed it switch log changes. */
  onSwitches(tally: SwitchTally): void;
}

/** The own page is probed at most once a second, however often load balancers ask. */
const PAGE_CACHE_MS = 1000;

const isLoopback = (addr: string | undefined) =>
  !!addr && (addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.'));

export function observeRoutes(o: ObserveOptions): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    const { registry, switches } = metricsRegistry({
      status: o.status,
      outcomes: o.outcomes,
      serving: (s) => holdsService(s, o.holder),
    });
    o.onSwitches(switches);
    let page: { at: number; result: Promise<Health> } | undefined;
    const ownPage = () => {
      if (!page || Date.now() - page.at > PAGE_CACHE_MS) page = { at: Date.now(), result: o.checkOwnPage() };
      return page.result;
    };
    const answer = (reply: FastifyReply, h: Health) =>
      reply
        .code(h.ok ? 200 : 503)
        .header('cache-control', 'no-store')
        .send(h);

    const tokenAllows = (req: FastifyRequest): boolean => {
      if (!o.tokenFile) return false;
      const want = Buffer.from(readFileSync(o.tokenFile, 'utf8').trim());
      const got = Buffer.from(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
      return want.length > 0 && got.length === want.length && timingSafeEqual(got, want);
    };
    app.get('/metrics', async (req, reply) => {
      if (!isLoopback(req.socket.remoteAddress) && !tokenAllows(req)) {
        return reply
          .code(401)
          .send({ error: 'metrics need a bearer token from off this server (admin.metricsTokenFile)' });
      }
      return reply.type(registry.contentType).send(await registry.metrics());
    });
    app.get('/health/live', (_req, reply) => answer(reply, { ok: true, why: 'the agent runs' }));
    app.get('/health/ready', (_req, reply) => answer(reply, readyHealth(o.status())));
    app.get('/health/serving', async (_req, reply) => {
      const s = o.status();
      const pageResult = holdsService(s, o.holder) ? await ownPage() : { ok: true, why: '' };
      return answer(reply, servingHealth(s, o.holder, pageResult));
    });
  };
}
