// The optional `witness` section of sparesync.json: an etcd cluster that holds the pair's
// lease-backed holder key, so that at most one side serves under any partition (issue 15).
// Without the section nothing changes. Imported by schema.ts; its cross-field check by validate.ts.
import type { SettingsProblem } from '../validate';

export const witnessSection = {
  type: 'object',
  additionalProperties: false,
  required: ['etcd', 'keyPrefix'],
  description:
    'Optional witness on etcd: the side that serves holds a lease-backed key; the secondary switches only after it took that key, and a serving side cut off from both its peer and the witness stops its managed system before its lease expires. Leave the section out to switch as the guide describes.',
  'x-critical': true,
  // The witness client is built once, at start (builders.ts).
  'x-restartRequired': true,
  properties: {
    etcd: {
      type: 'object',
      additionalProperties: false,
      required: ['endpoints'],
      description: 'How to reach the etcd cluster (v3 API).',
      properties: {
        endpoints: {
          type: 'array',
          minItems: 1,
          items: { type: 'string', pattern: '^https?://[^\\s]+$' },
          description:
            'Client URLs of the etcd members, e.g. ["https://etcd1:2379", "https://etcd2:2379"]; one member is enough to start.',
        },
        ca: {
          type: 'string',
          default: '',
          description:
            "CA certificate (PEM) that signed the etcd members' certificates; empty for plain http. Relative paths are relative to the settings file.",
          'x-local': true,
        },
        cert: {
          type: 'string',
          default: '',
          description: 'Client certificate (PEM) for etcd client-certificate authentication; empty for none.',
          'x-local': true,
        },
        key: {
          type: 'string',
          default: '',
          description: 'Private key (PEM) of the client certificate.',
          'x-local': true,
        },
        user: {
          type: 'string',
          default: '',
          description: 'etcd user name for password authentication; empty for none.',
          'x-local': true,
        },
        passwordFile: {
          type: 'string',
          default: '',
          description:
            'File holding the etcd user’s password and nothing else (mode 0600); the password never goes into this settings file.',
          'x-local': true,
        },
      },
    },
    keyPrefix: {
      type: 'string',
      minLength: 1,
      pattern: '^[A-Za-z0-9._/-]+$',
      description:
        'Prefix naming this pair in etcd, e.g. /sparesync/shop; the pair keeps `<prefix>/holder` (lease-backed) and `<prefix>/epoch`. Both servers must use the same prefix, and no other pair may.',
    },
    leaseTtlSeconds: {
      type: 'integer',
      minimum: 2,
      maximum: 600,
      default: 5,
      description:
        "Time to live of the holder's lease (seconds), renewed every third of it. The secondary can take the key only this long after the holder last renewed it.",
    },
  },
} as const;

interface WitnessInput {
  witness?:
    | {
        leaseTtlSeconds?: number;
        etcd?: {
          endpoints?: string[];
          ca?: string;
          cert?: string;
          key?: string;
          user?: string;
          passwordFile?: string;
        };
      }
    | undefined;
  network: { remoteCheckIntervalSeconds: number };
  link: { heartbeatMisses: number };
  system: { allowableResponseTimeSeconds: number };
}

/** The witness section's cross-field checks (config validate and the agent's start). */
export function witnessProblems(s: WitnessInput): SettingsProblem[] {
  return [...credentialProblems(s.witness?.etcd), ...timingProblems(s)];
}

/** Credentials that only work together, so that none is silently ignored. */
function credentialProblems(e: NonNullable<WitnessInput['witness']>['etcd']): SettingsProblem[] {
  if (!e) return [];
  const out: SettingsProblem[] = [];
  const need = (when: boolean, path: string, value: unknown, message: string) => {
    if (when) out.push({ path: `/witness/etcd/${path}`, value, message });
  };
  need(
    !!e.user && !e.passwordFile,
    'passwordFile',
    e.passwordFile ?? '',
    `expected the file holding the password of etcd user "${e.user}" (witness.etcd.user is set)`,
  );
  need(
    !e.user && !!e.passwordFile,
    'user',
    e.user ?? '',
    'expected the etcd user whose password witness.etcd.passwordFile holds',
  );
  need(
    !!e.cert !== !!e.key,
    e.cert ? 'key' : 'cert',
    e.cert ? (e.key ?? '') : (e.cert ?? ''),
    'expected witness.etcd.cert and witness.etcd.key together (a client certificate and its private key)',
  );
  need(
    !!e.cert && !e.ca,
    'ca',
    e.ca ?? '',
    "expected the CA certificate that signed the etcd members' certificates: a client certificate (witness.etcd.cert) is used only with witness.etcd.ca",
  );
  return out;
}

/**
 * A serving side cut off from both its peer and the witness stops once it has noticed both losses
 * (the peer after the heartbeat misses, the witness within the lease's time to live); the
 * secondary serves no earlier than the allowable response time after it noticed the same cut. The
 * first must come before the second.
 */
function timingProblems(s: WitnessInput): SettingsProblem[] {
  const ttl = s.witness?.leaseTtlSeconds;
  if (ttl === undefined) return [];
  const lost = s.network.remoteCheckIntervalSeconds * s.link.heartbeatMisses;
  const allowed = s.system.allowableResponseTimeSeconds;
  if (lost + ttl < allowed) return [];
  return [
    {
      path: '/witness/leaseTtlSeconds',
      value: ttl,
      message: `expected network.remoteCheckIntervalSeconds × link.heartbeatMisses + witness.leaseTtlSeconds (${+lost.toFixed(3)} + ${ttl} s) to be less than system.allowableResponseTimeSeconds (${allowed} s), so that a server cut off from its peer and the witness stops its managed system before the other may start serving`,
    },
  ];
}
