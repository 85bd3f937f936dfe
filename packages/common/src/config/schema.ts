// The one JSON Schema for sparesync.json. Defaults live here, typos are errors
// (additionalProperties: false everywhere), and the TypeScript type of loaded settings is derived
// from this object, so schema and code cannot drift apart.
//
// Annotations (guide §7.1):
//   x-critical         shown highlighted: a wrong value can stop SpareSync or the managed system
//   x-restartRequired  the agent must restart before a change takes effect
//   x-local            never propagated to the other server (paths and identities of this machine)
// Cross-field checks that JSON Schema cannot express live in validate.ts.

import { adminSection } from './sections/admin';
import { managedSections } from './sections/managed';
import { databaseSection } from './sections/database';
import { dnsSection } from './sections/dns';
import { foldersSection } from './sections/folders';
import { notificationsSection } from './sections/notifications';
import { witnessSection } from './sections/witness';
import { hostPort, seconds } from './sections/primitives';

const fingerprint = {
  type: 'string',
  pattern: '^([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$|^[0-9A-Fa-f]{64}$',
  description: "SHA-256 fingerprint of the peer agent's certificate, as printed by `sparesync certs init`.",
} as const;

export const settingsSchema = {
  $id: 'https://sparesync.dev/schema/sparesync.json',
  title: 'SpareSync settings (sparesync.json)',
  type: 'object',
  additionalProperties: false,
  required: ['role', 'peer', 'tls', 'pairKeyFile'],
  properties: {
    $schema: { type: 'string', description: 'Optional: path or URL of this schema, for editors.' },
    role: {
      type: 'string',
      enum: ['primary', 'secondary'],
      description: 'The role of this server in the pair.',
      'x-critical': true,
      'x-restartRequired': true,
      'x-local': true,
    },
    name: {
      type: 'string',
      default: '',
      description:
        "A name for this server in messages and on the admin page (default: the machine's host name).",
      'x-local': true,
    },
    dataDir: {
      type: 'string',
      minLength: 1,
      default: 'data',
      description:
        'Folder for the agent’s persistent state (epoch, transition history, indexes). Relative paths are relative to the settings file.',
      'x-restartRequired': true,
      'x-local': true,
    },
    listen: {
      ...hostPort('Where this agent serves the Link and Control services (mutual TLS).', '0.0.0.0', 7701),
      'x-critical': true,
      'x-restartRequired': true,
      'x-local': true,
    },
    peer: {
      type: 'object',
      additionalProperties: false,
      required: ['host', 'fingerprint'],
      description: 'The other agent of the pair.',
      'x-critical': true,
      'x-restartRequired': true,
      'x-local': true,
      properties: {
        host: { type: 'string', minLength: 1, description: 'Host name or IP address of the peer agent.' },
        port: { type: 'integer', minimum: 1, maximum: 65535, default: 7701, description: 'Its TCP port.' },
        fingerprint,
      },
    },
    tls: {
      type: 'object',
      additionalProperties: false,
      required: ['ca', 'cert', 'key'],
      description:
        'Certificates made by `sparesync certs init`. Relative paths are relative to the settings file.',
      'x-critical': true,
      'x-restartRequired': true,
      'x-local': true,
      properties: {
        ca: { type: 'string', minLength: 1, description: "The pair CA's certificate (PEM)." },
        cert: { type: 'string', minLength: 1, description: "This agent's certificate (PEM)." },
        key: { type: 'string', minLength: 1, description: "This agent's private key (PEM, mode 0600)." },
      },
    },
    pairKeyFile: {
      type: 'string',
      minLength: 1,
      description: 'File holding the pair key (guide §6); both agents must hold the same key.',
      'x-critical': true,
      'x-restartRequired': true,
      'x-local': true,
    },
    control: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description:
        "Client certificate the `sparesync` CLI uses to reach this agent's Control service (default: the agent's own certificate).",
      'x-local': true,
      properties: {
        cert: { type: 'string', minLength: 1, description: 'Client certificate (PEM).' },
        key: { type: 'string', minLength: 1, description: 'Client key (PEM).' },
        host: {
          type: 'string',
          minLength: 1,
          description: 'Address the CLI dials (default: 127.0.0.1 when listening on all addresses).',
        },
      },
    },
    log: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Logging.',
      'x-local': true,
      properties: {
        level: {
          type: 'string',
          enum: ['error', 'warn', 'info', 'debug'],
          default: 'info',
          description: 'Lowest level written.',
        },
        file: {
          type: 'string',
          default: 'logs/agent.log',
          description: 'Log file (JSON lines); empty to log to the console only.',
          'x-restartRequired': true,
        },
      },
    },
    network: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Network template settings (guide §7.2.1).',
      properties: {
        blockSizeBytes: {
          type: 'integer',
          minimum: 1024,
          maximum: 16777216,
          default: 65536,
          description: 'Block size of the file in the case of partial update (bytes).',
        },
        maxConnections: {
          type: 'integer',
          minimum: 1,
          maximum: 64,
          default: 3,
          description: 'The maximum number of parallel transfers to the other server.',
        },
        sendDelaySeconds: seconds('Delay before sending changes (seconds).', 3),
        compression: {
          type: 'boolean',
          default: true,
          description:
            'Use compression: file data is deflated on the link, except kinds of file (by name extension) whose data did not shrink.',
        },
        maxReplicaSizeKiB: {
          type: 'integer',
          minimum: 1,
          default: 2048,
          description: 'The maximum size of one transferred replica (row batch), in KiB.',
        },
        remoteCheckIntervalSeconds: seconds(
          'Check interval for the remote server (seconds): the heartbeat interval.',
          5,
          0.05,
        ),
        dbIterationPauseSeconds: seconds(
          'Pause between iterations of database synchronization (seconds).',
          5,
        ),
      },
    },
    system: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'System template settings (guide §7.2.2).',
      properties: {
        switchAutomatically: {
          type: 'boolean',
          default: true,
          description: 'Switch automatically.',
          'x-critical': true,
        },
        allowableResponseTimeSeconds: {
          ...seconds('Allowable response time of the managed system (seconds).', 120, 1),
          'x-critical': true,
        },
        switchAfterConfigErrorsFixed: {
          type: 'boolean',
          default: false,
          description: 'Switch to the operable state after the elimination of configuration errors.',
        },
        switchWhenManagedSystemDownLinkUp: {
          type: 'boolean',
          default: true,
          description: 'Switch when the managed system is not available, but the connection is active.',
          'x-critical': true,
        },
        switchIfRemoteStopped: {
          type: 'boolean',
          default: false,
          description: 'Make a switch if the remote server has been stopped.',
          'x-critical': true,
        },
        externalResourcesRecoverySeconds: seconds(
          'Recovery period after the unavailability of external resources (seconds).',
          60,
        ),
        dbConnectionErrorsFatal: {
          type: 'boolean',
          default: true,
          description: 'Consider database connection errors as fatal.',
        },
        availabilityCheckSeconds: seconds('Frequency for checking the availability (seconds).', 60, 0.1),
        reverseSyncTimeoutSeconds: seconds(
          'Longest time the switch back waits for files and rows to reach the primary (seconds); then the step fails and can be retried.',
          600,
          1,
        ),
      },
    },
    link: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'The agent-to-agent link.',
      properties: {
        heartbeatMisses: {
          type: 'integer',
          minimum: 2,
          maximum: 100,
          default: 3,
          description: 'Heartbeat intervals without a frame after which the peer counts as lost.',
        },
        maxClockOffsetSeconds: seconds(
          'Largest allowed clock difference between the servers (seconds); beyond it: ConfigurationError.',
          30,
          0.001,
        ),
        reconnectInitialMs: {
          type: 'integer',
          minimum: 10,
          default: 500,
          description: 'First reconnect delay; doubles per attempt.',
        },
        reconnectMaxMs: {
          type: 'integer',
          minimum: 10,
          default: 10000,
          description: 'Longest reconnect delay.',
        },
        keepaliveMs: {
          type: 'integer',
          minimum: 100,
          default: 5000,
          description:
            'HTTP/2 keepalive ping interval on the link: a frozen peer or a cut network is noticed within this plus keepaliveTimeoutMs. Each ping wakes both agents: shorter costs idle CPU.',
          'x-restartRequired': true,
        },
        keepaliveTimeoutMs: {
          type: 'integer',
          minimum: 100,
          default: 1000,
          description: 'How long a keepalive ping may go unanswered before the link counts as broken.',
          'x-restartRequired': true,
        },
        maxMessageBytes: {
          type: 'integer',
          minimum: 65536,
          maximum: 268435456,
          default: 4194304,
          description: 'Largest gRPC message accepted (bytes).',
          'x-restartRequired': true,
        },
      },
    },
    ...managedSections,
    maintenanceWindows: {
      type: 'array',
      default: [],
      description: 'Weekly windows during which the primary is not monitored (guide §5).',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['days', 'start', 'end'],
        properties: {
          days: {
            type: 'array',
            minItems: 1,
            items: { type: 'string', enum: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
            description: 'Days of the week on which the window opens.',
          },
          start: {
            type: 'string',
            pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
            description: 'HH:MM local time.',
          },
          end: {
            type: 'string',
            pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
            description: 'HH:MM local time.',
          },
        },
      },
    },
    dns: dnsSection,
    folders: foldersSection,
    database: databaseSection,
    notifications: notificationsSection,
    admin: adminSection,
    witness: witnessSection,
    testing: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Test-only settings. Never set these on a production pair.',
      'x-local': true,
      properties: {
        clockSkewMs: {
          type: 'number',
          default: 0,
          description: "Added to this agent's clock, to test the clock-offset check.",
        },
        versionOverride: {
          type: 'string',
          default: '',
          description: 'Reported instead of the real version, to test the version check.',
        },
      },
    },
  },
} as const;
