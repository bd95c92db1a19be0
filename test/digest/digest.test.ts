/** The daily digest: findings below the paging threshold, grouped by area and severity. */
import { testFinding } from '../support/findings';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  buildDigest,
  digestJsonOf,
  digestSubjectOf,
  digestTextOf,
  DIGEST_ITEMS_PER_GROUP,
  type Digest,
} from '../../shared/core/notifications/digest';
import { snsDigestPublishInputOf } from '../../shared/adapters/notify/sns-notifier';
import { EMAIL_THE_REST, PAGE_ON_CRITICAL_AND_HIGH, type FilterPolicy } from '../../shared/core/notifications/filter-policies';
import { memoryStorage } from '../../shared/adapters/store/memory';
import { digestJob } from '../../shared/app/jobs/digest';
import { runMaintenance } from '../../shared/app/jobs/maintenance';
import type { Finding } from '../../shared/core/findings/finding';
import type { Area } from '../../shared/core/model/area';
import type { Severity } from '../../shared/core/model/severity';
import { testApplication } from '../support/application';
import { runCli } from '../support/cli';
import { testClock } from '../support/clock';
import { recordingNotifier } from '../support/notifier';
import { violation } from '../support/observations';

const SINCE = new Date('2026-03-01T00:00:00.000Z');
const UNTIL = new Date('2026-03-02T00:00:00.000Z');

let n = 0;
function findingOf(area: Area, severity: Severity, overrides: Partial<Finding> = {}): Finding {
  n += 1;
  return testFinding({
    id: `f${String(n).padStart(4, '0')}`,
    controlId: `${area}.some-control`,
    area,
    title: `A ${severity.toLowerCase()} ${area} problem`,
    severity,
    resourceId: `resource-${n}`,
    resourceType: 'AWS::Some::Thing',
    firstSeen: '2026-03-01T08:00:00.000Z',
    evidence: { eventId: `e${n}`, eventTime: '2026-03-01T10:00:00.000Z', detailType: 'AWS API Call via CloudTrail', fields: {} },
    ...overrides,
  });
}

/** Does an attribute-scoped filter policy take a message with these attributes? */
function matches(policy: FilterPolicy, attributes: Record<string, { StringValue?: string }>): boolean {
  return Object.entries(policy).every(([name, values]) => values?.includes(attributes[name]?.StringValue ?? '\u0000'));
}

describe('buildDigest', () => {
  it('groups the findings below the paging threshold that were active in the period by area, then severity (highest first)', () => {
    const findings = [
      findingOf('network', 'MEDIUM'),
      findingOf('network', 'LOW', { lastSeen: '2026-03-01T12:00:00.000Z' }),
      findingOf('network', 'MEDIUM', { status: 'resolved', lastSeen: '2026-02-20T10:00:00.000Z', resolvedAt: '2026-03-01T09:00:00.000Z' }), // resolved in the period
      findingOf('image', 'INFORMATIONAL'),
      findingOf('network', 'HIGH'), // pages: not in the digest
      findingOf('iam', 'CRITICAL'), // pages
      findingOf('iam', 'LOW', { lastSeen: '2026-02-27T10:00:00.000Z' }), // before the period
      findingOf('iam', 'LOW', { lastSeen: '2026-03-02T00:00:01.000Z' }), // after it
      findingOf('data', 'LOW', { status: 'suppressed' }),
    ];
    const digest = buildDigest(findings, SINCE, UNTIL);
    expect(digest).toMatchObject({ since: SINCE.toISOString(), until: UNTIL.toISOString(), pageMinSeverity: 'HIGH', total: 5 });
    expect(digest.groups.map((g) => [g.area, g.severity, g.total, g.byStatus])).toEqual([
      ['image', 'INFORMATIONAL', 1, { open: 1, resolved: 0, suppressed: 0 }],
      ['network', 'MEDIUM', 2, { open: 1, resolved: 1, suppressed: 0 }],
      ['network', 'LOW', 1, { open: 1, resolved: 0, suppressed: 0 }],
      ['data', 'LOW', 1, { open: 0, resolved: 0, suppressed: 1 }],
    ]);
    // Newest activity first within a group.
    expect(digest.groups[1]!.items.map((i) => [i.status, i.lastActivity])).toEqual([
      ['open', '2026-03-01T10:00:00.000Z'],
      ['resolved', '2026-03-01T09:00:00.000Z'],
    ]);
    // A lower threshold leaves only what is below it.
    expect(buildDigest(findings, SINCE, UNTIL, { pageMinSeverity: 'MEDIUM' }).groups.map((g) => g.severity)).toEqual([
      'INFORMATIONAL',
      'LOW',
      'LOW',
    ]);
  });

  it('lists at most DIGEST_ITEMS_PER_GROUP per group and says how many more; links each finding when findingsUrl is set', () => {
    const many = Array.from({ length: DIGEST_ITEMS_PER_GROUP + 7 }, () => findingOf('host', 'LOW'));
    const digest = buildDigest(many, SINCE, UNTIL, { findingsUrl: 'https://trailwarden.example.com/' });
    expect(digest.groups).toHaveLength(1);
    expect(digest.groups[0]!.items).toHaveLength(DIGEST_ITEMS_PER_GROUP);
    expect(digest.groups[0]!.items[0]!.link).toMatch(/^https:\/\/trailwarden\.example\.com\/#finding=f\d+$/);
    const text = digestTextOf(digest);
    expect(text).toContain(`  LOW: ${DIGEST_ITEMS_PER_GROUP + 7} (${DIGEST_ITEMS_PER_GROUP + 7} open)`);
    expect(text).toContain('    … and 7 more');
    expect(digestSubjectOf(digest)).toBe(
      `[DIGEST] trailwarden: ${DIGEST_ITEMS_PER_GROUP + 7} findings below HIGH, 2026-03-01 00:00 to 2026-03-02 00:00 UTC`,
    );
    expect(digestSubjectOf(digest).length).toBeLessThan(100);
    expect(digestJsonOf(digest)).toMatchObject({
      type: 'digest',
      total: DIGEST_ITEMS_PER_GROUP + 7,
      groups: [{ area: 'host', severity: 'LOW' }],
    });
  });

  it('says so when there is nothing', () => {
    expect(digestTextOf(buildDigest([findingOf('iam', 'CRITICAL')], SINCE, UNTIL))).toContain('No finding below HIGH was active');
  });
});

describe('digestJob (the scheduled maintenance job)', () => {
  it('publishes the last 24 hours, and nothing when the digest is empty', async () => {
    // Prepare
    const storage = memoryStorage();
    await storage.findings.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z', severity: 'MEDIUM' }));
    const notifier = recordingNotifier();
    const clock = testClock('2026-03-01T23:00:00.000Z');
    const app = testApplication({ storage, notifier, now: clock.now, settings: { pageMinSeverity: 'HIGH' } });
    const job = (now: string) => {
      clock.set(now);
      return digestJob(app.jobs, clock.now());
    };

    // Act and assess
    expect(await job('2026-03-01T23:00:00.000Z')).toEqual({
      since: '2026-02-28T23:00:00.000Z',
      until: '2026-03-01T23:00:00.000Z',
      total: 1,
      published: true,
    });
    expect(await job('2026-03-03T23:00:00.000Z')).toMatchObject({ total: 0, published: false });
    expect(notifier.digests).toHaveLength(1);
    expect(notifier.digests[0]!.groups.map((g) => [g.area, g.severity])).toEqual([['network', 'MEDIUM']]);
    // Delivered as a digest (the notifier's sendDigest), never as a finding notification.
    expect(notifier.sent).toEqual([]);
  });

  it('reports a digest the sink refused as a failed maintenance job, and the next run sends it', async () => {
    // Prepare
    const storage = memoryStorage();
    await storage.findings.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z', severity: 'MEDIUM' }));
    const notifier = recordingNotifier();
    notifier.failing = true;
    const clock = testClock('2026-03-01T23:00:00.000Z');
    const app = testApplication({ storage, notifier, now: clock.now });

    // Act
    const failed = await runMaintenance(app.jobs, clock.now(), ['digest']);
    notifier.failing = false;
    clock.set('2026-03-01T23:05:00.000Z');
    const retried = await runMaintenance(app.jobs, clock.now(), ['digest']);

    // Assess
    expect(failed.failures).toEqual(['digest: sink down']);
    expect(failed.errors.map((e) => e.job)).toEqual(['digest']);
    expect(failed.results.digest).toBeUndefined();
    expect(retried).toEqual({
      results: { digest: { since: '2026-02-28T23:05:00.000Z', until: '2026-03-01T23:05:00.000Z', total: 1, published: true } },
      errors: [],
      failures: [],
    });
    expect(notifier.digests).toHaveLength(1);
  });

  it('is published for the mailbox, never the pager', () => {
    const digest = buildDigest([findingOf('network', 'MEDIUM'), findingOf('image', 'LOW')], SINCE, UNTIL);
    const input = snsDigestPublishInputOf(digest, 'arn:aws:sns:us-east-1:999999999999:findings');
    expect(input.MessageAttributes).toEqual({
      severity: { DataType: 'String', StringValue: 'MEDIUM' },
      status: { DataType: 'String', StringValue: 'digest' },
      transition: { DataType: 'String', StringValue: 'digest' },
    });
    expect(matches(EMAIL_THE_REST, input.MessageAttributes!)).toBe(true);
    expect(matches(PAGE_ON_CRITICAL_AND_HIGH, input.MessageAttributes!)).toBe(false);
    const document = JSON.parse(input.Message!) as Record<string, string>;
    expect(document.email).toBe(digestTextOf(digest));
    expect(JSON.parse(document.sqs!)).toMatchObject({ type: 'digest', total: 2 });
  });
});

describe('trailwarden digest', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trailwarden-digest-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the digest of a replayed database as text or JSON and sends it to the sinks', async () => {
    const db = join(dir, 'findings.db');
    // The commands run on 2026-03-10 (the deadline sweep then escalates nothing on a first replay).
    const now = () => new Date('2026-03-10T12:00:00.000Z');
    const replayed = await runCli(['replay', resolve(__dirname, '../../events'), '--db', db], { now });
    expect(replayed.code).toBe(0);
    // The samples are from 2025 onwards: a period covering all of them.
    const text = await runCli(['digest', '--since', '2020-01-01', '--db', db], { now });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^\[DIGEST\] trailwarden: \d+ findings below HIGH/);
    expect(text.stdout).toContain('\nnetwork\n');
    expect(text.stdout).not.toMatch(/^ {2}(HIGH|CRITICAL):/m);

    const sent = join(dir, 'digest.jsonl');
    const json = await runCli(['digest', '--since', '2020-01-01', '--db', db, '--format', 'json', '--notify', `jsonl:${sent}`], { now });
    expect(json.code).toBe(0);
    const digest = JSON.parse(json.stdout) as Digest;
    expect(digest.total).toBeGreaterThan(0);
    expect(digest).toMatchObject({ since: '2020-01-01T00:00:00.000Z', until: '2026-03-10T12:00:00.000Z' });
    expect(digest.groups.every((g) => ['MEDIUM', 'LOW', 'INFORMATIONAL'].includes(g.severity))).toBe(true);
    expect(JSON.parse(readFileSync(sent, 'utf8').trim())).toEqual(JSON.parse(json.stdout));

    const recent = await runCli(['digest', '--since', '24h', '--db', db, '--format', 'json'], { now });
    // Nothing active in the last day; a day that holds sample activity (2025-03-04) has some.
    expect(JSON.parse(recent.stdout)).toMatchObject({ total: 0, since: '2026-03-09T12:00:00.000Z' });
    const sampleDay = await runCli(['digest', '--since', '24h', '--db', db, '--format', 'json'], {
      now: () => new Date('2025-03-05T00:00:00.000Z'),
    });
    expect((JSON.parse(sampleDay.stdout) as Digest).total).toBeGreaterThan(0);
  });

  it('refuses a bad --since or --format with exit 2', async () => {
    expect((await runCli(['digest', '--since', 'yesterday', '--db', ':memory:'])).code).toBe(2);
    expect((await runCli(['digest', '--format', 'xml', '--db', ':memory:'])).code).toBe(2);
  });

  describe('--since as a time', () => {
    const now = () => new Date('2026-03-10T12:00:00.000Z');
    const digestSince = async (since: string) => {
      const result = await runCli(['digest', '--since', since, '--db', ':memory:', '--format', 'json'], { now });
      return result.code === 0
        ? { code: 0, since: (JSON.parse(result.stdout) as Digest).since }
        : { code: result.code, stderr: result.stderr };
    };

    it.each<[string, string | RegExp]>([
      // Date would read 30 February as 2 March, and a time without a zone in the machine's zone.
      ['2025-02-30', 'trailwarden digest: --since 2025-02-30: 2025-02-30 is not a calendar date\n'],
      ['2025-02-30T10:00:00Z', /--since 2025-02-30T10:00:00Z: 2025-02-30 is not a calendar date\n$/],
      [
        '2025-03-04T10:00:00',
        /--since 2025-03-04T10:00:00: 2025-03-04T10:00:00 has no time zone \(Z for UTC, or an offset such as -05:00\)/,
      ],
      ['2025-03-04T10:00Z', /--since 2025-03-04T10:00Z: 2025-03-04T10:00Z has no seconds: must be a calendar date/],
      ['2025-03-04T25:00:00Z', /--since 2025-03-04T25:00:00Z: 25:00:00 is not a time of day/],
      ['2062-03-10', /--since 2062-03-10: in the future \(the period ends now, 2026-03-10T12:00:00.000Z\)/],
      ['2026-03-10T12:00:01Z', /--since 2026-03-10T12:00:01Z: in the future/],
      [
        'last week',
        /--since last week: expected a duration such as 24h, 7d or 90m, a calendar date \(2026-03-01\) or an ISO-8601 date-time/,
      ],
    ])('refuses --since %s with exit 2 and the reason', async (since, message) => {
      const result = await digestSince(since);
      expect(result).toEqual({ code: 2, stderr: typeof message === 'string' ? message : expect.stringMatching(message) });
    });

    it('reads a calendar date as the start of its UTC day and a date-time in its own zone, in any machine zone', async () => {
      expect(await digestSince('2025-03-04')).toEqual({ code: 0, since: '2025-03-04T00:00:00.000Z' });
      expect(await digestSince('2024-02-29')).toEqual({ code: 0, since: '2024-02-29T00:00:00.000Z' });
      expect(await digestSince('2025-03-04T22:30:00-05:00')).toEqual({ code: 0, since: '2025-03-05T03:30:00.000Z' });
      expect(await digestSince('2026-03-10T12:00:00Z')).toEqual({ code: 0, since: '2026-03-10T12:00:00.000Z' });
      expect(await digestSince('90m')).toEqual({ code: 0, since: '2026-03-10T10:30:00.000Z' });
    });
  });
});
