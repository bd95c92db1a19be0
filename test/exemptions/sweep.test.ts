/**
 * Exemptions over each storage adapter (memory, SQLite, DynamoDB on dynalite): the sweep under
 * concurrency (expiry logged exactly once), notification failures reported by the maintenance run
 * and retried by the next one, and the pure parts (glob matching, state).
 */
import type { Application } from '../../shared/app/compose';
import { createExemption, deleteExemption } from '../../shared/app/exemptions/exemption-service';
import { sweepExemptions } from '../../shared/app/jobs/exemptions';
import { runMaintenance } from '../../shared/app/jobs/maintenance';
import type { Storage } from '../../shared/app/storage';
import { coversFinding, globMatches, stateOf, validateExemptionRequest, type Exemption } from '../../shared/core/exemptions/exemption';
import { testApplication } from '../support/application';
import { DAY, testClock, type TestClock } from '../support/clock';
import { recordingNotifier, type RecordingNotifier } from '../support/notifier';
import { violation } from '../support/observations';
import { storageAdapters } from '../support/storage';

const CONTROL = 'network.security-group-open-to-internet';
const T0 = new Date('2026-03-10T12:00:00.000Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);

const request = (overrides: Partial<{ accounts: string[]; resourcePattern: string; expiresAt: string }> = {}) => ({
  controlId: CONTROL,
  resourcePattern: 'sg-a*',
  reason: 'accepted',
  approver: 'ciso@example.com',
  expiresAt: at(5).toISOString(),
  ...overrides,
});

describe.each(storageAdapters('sweep'))('exemptions over the %s storage', (_name, open) => {
  let storage: Storage;
  let clock: TestClock;
  /** The application of a shell that notifies through `notifier`. */
  const notifying = (notifier: RecordingNotifier): Application => testApplication({ storage, notifier, now: clock.now });
  /** The application of a shell that sends nothing (the API function): what it owes stays owed. */
  const deferred = (): Application => testApplication({ storage, notifier: 'deferred', now: clock.now });
  const serviceDeps = (app: Application) => ({ storage: app.storage, delivery: app.delivery });

  beforeEach(async () => {
    storage = await open();
    clock = testClock(T0);
    await storage.findings.recordViolation(violation({ eventId: 'a', eventTime: '2026-03-09T10:00:00.000Z', resourceId: 'sg-a1' }));
    await storage.findings.recordViolation(
      violation({ eventId: 'b', eventTime: '2026-03-09T10:00:00.000Z', resourceId: 'sg-a2', account: '444455556666' }),
    );
    await storage.findings.recordViolation(violation({ eventId: 'c', eventTime: '2026-03-09T10:00:00.000Z', resourceId: 'sg-b1' }));
  });
  afterEach(async () => {
    await storage.close();
  });

  it('logs an expiry exactly once and reopens each finding once, however many sweeps run at once', async () => {
    // Prepare
    const notifier = recordingNotifier();
    const app = notifying(notifier);
    const { exemption, suppressed } = await createExemption(serviceDeps(app), request(), { id: 'ex-1', now: T0, actor: 'alice' });
    expect(suppressed).toBe(2);
    expect(exemption.audited).toEqual(['created']);
    // Before expiry: nothing changes.
    clock.set(at(4));
    expect(await sweepExemptions(app.jobs, clock.now())).toMatchObject({ expired: [], reopened: 0, suppressed: 0 });

    // Act
    clock.set(at(6));
    const results = await Promise.all([1, 2, 3].map(() => sweepExemptions(app.jobs, clock.now())));

    // Assess
    expect(results.reduce((n, r) => n + r.reopened, 0)).toBe(2);
    expect((await storage.exemptions.listAudit()).map((e) => [e.action, e.at])).toEqual([
      ['created', T0.toISOString()],
      ['expired', at(5).toISOString()],
    ]);
    expect((await storage.findings.listFindings({ status: 'open' })).map((f) => f.resourceId).sort()).toEqual(['sg-a1', 'sg-a2', 'sg-b1']);
    // At least once each (concurrent sweeps may both send: the same at-least-once as the pipeline).
    expect(new Set(notifier.sent.map((n) => n.finding.resourceId))).toEqual(new Set(['sg-a1', 'sg-a2']));
    expect(notifier.sent.every((n) => n.transition === 'reopened')).toBe(true);
    const settled = await storage.exemptions.getExemption('ex-1');
    expect(settled).toMatchObject({ expiresAt: at(5).toISOString(), audited: ['created', 'expired'], settledAt: expect.any(String) });
    expect(stateOf(settled!, at(6))).toBe('expired');
    const sentBefore = notifier.sent.length;
    clock.set(at(7));
    await sweepExemptions(app.jobs, clock.now());
    expect(notifier.sent).toHaveLength(sentBefore);
    expect(await storage.exemptions.listAudit()).toHaveLength(2);
  });

  it('keeps a reopened finding owing its notification until a sweep sends it, and the maintenance run reports the failure', async () => {
    // Prepare
    const notifier = recordingNotifier();
    notifier.failing = true;
    const app = notifying(notifier);
    await createExemption(serviceDeps(app), request({ accounts: ['111122223333'] }), { id: 'ex-2', now: T0, actor: 'alice' });
    expect((await storage.findings.listFindings({ status: 'suppressed' })).map((f) => f.resourceId)).toEqual(['sg-a1']);
    clock.set(at(6));

    // Act: the run finishes the sweep, then reports what could not be sent
    const failed = await runMaintenance(app.jobs, clock.now(), ['exemptions']);

    // Assess
    expect(failed.errors).toEqual([]);
    expect(failed.failures).toEqual(['exemptions: 1 notifications could not be sent']);
    expect(failed.results.exemptions).toMatchObject({ expired: ['ex-2'], reopened: 1, notified: 0, notificationFailures: 1 });
    const owed = (await storage.findings.listFindings({ resourceId: 'sg-a1' }))[0]!;
    expect(owed).toMatchObject({ status: 'open', unnotified: { transition: 'reopened', eventId: 'exemption:ex-2:expired' } });
    expect((await storage.exemptions.getExemption('ex-2'))!.settledAt).toBeUndefined();

    // Act: the sink is back; the next run retries and sends
    notifier.failing = false;
    const retried = await runMaintenance(app.jobs, clock.now(), ['exemptions']);

    // Assess
    expect(retried.failures).toEqual([]);
    expect(retried.results.exemptions).toMatchObject({ reopened: 0, notified: 1, notificationFailures: 0 });
    expect(notifier.sent.map((n) => [n.transition, n.finding.resourceId])).toEqual([['reopened', 'sg-a1']]);
    expect((await storage.findings.listFindings({ resourceId: 'sg-a1' }))[0]!.unnotified).toBeUndefined();
    expect((await storage.exemptions.listAudit()).map((e) => e.action)).toEqual(['created', 'expired']);
  });

  it('suppresses what a concurrent writer opened after the exemption, and reopens on deletion', async () => {
    // Prepare
    const api = deferred();
    await createExemption(serviceDeps(api), request(), { id: 'ex-3', now: T0, actor: 'alice' });
    // A writer that did not know of the exemption yet opens a covered finding.
    await storage.findings.recordViolation(violation({ eventId: 'd', eventTime: '2026-03-10T11:00:00.000Z', resourceId: 'sg-a9' }));
    clock.set(at(1));
    expect((await sweepExemptions(api.jobs, clock.now())).suppressed).toBe(1);
    expect((await storage.findings.listFindings({ status: 'suppressed' })).map((f) => f.resourceId).sort()).toEqual([
      'sg-a1',
      'sg-a2',
      'sg-a9',
    ]);

    // Act
    clock.set(at(2));
    const deleted = await deleteExemption(serviceDeps(api), 'ex-3', { now: clock.now(), actor: 'bob' });

    // Assess
    expect(deleted).toMatchObject({ reopened: 3, exemption: { deletedBy: 'bob' } });
    // Deleted where nothing is sent (the API function): the next sweep of a shell that notifies sends what is owed.
    expect((await storage.exemptions.getExemption('ex-3'))!.settledAt).toBeUndefined();
    const notifier = recordingNotifier();
    const maintenance = notifying(notifier);
    expect(await sweepExemptions(maintenance.jobs, clock.now())).toMatchObject({ reopened: 0, notified: 3 });
    expect(notifier.sent.map((n) => n.transition)).toEqual(['reopened', 'reopened', 'reopened']);
    expect((await storage.exemptions.getExemption('ex-3'))!.settledAt).toBe(at(2).toISOString());
    expect(await sweepExemptions(maintenance.jobs, clock.now())).toMatchObject({ notified: 0 });
    clock.set(at(3));
    expect(await deleteExemption(serviceDeps(api), 'ex-3', { now: clock.now(), actor: 'carol' })).toMatchObject({
      reopened: 0,
      exemption: { deletedBy: 'bob' },
    });
    expect(await deleteExemption(serviceDeps(api), 'no-such', { now: clock.now(), actor: 'carol' })).toBeUndefined();
    clock.set(at(9));
    await sweepExemptions(api.jobs, clock.now());
    expect((await storage.exemptions.listAudit()).map((e) => [e.action, e.actor])).toEqual([
      ['created', 'alice'],
      ['deleted', 'bob'],
    ]);
    expect(await storage.findings.listFindings({ status: 'suppressed' })).toEqual([]);
  });

  it('writes the audit entries a crash left out, once', async () => {
    // Prepare
    const exemption: Exemption = {
      id: 'ex-4',
      controlId: CONTROL,
      reason: 'r',
      approver: 'a',
      createdBy: 'alice',
      createdAt: T0.toISOString(),
      expiresAt: at(1).toISOString(),
      version: 1,
    };
    await storage.exemptions.putExemption(exemption); // stored, but its creation never logged
    const app = deferred();

    // Act
    for (const days of [0.5, 2, 3]) {
      clock.set(at(days));
      await sweepExemptions(app.jobs, clock.now());
    }

    // Assess
    expect((await storage.exemptions.listAudit()).map((e) => e.action)).toEqual(['created', 'expired']);
  });
});

describe('exemption matching and validation (pure)', () => {
  it('matches globs with * only, anchored, without regular-expression meaning', () => {
    expect(globMatches('sg-*', 'sg-0abc')).toBe(true);
    expect(globMatches('sg-*', 'xsg-0abc')).toBe(false);
    expect(globMatches('arn:aws:s3:::logs-*-prod', 'arn:aws:s3:::logs-eu-prod')).toBe(true);
    expect(globMatches('arn:aws:s3:::logs-*-prod', 'arn:aws:s3:::logs-eu-prod-2')).toBe(false);
    expect(globMatches('a*b*c', 'abc')).toBe(true);
    expect(globMatches('a*b*c', 'aXbYcZ')).toBe(false);
    expect(globMatches('*', '')).toBe(true);
    expect(globMatches('sg-.*', 'sg-0abc')).toBe(false);
    expect(globMatches('sg-?', 'sg-1')).toBe(false);
    expect(globMatches('[a]', 'a')).toBe(false);
    expect(globMatches('%', 'anything')).toBe(false);
    // Many stars on a long text: linear two-pointer matching answers at once; a backtracking matcher would
    // take exponential time here and never reach the assertion within the test's timeout.
    expect(globMatches(`${'*a'.repeat(30)}b`, 'a'.repeat(5000))).toBe(false);
    expect(globMatches(`${'*a'.repeat(30)}b`, `${'a'.repeat(5000)}b`)).toBe(true);
  });

  it('covers a finding by control, account and resource', () => {
    const exemption = { controlId: CONTROL, accounts: ['111122223333'], resourcePattern: 'sg-a*' } as Exemption;
    expect(coversFinding(exemption, { controlId: CONTROL, account: '111122223333', resourceId: 'sg-a1' })).toBe(true);
    expect(coversFinding(exemption, { controlId: CONTROL, account: '444455556666', resourceId: 'sg-a1' })).toBe(false);
    expect(coversFinding(exemption, { controlId: 'iam.root-account-used', account: '111122223333', resourceId: 'sg-a1' })).toBe(false);
    expect(coversFinding(exemption, { controlId: CONTROL, account: '111122223333', resourceId: 'sg-b1' })).toBe(false);
  });

  it('normalizes a valid request and names the first bad field', () => {
    const known = new Set([CONTROL]);
    expect(
      validateExemptionRequest(
        { ...request({ accounts: ['111122223333', '111122223333'] }), expiresAt: '2026-03-15T14:00:00+02:00', reason: ' r ' },
        T0,
        known,
      ),
    ).toEqual({
      request: {
        controlId: CONTROL,
        accounts: ['111122223333'],
        resourcePattern: 'sg-a*',
        reason: 'r',
        approver: 'ciso@example.com',
        expiresAt: '2026-03-15T12:00:00.000Z',
      },
    });
    expect(validateExemptionRequest(null, T0, known)).toEqual({ issue: { parameter: 'body', reason: 'must be a JSON object' } });
    expect(validateExemptionRequest({ ...request(), expiresAt: at(366).toISOString() }, T0, known)).toMatchObject({
      issue: { parameter: 'expiresAt' },
    });
  });
});
