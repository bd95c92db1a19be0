/** `trailwarden snooze` as a user runs it, against a SQLite database; and the sweeps at the start of `replay`. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseDuration } from '../../shared/shells/cli/snooze-command';
import { SqliteFindingStore } from '../../shared/adapters/store/sqlite/sqlite-finding-store';
import { runCli } from '../support/cli';
import { resolution, violation } from '../support/observations';

let dir: string;
let db: string;
let id: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-snooze-cli-'));
  db = join(dir, 'findings.db');
  const store = new SqliteFindingStore(db);
  const change = await store.recordViolation(violation({ eventId: 'e1', eventTime: new Date(Date.now() - 60_000).toISOString() }));
  id = change!.finding.id;
  await store.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function stored(findingId = id) {
  const store = new SqliteFindingStore(db);
  try {
    return { finding: (await store.getFinding(findingId))!, history: await store.historyOf(findingId) };
  } finally {
    await store.close();
  }
}

describe('trailwarden snooze', () => {
  it('snoozes for a duration with a reason, and cancels', async () => {
    const before = Date.now();
    const result = await runCli(['snooze', id, '--for', '8h', '--reason', 'hotfix deploying tonight', '--db', db]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(new RegExp(`^Snoozed ${id} \\(HIGH network.security-group-open-to-internet on sg-0123456789abcdef0\\) until .*: hotfix deploying tonight\\n$`));
    const { finding, history } = await stored();
    const until = Date.parse(finding.snooze!.until);
    expect(until - before).toBeGreaterThanOrEqual(8 * 3_600_000);
    expect(until - Date.now()).toBeLessThanOrEqual(8 * 3_600_000);
    expect(finding.snooze).toMatchObject({ reason: 'hotfix deploying tonight', by: expect.stringMatching(/^local:/) });
    expect(history.at(-1)).toMatchObject({ transition: 'snoozed', actor: { userName: expect.stringMatching(/^local:/) } });

    const cancelled = await runCli(['snooze', id, '--cancel'], { env: { TRAILWARDEN_DB: db } });
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toContain('cancelled; it is open and will be notified again by the next sweep');
    const after = await stored();
    expect(after.finding.snooze).toBeUndefined();
    expect(after.finding.unnotified).toMatchObject({ transition: 'reopened' });
    expect(after.history.map((h) => h.transition)).toEqual(['opened', 'snoozed', 'unsnoozed']);
    const twice = await runCli(['snooze', id, '--cancel', '--db', db]);
    expect(twice).toMatchObject({ code: 1, stderr: `trailwarden snooze: ${id}: the finding is not snoozed\n` });
  });

  it('snoozes until a time', async () => {
    const until = new Date(Date.now() + 2 * 86_400_000).toISOString();
    expect((await runCli(['snooze', id, '--until', until, '--reason', 'vendor patch due', '--db', db])).code).toBe(0);
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
    [['--until', '2020-01-01T00:00:00Z', '--reason', 'x'], /--until: must be in the future/],
    [['--until', 'friday', '--reason', 'x'], /--until: must be an ISO-8601 date-time/],
    [['--cancel', '--reason', 'x'], /--cancel takes no --for, --until or --reason/],
  ])('refuses %j with exit 2 and the reason', async (args, message) => {
    const result = await runCli(['snooze', id, ...args, '--db', db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect((await stored()).history.map((h) => h.transition)).toEqual(['opened']);
  });

  it('refuses a missing, malformed, unknown or resolved finding', async () => {
    expect(await runCli(['snooze', '--for', '1h', '--reason', 'x', '--db', db])).toMatchObject({ code: 2, stderr: expect.stringContaining('exactly one FINDING_ID') });
    expect(await runCli(['snooze', 'sg-0123', '--for', '1h', '--reason', 'x', '--db', db])).toMatchObject({ code: 2, stderr: expect.stringContaining('not a finding id') });
    expect(await runCli(['snooze', 'f'.repeat(32), '--for', '1h', '--reason', 'x', '--db', db])).toMatchObject({ code: 1, stderr: expect.stringContaining(`no finding ${'f'.repeat(32)} in ${db}`) });
    const store = new SqliteFindingStore(db);
    await store.recordResolution(resolution({ eventId: 'r1', eventTime: new Date().toISOString() }));
    await store.close();
    expect(await runCli(['snooze', id, '--for', '1h', '--reason', 'x', '--db', db])).toMatchObject({ code: 1, stderr: expect.stringContaining('the finding is resolved') });
  });

  it('reads durations', () => {
    expect([parseDuration('30m'), parseDuration('8h'), parseDuration('2d'), parseDuration('1d12h'), parseDuration('1h30m')]).toEqual([1_800_000, 28_800_000, 172_800_000, 129_600_000, 5_400_000]);
    expect([parseDuration(''), parseDuration('8'), parseDuration('h'), parseDuration('8H'), parseDuration('-1h')]).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('trailwarden replay', () => {
  it('escalates the open findings past their remediation deadline at its start, once', async () => {
    const patch = resolve(__dirname, '../../events/host/patch-non-compliant/1-violating-critical-patches-missing.json');
    const sent = join(dir, 'sent.jsonl');
    const lines = () => (existsSync(sent) ? readFileSync(sent, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) : []);
    const replayDb = join(dir, 'replay.db');
    const first = await runCli(['replay', patch, '--db', replayDb, '--notify', `jsonl:${sent}`]);
    expect(first.code).toBe(0);
    const opened = lines().filter((m) => m.transition === 'opened');
    expect(opened.length).toBeGreaterThan(0);
    // The sample events are long past their patch deadline: the next run escalates them, and only that one.
    const second = await runCli(['replay', patch, '--db', replayDb, '--notify', `jsonl:${sent}`]);
    expect(second.stderr).toMatch(/deadlines: \d+ findings past their remediation deadline escalated/);
    const escalated = lines().filter((m) => m.transition === 'escalated');
    expect(escalated.length).toBeGreaterThan(0);
    expect(escalated.every((m) => m.controlId === 'host.patch-non-compliant')).toBe(true);
    const third = await runCli(['replay', patch, '--db', replayDb, '--notify', `jsonl:${sent}`]);
    expect(third.stderr).not.toMatch(/deadlines:/);
    expect(lines().filter((m) => m.transition === 'escalated')).toHaveLength(escalated.length);
  });
});
