// Who may call which Control method, checked in one place for every method (ours and the parts'):
// the caller's certificate was already verified against the pair CA by mutual TLS; here its
// fingerprint and subject OU decide its role. The pair's own agent certificates (the CLI on an
// agent's machine uses its agent's) and `certs issue-client --role operator` certificates may
// call everything; every other certificate, read-only ones included, only the read-only methods,
// and GetSettings with its secrets redacted (redact.ts). A method not listed as read-only needs
// the operator role, so new methods are safe by default.
import * as grpc from '@grpc/grpc-js';
import type { PeerCertificate } from 'node:tls';
import {
  normalizeFingerprint,
  serviceDefinition,
  type GetSettingsReply,
  type Logger,
} from '@sparesync/common';
import { redactSettingsReply } from './redact';

export const readOnlyMethods: ReadonlySet<string> = new Set([
  'getStatus',
  'watchStatus',
  'getIdentity',
  'getSettings',
]);

/** Read-only methods whose reply a read-only caller gets only after this (unary methods). */
const redactedForReadOnly: Record<string, (reply: never) => unknown> = {
  getSettings: (r: GetSettingsReply) => redactSettingsReply(r),
};

export interface Caller {
  role: 'operator' | 'readonly';
  /** For messages: "client certificate CN=ops-1 (OU client:readonly, SHA-256 AB:CD…)". */
  description: string;
}

export interface AuthorizeOptions {
  /** This agent's and the pinned peer's certificate fingerprints. */
  agentFingerprints: string[];
  log: Logger;
}

type Call = { getAuthContext(): { sslPeerCertificate?: PeerCertificate } | null; getPeer(): string };

export function callerOf(call: Call, agentFingerprints: readonly string[]): Caller {
  const cert = call.getAuthContext()?.sslPeerCertificate;
  if (!cert?.fingerprint256)
    return { role: 'readonly', description: 'a caller without a client certificate' };
  const ou = String(cert.subject?.OU ?? '');
  const description = `certificate CN=${String(cert.subject?.CN ?? '?')} (OU ${ou || 'none'}, SHA-256 ${cert.fingerprint256.slice(0, 23)}…)`;
  const agent = agentFingerprints
    .map(normalizeFingerprint)
    .includes(normalizeFingerprint(cert.fingerprint256));
  return { role: agent || ou === 'client:operator' ? 'operator' : 'readonly', description };
}

const pascal = (m: string) => m.charAt(0).toUpperCase() + m.slice(1);

/** The implementation with every method that changes anything refused to read-only callers. */
export function authorizeControl(
  impl: grpc.UntypedServiceImplementation,
  o: AuthorizeOptions,
): grpc.UntypedServiceImplementation {
  const definition = serviceDefinition('Control');
  const out: grpc.UntypedServiceImplementation = {};
  for (const [method, handler] of Object.entries(impl)) {
    const redact = redactedForReadOnly[method];
    if (redact) {
      out[method] = ((
        call: Call & grpc.ServerUnaryCall<unknown, unknown>,
        callback: grpc.sendUnaryData<unknown>,
      ) => {
        if (callerOf(call, o.agentFingerprints).role === 'operator')
          return (handler as (...a: unknown[]) => void)(call, callback);
        (handler as (...a: unknown[]) => void)(call, ((err, reply) =>
          err ? callback(err) : callback(null, redact(reply as never))) as grpc.sendUnaryData<unknown>);
      }) as grpc.UntypedHandleCall;
      continue;
    }
    if (readOnlyMethods.has(method)) {
      out[method] = handler;
      continue;
    }
    const streams = Object.values(definition).find((d) => d.originalName === method)?.responseStream ?? false;
    const guarded = (
      call: Call & grpc.ServerWritableStream<unknown, unknown>,
      callback?: grpc.sendUnaryData<unknown>,
    ) => {
      const caller = callerOf(call, o.agentFingerprints);
      if (caller.role === 'operator') {
        return (handler as (...a: unknown[]) => void)(call, callback);
      }
      const details =
        `${pascal(method)} needs an operator certificate (an agent certificate of this pair or one from ` +
        `\`sparesync certs issue-client --role operator\`); this client's ${caller.description} may only read (status, identity, settings without secrets)`;
      o.log.warn(
        `refused Control ${pascal(method)} from ${call.getPeer()}: ${caller.description} is read-only`,
      );
      const error = { code: grpc.status.PERMISSION_DENIED, details };
      if (streams || !callback) call.emit('error', error);
      else callback(error);
    };
    out[method] = guarded as grpc.UntypedHandleCall;
  }
  return out;
}
