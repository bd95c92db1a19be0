/**
 * jest's node environment in a chosen time zone (`testEnvironmentOptions.timeZone` of the project in
 * jest.config.js): the suites run once in UTC and once in America/New_York, so a time read or written
 * in the machine's zone shows up as a failure.
 *
 * The zone is set on the worker's real `process.env.TZ` — Node applies a change of it at run time —
 * and before the sandbox is built: a test file's `process.env` is a copy taken then, so setting TZ
 * from a test file or a `setupFiles` module would change only that copy, and the clock would stay in
 * the machine's zone. Child processes (the CLI, headless Chromium) inherit it. The zone the worker
 * had is put back when the file is done.
 */
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import { TestEnvironment } from 'jest-environment-node';

export default class TimeZoneEnvironment extends TestEnvironment {
  private readonly previousZone: string | undefined;

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    // Not passed on: the node environment copies its options onto the test files' global object.
    const { timeZone, ...options } = config.projectConfig.testEnvironmentOptions;
    if (typeof timeZone !== 'string' || timeZone === '') throw new Error('time-zone-environment: set testEnvironmentOptions.timeZone');
    const previousZone = process.env.TZ;
    process.env.TZ = timeZone;
    super({ ...config, projectConfig: { ...config.projectConfig, testEnvironmentOptions: options } }, context);
    this.previousZone = previousZone;
  }

  override async teardown(): Promise<void> {
    await super.teardown();
    if (this.previousZone === undefined) delete process.env.TZ;
    else process.env.TZ = this.previousZone;
  }
}
