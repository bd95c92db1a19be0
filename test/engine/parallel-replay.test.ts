/**
 * A replay whose files are read and evaluated in worker threads records exactly what the same replay
 * records in one thread: the same findings (every field, versions included), the same histories, the
 * same notifications in the same order, the same summary. The worker entry is bundled for the test as
 * `npm run build` bundles it beside the CLI (dist/replay-worker.js).
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { readEvents } from '../../shared/adapters/intake';
import { openSqliteStorage } from '../../shared/adapters/store/sqlite';
import { workerPoolItems } from '../../shared/adapters/workers/worker-pool-input';
import { flushAllRollups } from '../../shared/app/jobs/rollups';
import { replay, type ReplayItem } from '../../shared/app/pipeline/replay';
import { intakeOptionsOf } from '../../shared/core/intake/types';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/core/settings/settings';
import { notifierFromSpecs } from '../../shared/shells/cli/compose';
import { testApplication } from '../support/application';
import { testClock } from '../support/clock';
import { generateEvents } from '../support/generated-events';

const ROOT = resolve(__dirname, '../..');
const SETTINGS: Settings = { ...DEFAULT_SETTINGS, notifyMinSeverity: 'INFORMATIONAL' };

let dir: string;
let workerScript: string;
let inputs: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-parallel-'));
  workerScript = join(dir, 'replay-worker.js');
  buildSync({
    entryPoints: [join(ROOT, 'shared/adapters/workers/replay-worker.ts')],
    outfile: workerScript,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
  inputs = join(dir, 'inputs');
  mkdirSync(inputs);
  // Sample events many times over, with varied resources (findings open, repeat and resolve), in 250-record files,
  // 20 events a minute so that repeats, resolutions and reopenings interleave across files.
  generateEvents(3000, {
    samplesDir: join(ROOT, 'events'),
    dir: inputs,
    recordsPerFile: 250,
    times: { start: new Date('2026-03-01T00:00:00Z'), stepMs: 3000 },
  });
  // The same events again (redeliveries, applied once), and records intake refuses, in files of their own.
  const again = join(inputs, 'zz-again');
  generateEvents(400, {
    samplesDir: join(ROOT, 'events'),
    dir: again,
    recordsPerFile: 100,
    times: { start: new Date('2026-03-01T00:00:00Z'), stepMs: 3000 },
  });
  writeFileSync(join(inputs, 'zz-bad.jsonl'), '{"not": "an event"}\n{broken json\n');
  appendFileSync(join(inputs, 'zz-bad.jsonl'), `${JSON.stringify({ eventSource: 'iam.amazonaws.com' })}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Recorded {
  summary: unknown;
  findings: unknown[];
  histories: unknown[];
  notifications: string;
  rejected: string[];
}

/** A replay of the inputs into a new database, with items from `read` (the clock and settings fixed). */
async function replayWith(
  name: string,
  read: (intake: ReturnType<typeof intakeOptionsOf>, app: ReturnType<typeof testApplication>) => AsyncIterable<ReplayItem>,
): Promise<Recorded> {
  const clock = testClock('2026-03-10T12:00:00.000Z');
  const sent = join(dir, `${name}.jsonl`);
  const notifier = notifierFromSpecs([`jsonl:${sent}`], { err: () => {} });
  const app = testApplication({ storage: openSqliteStorage(join(dir, `${name}.db`)), notifier, now: clock.now, settings: SETTINGS });
  const rejected: string[] = [];
  try {
    const summary = await replay(read(intakeOptionsOf(app.settings, clock.now), app), app.pipeline(), {
      flushEvery: 700,
      onRejected: (r) => rejected.push(`${r.file}:${r.line} ${r.path ?? ''}: ${r.reason}`),
      flushRollups: () => flushAllRollups(app.jobs, clock.now()),
    });
    const findings = (await app.storage.findings.listFindings()).sort((a, b) => a.id.localeCompare(b.id));
    const histories = await Promise.all(findings.map((finding) => app.storage.findings.historyOf(finding.id)));
    return { summary, findings, histories, notifications: readFileSync(sent, 'utf8'), rejected };
  } finally {
    await app.close();
  }
}

describe('a replay read by worker threads', () => {
  let single: Recorded;

  beforeAll(async () => {
    single = await replayWith('single', (intake) => readEvents([inputs], intake));
  }, 120_000);

  it('has something to compare: findings opened, repeated, resolved, notified, and records refused', () => {
    const summary = single.summary as Record<string, number>;
    expect(summary.events).toBe(3400);
    expect(summary.opened).toBeGreaterThan(500);
    expect(summary.repeated).toBeGreaterThan(50);
    expect(summary.resolved).toBeGreaterThan(50);
    expect(single.rejected.length).toBe(3);
    expect(single.notifications.split('\n').length).toBeGreaterThan(500);
  });

  it.each([
    ['two workers, the writer helping', { workers: 2, helps: true, chunkEvents: 500 }],
    ['one worker in chunks of 7 events (order across many chunks and files)', { workers: 1, helps: false, chunkEvents: 7 }],
  ])(
    'records what one thread records: %s',
    async (_description, { workers, helps, chunkEvents }) => {
      const readHere: string[] = [];
      const parallel = await replayWith(`workers-${workers}-${chunkEvents}`, (intake, app) =>
        workerPoolItems([inputs], {
          settings: SETTINGS,
          intake,
          workers,
          workerScript,
          chunkEvents,
          // Helping: whenever the writer would wait for a worker, it evaluates the next file itself, ahead of its turn.
          ...(helps ? { engine: app, onReadHere: (file: string) => readHere.push(file) } : {}),
        }),
      );
      // The writer waits for the workers to start at least: it reads some files itself.
      if (helps) expect(readHere.length).toBeGreaterThan(0);
      else expect(readHere).toEqual([]);
      expect(parallel.summary).toEqual(single.summary);
      expect(parallel.rejected).toEqual(single.rejected);
      expect(parallel.findings).toEqual(single.findings);
      expect(parallel.histories).toEqual(single.histories);
      expect(parallel.notifications).toBe(single.notifications);
    },
    120_000,
  );

  it('reports a worker that cannot start as the replay failing, not as missing events', async () => {
    const app = testApplication({ storage: openSqliteStorage(join(dir, 'broken.db')), notifier: 'discard', now: () => new Date() });
    try {
      const items = workerPoolItems([inputs], {
        settings: SETTINGS,
        intake: {},
        workers: 1,
        workerScript: join(dir, 'no-such-worker.js'),
        engine: app,
      });
      await expect(replay(items, app.pipeline())).rejects.toThrow(/replay worker/);
    } finally {
      await app.close();
    }
  });
});
