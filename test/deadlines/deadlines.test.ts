/**
 * Remediation deadlines over each store adapter (memory, SQLite, DynamoDB on dynalite) with an
 * injected clock: one escalation and one notification however many sweeps run (in sequence or at
 * once), the patch rule (7 vs 30 days), the remediationDays setting, snoozes, retries; the pure
 * deadline rules; and the setting's validation.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_CONTROLS } from '../../shared/core/controls';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/core/settings/settings';
import { loadSettingsFile, SettingsError } from '../../shared/adapters/config/load-settings';
import { validateSettings } from '../../shared/core/settings/validate-settings';
import { escalatedSeverity, PATCH_CONTROL_IDS, remediationDaysOf, remediationDeadlineOf } from '../../shared/core/findings/deadlines';
import { sweepDeadlines } from '../../shared/app/jobs/deadlines';
import { deadlineSweep } from '../../shared/app/jobs/deadline-sweep-handler';
import { applySuppression } from '../../shared/core/findings/transitions';
import { snoozeFinding, sweepSnoozes } from '../../shared/app/snooze/snooze-service';
import type { FindingStore } from '../../shared/core/findings/finding-store';
import { violation } from '../support/observations';
import { recordingNotifier, storeAdapters } from '../snooze/adapters';

const T0 = new Date('2026-03-01T12:00:00.000Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const iso = (days: number) => at(days).toISOString();
const SETTINGS: Settings = { ...DEFAULT_SETTINGS };
const PATCH = 'host.patch-non-compliant';

function patchViolation(eventId: string, severity: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW', resourceId = `i-0${severity.toLowerCase()}`) {
  return violation({ controlId: PATCH, area: 'host', severity, resourceId, eventId, eventTime: T0.toISOString() });
}

describe.each(storeAdapters('deadlines'))('deadlines over the %s store', (_name, open) => {
  let store: FindingStore;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store.close();
  });

  async function openFinding(observation: ReturnType<typeof violation>): Promise<string> {
    const change = await store.recordViolation(observation);
    await store.markNotified(change!.finding.id, observation.eventId);
    return change!.finding.id;
  }

  it('escalates a finding past its deadline once, with one notification, over two sweeps', async () => {
    const notifier = recordingNotifier();
    const id = await openFinding(violation({ eventId: 'e1', eventTime: T0.toISOString(), severity: 'HIGH' }));
    // HIGH findings of other controls are due 30 days after first seen (remediationDays default).
    expect(await sweepDeadlines(store, at(29), notifier, SETTINGS)).toEqual({ escalated: 0, notified: 0, notificationFailures: 0 });
    expect(await sweepDeadlines(store, at(31), notifier, SETTINGS)).toEqual({ escalated: 1, notified: 1, notificationFailures: 0 });
    expect(await sweepDeadlines(store, at(32), notifier, SETTINGS)).toEqual({ escalated: 0, notified: 0, notificationFailures: 0 });
    expect(notifier.sent.map((n) => [n.transition, n.finding.id, n.finding.severity])).toEqual([['escalated', id, 'CRITICAL']]);
    const finding = (await store.getFinding(id))!;
    expect(finding).toMatchObject({ status: 'open', severity: 'CRITICAL', deadlineEscalation: { deadline: iso(30), at: iso(31), from: 'HIGH', to: 'CRITICAL' } });
    expect(finding.unnotified).toBeUndefined();
    const escalations = (await store.historyOf(id)).filter((h) => h.transition === 'escalated');
    expect(escalations).toEqual([
      expect.objectContaining({ at: iso(31), severity: 'CRITICAL', status: 'open', eventId: `deadline:${iso(30)}`, note: expect.stringMatching(new RegExp(`^past its remediation deadline of ${iso(30)} .*severity raised from HIGH to CRITICAL`)) }),
    ]);
  });

  it('links the escalation notification to the finding in the dashboard when findingsUrl is set', async () => {
    const notifier = recordingNotifier();
    const id = await openFinding(violation({ eventId: 'e1', eventTime: T0.toISOString(), severity: 'HIGH' }));
    await sweepDeadlines(store, at(31), notifier, { ...SETTINGS, findingsUrl: 'https://trailwarden.example.com' });
    expect(notifier.sent.map((n) => n.link)).toEqual([`https://trailwarden.example.com/#finding=${id}`]);
  });

  it('escalates once and notifies once when sweeps run at the same time', async () => {
    const notifier = recordingNotifier();
    const id = await openFinding(violation({ eventId: 'e1', eventTime: T0.toISOString(), severity: 'MEDIUM' }));
    const results = await Promise.all([1, 2, 3].map(() => sweepDeadlines(store, at(91), notifier, SETTINGS)));
    expect(results.reduce((n, r) => n + r.escalated, 0)).toBe(1);
    expect(notifier.sent.map((n) => [n.transition, n.finding.severity])).toEqual([['escalated', 'HIGH']]);
    expect((await store.historyOf(id)).filter((h) => h.transition === 'escalated')).toHaveLength(1);
    expect((await store.getFinding(id))!.version).toBe(4); // opened, notified, escalated, notified: nothing more
  });

  it('gives patch findings 7 days when HIGH or CRITICAL and 30 days otherwise', async () => {
    const notifier = recordingNotifier();
    const critical = await openFinding(patchViolation('p1', 'CRITICAL'));
    const high = await openFinding(patchViolation('p2', 'HIGH'));
    const medium = await openFinding(patchViolation('p3', 'MEDIUM'));
    const low = await openFinding(patchViolation('p4', 'LOW'));
    expect(await sweepDeadlines(store, at(6.9), notifier, SETTINGS)).toMatchObject({ escalated: 0 });
    expect(await sweepDeadlines(store, at(7), notifier, SETTINGS)).toMatchObject({ escalated: 2, notified: 2 });
    expect(new Map(notifier.sent.map((n) => [n.finding.id, n.finding.severity]))).toEqual(new Map([[critical, 'CRITICAL'], [high, 'CRITICAL']]));
    expect((await store.historyOf(critical)).at(-1)!.note).toBe(`past its remediation deadline of ${iso(7)} (CRITICAL patch findings are due 7 days after first seen): severity stays CRITICAL (the highest)`);
    expect(await sweepDeadlines(store, at(29), notifier, SETTINGS)).toMatchObject({ escalated: 0 });
    expect(await sweepDeadlines(store, at(30), notifier, SETTINGS)).toMatchObject({ escalated: 2, notified: 2 });
    expect(new Map(notifier.sent.slice(2).map((n) => [n.finding.id, n.finding.severity]))).toEqual(new Map([[medium, 'HIGH'], [low, 'MEDIUM']]));
    // The patch rule holds whatever remediationDays says.
    expect(await sweepDeadlines(store, at(400), notifier, { ...SETTINGS, remediationDays: { HIGH: 1 } })).toMatchObject({ escalated: 0 });
  });

  it('follows remediationDays for other controls: a severity left out, INFORMATIONAL, suppressed and disabled never escalate', async () => {
    const notifier = recordingNotifier();
    const low = await openFinding(violation({ eventId: 'l1', eventTime: T0.toISOString(), severity: 'LOW', resourceId: 'sg-0low' }));
    await openFinding(violation({ eventId: 'i1', eventTime: T0.toISOString(), severity: 'INFORMATIONAL', resourceId: 'sg-0info' }));
    const accepted = await openFinding(violation({ eventId: 'a1', eventTime: T0.toISOString(), severity: 'LOW', resourceId: 'sg-0accepted' }));
    await store.updateFinding(accepted, (f) => applySuppression(f, { exemptionId: 'ex-1', expiresAt: iso(900), at: T0.toISOString(), reason: 'accepted' }));
    const custom = { ...SETTINGS, remediationDays: { CRITICAL: 1, LOW: 10 } };
    expect(await sweepDeadlines(store, at(9), notifier, custom)).toMatchObject({ escalated: 0 });
    expect(await sweepDeadlines(store, at(10), notifier, { ...custom, disabledControls: ['network.security-group-open-to-internet'] })).toMatchObject({ escalated: 0 });
    expect(await sweepDeadlines(store, at(10), notifier, custom)).toEqual({ escalated: 1, notified: 1, notificationFailures: 0 });
    expect(notifier.sent.map((n) => [n.finding.id, n.finding.severity])).toEqual([[low, 'MEDIUM']]);
    // Now MEDIUM, which this setting leaves without a deadline; INFORMATIONAL never has one.
    expect(await sweepDeadlines(store, at(5000), notifier, { ...SETTINGS, remediationDays: { CRITICAL: 1, HIGH: 1, MEDIUM: 1, LOW: 1 } })).toMatchObject({ escalated: 0 });
  });

  it('keeps a snoozed finding quiet below CRITICAL and lets the end of the snooze carry the new severity', async () => {
    const notifier = recordingNotifier();
    const id = await openFinding(violation({ eventId: 'e1', eventTime: T0.toISOString(), severity: 'MEDIUM' }));
    await snoozeFinding({ store }, id, { until: iso(95), reason: 'fix in the quarterly release' }, { now: at(89), actor: 'local:alice' });
    expect(await sweepDeadlines(store, at(91), notifier, SETTINGS)).toEqual({ escalated: 1, notified: 0, notificationFailures: 0 });
    expect((await store.getFinding(id))!).toMatchObject({ severity: 'HIGH', snooze: { until: iso(95) } });
    expect((await store.historyOf(id)).at(-1)!.note).toContain(`snoozed until ${iso(95)}: not notified`);
    await sweepSnoozes(store, at(96), notifier);
    expect(notifier.sent.map((n) => [n.transition, n.finding.severity])).toEqual([['reopened', 'HIGH']]);
    // An escalation to CRITICAL pages during a snooze.
    const other = await openFinding(violation({ eventId: 'h1', eventTime: T0.toISOString(), severity: 'HIGH', resourceId: 'sg-0high' }));
    await snoozeFinding({ store }, other, { until: iso(40), reason: 'waiting for the vendor' }, { now: at(29), actor: 'local:alice' });
    expect(await sweepDeadlines(store, at(31), notifier, SETTINGS)).toEqual({ escalated: 1, notified: 1, notificationFailures: 0 });
    expect(notifier.sent.at(-1)).toMatchObject({ transition: 'escalated', finding: { id: other, severity: 'CRITICAL' } });
  });

  it('retries a notification the sink refused, from a later sweep, and the handler fails meanwhile', async () => {
    let down = true;
    const notifier = recordingNotifier(() => down);
    const id = await openFinding(violation({ eventId: 'e1', eventTime: T0.toISOString(), severity: 'HIGH' }));
    let now = at(31);
    const handler = deadlineSweep(() => ({ store, notifier, settings: SETTINGS, now: () => now }));
    await expect(handler()).rejects.toThrow(/1 notifications could not be sent/);
    expect((await store.getFinding(id))!.unnotified).toEqual({ transition: 'escalated', eventId: `deadline:${iso(30)}` });
    down = false;
    // A sweep in the same minute leaves it to the one that escalated; a later one sends it.
    expect(await sweepDeadlines(store, new Date(at(31).getTime() + 30_000), notifier, SETTINGS)).toEqual({ escalated: 0, notified: 0, notificationFailures: 0 });
    now = at(31.01);
    await expect(handler()).resolves.toEqual({ escalated: 0, notified: 1, notificationFailures: 0 });
    expect(await sweepDeadlines(store, at(32), notifier, SETTINGS)).toEqual({ escalated: 0, notified: 0, notificationFailures: 0 });
    expect(notifier.sent).toHaveLength(1);
  });

  it('settles an escalation below notifyMinSeverity unsent', async () => {
    const notifier = recordingNotifier();
    const id = await openFinding(violation({ eventId: 'e1', eventTime: T0.toISOString(), severity: 'LOW' }));
    expect(await sweepDeadlines(store, at(181), notifier, { ...SETTINGS, notifyMinSeverity: 'HIGH' })).toEqual({ escalated: 1, notified: 0, notificationFailures: 0 });
    expect((await store.getFinding(id))!.unnotified).toBeUndefined();
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
    expect(remediationDeadlineOf({ controlId: PATCH, severity: 'HIGH', firstSeen: '2026-03-01T10:00:00Z' }, days)).toBe('2026-03-08T10:00:00.000Z');
  });

  it('raises a severity one level, capped at CRITICAL', () => {
    expect(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].map((s) => escalatedSeverity(s as never))).toEqual(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL', 'CRITICAL']);
  });
});

describe('the remediationDays setting', () => {
  const known = new Set(ALL_CONTROLS.map((c) => c.id));

  it('accepts severities with whole days and defaults to 7/30/90/180', () => {
    expect(validateSettings({}, known).settings!.remediationDays).toEqual({ CRITICAL: 7, HIGH: 30, MEDIUM: 90, LOW: 180 });
    expect(validateSettings({ remediationDays: { CRITICAL: 3, HIGH: 14 } }, known).settings!.remediationDays).toEqual({ CRITICAL: 3, HIGH: 14 });
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
      expect(() => loadSettingsFile(file, known)).toThrow(`${file}:4: remediationDays.HIGH: expected a whole number of days from 1 to 3650, got "soon"`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
