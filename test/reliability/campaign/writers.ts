/**
 * Many writers, one database: two replays on one SQLite file at once, `serve` taking writes while a
 * replay writes, and a writer that cannot wait.
 */
import { join } from 'node:path';
import { openSqliteStorage } from '../../../shared/adapters/store/sqlite';
import type { Finding } from '../../../shared/core/findings/finding';
import { EXIT_TRY_AGAIN } from '../../../shared/shells/cli/main';
import { startServer } from '../../../shared/shells/cli/serve-command';
import { testApplication } from '../../support/application';
import { holdDatabaseLock, runCliProcess, startCli } from '../../support/cli-process';
import type { GeneratedEvents } from '../../support/generated-events';
import { differingFindings, recordedFindings } from '../../support/replay-outcome';
import { section, type Section } from './cases';
import { measuredRun, ms, percentile, s } from './processes';

export interface WritersInputs {
  cli: string;
  dir: string;
  /** Two inputs with nothing in common (other accounts, other event ids). */
  inputs: [GeneratedEvents, GeneratedEvents];
  /** One small input for the locked-database case. */
  small: string;
}

export async function writersSection({ cli, dir, inputs, small }: WritersInputs): Promise<Section> {
  const result = section(
    'Many writers, one database',
    'Real processes on one SQLite file (WAL): writers take the write lock when their batch starts (BEGIN IMMEDIATE) and wait for each ' +
      'other up to the busy timeout (TRAILWARDEN_LOCK_TIMEOUT; 60 s for the CLI, 5 s for `serve`, whose requests wait with it); past it ' +
      'they refuse before applying anything, naming the file (exit 75; 503 with Retry-After).',
  );
  const args = (input: string, db: string) => ['replay', input, '--db', db, '--json'];

  // Two replays at once against the same two run one after the other.
  const sequentialDb = join(dir, 'sequential.db');
  const firstAlone = await measuredRun(cli, args(inputs[0].dir, sequentialDb));
  const secondAlone = await measuredRun(cli, args(inputs[1].dir, sequentialDb));
  const concurrentDb = join(dir, 'concurrent.db');
  const started = process.hrtime.bigint();
  const runs = await Promise.all(inputs.map((input) => measuredRun(cli, args(input.dir, concurrentDb))));
  const together = Number(process.hrtime.bigint() - started) / 1e9;
  const [expected, observed] = [await recordedFindings(sequentialDb), await recordedFindings(concurrentDb)];
  const events = inputs.map((input) => input.events.toLocaleString('en-US')).join(' + ');
  result.cases.push({
    name: 'two replays of independent inputs on one database at once',
    input: `${events} generated events, two processes started together`,
    expected: 'both exit 0; the same findings as running them one after the other',
    observed:
      `exit ${runs.map((run) => run.code).join(' and ')}; ${observed.size} findings, ${differingFindings(expected, observed)} differing from the ` +
      `${expected.size} of the sequential runs${runs.some((run) => /locked/.test(run.stderr)) ? '; "locked" on stderr' : ''}`,
    passed: runs.every((run) => run.code === 0) && differingFindings(expected, observed) === 0 && expected.size > 0,
  });
  result.figures.push(
    ['sequential replays', `${s(firstAlone.seconds)} + ${s(secondAlone.seconds)}`],
    ['the same two at once (wall clock)', s(together)],
  );

  // serve in this process while a replay writes the same file.
  const servedDb = join(dir, 'served.db');
  await runCliProcess(cli, args(inputs[0].dir, servedDb));
  const app = testApplication({ storage: openSqliteStorage(servedDb), notifier: 'deferred', now: () => new Date() });
  const token = 'campaign-token';
  const running = await startServer({
    app,
    token,
    port: 0,
    staticDir: join(dir, 'none'),
    sweepIntervalMs: 3_600_000,
    actor: 'local:campaign',
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const begun = process.hrtime.bigint();
    const response = await fetch(`${running.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await response.json()) as Record<string, unknown>;
    return { status: response.status, json, ms: Number(process.hrtime.bigint() - begun) / 1e6 };
  };
  try {
    const open = (await call('GET', '/api/findings?status=open&limit=500')).json.findings as Finding[];
    const replay = startCli(cli, args(inputs[1].dir, servedDb));
    let replaying = true;
    void replay.done.then(() => {
      replaying = false;
    });
    const writes: Array<{ status: number; ms: number }> = [];
    const reads: number[] = [];
    const until = new Date(Date.now() + 86_400_000).toISOString();
    const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    let i = 0;
    while (replaying && i < open.length) {
      writes.push(await call('POST', `/api/findings/${open[i]!.id}/snooze`, { until, reason: `maintenance ${i}` }));
      writes.push(
        await call('POST', '/api/exemptions', {
          controlId: 'network.security-group-open-to-internet',
          resourcePattern: `sg-campaign-${i}-*`,
          reason: 'written while a replay writes',
          approver: 'ciso@example.com',
          expiresAt,
        }),
      );
      reads.push((await call('GET', '/api/summary')).ms);
      i += 1;
    }
    const replayRun = await replay.done;
    const refused = writes.filter((write) => write.status !== 200 && write.status !== 201);
    result.cases.push({
      name: '`serve` takes snoozes and exemptions while a replay writes',
      input: `${writes.length} POSTs (snooze, exemption) and ${reads.length} summaries, one after another, during a replay of ${inputs[1].events.toLocaleString('en-US')} events`,
      expected: 'every write answered 200/201 (it waits for the replay’s batch); the replay exits 0',
      observed: `${writes.length - refused.length} answered 200/201, ${refused.length} not (${[...new Set(refused.map((w) => w.status))].join(', ') || 'none'}); replay exit ${replayRun.code}`,
      passed: refused.length === 0 && writes.length >= 10 && replayRun.code === 0,
    });
    result.figures.push(
      [
        '`serve` write latency during the replay, p50 / p99 / max',
        `${ms(
          percentile(
            writes.map((w) => w.ms),
            50,
          ),
        )} / ${ms(
          percentile(
            writes.map((w) => w.ms),
            99,
          ),
        )} / ${ms(Math.max(...writes.map((w) => w.ms)))}`,
      ],
      ['`serve` summary latency during the replay, p50 / max', `${ms(percentile(reads, 50))} / ${ms(Math.max(...reads))}`],
    );
    const recorded = await recordedFindings(servedDb);
    const summary = await call('GET', '/api/summary');
    const snoozed = [...recorded.values()].filter((finding) => finding.snooze !== undefined).length;
    const after = await call('POST', `/api/findings/${open[open.length - 1]!.id}/snooze`, { until, reason: 'after the replay' });
    result.cases.push({
      name: '`serve` reads what the other process wrote, and writes after it',
      input: 'GET /api/summary and one more snooze once the replay has exited',
      expected: 'the summary counts every finding in the file (no stale snapshot or cache); the snooze answers 200',
      observed: `summary total ${String(summary.json.total)}, file ${recorded.size} findings; ${snoozed} snoozed (${i} asked); snooze after: ${after.status}`,
      passed: summary.json.total === recorded.size && snoozed === i && after.status === 200,
    });
  } finally {
    await running.stop();
    await app.close();
  }

  // A database another process keeps locked past the wait allowed.
  const lockedDb = join(dir, 'locked.db');
  await openSqliteStorage(lockedDb).close();
  await holdDatabaseLock(lockedDb, 4000);
  const refusedRun = await runCliProcess(cli, ['replay', small, '--db', lockedDb], { TRAILWARDEN_LOCK_TIMEOUT: '0.5' });
  await new Promise((wake) => setTimeout(wake, 4000));
  const left = await recordedFindings(lockedDb);
  const message = refusedRun.stderr.trim().split('\n').pop() ?? '';
  result.cases.push({
    name: 'a replay that cannot wait for the write lock',
    input: 'another process holds BEGIN IMMEDIATE for 4 s; replay with TRAILWARDEN_LOCK_TIMEOUT=0.5',
    expected: `exit ${EXIT_TRY_AGAIN} (try again), a message naming the database, no stack trace, nothing recorded`,
    observed: `exit ${refusedRun.code}: ${message.replace(dir, '…')}; ${left.size} findings recorded`,
    passed: refusedRun.code === EXIT_TRY_AGAIN && message.includes(lockedDb) && !/^\s+at /m.test(refusedRun.stderr) && left.size === 0,
  });
  return result;
}
