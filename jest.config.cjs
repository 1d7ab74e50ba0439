// One jest run for the whole workspace: fast unit tests beside the code, and integration tests
// against the real Postgres and NATS JetStream, which a global setup checks once per run.
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const common = {
  // Transform TypeScript everywhere, and the ESM-only packages (jose; openid-client and its
  // oauth4webapi; oidc-provider; hyparquet and hyparquet-writer) so jest's CommonJS runtime can load them.
  transform: { '^.+\\.(t|m?j)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(jose|openid-client|oauth4webapi|oidc-provider|hyparquet|hyparquet-writer)/)'],
  testEnvironment: 'node',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/libs/platform/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/platform/testing/src/global-teardown.ts',
    },
  ],
  // A global option: jest ignores it inside a project. Integration tests wait on real servers.
  testTimeout: 60_000,
};
