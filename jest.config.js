/** What both projects share. */
const common = {
  testEnvironment: 'node',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }] },
  // The test kit runs from its source, so a change to it needs no build first.
  moduleNameMapper: { '^@county/test-kit$': '<rootDir>/test/kit/src' },
};

/**
 * Two projects: `unit` (no services: domain, calendar, plan import, API units, replay, lint — `npm run test:unit`)
 * and `e2e` (every *.e2e.spec.ts, against the real services — `npm run test:e2e`). `npm test` runs both.
 * A spec that needs PostgreSQL or Temporal is named *.e2e.spec.ts.
 *
 * @type {import('jest').Config}
 */
module.exports = {
  testTimeout: 60_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/workflows', '<rootDir>/bench', '<rootDir>/test'],
      testMatch: ['**/*.spec.ts'],
      testPathIgnorePatterns: [...common.testPathIgnorePatterns, '\\.e2e\\.spec\\.ts$'],
    },
    {
      ...common,
      displayName: 'e2e',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e.spec.ts'],
      // One real Temporal dev server and one real PostgreSQL for the whole run (reused when
      // TEMPORAL_ADDRESS / DATABASE_URL are set). A project's global setup runs only when one of its tests does.
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};
