// The managed system (how SpareSync starts, stops and tests it) and the external resources the
// secondary must reach before it may take over (guide §10.1.1). Spread into settingsSchema.properties.
import { seconds } from './primitives';

const command = (what: string, example: string) =>
  ({
    type: 'string',
    default: '',
    description: `Shell command that ${what}, e.g. ${example}; empty: nothing to do.`,
    'x-critical': true,
    'x-local': true,
  }) as const;

export const managedSections = {
  managedSystem: {
    type: 'object',
    additionalProperties: false,
    default: {},
    description:
      'The managed system: how to start, stop and test it. Commands run through the shell as the agent’s user; their output goes to the agent log.',
    properties: {
      startCommand: command('starts the managed system', '`systemctl start myapp` or `sc start MyApp`'),
      stopCommand: command('stops the managed system', '`systemctl stop myapp` or `sc stop MyApp`'),
      statusCommand: command(
        'exits 0 while the managed system runs and non-zero when it does not',
        '`systemctl is-active --quiet myapp`',
      ),
      fenceCheckSeconds: seconds(
        'While this server is fenced (the other one holds the managed system after a switch), how often SpareSync checks that the managed system here stays stopped, with statusCommand (else this server’s own test page), and stops it again if it came back (seconds).',
        5,
        0.1,
      ),
      commandTimeoutSeconds: seconds(
        'Longest time each command may run (seconds); then it is killed and reported as failed.',
        60,
        1,
      ),
      offlineMarker: {
        type: 'object',
        additionalProperties: false,
        default: {},
        description:
          'The offline marker (guide §10.1.1): written when SpareSync stops the managed system, removed when it starts it.',
        'x-local': true,
        properties: {
          folder: {
            type: 'string',
            default: '',
            description:
              "The managed system's folder, where the marker goes (empty: no marker). Relative paths are relative to the settings file.",
          },
          name: {
            type: 'string',
            minLength: 1,
            pattern: '^[^/\\\\]+$',
            default: 'app_offline.htm',
            description:
              'File name of the marker (IIS takes an application offline while app_offline.htm exists).',
          },
        },
      },
      testPage: {
        type: 'object',
        additionalProperties: false,
        default: {},
        description:
          "The managed system's test page. The secondary requests the primary's to decide whether the managed system is available, and its own after starting it during a switch.",
        properties: {
          primaryUrl: {
            type: 'string',
            default: '',
            description:
              'http(s) URL of the test page on the primary, as the secondary reaches it (empty: not monitored; a lost link is then the only signal).',
            'x-critical': true,
          },
          secondaryUrl: {
            type: 'string',
            default: '',
            description:
              'http(s) URL of the test page on the secondary, checked after a switch started it (empty: not checked).',
          },
          expectStatus: {
            type: 'integer',
            minimum: 100,
            maximum: 599,
            default: 200,
            description:
              'HTTP status the test page answers with when the managed system works (redirects are not followed).',
          },
          bodyContains: {
            type: 'string',
            default: '',
            description: 'Text the answer must contain (empty: any body).',
          },
          timeoutSeconds: seconds('How long to wait for the whole answer (seconds).', 10, 0.1),
          caFile: {
            type: 'string',
            default: '',
            description:
              'PEM file of the CA that signed the test page’s https certificate, if not a public CA. Relative paths are relative to the settings file.',
            'x-local': true,
          },
        },
      },
    },
  },
  externalResources: {
    type: 'array',
    default: [],
    items: { type: 'string', minLength: 1 },
    description:
      'URLs (HTTP GET, any status below 500 counts) or host:port (TCP connect) that the secondary must ALL reach to trust that it is not the isolated one (guide §10.1.1). List a few independent ones.',
  },
  externalResourcesTimeoutSeconds: seconds(
    'How long each external resource may take to answer (seconds); they are tried in parallel.',
    5,
    0.1,
  ),
} as const;
