/**
 * Many writers, one database: two `replay` processes on one SQLite file at once, `serve` taking
 * snoozes and exemptions while a replay writes, and a writer that cannot wait refused with the file
 * named and nothing applied. Real processes (the bundled CLI) and real files: what users run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseLockedError, openSqliteStorage } from '../../shared/adapters/store/sqlite';
import type { Finding } from '../../shared/core/findings/finding';
import { EXIT_TRY_AGAIN } from '../../shared/shells/cli/main';
import { serve, type ApiClient } from '../api/server';
import { testApplication } from '../support/application';
import { bundleCli, bundleScript, holdDatabaseLock, runCliProcess, startCli } from '../support/cli-process';
import { generateEvents } from '../support/generated-events';
import { recordedFindings } from '../support/replay-outcome';

const EVENTS = 20_000;
const SAMPLES = resolve(__dirname, '../../events');

let dir: string;
let cli: string;
/** Two inputs with nothing in common: other accounts, other event ids. */
let inputs: [string, string];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-writers-'));
  cli = await bundleCli();
  // Recent times (a day ago, one event a second): no remediation deadline passes, so what a run's sweeps do
  // cannot depend on which run finished first.
  const times = { start: new Date(Date.now() - 86_400_000), stepMs: 1000 };
  inputs = [
    generateEvents(EVENTS, { samplesDir: SAMPLES, dir: join(dir, 'a'), accountBase: 100_000_000_000, firstId: 0, times }).dir,
    generateEvents(EVENTS, { samplesDir: SAMPLES, dir: join(dir, 'b'), accountBase: 500_000_000_000, firstId: 10_000_000, times }).dir,
  ];
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function replayArgs(input: string, db: string): string[] {
  return ['replay', input, '--db', db, '--json'];
}

describe('two replays on one database at once', () => {
  it('both complete, with the findings of running them one after the other', async () => {
    const sequential = join(dir, 'sequential.db');
    for (const input of inputs) expect(await runCliProcess(cli, replayArgs(input, sequential))).toMatchObject({ code: 0 });

    const concurrent = join(dir, 'concurrent.db');
    const runs = await Promise.all(inputs.map((input) => runCliProcess(cli, replayArgs(input, concurrent))));
    for (const run of runs) {
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.not.stringContaining('locked') });
      expect(JSON.parse(run.stdout)).toMatchObject({ events: EVENTS, rejected: 0 });
    }
    const expected = await recordedFindings(sequential);
    expect(expected.size).toBeGreaterThan(20_000);
    expect(await recordedFindings(concurrent)).toEqual(expected);
  }, 600_000);
});

it('creates a new database once when several processes open it at the same moment', async () => {
  // Each process waits for the same instant, then opens the file: the creations and migrations race.
  const opener = await bundleScript(
    "import { openSqliteStorage } from './shared/adapters/store/sqlite';\n" +
      'const [file, at] = process.argv.slice(2);\n' +
      'while (Date.now() < Number(at)) {}\n' +
      'openSqliteStorage(file).close().then(() => process.stdout.write("opened"));\n',
  );
  for (let round = 0; round < 5; round += 1) {
    const db = join(dir, `new-${round}.db`);
    const at = String(Date.now() + 1500);
    const runs = await Promise.all(Array.from({ length: 6 }, () => runCliProcess(opener, [db, at])));
    expect(runs.map((run) => ({ code: run.code, stdout: run.stdout, stderr: run.stderr }))).toEqual(
      runs.map(() => ({ code: 0, stdout: 'opened', stderr: '' })),
    );
  }
}, 120_000);

describe('serve while a replay writes the same database', () => {
  it('takes snoozes and exemptions during and after the replay, and reads what the replay wrote', async () => {
    const db = join(dir, 'served.db');
    expect(await runCliProcess(cli, replayArgs(inputs[0], db))).toMatchObject({ code: 0 });
    const app = testApplication({ storage: openSqliteStorage(db), notifier: 'deferred', now: () => new Date() });
    const api: ApiClient = await serve({ app, actor: 'local:tester', staticDir: join(dir, 'none'), sweepIntervalMs: 3_600_000 });
    try {
      const open = await api.get<{ findings: Finding[] }>('/api/findings?status=open&limit=200');
      const targets = open.body.findings.map((finding) => finding.id);
      expect(targets.length).toBe(200);

      const replay = startCli(cli, replayArgs(inputs[1], db));
      let replaying = true;
      void replay.done.then(() => {
        replaying = false;
      });
      const statuses: number[] = [];
      let made = 0;
      const until = new Date(Date.now() + 86_400_000).toISOString();
      const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
      for (let i = 0; replaying && i < targets.length; i += 1) {
        const snoozed = await api.request('POST', `/api/findings/${targets[i]}/snooze`, { body: { until, reason: `maintenance ${i}` } });
        const exempted = await api.request('POST', '/api/exemptions', {
          body: {
            controlId: 'network.security-group-open-to-internet',
            resourcePattern: `sg-writers-${i}-*`,
            reason: 'written while a replay writes',
            approver: 'ciso@example.com',
            expiresAt,
          },
        });
        statuses.push(snoozed.status, exempted.status);
        made += 1;
      }
      const run = await replay.done;
      expect(run.code).toBe(0);
      // The premise: the server wrote while the replay was writing, many times (each round starts while it runs).
      expect(made).toBeGreaterThanOrEqual(5);
      expect(statuses.filter((status) => status !== 200 && status !== 201)).toEqual([]);

      // Reads reflect the other process's writes: no snapshot or cache left from before.
      const recorded = await recordedFindings(db);
      const summary = await api.get<{ total: number }>('/api/summary');
      expect(summary.body.total).toBe(recorded.size);
      expect(recorded.size).toBeGreaterThan(20_000);
      const snoozedIds = [...recorded.values()].filter((finding) => finding.snooze !== undefined).map((finding) => finding.id);
      expect(snoozedIds.sort()).toEqual(targets.slice(0, made).sort());

      // And after the replay, writes go through at once.
      const after = await api.request('POST', `/api/findings/${targets[199]}/snooze`, { body: { until, reason: 'after the replay' } });
      expect(after.status).toBe(200);
    } finally {
      await api.running.stop();
      await app.close();
    }
  }, 600_000);
});

describe('a writer and a database another process keeps locked', () => {
  let db: string;
  beforeEach(async () => {
    db = join(mkdtempSync(join(dir, 'locked-')), 'findings.db');
    // Created (schema and all) before another process locks it.
    await openSqliteStorage(db).close();
  });

  const exemption = {
    id: 'ex-1',
    controlId: 'network.security-group-open-to-internet',
    reason: 'bastion',
    approver: 'ciso@example.com',
    createdBy: 'local:tester',
    createdAt: '2026-12-01T00:00:00.000Z',
    expiresAt: '2026-12-31T00:00:00.000Z',
    version: 1,
  };

  it('waits for the other transaction and then writes', async () => {
    await holdDatabaseLock(db, 1500);
    const storage = openSqliteStorage(db, { lockTimeoutMs: 20_000 });
    try {
      await storage.exemptions.putExemption(exemption);
      await storage.flush();
    } finally {
      await storage.close();
    }
    const check = openSqliteStorage(db);
    expect(await check.exemptions.getExemption('ex-1')).toMatchObject({ reason: 'bastion' });
    await check.close();
  }, 30_000);

  it('refuses past its timeout, naming the database, with nothing of the write applied', async () => {
    await holdDatabaseLock(db, 3000);
    const storage = openSqliteStorage(db, { lockTimeoutMs: 200 });
    let refusal: unknown;
    try {
      await storage.exemptions.putExemption(exemption);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DatabaseLockedError);
    expect((refusal as Error).message).toContain(db);
    expect((refusal as Error).message).toContain('nothing of this write was applied');
    await new Promise((wake) => setTimeout(wake, 3500));
    // Nothing half-done is left behind: the next write on the same connection goes through.
    await storage.exemptions.putExemption({ ...exemption, id: 'ex-2' });
    await storage.close();
    const check = openSqliteStorage(db);
    expect((await check.exemptions.listExemptions()).map((e) => e.id)).toEqual(['ex-2']);
    await check.close();
  }, 30_000);

  it('serve answers 503 with Retry-After past its wait, logs the database, and takes the write once the lock is gone', async () => {
    expect(await runCliProcess(cli, ['replay', join(SAMPLES, 'network'), '--db', db])).toMatchObject({ code: 0 });
    const app = testApplication({ storage: openSqliteStorage(db, { lockTimeoutMs: 300 }), notifier: 'deferred', now: () => new Date() });
    const logged: string[] = [];
    const api = await serve({ app, staticDir: join(dir, 'none'), sweepIntervalMs: 3_600_000, log: (line) => logged.push(line) });
    try {
      const [target] = (await api.get<{ findings: Finding[] }>('/api/findings?status=open&limit=1')).body.findings;
      const body = { until: new Date(Date.now() + 86_400_000).toISOString(), reason: 'maintenance' };
      await holdDatabaseLock(db, 3000);
      const refused = await api.request('POST', `/api/findings/${target!.id}/snooze`, { body });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(refused.body).toEqual({ error: 'busy', reason: expect.stringContaining('nothing was changed') });
      expect(logged.join('\n')).toContain(`${db}: another process has held the database's write lock`);
      await new Promise((wake) => setTimeout(wake, 3500));
      const taken = await api.request('POST', `/api/findings/${target!.id}/snooze`, { body });
      expect(taken.status).toBe(200);
    } finally {
      await api.running.stop();
      await app.close();
    }
    const snoozed = [...(await recordedFindings(db)).values()].filter((finding) => finding.snooze !== undefined);
    expect(snoozed.map((finding) => finding.snooze!.reason)).toEqual(['maintenance']);
  }, 30_000);

  it('replay exits 75 with the database named and no stack trace when it cannot wait, and records nothing', async () => {
    const locked = holdDatabaseLock(db, 5000);
    await locked;
    const run = await runCliProcess(cli, ['replay', join(SAMPLES, 'network'), '--db', db], { TRAILWARDEN_LOCK_TIMEOUT: '0.5' });
    expect(run.code).toBe(EXIT_TRY_AGAIN);
    expect(run.stderr).toContain(`${db}: another process has held the database's write lock for more than 0.5 s`);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    await new Promise((wake) => setTimeout(wake, 5000));
    expect((await recordedFindings(db)).size).toBe(0);
  }, 60_000);
});
