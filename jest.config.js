/** What both projects share. */
const common = {
  testEnvironment: 'node',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }] },
  // The test kit runs from its source, so a change to it needs no build first.
  moduleNameMapper: { '^@county/test-kit$': '<rootDir>/test/kit/src' },
};

/**
 * The second pass of `npm test` (TEMPORAL_MODE=server, scripts/src/test.ts): these suites again, against the real
 * Temporal server on PostgreSQL, plus the *.server.spec.ts suites that only make sense there (kill -9 of the
 * server, several workers and APIs). Between them they run every workflow: task and assignment (task-process,
 * task-changes, write-path, seed-workflows, worker-crash, reassign-race), call (calls), reminders and the
 * escalation ladder (deadline-escalation, urges), delivery (notification-delivery, delivery-crash), the daily
 * digest (daily-digest) and the 督查通报 schedule (bulletin-schedule); restore-drill backs the real server's two
 * databases up and restores them, and worker-versioning upgrades its workers release by release.
 */
const REAL_SERVER_SUITES = [
  'task-process',
  'task-changes',
  'write-path',
  'seed-workflows',
  'worker-crash',
  'reassign-race',
  'calls',
  'deadline-escalation',
  'urges',
  'notification-delivery',
  'delivery-crash',
  'daily-digest',
  'bulletin-schedule',
  'restore-drill',
  'worker-versioning',
];
const serverPass = process.env.TEMPORAL_MODE === 'server';

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
      // *.server.spec.ts need the real services too (the e2e project's second pass runs them).
      testPathIgnorePatterns: [...common.testPathIgnorePatterns, '\\.e2e\\.spec\\.ts$', '\\.server\\.spec\\.ts$'],
    },
    {
      ...common,
      displayName: 'e2e',
      roots: ['<rootDir>/test'],
      testMatch: serverPass
        ? [...REAL_SERVER_SUITES.map((name) => `**/test/${name}.e2e.spec.ts`), '**/*.server.spec.ts']
        : ['**/*.e2e.spec.ts'],
      // One real Temporal dev server and one real PostgreSQL for the whole run (reused when
      // TEMPORAL_ADDRESS / DATABASE_URL are set). A project's global setup runs only when one of its tests does.
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};
