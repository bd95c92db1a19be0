/**
 * Two projects, the same suites in two time zones: nothing may depend on the machine's zone. Each
 * test file runs in test/support/time-zone-environment.ts, which sets the worker's TZ before the
 * file's sandbox is built (a setupFiles module could not: it sees a copy of process.env).
 */
const base = {
  testEnvironment: '<rootDir>/test/support/time-zone-environment.ts',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  // @middy/core is ESM-only: let swc transform it for the CommonJS test run.
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 30000,
  projects: [
    { ...base, displayName: 'UTC', testEnvironmentOptions: { timeZone: 'UTC' } },
    {
      ...base,
      // UTC-5/-4 with daylight saving: a local reading of a UTC time lands on another day in the evening.
      displayName: 'America/New_York',
      testEnvironmentOptions: { timeZone: 'America/New_York' },
      // Not run twice, the slowest suites, which no zone can change: the stack as data packaged by `serverless
      // package` (CloudFormation templates, no times in them), the DynamoDB capacity measurement (write units
      // of items, no local times), and the reliability suites (processes killed
      // and run again, several writers on one database), which compare runs with each other in one zone.
      testPathIgnorePatterns: [
        '/node_modules/',
        '<rootDir>/test/aws/(stack|observability|member-template|organization-bus|rule-routing|answers-bucket)\\.test\\.ts$',
        '<rootDir>/test/reliability/',
        '<rootDir>/test/capacity/',
        // LookupEvents at its real quota (2 requests a second; RFC 3339 instants on the wire), and a document of
        // a few hundred MB read for its memory: slow, and nothing in them reads a local time.
        '<rootDir>/test/history/lookup-events(-cli)?\\.test\\.ts$',
        '<rootDir>/test/cli/evaluate-streaming\\.test\\.ts$',
        // Memory and throughput of large inputs and answers, and two replays compared with each other: nothing in
        // them reads or prints a local time, and each takes 10 to 35 seconds.
        '<rootDir>/test/intake/streaming\\.test\\.ts$',
        '<rootDir>/test/aws/large-answers\\.test\\.ts$',
        '<rootDir>/test/engine/parallel-replay\\.test\\.ts$',
        '<rootDir>/test/api/under-load\\.test\\.ts$',
      ],
    },
  ],
};
