/**
 * Remediation deadlines over each storage adapter (memory, SQLite, DynamoDB on dynalite) with an
 * injected clock: one escalation and one notification however many sweeps run (in sequence or at
 * once), the patch rule (7 vs 30 days), the remediationDays setting, snoozes, retries (reported by
 * the maintenance run); the pure deadline rules; and the setting's validation.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettingsFile, SettingsError } from '../../shared/adapters/config/load-settings';
import type { Application } from '../../shared/app/compose';
import { sweepDeadlines } from '../../shared/app/jobs/deadlines';
import { runMaintenance } from '../../shared/app/jobs/maintenance';
import { sweepSnoozes } from '../../shared/app/jobs/snoozes';
import { snoozeFinding } from '../../shared/app/snooze/snooze-service';
import type { Storage } from '../../shared/app/storage';
import { ALL_CONTROLS } from '../../shared/core/controls';
import { escalatedSeverity, PATCH_CONTROL_IDS, remediationDaysOf, remediationDeadlineOf } from '../../shared/core/findings/deadlines';
import { applySuppression } from '../../shared/core/findings/transitions';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/core/settings/settings';
import { validateSettings } from '../../shared/core/settings/validate-settings';
import { testApplication } from '../support/application';
import { DAY, testClock, type TestClock } from '../support/clock';
import { recordingNotifier, type RecordingNotifier } from '../support/notifier';
import { violation } from '../support/observations';
import { storageAdapters } from '../support/storage';

const T0 = new Date('2026-03-01T12:00:00.000Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const iso = (days: number) => at(days).toISOString();
const SETTINGS: Settings = { ...DEFAULT_SETTINGS };
const PATCH = 'host.patch-non-compliant';

function patchViolation(eventId: string, severity: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW', resourceId = `i-0${severity.toLowerCase()}`) {
  return violation({ controlId: PATCH, area: 'host', severity, resourceId, eventId, eventTime: T0.toISOString() });
}

describe.each(storageAdapters('deadlines'))('deadlines over the %s storage', (_name, open) => {
  let storage: Storage;
  let clock: TestClock;
  beforeEach(async () => {
    storage = await open();
    clock = testClock(T0);
  });
  afterEach(async () => {
    await storage.close();
  });

  /** The application of a shell that notifies through `notifier`, with these settings. */
  const notifying = (notifier: RecordingNotifier, settings: Settings = SETTINGS): Application =>
    testApplication({ storage, notifier, now: clock.now, settings });
  /** One deadline sweep at `now` with these settings. */
  const sweep = (notifier: RecordingNotifier, now: Date, settings: Settings = SETTINGS) =>
    sweepDeadlines(notifying(notifier, settings).jobs, now);
  /** The deps of a shell that sends nothing (the `snooze` command). */
  const deferred = () => {
    const app = testApplication({ storage, notifier: 'deferred', now: clock.now });
    return { storage: app.storage, delivery: app.delivery };
  };

  async function openFinding(observation: ReturnType<typeof violation>): Promise<string> {
    const change = await storage.findings.recordViolation(observation);
    await storage.findings.markNotified(change!.finding.id, observation.eventId);
    return change!.finding.id;
  }

  it('escalates a finding past its deadline once, with one notification, over two sweeps', async () => {
    const notifier = recordingNotifier();
    const id = await openFinding(violation({ eventId: 'e1', eventTime: T0.toISOString(), severity: 'HIGH' }));
    // HIGH findings of other controls are due 30 days after first seen (remediationDays default).
    expect(await sweep(notifier, at(29))).toEqual({ escalated: 0, notified: 0, notificationFailures: 0 });
    expect(await sweep(notifier, at(31))).toEqual({ escalated: 1, notified: 1, notificationFailures: 0 });
    expect(await sweep(notifier, at(32))).toEqual({ escalated: 0, notified: 0, notificationFailures: 0 });
    expect(notifier.sent.map((n) => [n.transition, n.finding.id, n.finding.severity])).toEqual([['escalated', id, 'CRITICAL']]);
    const finding = (await storage.findings.getFinding(id))!;
    expect(finding).toMatchObject({
      status: 'open',
      severity: 'CRITICAL',
      deadlineEscalation: { deadline: iso(30), at: iso(31), from: 'HIGH', to: 'CRITICAL' },
    });
    expect(finding.unnotified).toBeUndefined();
    const escalations = (await storage.findings.historyOf(id)).filter((h) => h.transition === 'escalated');
    expect(escalations).toEqual([
      expect.objectContaining({
        at: iso(31),
        severity: 'CRITICAL',
        status: 'open',
        eventId: `deadline:${iso(30)}`,
        note: expect.stringMatching(new RegExp(`^past its remediation deadline of ${iso(30)} .*severity raised from HIGH to CRITICAL`)),
      }),
    ]);
  });

  it('links the escalation notification to the finding in the dashboard when findingsUrl is set', async () => {
    const notifier = recordingNotifier();
    const id = await openFinding(violation({ eventId: 'e1', eventTime: T0.toISOString(), severity: 'HIGH' }));
    await sweep(notifier, at(31), { ...SETTINGS, findingsUrl: 'https://trailwarden.example.com' });
    expect(notifier.sent.map((n) => n.link)).toEqual([`https://trailwarden.example.com/#finding=${id}`]);
  });

  it('escalates once and notifies once when sweeps run at the same time', async () => {
    const notifier = recordingNotifier();
    const app = notifying(notifier);
    const id = await openFinding(violation({ eventId: 'e1', eventTime: T0.toISOString(), severity: 'MEDIUM' }));
    const results = await Promise.all([1, 2, 3].map(() => sweepDeadlines(app.jobs, at(91))));
    expect(results.reduce((n, r) => n + r.escalated, 0)).toBe(1);
    expect(notifier.sent.map((n) => [n.transition, n.finding.severity])).toEqual([['escalated', 'HIGH']]);
    expect((await storage.findings.historyOf(id)).filter((h) => h.transition === 'escalated')).toHaveLength(1);
    expect((await storage.findings.getFinding(id))!.version).toBe(4); // opened, notified, escalated, notified: nothing more
  });

  it('gives patch findings 7 days when HIGH or CRITICAL and 30 days otherwise', async () => {
    const notifier = recordingNotifier();
    const critical = await openFinding(patchViolation('p1', 'CRITICAL'));
    const high = await openFinding(patchViolation('p2', 'HIGH'));
    const medium = await openFinding(patchViolation('p3', 'MEDIUM'));
    const low = await openFinding(patchViolation('p4', 'LOW'));
    expect(await sweep(notifier, at(6.9))).toMatchObject({ escalated: 0 });
    expect(await sweep(notifier, at(7))).toMatchObject({ escalated: 2, notified: 2 });
    expect(new Map(notifier.sent.map((n) => [n.finding.id, n.finding.severity]))).toEqual(
      new Map([
        [critical, 'CRITICAL'],
        [high, 'CRITICAL'],
      ]),
    );
    expect((await storage.findings.historyOf(critical)).at(-1)!.note).toBe(
      `past its remediation deadline of ${iso(7)} (CRITICAL patch findings are due 7 days after first seen): severity stays CRITICAL (the highest)`,
    );
    expect(await sweep(notifier, at(29))).toMatchObject({ escalated: 0 });
    expect(await sweep(notifier, at(30))).toMatchObject({ escalated: 2, notified: 2 });
    expect(new Map(notifier.sent.slice(2).map((n) => [n.finding.id, n.finding.severity]))).toEqual(
      new Map([
        [medium, 'HIGH'],
        [low, 'MEDIUM'],
      ]),
    );
    // The patch rule holds whatever remediationDays says.
    expect(await sweep(notifier, at(400), { ...SETTINGS, remediationDays: { HIGH: 1 } })).toMatchObject({ escalated: 0 });
  });

  it('follows remediationDays for other controls: a severity left out, INFORMATIONAL, suppressed and disabled never escalate', async () => {
    const notifier = recordingNotifier();
    const low = await openFinding(violation({ eventId: 'l1', eventTime: T0.toISOString(), severity: 'LOW', resourceId: 'sg-0low' }));
    await openFinding(violation({ eventId: 'i1', eventTime: T0.toISOString(), severity: 'INFORMATIONAL', resourceId: 'sg-0info' }));
    const accepted = await openFinding(
      violation({ eventId: 'a1', eventTime: T0.toISOString(), severity: 'LOW', resourceId: 'sg-0accepted' }),
    );
    await storage.findings.updateFinding(accepted, (f) =>
      applySuppression(f, { exemptionId: 'ex-1', expiresAt: iso(900), at: T0.toISOString(), reason: 'accepted' }),
    );
    const custom = { ...SETTINGS, remediationDays: { CRITICAL: 1, LOW: 10 } };
    expect(await sweep(notifier, at(9), custom)).toMatchObject({ escalated: 0 });
    expect(await sweep(notifier, at(10), { ...custom, disabledControls: ['network.security-group-open-to-internet'] })).toMatchObject({
      escalated: 0,
    });
    expect(await sweep(notifier, at(10), custom)).toEqual({ escalated: 1, notified: 1, notificationFailures: 0 });
    expect(notifier.sent.map((n) => [n.finding.id, n.finding.severity])).toEqual([[low, 'MEDIUM']]);
    // Now MEDIUM, which this setting leaves without a deadline; INFORMATIONAL never has one.
    expect(await sweep(notifier, at(5000), { ...SETTINGS, remediationDays: { CRITICAL: 1, HIGH: 1, MEDIUM: 1, LOW: 1 } })).toMatchObject({
      escalated: 0,
    });
  });

  it('keeps a snoozed finding quiet below CRITICAL and lets the end of the snooze carry the new severity', async () => {
    const notifier = recordingNotifier();
    const app = notifying(notifier);
    const id = await openFinding(violation({ eventId: 'e1', eventTime: T0.toISOString(), severity: 'MEDIUM' }));
    await snoozeFinding(deferred(), id, { until: iso(95), reason: 'fix in the quarterly release' }, { now: at(89), actor: 'local:alice' });
    expect(await sweepDeadlines(app.jobs, at(91))).toEqual({ escalated: 1, notified: 0, notificationFailures: 0 });
    expect((await storage.findings.getFinding(id))!).toMatchObject({ severity: 'HIGH', snooze: { until: iso(95) } });
    expect((await storage.findings.historyOf(id)).at(-1)!.note).toContain(`snoozed until ${iso(95)}: not notified`);
    await sweepSnoozes(app.jobs, at(96));
    expect(notifier.sent.map((n) => [n.transition, n.finding.severity])).toEqual([['reopened', 'HIGH']]);
    // An escalation to CRITICAL pages during a snooze.
    const other = await openFinding(violation({ eventId: 'h1', eventTime: T0.toISOString(), severity: 'HIGH', resourceId: 'sg-0high' }));
    await snoozeFinding(deferred(), other, { until: iso(40), reason: 'waiting for the vendor' }, { now: at(29), actor: 'local:alice' });
    expect(await sweepDeadlines(app.jobs, at(31))).toEqual({ escalated: 1, notified: 1, notificationFailures: 0 });
    expect(notifier.sent.at(-1)).toMatchObject({ transition: 'escalated', finding: { id: other, severity: 'CRITICAL' } });
  });

  it('retries a notification the sink refused, from a later sweep, and the maintenance run reports it meanwhile', async () => {
    // Prepare
    const notifier = recordingNotifier();
    notifier.failing = true;
    const app = notifying(notifier);
    const id = await openFinding(violation({ eventId: 'e1', eventTime: T0.toISOString(), severity: 'HIGH' }));
    clock.set(at(31));

    // Act: the run finishes the sweep, then reports what could not be sent
    const failed = await runMaintenance(app.jobs, clock.now(), ['deadlines']);

    // Assess
    expect(failed.errors).toEqual([]);
    expect(failed.failures).toEqual(['deadlines: 1 notifications could not be sent']);
    expect(failed.results.deadlines).toEqual({ escalated: 1, notified: 0, notificationFailures: 1 });
    expect((await storage.findings.getFinding(id))!.unnotified).toEqual({ transition: 'escalated', eventId: `deadline:${iso(30)}` });

    // Act and assess: the sink is back. A sweep in the same minute leaves it to the one that escalated; a later run sends it.
    notifier.failing = false;
    expect(await sweepDeadlines(app.jobs, new Date(at(31).getTime() + 30_000))).toEqual({
      escalated: 0,
      notified: 0,
      notificationFailures: 0,
    });
    clock.set(at(31.01));
    const retried = await runMaintenance(app.jobs, clock.now(), ['deadlines']);
    expect(retried.failures).toEqual([]);
    expect(retried.results.deadlines).toEqual({ escalated: 0, notified: 1, notificationFailures: 0 });
    expect(await sweepDeadlines(app.jobs, at(32))).toEqual({ escalated: 0, notified: 0, notificationFailures: 0 });
    expect(notifier.sent).toHaveLength(1);
  });

  it('settles an escalation below notifyMinSeverity unsent', async () => {
    const notifier = recordingNotifier();
    const id = await openFinding(violation({ eventId: 'e1', eventTime: T0.toISOString(), severity: 'LOW' }));
    expect(await sweep(notifier, at(181), { ...SETTINGS, notifyMinSeverity: 'HIGH' })).toEqual({
      escalated: 1,
      notified: 0,
      notificationFailures: 0,
    });
    expect((await storage.findings.getFinding(id))!.unnotified).toBeUndefined();
  });
});

describe('the deadline rules', () => {
  const days = DEFAULT_SETTINGS.remediationDays;

  it('names the host area patch-compliance controls, which exist in the catalogue', () => {
    for (const id of PATCH_CONTROL_IDS) expect(ALL_CONTROLS.find((c) => c.id === id)).toMatchObject({ area: 'host' });
  });

  it('gives patch findings 7 or 30 days, others the setting, INFORMATIONAL none', () => {
    expect(remediationDaysOf({ controlId: PATCH, severity: 'CRITICAL' }, days)).toBe(7);
    expect(remediationDaysOf({ controlId: PATCH, severity: 'HIGH' }, days)).toBe(7);
    expect(remediationDaysOf({ controlId: PATCH, severity: 'MEDIUM' }, days)).toBe(30);
    expect(remediationDaysOf({ controlId: PATCH, severity: 'LOW' }, days)).toBe(30);
    expect(remediationDaysOf({ controlId: PATCH, severity: 'INFORMATIONAL' }, days)).toBeUndefined();
    expect(days).toEqual({ CRITICAL: 7, HIGH: 30, MEDIUM: 90, LOW: 180 });
    expect(remediationDaysOf({ controlId: 'iam.root-account-used', severity: 'HIGH' }, days)).toBe(30);
    expect(remediationDaysOf({ controlId: 'iam.root-account-used', severity: 'INFORMATIONAL' }, days)).toBeUndefined();
    expect(remediationDaysOf({ controlId: 'iam.root-account-used', severity: 'LOW' }, { HIGH: 3 })).toBeUndefined();
    expect(remediationDeadlineOf({ controlId: PATCH, severity: 'HIGH', firstSeen: '2026-03-01T10:00:00Z' }, days)).toBe(
      '2026-03-08T10:00:00.000Z',
    );
  });

  it('raises a severity one level, capped at CRITICAL', () => {
    expect(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].map((s) => escalatedSeverity(s as never))).toEqual([
      'LOW',
      'MEDIUM',
      'HIGH',
      'CRITICAL',
      'CRITICAL',
    ]);
  });
});

describe('the remediationDays setting', () => {
  const known = new Set(ALL_CONTROLS.map((c) => c.id));

  it('accepts severities with whole days and defaults to 7/30/90/180', () => {
    expect(validateSettings({}, known).settings!.remediationDays).toEqual({ CRITICAL: 7, HIGH: 30, MEDIUM: 90, LOW: 180 });
    expect(validateSettings({ remediationDays: { CRITICAL: 3, HIGH: 14 } }, known).settings!.remediationDays).toEqual({
      CRITICAL: 3,
      HIGH: 14,
    });
  });

  it('refuses anything else, naming the key path and the reason', () => {
    const issues = (value: unknown) => validateSettings({ remediationDays: value }, known).issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues([7])).toEqual([['remediationDays', expect.stringMatching(/^expected a mapping of severity to days/)]]);
    expect(issues('30')).toEqual([['remediationDays', expect.stringMatching(/^expected a mapping of severity to days/)]]);
    expect(issues({ INFORMATIONAL: 5, URGENT: 1, HIGH: 0, LOW: 2.5, MEDIUM: '90', CRITICAL: 3651 })).toEqual([
      ['remediationDays.INFORMATIONAL', 'INFORMATIONAL findings have no remediation deadline (leave it out)'],
      ['remediationDays.URGENT', 'expected one of CRITICAL, HIGH, MEDIUM, LOW'],
      ['remediationDays.HIGH', 'expected a whole number of days from 1 to 3650, got number 0'],
      ['remediationDays.LOW', 'expected a whole number of days from 1 to 3650, got number 2.5'],
      ['remediationDays.MEDIUM', 'expected a whole number of days from 1 to 3650, got "90"'],
      ['remediationDays.CRITICAL', 'expected a whole number of days from 1 to 3650, got number 3651'],
    ]);
  });

  it('reports the file, line and key path of a bad value in a settings file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailwarden-deadline-settings-'));
    try {
      const file = join(dir, 'settings.yml');
      writeFileSync(file, 'notifyMinSeverity: LOW\nremediationDays:\n  CRITICAL: 7\n  HIGH: soon\n');
      expect(() => loadSettingsFile(file, known)).toThrow(SettingsError);
      expect(() => loadSettingsFile(file, known)).toThrow(
        `${file}:4: remediationDays.HIGH: expected a whole number of days from 1 to 3650, got "soon"`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
