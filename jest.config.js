// Unit tests live beside the code (packages/*/src/**/*.test.ts) and need no servers.
// End-to-end tests live in test/ and start real agent processes (built JS in packages/*/dist)
// and real servers on loopback; package.json runs them with --runInBand to keep timing predictable.
const shared = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  moduleNameMapper: {
    '^@sparesync/([a-z]+)$': '<rootDir>/packages/$1/src',
    '^@sparesync/devkit/testing$': '<rootDir>/packages/devkit/src/testing',
  },
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
};
module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/packages/*/src/**/*.test.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.test.ts'] },
  ],
  // A project-level testTimeout is ignored by jest 30; this one applies to both projects. Real
  // processes on a busy CI machine need more than the default 5 s.
  testTimeout: 60000,
};
