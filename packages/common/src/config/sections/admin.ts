// The `admin` section of sparesync.json: the agent's HTTPS admin page (guide §7). Imported by
// schema.ts. Local to each server: its address, certificate and users file belong to the machine.
export const adminSection = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description:
    'The admin page (https://HOST:PORT/web/) served by the agent. Nobody can log in until an operator sets a password on this server with `sparesync admin set-password`.',
  'x-local': true,
  properties: {
    enabled: {
      type: 'boolean',
      default: true,
      description: 'Serve the admin page.',
      'x-restartRequired': true,
    },
    listen: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Where the admin page listens.',
      'x-restartRequired': true,
      properties: {
        host: {
          type: 'string',
          minLength: 1,
          default: '127.0.0.1',
          description: 'Host name or IP address (0.0.0.0: every address).',
        },
        port: {
          type: 'integer',
          minimum: 0,
          maximum: 65535,
          description: "TCP port (default: the link's port + 1; 0: any free port, logged at start).",
        },
      },
    },
    tls: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description:
        "Certificate of the page (default: the agent's own certificate and key). Relative paths are relative to the settings file.",
      'x-restartRequired': true,
      properties: {
        cert: { type: 'string', minLength: 1, description: 'Certificate (PEM), with its chain.' },
        key: { type: 'string', minLength: 1, description: 'Private key (PEM, mode 0600).' },
      },
    },
    plainHttp: {
      type: 'boolean',
      default: false,
      description:
        'Serve plain HTTP instead of HTTPS: passwords and session cookies cross the network readable. The log and the page warn while it is on.',
      'x-critical': true,
      'x-restartRequired': true,
    },
    usersFile: {
      type: 'string',
      default: '',
      description:
        "File of the page's users and their scrypt password hashes (mode 0600; default: admin-users.json in the data folder). Written by `sparesync admin set-password`; never replicated.",
      'x-restartRequired': true,
    },
    metricsTokenFile: {
      type: 'string',
      default: '',
      description:
        'File holding the bearer token (first line) a Prometheus server off this machine presents for /metrics (mode 0600). Empty: /metrics answers loopback callers only. The /health/* answers are open.',
    },
    sessionIdleMinutes: {
      type: 'number',
      minimum: 1,
      maximum: 1440,
      default: 30,
      description: 'A login session ends after this many minutes without a request.',
    },
  },
} as const;
