/**
 * Snoozes over each storage adapter (memory, SQLite, DynamoDB on dynalite) with an injected clock:
 * history, quiet escalations (CRITICAL still pages), the sweep's reopened notification when the
 * snooze ends (once, also under concurrent sweeps), none when resolved meanwhile, cancellation,
 * refusals, notification retries (reported by the maintenance run); and the request's validation.
 */
import type { Application } from '../../shared/app/compose';
import { OWED_RETRY_AFTER_MS } from '../../shared/app/delivery/delivery';
import { runMaintenance } from '../../shared/app/jobs/maintenance';
import { sweepSnoozes } from '../../shared/app/jobs/snoozes';
import { cancelSnooze, snoozeFinding } from '../../shared/app/snooze/snooze-service';
import type { Storage } from '../../shared/app/storage';
import type { Finding } from '../../shared/core/findings/finding';
import { MAX_SNOOZE_DAYS, validateSnoozeRequest } from '../../shared/core/findings/snooze';
import { applySnooze, applySuppression, applyViolation } from '../../shared/core/findings/transitions';
import type { Settings } from '../../shared/core/settings/settings';
import { testApplication } from '../support/application';
import { HOUR, testClock, type TestClock } from '../support/clock';
import { recordingNotifier, type RecordingNotifier } from '../support/notifier';
import { resolution, violation } from '../support/observations';
import { storageAdapters } from '../support/storage';

const T0 = new Date('2026-03-10T12:00:00.000Z');
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);
const iso = (hours: number) => at(hours).toISOString();
const ALICE = 'arn:aws:iam::111122223333:user/alice';

describe.each(storageAdapters('snooze'))('snoozes over the %s storage', (_name, open) => {
  let storage: Storage;
  let clock: TestClock;
  let id: string;
  beforeEach(async () => {
    storage = await open();
    clock = testClock(T0);
    const opened = await storage.findings.recordViolation(violation({ eventId: 'e1', eventTime: iso(-1), severity: 'MEDIUM' }));
    id = opened!.finding.id;
    await storage.findings.markNotified(id, 'e1');
  });
  afterEach(async () => {
    await storage.close();
  });

  /** The application of a shell that notifies through `notifier`. */
  const notifying = (notifier: RecordingNotifier, settings: Partial<Settings> = {}): Application =>
    testApplication({ storage, notifier, now: clock.now, settings });
  /** The deps of a shell that sends nothing (the `snooze` command, the API function): what it owes stays owed. */
  const deferred = () => {
    const app = testApplication({ storage, notifier: 'deferred', now: clock.now });
    return { storage: app.storage, delivery: app.delivery };
  };
  const serviceDeps = (app: Application) => ({ storage: app.storage, delivery: app.delivery });
  const snooze = (hours: number, now = T0, actor = ALICE) =>
    snoozeFinding(deferred(), id, { until: iso(hours), reason: 'deploy fix tonight' }, { now, actor });

  it('records the snooze in the history and notifies the still open finding again, once, when it ends', async () => {
    const notifier = recordingNotifier();
    const app = notifying(notifier);
    const snoozed = await snooze(8);
    expect(snoozed).toMatchObject({
      finding: { status: 'open', snooze: { until: iso(8), reason: 'deploy fix tonight', by: ALICE, at: T0.toISOString() } },
    });
    expect((await storage.findings.historyOf(id)).at(-1)).toMatchObject({
      transition: 'snoozed',
      status: 'open',
      at: T0.toISOString(),
      actor: { arn: ALICE },
      note: `snoozed until ${iso(8)}: deploy fix tonight`,
    });
    // Before the end: nothing.
    expect(await sweepSnoozes(app.jobs, at(7))).toEqual({ ended: 0, notified: 0, notificationFailures: 0 });
    // Repeats while snoozed stay quiet.
    expect(
      (await storage.findings.recordViolation(violation({ eventId: 'e2', eventTime: iso(1), severity: 'MEDIUM' })))!.finding.unnotified,
    ).toBeUndefined();

    expect(await sweepSnoozes(app.jobs, at(8))).toEqual({ ended: 1, notified: 1, notificationFailures: 0 });
    expect(notifier.sent.map((n) => [n.transition, n.finding.id, n.finding.status, n.finding.severity])).toEqual([
      ['reopened', id, 'open', 'MEDIUM'],
    ]);
    const after = (await storage.findings.getFinding(id))!;
    expect(after.snooze).toBeUndefined();
    expect(after.unnotified).toBeUndefined();
    expect((await storage.findings.historyOf(id)).at(-1)).toMatchObject({
      transition: 'unsnoozed',
      status: 'open',
      at: iso(8),
      eventId: `snooze:${iso(8)}:expired`,
      actor: { userName: 'trailwarden (snooze sweep)' },
      note: expect.stringContaining('still open'),
    });
    // A second sweep, now or later, changes and sends nothing.
    expect(await sweepSnoozes(app.jobs, at(8))).toEqual({ ended: 0, notified: 0, notificationFailures: 0 });
    expect(await sweepSnoozes(app.jobs, at(30))).toEqual({ ended: 0, notified: 0, notificationFailures: 0 });
    expect(notifier.sent).toHaveLength(1);
  });

  it('ends a snooze once and notifies once however many sweeps run at the same time', async () => {
    const notifier = recordingNotifier();
    const app = notifying(notifier);
    await snooze(2);
    const results = await Promise.all([1, 2, 3].map(() => sweepSnoozes(app.jobs, at(3))));
    expect(results.reduce((n, r) => n + r.ended, 0)).toBe(1);
    expect(notifier.sent).toHaveLength(1);
    expect((await storage.findings.historyOf(id)).filter((h) => h.transition === 'unsnoozed')).toHaveLength(1);
  });

  it('sends nothing when the finding was resolved during the snooze', async () => {
    const notifier = recordingNotifier();
    const app = notifying(notifier);
    await snooze(8);
    const resolved = await storage.findings.recordResolution(resolution({ eventId: 'r1', eventTime: iso(2) }));
    // The resolution is announced as usual (pagers auto-resolve) and ends the snooze.
    expect(resolved.map((c) => [c.transition, c.finding.snooze])).toEqual([['resolved', undefined]]);
    expect(await sweepSnoozes(app.jobs, at(9))).toEqual({ ended: 0, notified: 0, notificationFailures: 0 });
    expect(notifier.sent).toEqual([]);
    expect((await storage.findings.historyOf(id)).map((h) => h.transition)).toEqual(['opened', 'snoozed', 'resolved']);
  });

  it('keeps escalations below CRITICAL quiet during the snooze, pages one to CRITICAL, and notifies the new severity at the end', async () => {
    const notifier = recordingNotifier();
    const app = notifying(notifier);
    await snooze(8);
    const high = await storage.findings.recordViolation(violation({ eventId: 'e3', eventTime: iso(1), severity: 'HIGH' }));
    expect(high).toMatchObject({ transition: 'escalated', finding: { severity: 'HIGH' } });
    expect(high!.finding.unnotified).toBeUndefined();
    expect(high!.history!.note).toContain(`snoozed until ${iso(8)}: not notified`);
    const critical = await storage.findings.recordViolation(violation({ eventId: 'e4', eventTime: iso(2), severity: 'CRITICAL' }));
    expect(critical!.finding).toMatchObject({
      severity: 'CRITICAL',
      unnotified: { transition: 'escalated', eventId: 'e4' },
      snooze: { until: iso(8) },
    });
    await storage.findings.markNotified(id, 'e4');
    await sweepSnoozes(app.jobs, at(8));
    expect(notifier.sent.map((n) => [n.transition, n.finding.severity])).toEqual([['reopened', 'CRITICAL']]);
  });

  it('moves the end of a snooze when snoozed again, and ends it early on cancellation with the caller as actor', async () => {
    const notifier = recordingNotifier();
    const app = notifying(notifier);
    await snooze(2);
    const moved = await snooze(6, at(1), 'arn:aws:iam::111122223333:user/bob');
    expect(moved).toMatchObject({ finding: { snooze: { until: iso(6), by: 'arn:aws:iam::111122223333:user/bob' } } });
    expect((await storage.findings.historyOf(id)).at(-1)!.note).toBe(`snooze moved from ${iso(2)} to ${iso(6)}: deploy fix tonight`);
    expect(await sweepSnoozes(app.jobs, at(3))).toMatchObject({ ended: 0 });

    const cancelled = await cancelSnooze(serviceDeps(app), id, { now: at(4), actor: 'local:carol' });
    expect(cancelled).toMatchObject({ finding: { status: 'open' }, notified: true });
    expect('finding' in cancelled && cancelled.finding.snooze).toBeUndefined();
    expect('finding' in cancelled && cancelled.finding.unnotified).toBeUndefined();
    expect(notifier.sent.map((n) => n.transition)).toEqual(['reopened']);
    expect((await storage.findings.historyOf(id)).at(-1)).toMatchObject({
      transition: 'unsnoozed',
      at: iso(4),
      actor: { userName: 'local:carol' },
      eventId: `snooze:${iso(4)}:cancelled`,
    });
    expect(await cancelSnooze(serviceDeps(app), id, { now: at(5), actor: 'local:carol' })).toEqual({
      refused: 'conflict',
      reason: 'the finding is not snoozed',
    });
    expect(await sweepSnoozes(app.jobs, at(7))).toEqual({ ended: 0, notified: 0, notificationFailures: 0 });
    expect(notifier.sent).toHaveLength(1);
  });

  it('leaves the notification of a snooze cancelled by a shell that sends nothing to a sweep a minute later', async () => {
    const notifier = recordingNotifier();
    const app = notifying(notifier);
    await snooze(8);
    const cancelled = await cancelSnooze(deferred(), id, { now: at(1), actor: 'local:carol' });
    expect(cancelled).toMatchObject({
      finding: { unnotified: { transition: 'reopened', eventId: `snooze:${iso(1)}:cancelled` } },
      notified: false,
    });
    // A sweep in the same minute leaves it to whoever is sending it; the next one sends it.
    expect(await sweepSnoozes(app.jobs, at(1))).toMatchObject({ notified: 0 });
    expect(await sweepSnoozes(app.jobs, new Date(at(1).getTime() + OWED_RETRY_AFTER_MS))).toMatchObject({ ended: 0, notified: 1 });
    expect(await sweepSnoozes(app.jobs, at(3))).toMatchObject({ notified: 0 });
    expect(notifier.sent.map((n) => n.transition)).toEqual(['reopened']);
  });

  it('keeps the notification owed when the sink fails, and the maintenance run reports it so alarms see it', async () => {
    // Prepare
    const notifier = recordingNotifier();
    notifier.failing = true;
    const app = notifying(notifier);
    await snooze(1);
    clock.set(at(2));

    // Act: the run finishes the sweep, then reports what could not be sent
    const failed = await runMaintenance(app.jobs, clock.now(), ['snoozes']);

    // Assess
    expect(failed.errors).toEqual([]);
    expect(failed.failures).toEqual(['snoozes: 1 notifications could not be sent']);
    expect(failed.results.snoozes).toEqual({ ended: 1, notified: 0, notificationFailures: 1 });
    expect((await storage.findings.getFinding(id))!.unnotified).toEqual({ transition: 'reopened', eventId: `snooze:${iso(2)}:expired` });

    // Act: the sink is back; the next run retries and sends
    notifier.failing = false;
    clock.set(at(3));
    const retried = await runMaintenance(app.jobs, clock.now(), ['snoozes']);

    // Assess
    expect(retried.failures).toEqual([]);
    expect(retried.results.snoozes).toEqual({ ended: 0, notified: 1, notificationFailures: 0 });
    expect((await storage.findings.getFinding(id))!.unnotified).toBeUndefined();
    expect(notifier.sent).toHaveLength(1);
  });

  it('settles an end below notifyMinSeverity unsent', async () => {
    const notifier = recordingNotifier();
    const app = notifying(notifier, { notifyMinSeverity: 'HIGH' });
    await snooze(1);
    expect(await sweepSnoozes(app.jobs, at(2))).toEqual({ ended: 1, notified: 0, notificationFailures: 0 });
    expect((await storage.findings.getFinding(id))!.unnotified).toBeUndefined();
    expect(notifier.sent).toEqual([]);
  });

  it('refuses to snooze a resolved or a suppressed finding, and answers not-found for an unknown one', async () => {
    expect(await snoozeFinding(deferred(), 'f'.repeat(32), { until: iso(1), reason: 'x' }, { now: T0, actor: ALICE })).toEqual({
      refused: 'not-found',
    });
    expect(await cancelSnooze(deferred(), 'f'.repeat(32), { now: T0, actor: ALICE })).toEqual({ refused: 'not-found' });
    await storage.findings.updateFinding(id, (f) =>
      applySuppression(f, { exemptionId: 'ex-1', expiresAt: iso(100), at: T0.toISOString(), reason: 'accepted' }),
    );
    expect(await snooze(2)).toEqual({
      refused: 'conflict',
      reason: 'the finding is suppressed under exemption ex-1: there is nothing to snooze',
    });
    const other = await storage.findings.recordViolation(violation({ eventId: 'o1', eventTime: iso(-2), resourceId: 'sg-0other' }));
    await storage.findings.recordResolution(resolution({ eventId: 'o2', eventTime: iso(-1), resourceId: 'sg-0other' }));
    const refused = await snoozeFinding(deferred(), other!.finding.id, { until: iso(1), reason: 'x' }, { now: T0, actor: ALICE });
    expect(refused).toEqual({ refused: 'conflict', reason: 'the finding is resolved: there is nothing to snooze' });
    expect((await storage.findings.historyOf(other!.finding.id)).map((h) => h.transition)).toEqual(['opened', 'resolved']);
  });

  it('ends a snooze when an exemption suppresses the finding: nothing is sent when it runs out', async () => {
    const notifier = recordingNotifier();
    const app = notifying(notifier);
    await snooze(2);
    const suppressed = await storage.findings.updateFinding(id, (f) =>
      applySuppression(f, { exemptionId: 'ex-2', expiresAt: iso(100), at: iso(1), reason: 'accepted' }),
    );
    expect(suppressed!.finding.snooze).toBeUndefined();
    expect(await sweepSnoozes(app.jobs, at(3))).toEqual({ ended: 0, notified: 0, notificationFailures: 0 });
    expect(notifier.sent).toEqual([]);
  });
});

describe('a snooze request', () => {
  const check = (body: unknown) => validateSnoozeRequest(body, T0);

  it('accepts a future time within the maximum and normalizes it', () => {
    expect(check({ until: '2026-03-10T20:00:00+01:00', reason: '  fix in the next deploy ' })).toEqual({
      request: { until: '2026-03-10T19:00:00.000Z', reason: 'fix in the next deploy' },
    });
    expect(check({ until: new Date(T0.getTime() + MAX_SNOOZE_DAYS * 24 * HOUR).toISOString(), reason: 'x' })).toHaveProperty('request');
  });

  it.each<[unknown, string, RegExp]>([
    [null, 'body', /JSON object/],
    [[], 'body', /JSON object/],
    [{ until: iso(1), reason: 'x', extra: 1 }, 'extra', /unknown field/],
    [{ reason: 'x' }, 'until', /required/],
    [{ until: 12, reason: 'x' }, 'until', /ISO-8601/],
    [{ until: '2026-03-11', reason: 'x' }, 'until', /time zone/],
    [{ until: 'tomorrow', reason: 'x' }, 'until', /ISO-8601/],
    [{ until: T0.toISOString(), reason: 'x' }, 'until', /in the future/],
    [{ until: iso(-1), reason: 'x' }, 'until', /in the future/],
    [{ until: new Date(T0.getTime() + (MAX_SNOOZE_DAYS * 24 + 1) * HOUR).toISOString(), reason: 'x' }, 'until', /at most 30 days ahead/],
    [{ until: iso(1) }, 'reason', /required/],
    [{ until: iso(1), reason: 7 }, 'reason', /must be a string/],
    [{ until: iso(1), reason: '   ' }, 'reason', /must not be empty/],
    [{ until: iso(1), reason: 'x'.repeat(2001) }, 'reason', /at most 2000 characters/],
  ])('refuses case %# with a 400 issue naming the parameter', (body, parameter, reason) => {
    const checked = check(body);
    expect(checked).toEqual({ issue: { parameter, reason: expect.stringMatching(reason) } });
  });

  it('refuses an end that is not a real date, or lacks its seconds or zone, however Date would read it', () => {
    // On 20 February, 30 February would be read as 2 March: in the future and within 30 days.
    const february = new Date('2026-02-20T12:00:00.000Z');
    expect(validateSnoozeRequest({ until: '2026-02-30T12:00:00Z', reason: 'x' }, february)).toEqual({
      issue: { parameter: 'until', reason: '2026-02-30 is not a calendar date' },
    });
    expect(validateSnoozeRequest({ until: '2026-02-28T23:59:59-05:00', reason: 'x' }, february)).toEqual({
      request: { until: '2026-03-01T04:59:59.000Z', reason: 'x' },
    });
    expect(check({ until: '2026-03-10T20:00Z', reason: 'x' })).toEqual({
      issue: { parameter: 'until', reason: expect.stringMatching(/^2026-03-10T20:00Z has no seconds: must be an ISO-8601 date-time/) },
    });
    expect(check({ until: '2026-03-10T20:00:00', reason: 'x' })).toEqual({
      issue: { parameter: 'until', reason: expect.stringMatching(/^2026-03-10T20:00:00 has no time zone/) },
    });
  });

  it('is a pure change: applySnooze refuses what is not open, and the lifecycle keeps the snooze across repeats', () => {
    const change = applyViolation(undefined, violation({ eventId: 'p1', eventTime: iso(0) }));
    const snoozed = applySnooze(change.finding, { until: iso(5), reason: 'r', by: 'a', at: iso(0) })!.finding;
    const repeated: Finding = applyViolation(snoozed, violation({ eventId: 'p2', eventTime: iso(1) })).finding;
    expect(repeated.snooze).toEqual(snoozed.snooze);
    expect(applySnooze({ ...snoozed, status: 'resolved' }, { until: iso(5), reason: 'r', by: 'a', at: iso(0) })).toBeUndefined();
    expect(applySnooze(undefined, { until: iso(5), reason: 'r', by: 'a', at: iso(0) })).toBeUndefined();
  });
});
