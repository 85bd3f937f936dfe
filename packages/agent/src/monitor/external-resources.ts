// External resources (guide §10.1.1): the secondary's evidence that it is not the isolated one.
// ALL listed resources must be reachable. Any failure blocks an automatic switch: a wrong "no" only
// delays a switch until the resource is back, while a wrong "yes" from an isolated secondary takes
// the managed system over from a primary that still serves users (split brain). So list a few
// independent, dependable resources, not many.
import type { Settings } from '@sparesync/common';
import { httpGet } from './http-probe';
import { displayUrl, netErrorPhrase } from './net-errors';
import { tcpConnect } from './tcp-probe';
import type { ProbeResult } from './test-page';

export type ExternalSettings = Pick<Settings, 'externalResources' | 'externalResourcesTimeoutSeconds'>;

export type Resource =
  | { kind: 'url'; url: URL; shown: string }
  | { kind: 'tcp'; host: string; port: number; shown: string }
  | { kind: 'invalid'; shown: string };

/** "https://…" or "http://…" → HTTP GET; "host:port" or "[v6]:port" → TCP connect. */
export function parseResource(entry: string): Resource {
  const text = entry.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    try {
      const url = new URL(text);
      if (url.protocol === 'http:' || url.protocol === 'https:')
        return { kind: 'url', url, shown: displayUrl(url) };
    } catch {
      // reported below
    }
    return { kind: 'invalid', shown: displayUrl(text) };
  }
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:\s[\]]+)):(\d{1,5})$/.exec(text);
  const port = Number(m?.[3]);
  if (!m || port < 1 || port > 65535) return { kind: 'invalid', shown: text };
  return { kind: 'tcp', host: m[1] ?? m[2] ?? '', port, shown: text };
}

/** Why one resource is unreachable, or undefined when it is reachable. */
async function failureOf(r: Resource, timeoutMs: number): Promise<string | undefined> {
  try {
    if (r.kind === 'invalid') return 'not an http(s) URL or host:port';
    if (r.kind === 'tcp') {
      await tcpConnect(r.host, r.port, timeoutMs);
      return undefined;
    }
    // Any answer below 500 shows the network path works; 5xx is a server that is itself failing.
    const { status } = await httpGet(r.url, { timeoutMs, maxBodyBytes: 0 });
    return status < 500 ? undefined : `answered ${status}`;
  } catch (e) {
    return netErrorPhrase(e);
  }
}

export async function checkExternalResources(settings: ExternalSettings): Promise<ProbeResult> {
  const resources = settings.externalResources.map(parseResource);
  if (!resources.length) return { ok: true, detail: 'no external resources configured' };
  const timeoutMs = settings.externalResourcesTimeoutSeconds * 1000;
  const failures = await Promise.all(resources.map((r) => failureOf(r, timeoutMs)));
  return summarize(resources, failures);
}

export function summarize(resources: Resource[], failures: (string | undefined)[]): ProbeResult {
  const failed = resources.flatMap((r, i) =>
    failures[i] === undefined ? [] : [`${r.shown} (${failures[i]})`],
  );
  const n = resources.length;
  if (!failed.length)
    return {
      ok: true,
      detail: n === 1 ? 'the external resource is reachable' : `all ${n} external resources are reachable`,
    };
  return {
    ok: false,
    detail: `${failed.length} of ${n} external resources unreachable: ${failed.join('; ')}`,
  };
}
