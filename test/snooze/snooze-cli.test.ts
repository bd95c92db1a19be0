/** `trailwarden snooze` as a user runs it, against a SQLite database; and the sweeps at the start of `replay`. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseDuration } from '../../shared/shells/cli/snooze-command';
import { openSqliteStorage } from '../../shared/adapters/store/sqlite';
import { runCli } from '../support/cli';
import { DAY, HOUR, testClock } from '../support/clock';
import { resolution, violation } from '../support/observations';

let dir: string;
let db: string;
let id: string;
/** The time the commands run at. */
const T0 = new Date('2026-03-10T12:00:00.000Z');
const clock = testClock(T0);
const cli = (args: string[], options: { env?: NodeJS.ProcessEnv } = {}) => runCli(args, { ...options, now: clock.now });

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-snooze-cli-'));
  db = join(dir, 'findings.db');
  clock.set(T0);
  const storage = openSqliteStorage(db);
  const change = await storage.findings.recordViolation(
    violation({ eventId: 'e1', eventTime: new Date(T0.getTime() - 60_000).toISOString() }),
  );
  id = change!.finding.id;
  await storage.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function stored(findingId = id) {
  const storage = openSqliteStorage(db);
  try {
    return { finding: (await storage.findings.getFinding(findingId))!, history: await storage.findings.historyOf(findingId) };
  } finally {
    await storage.close();
  }
}

describe('trailwarden snooze', () => {
  it('snoozes for a duration with a reason, and cancels', async () => {
    const result = await cli(['snooze', id, '--for', '8h', '--reason', 'hotfix deploying tonight', '--db', db]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(
      new RegExp(
        `^Snoozed ${id} \\(HIGH network.security-group-open-to-internet on sg-0123456789abcdef0\\) until ${new Date(T0.getTime() + 8 * HOUR).toISOString()}: hotfix deploying tonight\\n$`,
      ),
    );
    const { finding, history } = await stored();
    expect(finding.snooze).toMatchObject({
      until: new Date(T0.getTime() + 8 * HOUR).toISOString(),
      at: T0.toISOString(),
      reason: 'hotfix deploying tonight',
      by: expect.stringMatching(/^local:/),
    });
    expect(history.at(-1)).toMatchObject({ transition: 'snoozed', actor: { userName: expect.stringMatching(/^local:/) } });

    clock.advance(HOUR);
    const cancelled = await cli(['snooze', id, '--cancel'], { env: { TRAILWARDEN_DB: db } });
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toContain('cancelled; it is open and will be notified again by the next sweep');
    const after = await stored();
    expect(after.finding.snooze).toBeUndefined();
    expect(after.finding.unnotified).toMatchObject({ transition: 'reopened' });
    expect(after.history.map((h) => h.transition)).toEqual(['opened', 'snoozed', 'unsnoozed']);
    expect(after.history.at(-1)).toMatchObject({ transition: 'unsnoozed', at: new Date(T0.getTime() + HOUR).toISOString() });
    const twice = await cli(['snooze', id, '--cancel', '--db', db]);
    expect(twice).toMatchObject({ code: 1, stderr: `trailwarden snooze: ${id}: the finding is not snoozed\n` });
  });

  it('snoozes until a time', async () => {
    const until = new Date(T0.getTime() + 2 * DAY).toISOString();
    expect((await cli(['snooze', id, '--until', until, '--reason', 'vendor patch due', '--db', db])).code).toBe(0);
    expect((await stored()).finding.snooze).toMatchObject({ until, reason: 'vendor patch due' });
  });

  it.each<[string[], RegExp]>([
    [['--for', '8h'], /--reason: required/],
    [['--for', '8h', '--reason', ' '], /--reason: must not be empty/],
    [['--reason', 'x'], /either --for DURATION .* or --until ISO-TIME/],
    [['--for', '8h', '--until', '2030-01-01T00:00:00Z', '--reason', 'x'], /either --for/],
    [['--for', 'eight hours', '--reason', 'x'], /--for eight hours: expected a duration such as 30m, 8h, 2d or 1d12h/],
    [['--for', '0h', '--reason', 'x'], /--for 0h: expected a duration/],
    [['--for', '31d', '--reason', 'x'], /--for 31d: must be at most 30 days ahead/],
    [['--until', '2026-04-09T12:00:01Z', '--reason', 'x'], /--until: must be at most 30 days ahead/],
    [['--until', '2026-03-10T12:00:00Z', '--reason', 'x'], /--until: must be in the future/],
    [['--until', 'friday', '--reason', 'x'], /--until: must be an ISO-8601 date-time/],
    [['--cancel', '--reason', 'x'], /--cancel takes no --for, --until or --reason/],
  ])('refuses %j with exit 2 and the reason', async (args, message) => {
    const result = await cli(['snooze', id, ...args, '--db', db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect((await stored()).history.map((h) => h.transition)).toEqual(['opened']);
  });

  it.each<[string, string, RegExp]>([
    // Each would otherwise be read as a time in the future within the 30 days: 2 March, 1 May, in the machine's zone.
    ['2026-02-20T12:00:00.000Z', '2026-02-30T12:00:00Z', /^trailwarden snooze: --until: 2026-02-30 is not a calendar date\n$/],
    ['2026-04-05T12:00:00.000Z', '2026-04-31T12:00:00+02:00', /--until: 2026-04-31 is not a calendar date\n$/],
    ['2026-03-10T12:00:00.000Z', '2026-03-12T09:00:00', /--until: 2026-03-12T09:00:00 has no time zone/],
    ['2026-03-10T12:00:00.000Z', '2026-03-12T09:00Z', /--until: 2026-03-12T09:00Z has no seconds/],
  ])('at %s refuses --until %s with exit 2 and the reason', async (now, until, message) => {
    clock.set(now);
    const result = await cli(['snooze', id, '--until', until, '--reason', 'x', '--db', db]);
    expect([result.code, result.stdout]).toEqual([2, '']);
    expect(result.stderr).toMatch(message);
    expect((await stored()).history.map((h) => h.transition)).toEqual(['opened']);
  });

  it('refuses a missing, malformed, unknown or resolved finding', async () => {
    expect(await cli(['snooze', '--for', '1h', '--reason', 'x', '--db', db])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('exactly one FINDING_ID'),
    });
    expect(await cli(['snooze', 'sg-0123', '--for', '1h', '--reason', 'x', '--db', db])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('not a finding id'),
    });
    expect(await cli(['snooze', 'f'.repeat(32), '--for', '1h', '--reason', 'x', '--db', db])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`no finding ${'f'.repeat(32)} in ${db}`),
    });
    const storage = openSqliteStorage(db);
    await storage.findings.recordResolution(resolution({ eventId: 'r1', eventTime: T0.toISOString() }));
    await storage.close();
    expect(await cli(['snooze', id, '--for', '1h', '--reason', 'x', '--db', db])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('the finding is resolved'),
    });
  });

  it('reads durations', () => {
    expect([parseDuration('30m'), parseDuration('8h'), parseDuration('2d'), parseDuration('1d12h'), parseDuration('1h30m')]).toEqual([
      1_800_000, 28_800_000, 172_800_000, 129_600_000, 5_400_000,
    ]);
    expect([parseDuration(''), parseDuration('8'), parseDuration('h'), parseDuration('8H'), parseDuration('-1h')]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('trailwarden replay', () => {
  it('escalates the open findings past their remediation deadline by its end, once', async () => {
    const patch = resolve(__dirname, '../../events/host/patch-non-compliant/1-violating-critical-patches-missing.json');
    const sent = join(dir, 'sent.jsonl');
    const lines = () =>
      existsSync(sent)
        ? readFileSync(sent, 'utf8')
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as Record<string, unknown>)
        : [];
    const replayDb = join(dir, 'replay.db');
    const first = await cli(['replay', patch, '--db', replayDb, '--notify', `jsonl:${sent}`]);
    expect(first.code).toBe(0);
    const opened = lines().filter((m) => m.transition === 'opened');
    expect(opened.length).toBeGreaterThan(0);
    // The sample events are long past their patch deadline: the run that opened them escalates them at its end.
    expect(first.stderr).toMatch(/deadlines: \d+ findings past their remediation deadline escalated/);
    const escalated = lines().filter((m) => m.transition === 'escalated');
    expect(escalated.length).toBeGreaterThan(0);
    expect(escalated.every((m) => m.controlId === 'host.patch-non-compliant')).toBe(true);
    // Once: the same events again owe nothing, at the start or at the end.
    const count = lines().length;
    const second = await cli(['replay', patch, '--db', replayDb, '--notify', `jsonl:${sent}`]);
    expect(second.code).toBe(0);
    expect(second.stderr).not.toMatch(/deadlines:/);
    expect(lines()).toHaveLength(count);
  });
});
