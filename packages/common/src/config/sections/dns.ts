// The `dns` section of sparesync.json: dynamic DNS switching (RFC 2136, TSIG) and the embedded
// authoritative server. Imported by schema.ts.
import { hostPort, seconds } from './primitives';

export const dnsSection = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description:
    "Dynamic DNS (RFC 2136) switching: on a switch the managed system's address record is changed, TSIG-signed, from one server's address to the other's.",
  properties: {
    enabled: {
      type: 'boolean',
      default: false,
      description: 'Update DNS on a switch.',
      'x-critical': true,
    },
    server: hostPort(
      'The primary DNS server of the zone, which accepts the updates (guide §4 recommends running it on the secondary).',
      '127.0.0.1',
      53,
    ),
    zone: {
      type: 'string',
      default: '',
      description: 'The DNS zone holding the record, e.g. example.com.',
      'x-critical': true,
    },
    recordName: {
      type: 'string',
      default: '',
      description:
        "The managed system's full DNS name, e.g. www.example.com; its A or AAAA record is switched.",
      'x-critical': true,
    },
    ttl: {
      type: 'integer',
      minimum: 0,
      maximum: 2147483647,
      default: 60,
      description:
        'TTL of the record written on a switch (seconds); clients may use the old address this long.',
    },
    tsig: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description:
        'The TSIG key (RFC 8945) that signs the updates; the DNS server must allow updates with it.',
      'x-critical': true,
      properties: {
        keyName: {
          type: 'string',
          default: '',
          description: 'Key name, as in the DNS server’s configuration (BIND: key "NAME" { ... }).',
        },
        algorithm: {
          type: 'string',
          enum: ['hmac-sha256', 'hmac-sha512', 'hmac-sha1'],
          default: 'hmac-sha256',
          description: 'HMAC algorithm of the key.',
        },
        secretFile: {
          type: 'string',
          default: '',
          description:
            'File holding the key’s base64 secret and nothing else (mode 0600); the secret never goes into this settings file. Relative paths are relative to the settings file.',
          'x-local': true,
        },
      },
    },
    primaryAddress: {
      type: 'string',
      default: '',
      description: "The managed system's public address on the primary (IPv4 or IPv6).",
      'x-critical': true,
    },
    secondaryAddress: {
      type: 'string',
      default: '',
      description: "The managed system's public address on the secondary (IPv4 or IPv6, same family).",
      'x-critical': true,
    },
    timeoutSeconds: seconds('How long to wait for each answer from the DNS server (seconds).', 5, 0.1),
    embedded: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description:
        'An authoritative DNS server for dns.zone built into the agent, for the demo and small sites; it accepts only updates signed with dns.tsig.',
      'x-local': true,
      properties: {
        enabled: {
          type: 'boolean',
          default: false,
          description: 'Run the embedded DNS server on this agent.',
        },
        listen: hostPort('Where it answers, over UDP and TCP.', '0.0.0.0', 53),
        zoneFile: {
          type: 'string',
          default: 'dns-zone.json',
          description:
            'JSON file in which it keeps the zone across restarts (written atomically). Relative paths are relative to dataDir.',
        },
        nameServers: {
          type: 'array',
          default: [],
          items: { type: 'string', minLength: 1 },
          description: 'Names of the zone’s name servers for its NS records and SOA (default: ns1.<zone>).',
        },
        nameServerAddress: {
          type: 'string',
          default: '',
          description: 'Address given for ns1.<zone> when nameServers is empty (default: none).',
        },
      },
    },
  },
} as const;
