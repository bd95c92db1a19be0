/**
 * Crash consistency: a replay of 50,000 generated events killed (SIGKILL, a real child process) at
 * several points and run again sends every notification an uninterrupted replay sends — none lost,
 * at most one sent twice (the one in flight when the process died) — leaves no partial line in the
 * JSON Lines sink, and records the same findings. A second identical replay sends nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Finding } from '../../shared/core/findings/finding';
import { bundleCli, runCliProcess, startCli } from '../support/cli-process';
import { generateEvents } from '../support/generated-events';
import { recordedFindings, untilLines } from '../support/replay-outcome';
import { compareNotifications, countNotifications, readSink, type NotificationCounts, type SinkMessage } from '../support/sink-messages';

const EVENTS = 50_000;
/** Where the killed runs die: once they have sent this fraction of what the uninterrupted run sends. */
const KILL_POINTS = [0.25, 0.55, 0.85];

let dir: string;
let cli: string;
let input: string;
let baseline: { notifications: NotificationCounts; findings: Map<string, Finding>; lines: number };

/** Every line of a JSON Lines sink, checked whole (a partial or broken line fails the test). */
function messagesOf(file: string): SinkMessage[] {
  const { messages, partialLastLine, brokenLines } = readSink(file);
  expect({ partialLastLine, brokenLines }).toEqual({ partialLastLine: false, brokenLines: 0 });
  return messages;
}

function replayArgs(db: string, sink: string): string[] {
  return ['replay', input, '--db', db, '--notify', `jsonl:${sink}`, '--json'];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-crash-'));
  cli = await bundleCli();
  // Recent event times (a day ago, one per second): no remediation deadline passes during the test, so a
  // run's sweeps cannot depend on when it was killed.
  const generated = generateEvents(EVENTS, {
    samplesDir: resolve(__dirname, '../../events'),
    dir: join(dir, 'input'),
    times: { start: new Date(Date.now() - 86_400_000), stepMs: 1000 },
  });
  input = generated.dir;
  // Every notification goes out on its own (a burst of at most 1,000 per control, account and 15 minutes).
  const run = await runCliProcess(cli, replayArgs(join(dir, 'base.db'), join(dir, 'base.jsonl')));
  expect(run).toMatchObject({ code: 0 });
  baseline = {
    notifications: countNotifications(messagesOf(join(dir, 'base.jsonl'))),
    findings: await recordedFindings(join(dir, 'base.db')),
    lines: messagesOf(join(dir, 'base.jsonl')).length,
  };
  expect(JSON.parse(run.stdout)).toMatchObject({ events: EVENTS, rejected: 0 });
  // The premise: thousands of notifications, some of them in roll-ups (the default storm control), each
  // roll-up listing every finding it holds (else these counts could not see them).
  expect(baseline.notifications.byFinding.size).toBeGreaterThan(5_000);
  expect(baseline.notifications.rollups).toBeGreaterThan(10);
  expect(baseline.notifications.unlisted).toBe(0);
}, 600_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(KILL_POINTS)('a replay killed at %f of its run and run again', (point) => {
  it('sends every notification once (at most one twice), leaves whole lines and records the same findings', async () => {
    const db = join(dir, `crash-${point}.db`);
    const sink = join(dir, `crash-${point}.jsonl`);
    const killed = startCli(cli, replayArgs(db, sink));
    let exited = false;
    void killed.done.then(() => {
      exited = true;
    });
    await untilLines(sink, Math.round(baseline.lines * point), () => exited);
    killed.child.kill('SIGKILL');
    const first = await killed.done;
    // The premise: the process died in the middle, having sent some of what it owed.
    expect(first.signal).toBe('SIGKILL');
    const rerun = await runCliProcess(cli, replayArgs(db, sink));
    expect(rerun.code).toBe(0);

    const received = countNotifications(messagesOf(sink));
    const { lost, unexpected, duplicated } = compareNotifications(baseline.notifications, received);
    expect({ lost, unexpected }).toEqual({ lost: [], unexpected: [] });
    expect(duplicated).toBeLessThanOrEqual(1);
    expect(await recordedFindings(db)).toEqual(baseline.findings);
  }, 600_000);
});

it('sends nothing when the same events are replayed again', async () => {
  const sink = join(dir, 'again.jsonl');
  const run = await runCliProcess(cli, replayArgs(join(dir, 'base.db'), sink));
  expect(run.code).toBe(0);
  expect(messagesOf(sink)).toEqual([]);
  expect(JSON.parse(run.stdout)).toMatchObject({ opened: 0, reopened: 0, escalated: 0, resolved: 0 });
}, 600_000);

it('cuts a partial line a killed append left before it appends again', async () => {
  const db = join(dir, 'partial.db');
  const sink = join(dir, 'partial.jsonl');
  writeFileSync(sink, '{"transition":"opened","findingId":"whole"}\n{"transition":"opened","findingId":"cut-in-the-mi');
  const run = await runCliProcess(cli, ['replay', resolve(__dirname, '../../events/network'), '--db', db, '--notify', `jsonl:${sink}`]);
  expect(run.code).toBe(0);
  const messages = messagesOf(sink);
  expect(messages[0]).toEqual({ transition: 'opened', findingId: 'whole' });
  expect(messages.length).toBeGreaterThan(1);
  expect(messages.some((m) => m.findingId === 'cut-in-the-mi')).toBe(false);
}, 120_000);
