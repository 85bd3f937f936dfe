// The Control service client used by the CLI, the tests and integrators written in TypeScript.
import * as grpc from '@grpc/grpc-js';
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { PeerCertificate } from 'node:tls';
import type { LoadedSettings } from './config/load';
import { normalizeFingerprint } from './certs';
import { SpareSyncError } from './errors';
import { serviceClient } from './proto';
import type { Status, StatusEvent } from './control-wire';

/** Client credentials that accept only a server whose certificate has `fingerprint` (and the pair CA). */
export function pinnedClientCredentials(
  m: { ca: Buffer; cert: Buffer; key: Buffer },
  fingerprint: string,
): grpc.ChannelCredentials {
  const expected = normalizeFingerprint(fingerprint);
  return grpc.credentials.createSsl(m.ca, m.key, m.cert, {
    checkServerIdentity: (_host: string, cert: PeerCertificate) =>
      cert.fingerprint256 === expected
        ? undefined
        : new Error(`peer certificate ${cert.fingerprint256} is not the pinned peer.fingerprint ${expected}`),
  });
}

/**
 * Peers are verified by pinned fingerprint, not by host name, so the TLS server name is a fixed
 * label (an IP address as SNI is not allowed by RFC 6066 and makes Node warn).
 */
export const pinnedChannelOptions: grpc.ChannelOptions = {
  'grpc.ssl_target_name_override': 'sparesync-agent',
};

/** gRPC's "14 UNAVAILABLE: No connection established. Last error: X. Resolution note: " → X */
export function shortGrpcError(message: string): string {
  const last = /Last error: (?:Error: )?(.*?)(?:\. Resolution note:.*)?$/.exec(message);
  return (last?.[1] ?? message).trim();
}

export interface ControlTarget {
  address: string;
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
  /** Fingerprint of the agent's own certificate. */
  serverFingerprint: string;
}

function readFor(setting: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new SpareSyncError('CertUnreadable', `cannot read ${setting} (${file}): ${(e as Error).message}`);
  }
}

/** Where and how to reach the agent that `loaded` configures, from the same machine. */
export function controlTargetFromSettings(loaded: LoadedSettings): ControlTarget {
  const s = loaded.settings;
  const wildcard = s.listen.host === '0.0.0.0' || s.listen.host === '::';
  const host = s.control.host ?? (wildcard ? '127.0.0.1' : s.listen.host);
  const agentCert = readFor('tls.cert', loaded.resolvePath(s.tls.cert));
  const certSetting = s.control.cert ? 'control.cert' : 'tls.cert';
  const keySetting = s.control.key ? 'control.key' : 'tls.key';
  const certFile = loaded.resolvePath(s.control.cert ?? s.tls.cert);
  const keyFile = loaded.resolvePath(s.control.key ?? s.tls.key);
  const cert = s.control.cert ? readFor(certSetting, certFile) : agentCert;
  const key = readFor(keySetting, keyFile);
  // TLS would otherwise fail with OpenSSL's "key values mismatch", naming no file.
  if (!certificateOf(certSetting, certFile, cert).checkPrivateKey(privateKeyOf(keySetting, keyFile, key))) {
    throw new SpareSyncError(
      'CertInvalid',
      `${keySetting} (${keyFile}) is not the key of ${certSetting} (${certFile})`,
      { hint: '`sparesync config validate` checks every certificate and key of the settings.' },
    );
  }
  return {
    address: `${host.includes(':') ? `[${host}]` : host}:${s.listen.port}`,
    ca: readFor('tls.ca', loaded.resolvePath(s.tls.ca)),
    cert,
    key,
    serverFingerprint: certificateOf('tls.cert', loaded.resolvePath(s.tls.cert), agentCert).fingerprint256,
  };
}

function certificateOf(setting: string, file: string, pem: Buffer): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (e) {
    throw new SpareSyncError(
      'CertInvalid',
      `${setting} (${file}) is not a PEM certificate: ${(e as Error).message}`,
    );
  }
}

function privateKeyOf(setting: string, file: string, pem: Buffer): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (e) {
    throw new SpareSyncError(
      'CertInvalid',
      `${setting} (${file}) is not a PEM private key: ${(e as Error).message}`,
    );
  }
}

/** The peer agent's Control service (same credentials; its certificate is the pinned peer.fingerprint). */
export function peerControlTargetFromSettings(loaded: LoadedSettings): ControlTarget {
  const s = loaded.settings;
  const own = controlTargetFromSettings(loaded);
  return {
    ...own,
    address: `${s.peer.host.includes(':') ? `[${s.peer.host}]` : s.peer.host}:${s.peer.port}`,
    serverFingerprint: s.peer.fingerprint,
  };
}

export class ControlClient {
  private readonly client: grpc.Client;

  constructor(private readonly target: ControlTarget) {
    const Ctor = serviceClient('Control');
    this.client = new Ctor(
      target.address,
      pinnedClientCredentials(target, target.serverFingerprint),
      pinnedChannelOptions,
    );
  }

  getStatus(timeoutMs = 5000): Promise<Status> {
    return this.unary<Status>('getStatus', {}, timeoutMs);
  }

  close(): void {
    this.client.close();
  }

  /** The agent's address, for messages ("on the agent at HOST:PORT"). */
  get address(): string {
    return this.target.address;
  }

  /**
   * Control WatchStatus: calls `onEvent` for each event until `stop()` is called or the stream
   * ends; `onEnd` gets the error that ended it (undefined after stop()).
   */
  watchStatus(
    keepaliveSeconds: number,
    onEvent: (e: StatusEvent) => void,
    onEnd: (err: SpareSyncError | undefined) => void,
  ): { stop(): void } {
    type StreamCall = (this: grpc.Client, request: object) => grpc.ClientReadableStream<StatusEvent>;
    const fn = (this.client as unknown as Record<string, StreamCall>).watchStatus!;
    const call = fn.call(this.client, { keepaliveSeconds });
    let stopped = false;
    call.on('data', onEvent);
    call.on('error', (err: grpc.ServiceError) => {
      if (!stopped) onEnd(controlError(err, this.target.address));
    });
    call.on('end', () => {
      if (!stopped)
        onEnd(
          new SpareSyncError(
            'AgentUnreachable',
            `the agent at ${this.target.address} ended the status stream`,
          ),
        );
    });
    return {
      stop: () => {
        stopped = true;
        call.cancel();
      },
    };
  }

  /** Any unary Control RPC by its lowerCamelCase method name (e.g. dbReinitialize). */
  call<T>(method: string, request: object = {}, timeoutMs = 5000): Promise<T> {
    return this.unary<T>(method, request, timeoutMs);
  }

  private unary<T>(method: string, request: object, timeoutMs: number): Promise<T> {
    type UnaryCall = (
      this: grpc.Client,
      request: object,
      options: grpc.CallOptions,
      callback: (err: grpc.ServiceError | null, res: T) => void,
    ) => void;
    const fn = (this.client as unknown as Record<string, UnaryCall | undefined>)[method];
    if (!fn) throw new SpareSyncError('Internal', `Control has no method ${method}`);
    return new Promise<T>((resolve, reject) => {
      fn.call(
        this.client,
        request,
        { deadline: Date.now() + timeoutMs },
        (err: grpc.ServiceError | null, res: T) => {
          if (!err) return resolve(res);
          reject(controlError(err, this.target.address, timeoutMs));
        },
      );
    });
  }
}

function controlError(err: grpc.ServiceError, address: string, timeoutMs?: number): SpareSyncError {
  if (err.code === grpc.status.PERMISSION_DENIED || err.code === grpc.status.UNAUTHENTICATED) {
    return new SpareSyncError(
      'PermissionDenied',
      `the agent at ${address} refused this client: ${err.details}`,
    );
  }
  if (err.code === grpc.status.INVALID_ARGUMENT) {
    return new SpareSyncError(
      'ConfigInvalid',
      `the agent at ${address} refused the request: ${err.details}`,
      {
        hint: 'Nothing was changed; correct the request and try again.',
      },
    );
  }
  if (err.code === grpc.status.FAILED_PRECONDITION) {
    return new SpareSyncError(
      'InvalidArgument',
      `the agent at ${address} cannot do this now: ${err.details}`,
      { hint: 'Nothing was changed: do what the message says, then try again.' },
    );
  }
  if (err.code === grpc.status.DEADLINE_EXCEEDED) {
    // grpc-js's details list its internal timings ("name resolution: …, Waiting for LB pick").
    const within = timeoutMs === undefined ? '' : ` within ${timeoutMs / 1000} s`;
    return new SpareSyncError('AgentUnreachable', `the agent at ${address} did not answer${within}`, {
      hint: 'Is sparesync-agent running and not stopped or overloaded? Check listen.port and control.host; a slow operation may need a longer --timeout.',
    });
  }
  if (err.code === grpc.status.UNAVAILABLE) {
    return new SpareSyncError(
      'AgentUnreachable',
      `cannot reach the agent at ${address}: ${shortGrpcError(err.details)}`,
    );
  }
  return new SpareSyncError(
    'Internal',
    `the agent at ${address} answered ${grpc.status[err.code]}: ${err.details}`,
  );
}
