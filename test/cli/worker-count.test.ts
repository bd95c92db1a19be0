/**
 * How many worker threads a replay uses when the command line does not say: one per core but the writer's,
 * when that makes two or more (on two cores one worker was measured as fast as none and held 60–100 MB
 * more), and none for a small input or without the bundled worker entry.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultWorkerCount } from '../../shared/adapters/workers/worker-pool-input';
import { PARALLEL_MIN_BYTES, workerCountFor, type ParallelReading } from '../../shared/shells/cli/local-replay-input';
import { DEFAULT_SETTINGS } from '../../shared/core/settings/settings';
import { memoryStorage } from '../../shared/adapters/store/memory';
import { testApplication } from '../support/application';
import { testClock } from '../support/clock';

describe('defaultWorkerCount', () => {
  it('keeps one core for the writer and uses the others once there are two of them', () => {
    expect(defaultWorkerCount(1)).toBe(0);
    expect(defaultWorkerCount(2)).toBe(0);
    expect(defaultWorkerCount(3)).toBe(2);
    expect(defaultWorkerCount(8)).toBe(7);
  });
});

describe('workerCountFor', () => {
  let dir: string;
  let reading: (workers: number | undefined, script?: string) => ParallelReading;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trailwarden-worker-count-'));
    const workerScript = join(dir, 'replay-worker.js');
    writeFileSync(workerScript, '');
    const engine = testApplication({ storage: memoryStorage(), notifier: 'discard', now: testClock('2026-01-01T00:00:00Z').now });
    reading = (workers, script = workerScript) => ({ workers, workerScript: script, settings: DEFAULT_SETTINGS, engine });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a small input in this thread, whatever the machine', () => {
    expect(workerCountFor(reading(undefined), [{ bytes: PARALLEL_MIN_BYTES - 1 }])).toBe(0);
  });

  it('gives a large input the machine default', () => {
    expect(workerCountFor(reading(undefined), [{ bytes: PARALLEL_MIN_BYTES }])).toBe(defaultWorkerCount());
  });

  it('takes the count the command line gave, and none without the bundled worker entry', () => {
    expect(workerCountFor(reading(1), [{ bytes: 10 }])).toBe(1);
    expect(workerCountFor(reading(1, join(dir, 'absent.js')), [{ bytes: PARALLEL_MIN_BYTES }])).toBe(0);
    expect(workerCountFor(reading(undefined, join(dir, 'absent.js')), [{ bytes: PARALLEL_MIN_BYTES }])).toBe(0);
  });
});
