/**
 * The local pipeline end to end over the bundled sample events: intake → route → evaluate →
 * SQLite → notifications (JSON Lines sink), as `trailwarden replay` runs it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { notifierFromSpecs } from '../../shared/shells/cli/compose';
import { readEvents } from '../../shared/adapters/intake';
import { openSqliteStorage } from '../../shared/adapters/store/sqlite';
import { flushAllRollups } from '../../shared/app/jobs/rollups';
import { replay, type ReplayOptions } from '../../shared/app/pipeline/replay';
import { AREAS } from '../../shared/core/model/area';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/core/settings/settings';
import { testApplication } from '../support/application';
import { testClock } from '../support/clock';

const EVENTS = resolve(__dirname, '../../events');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-replay-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** `trailwarden replay --db DB --notify jsonl:JSONL` of the inputs, its clock the test's (storm-control windows, exemptions). */
async function replayInto(
  db: string,
  inputs: string[],
  jsonl: string,
  settings: Settings = { ...DEFAULT_SETTINGS },
  batches: Pick<ReplayOptions, 'flushEvery' | 'flushAfterMs'> = {},
) {
  const clock = testClock('2026-03-10T12:00:00.000Z');
  const notifier = notifierFromSpecs([`jsonl:${jsonl}`], { err: (line) => console.error(line) });
  const app = testApplication({ storage: openSqliteStorage(db), notifier, now: clock.now, settings });
  const rejected: string[] = [];
  try {
    const summary = await replay(readEvents(inputs), app.pipeline(), {
      ...batches,
      onRejected: (r) => rejected.push(`${r.file}:${r.line}: ${r.reason}`),
      // As the command does: a replay leaves nothing held for a roll-up.
      flushRollups: () => flushAllRollups(app.jobs, clock.now()),
    });
    const findings = await app.storage.findings.listFindings();
    return { summary, findings, rejected };
  } finally {
    await app.close();
  }
}

function lines(file: string): Array<Record<string, unknown>> {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('replay of the bundled sample events', () => {
  it('opens findings in all seven areas and notifies once per transition', async () => {
    const db = join(dir, 'findings.db');
    const sent = join(dir, 'sent.jsonl');
    const { summary, findings, rejected } = await replayInto(db, [EVENTS], sent, {
      ...DEFAULT_SETTINGS,
      notifyMinSeverity: 'INFORMATIONAL',
    });
    expect(rejected).toEqual([]);
    expect(summary.rejected).toBe(0);
    for (const area of AREAS) expect(summary.byArea[area].opened).toBeGreaterThan(0);
    expect(new Set(findings.filter((f) => f.status === 'open').map((f) => f.area))).toEqual(new Set(AREAS));
    const messages = lines(sent);
    // Each transition is one message, or one of the notifications a roll-up summarizes (a burst of one control in one account).
    const individual = messages.filter((m) => m.transition !== 'rollup');
    const rollups = messages.filter((m) => m.transition === 'rollup');
    expect(individual.length + rollups.reduce((sum, m) => sum + (m.count as number), 0)).toBe(
      summary.opened + summary.reopened + summary.escalated + summary.resolved,
    );
    expect(messages.filter((m) => m.transition === 'repeated')).toEqual([]);
    for (const message of messages) {
      expect(message).toMatchObject({
        severity: expect.any(String),
        area: expect.any(String),
        subject: expect.any(String),
        resourceId: expect.any(String),
      });
      expect(message.subject as string).toMatch(
        /^\[(CRITICAL|HIGH|MEDIUM|LOW|INFORMATIONAL|RESOLVED)\] (image|host|network|data|iam|runtime|audit): .+ \(\d{12}\/[a-z0-9-]+\)$/,
      );
      expect((message.subject as string).length).toBeLessThan(100);
      expect(message.subject as string).not.toMatch(/[\u0000-\u001f\u007f]/);
      expect((message.runbook as string[]).length).toBeGreaterThan(0);
      expect((message.runbook as string[]).every((step) => step.trim().length > 0)).toBe(true);
    }
    for (const rollup of rollups) expect((rollup.resources as unknown[]).length).toBeGreaterThan(0);
  });

  it('by default sends nothing for INFORMATIONAL findings, and everything else', async () => {
    const all = await replayInto(join(dir, 'all.db'), [EVENTS], join(dir, 'all.jsonl'), {
      ...DEFAULT_SETTINGS,
      notifyMinSeverity: 'INFORMATIONAL',
    });
    await replayInto(join(dir, 'default.db'), [EVENTS], join(dir, 'default.jsonl'));
    const everything = lines(join(dir, 'all.jsonl'));
    const byDefault = lines(join(dir, 'default.jsonl'));
    expect(everything.some((m) => m.severity === 'INFORMATIONAL')).toBe(true);
    expect(byDefault.some((m) => m.severity === 'INFORMATIONAL')).toBe(false);
    expect(byDefault).toEqual(everything.filter((m) => m.severity !== 'INFORMATIONAL'));
    expect(all.findings.length).toBeGreaterThan(0);
  });

  it('replaying the same files twice leaves the findings identical and sends nothing the second time', async () => {
    const db = join(dir, 'findings.db');
    const sent = join(dir, 'sent.jsonl');
    const first = await replayInto(db, [EVENTS], sent);
    const sentAfterFirst = lines(sent).length;
    const second = await replayInto(db, [EVENTS], sent);
    expect(second.findings).toEqual(first.findings);
    expect(lines(sent)).toHaveLength(sentAfterFirst);
    expect(second.summary).toMatchObject({ events: first.summary.events, opened: 0, reopened: 0, escalated: 0, resolved: 0, repeated: 0 });
  });

  it('leaves the findings identical whatever the batches: a second replay committing every 64 events changes nothing', async () => {
    const db = join(dir, 'findings.db');
    const sent = join(dir, 'sent.jsonl');
    // A busy machine ends batches by time: where they end must not change what is decided (stateful windows included).
    const first = await replayInto(db, [EVENTS], sent, undefined, { flushAfterMs: 0 });
    const second = await replayInto(db, [EVENTS], sent, undefined, { flushEvery: 7, flushAfterMs: 0 });
    expect(second.findings).toEqual(first.findings);
    expect(second.summary).toMatchObject({ opened: 0, reopened: 0, escalated: 0, resolved: 0, repeated: 0 });
  });

  it('never stores a secret value found in an event', async () => {
    const db = join(dir, 'findings.db');
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const record = JSON.parse(
      readFileSync(join(EVENTS, 'data/secret-in-task-definition', findFirst('data/secret-in-task-definition', 'violating')), 'utf8'),
    );
    const containers = record.requestParameters.containerDefinitions as Array<{ environment?: Array<{ name: string; value: string }> }>;
    containers[0]!.environment = [
      { name: 'AWS_SECRET_ACCESS_KEY', value: secret },
      { name: 'GREETING', value: `token=${secret}` },
    ];
    record.eventID = '5f0c7a52-3a1b-4c56-9d0e-b7a8c9d0e1f2';
    record.userAgent = `deploy-bot/1.0 (token ghp_${'a1B2c3D4e5F6g7H8i9J0'.repeat(2)}) aws-sdk-js/3.600.0`; // a token in the user agent
    record.userIdentity.principalId = `AROAEXAMPLE:${secret}`; // and one in the session name
    const input = join(dir, 'secret.json');
    writeFileSync(input, JSON.stringify(record));
    const sent = join(dir, 'sent.jsonl');
    const { findings } = await replayInto(db, [input], sent);
    expect(findings.length).toBeGreaterThan(0);
    expect(readFileSync(db).includes(secret)).toBe(false);
    expect(readFileSync(db).includes('a1B2c3D4e5F6g7H8i9J0')).toBe(false);
    expect(readFileSync(sent, 'utf8')).not.toContain('a1B2c3D4e5F6g7H8i9J0');
    expect(readFileSync(sent, 'utf8')).not.toContain(secret);
    expect(JSON.stringify(findings)).not.toContain(secret);
  });
});

function findFirst(controlDir: string, polarity: string): string {
  const { readdirSync } = require('node:fs') as typeof import('node:fs');
  return readdirSync(join(EVENTS, controlDir)).find((name) => name.includes(polarity))!;
}

describe('bad input in the middle of good input', () => {
  it('evaluates every good event and reports every bad one with its line and reason', async () => {
    const good = (i: number) =>
      JSON.stringify({
        eventVersion: '1.08',
        userIdentity: {
          type: 'IAMUser',
          principalId: 'AIDAEXAMPLE',
          arn: 'arn:aws:iam::111122223333:user/alice',
          accountId: '111122223333',
        },
        eventTime: `2026-03-01T10:0${i}:00Z`,
        eventSource: 'cloudtrail.amazonaws.com',
        eventName: 'StopLogging',
        awsRegion: 'us-east-1',
        sourceIPAddress: '203.0.113.10',
        userAgent: 'aws-cli/2.15.0',
        requestParameters: { name: `arn:aws:cloudtrail:us-east-1:111122223333:trail/trail-${i}` },
        responseElements: null,
        eventID: `7d1e3c1a-0000-4000-8000-00000000000${i}`,
        eventType: 'AwsApiCall',
        recipientAccountId: '111122223333',
      });
    const content = [
      good(1),
      '{"eventVersion": "1.08", "eventName": ', // malformed JSON
      good(2),
      '[1, 2, 3]', // not an object
      JSON.stringify({ eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances' }), // missing fields
      good(3),
      JSON.stringify({ hello: 'world' }), // unknown shape
      JSON.stringify({ ...JSON.parse(good(4)), padding: 'x'.repeat(1_100_000) }), // oversized
      good(5),
    ].join('\n');
    const file = join(dir, 'mixed.jsonl');
    writeFileSync(file, `${content}\n`);
    const { summary, findings, rejected } = await replayInto(join(dir, 'mixed.db'), [file], join(dir, 'sent.jsonl'));
    expect(summary.events).toBe(4);
    expect(summary.rejected).toBe(5);
    expect(findings.map((f) => f.resourceId).sort()).toEqual(
      [1, 2, 3, 5].map((i) => `arn:aws:cloudtrail:us-east-1:111122223333:trail/trail-${i}`),
    );
    expect(rejected.map((r) => r.slice(file.length + 1).split(':')[0])).toEqual(['2', '4', '5', '7', '8']);
    for (const message of rejected) {
      expect(message).not.toMatch(/\n\s+at /); // a reason, never a stack trace
    }
    expect(rejected[0]).toMatch(/JSON/i);
    expect(rejected[1]).toMatch(/object/);
    expect(rejected[2]).toMatch(/eventTime|eventID|awsRegion/);
    expect(rejected[4]).toMatch(/bytes/);
  });
});
