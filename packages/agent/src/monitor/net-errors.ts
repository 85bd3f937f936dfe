// Network failures as short phrases for one-sentence probe details.

const CERT_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Raised by a probe whose deadline passed. */
export class ProbeTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs / 1000} s`);
  }
}

export function isCertificateError(e: unknown): boolean {
  return CERT_CODES.has(String((e as { code?: unknown }).code));
}

/** "connection refused", "host not found", "certificate not trusted (CODE)", … */
export function netErrorPhrase(e: unknown): string {
  if (e instanceof ProbeTimeout) return e.message;
  const code = String((e as { code?: unknown }).code ?? '');
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
      return 'connection reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'network unreachable';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return 'its certificate does not name this host';
    case 'CERT_HAS_EXPIRED':
      return 'its certificate has expired';
  }
  if (isCertificateError(e)) return `its certificate is not trusted (${code})`;
  const message = messageOf(e);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

/** An error's message; works for errors from another realm, where instanceof Error fails. */
export function messageOf(e: unknown): string {
  const message = (e as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(e);
}

/** The URL as shown to people: user name and password replaced, since they are secrets. */
export function displayUrl(url: URL | string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return String(url);
  }
  if (u.username || u.password) {
    u.username = '***';
    u.password = '';
  }
  return u.toString();
}
