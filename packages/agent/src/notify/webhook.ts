// HTTP POST of each message as JSON (node's fetch). Any 2xx answer counts as delivered. The URL is
// shown without credentials or query string, and header values never appear: they may hold tokens.
import type { Settings } from '@sparesync/common';
import { payloadOf, type Message } from './message';
import type { Transport } from './transport';

type WebhookSettings = Settings['notifications']['webhook'];

export function webhookTransport(s: WebhookSettings): Transport {
  const shown = safeUrl(s.url);
  return {
    name: 'webhook',
    target: `webhook ${shown}`,
    async send(m: Message): Promise<string> {
      let res: Response;
      try {
        res = await fetch(s.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...s.headers },
          body: JSON.stringify(payloadOf(m)),
          signal: AbortSignal.timeout(s.timeoutSeconds * 1000),
        });
      } catch (e) {
        throw new Error(`${shown}: ${causeOf(e)}`);
      }
      await res.body?.cancel().catch(() => undefined);
      if (!res.ok) throw new Error(`${shown} answered HTTP ${res.status} ${res.statusText}`.trim());
      return `${shown} answered HTTP ${res.status}`;
    },
  };
}

/** scheme://host:port/path: no user, password, query or fragment. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(an invalid URL)';
  }
}

/** fetch hides the network error in `cause`; a timeout is an AbortError/TimeoutError. */
function causeOf(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'no answer in time';
  const cause = err.cause?.message ?? err.cause?.code;
  return cause ? `${err.message ?? 'fetch failed'} (${cause})` : (err.message ?? String(e));
}
