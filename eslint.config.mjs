import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The agent's boundaries (packages/agent/src/README.md): folders import only downward. A rule
// per layer names what it may not reach; the composition root (agent.ts) is imported by no one.
const agentSrc = 'packages/agent/src';
const upward = (...names) =>
  names.flatMap((n) => [`../${n}`, `../${n}/*`, `../../${n}`, `../../${n}/*`, `./${n}`, `./${n}/*`]);
const layer = (files, forbidden, message) => ({
  files: files.map((f) => `${agentSrc}/${f}`),
  ignores: ['**/*.test.ts'],
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ group: forbidden, message }] }],
  },
});

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'coverage/**',
      '.tmp/**',
      'sparesync-demo/**',
      'examples/**',
      // Written by `pnpm gen:wire` from the proto; `pnpm lint` checks it is current instead.
      'packages/common/src/generated/**',
      // Written by `pnpm gen:validator` from the settings schema; `pnpm lint` checks it too.
      'packages/common/src/generated-settings/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // The admin page's own script runs in the browser.
  {
    files: ['packages/agent/web/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: {
        window: 'readonly',
        document: 'readonly',
        fetch: 'readonly',
        EventSource: 'readonly',
        URLSearchParams: 'readonly',
        Node: 'readonly',
        Event: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },
  {
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  // The pure core: no I/O, no clock, nothing of the agent around it.
  {
    files: [`${agentSrc}/state/**/*.ts`],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'fs',
                'net',
                'http',
                'https',
                'child_process',
                '@grpc/*',
                'pg',
                'better-sqlite3',
                'mssql',
              ],
              message: 'state/ is the pure core: it takes observations and returns actions, and does no I/O.',
            },
            { group: ['../*'], message: 'state/ imports nothing of the agent around it.' },
          ],
        },
      ],
    },
  },
  layer(
    [
      'link/**/*.ts',
      'managed/**/*.ts',
      'monitor/**/*.ts',
      'notify/**/*.ts',
      'dns/**/*.ts',
      'witness/**/*.ts',
      'persisted-state.ts',
      'memory.ts',
    ],
    upward(
      'http',
      'api',
      'runner',
      'switching',
      'settings-sync',
      'files',
      'db',
      'agent',
      'builders*',
      'part-host',
      'parts-registry',
      'server',
    ),
    'edge modules (link, managed, monitor, notify, dns, witness) are used by the runner, the parts and the API, never the other way.',
  ),
  // The replication parts: the part contract (parts.ts) and the edge modules, never each other.
  ...[
    ['files', 'db'],
    ['db', 'files'],
  ].map(([part, other]) =>
    layer(
      [`${part}/**/*.ts`],
      upward(
        'http',
        'api',
        'runner',
        'switching',
        'settings-sync',
        other,
        'agent',
        'builders*',
        'part-host',
        'parts-registry',
        'server',
      ),
      'a replication part depends on the part contract (parts.ts) and the edge modules only.',
    ),
  ),
  layer(
    ['runner/**/*.ts', 'switching/**/*.ts', 'settings-sync/**/*.ts', 'shutdown-record.ts'],
    upward('http', 'api', 'agent', 'builders*', 'server'),
    'the runner, switching and settings sync sit below the Control API and the composition root.',
  ),
  layer(
    ['api/**/*.ts'],
    upward('http', 'agent', 'builders*', 'server'),
    'the Control API sits below the HTTP server and the composition root; nothing imports the root.',
  ),
  layer(
    ['http/**/*.ts'],
    upward('agent', 'builders*', 'server'),
    'http/ is a client of the Control API (api/); agent.ts and builders.ts are the composition root.',
  ),
  // The shipped packages hold only what a production install runs: the demo and test kit lives in
  // packages/devkit, which they never import (their unit tests may). No code anywhere reaches into
  // a package's dist by path. (A rule of its own name, so the agent's layer rules do not replace it.)
  {
    files: ['packages/{common,agent,cli}/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@sparesync/devkit', '@sparesync/devkit/*', '**/devkit/**'],
              message: 'the shipped packages do not depend on the devkit (demo, test and bench kit).',
            },
            {
              group: ['@sparesync/*/dist/**', '**/dist/**'],
              message: "import a package by its name, never from another package's dist.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    ignores: ['packages/{common,agent,cli}/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@sparesync/*/dist/**', '**/dist/**'],
              message: "import a package by its name, never from another package's dist.",
            },
          ],
        },
      ],
    },
  },
);
