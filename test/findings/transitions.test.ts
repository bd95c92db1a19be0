/**
 * The finding state machine (shared/core/findings/transitions.ts) applied directly, without a store:
 * one test per row of the transition table at the top of the module (status, snooze, history entry,
 * notification owed), then the details a user depends on per transition: counts, first/last seen and
 * evidence with events out of order, severities (escalation, reopen, suppression, deadlines),
 * history notes and event ids, owed notifications and their idempotence, and that no input is changed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS } from '../../shared/core/settings/settings';
import type { Severity } from '../../shared/core/model/severity';
import { DEADLINE_SWEEP_ACTOR } from '../../shared/core/findings/deadlines';
import { activityOf, type Finding, type HistoryEntry, type Snooze, type SuppressedBy } from '../../shared/core/findings/finding';
import type { ResolutionObservation, ViolationObservation } from '../../shared/core/findings/observation';
import { SNOOZE_SWEEP_ACTOR } from '../../shared/core/findings/snooze';
import {
  applyDeadlineEscalation,
  applyNotified,
  applyResolution,
  applySnooze,
  applySnoozeEnd,
  applySuppression,
  applyUnsuppression,
  applyViolation,
  deadlineEventId,
  exemptionEndEventId,
  snoozeEndedAt,
  snoozeEndEventId,
  snoozeRefusal,
  snoozeSilences,
  type FindingUpdate,
} from '../../shared/core/findings/transitions';
import { resolution, violation } from '../support/observations';

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const HOUR = 3_600_000;
/** ISO time `hours` after T0. */
const iso = (hours: number) => new Date(T0 + hours * HOUR).toISOString();
const isoDays = (days: number) => iso(days * 24);
const ALICE = 'arn:aws:iam::111122223333:user/alice';
const REMEDIATION_DAYS = DEFAULT_SETTINGS.remediationDays; // CRITICAL 7, HIGH 30, MEDIUM 90, LOW 180
const PATCH = 'host.patch-non-compliant';

const EXEMPTION: SuppressedBy = { exemptionId: 'ex-1', expiresAt: isoDays(30) };
const OTHER_EXEMPTION: SuppressedBy = { exemptionId: 'ex-2', expiresAt: isoDays(60) };
const SNOOZE: Snooze = { until: iso(24), reason: 'fix deploys tonight', by: ALICE, at: iso(3) };
/** A notification still owed from earlier: rows that keep it must not drop it, rows that lapse it must. */
const OWED_EARLIER = { unnotified: { transition: 'opened' as const, eventId: 'e1' } };

/** A violation of the default security-group control at `hours` after T0. */
function seen(eventId: string, hours: number, severity: Severity = 'HIGH', exemption?: SuppressedBy): ViolationObservation {
  return { ...violation({ eventId, eventTime: iso(hours), severity }), ...(exemption ? { exemption } : {}) };
}

function fixed(eventId: string, hours: number, withActor = true): ResolutionObservation {
  const obs = resolution({ eventId, eventTime: iso(hours) });
  if (withActor) return obs;
  const { actor: _none, ...rest } = obs;
  return rest;
}

/** An open HIGH finding seen at 0h (e1) and 2h (e2), its opening notified. */
function openFinding(overrides: Partial<Finding> = {}): Finding {
  const latest = violation({ eventId: 'e2', eventTime: iso(2) });
  return {
    id: latest.findingId,
    controlId: latest.controlId,
    area: latest.area,
    title: latest.title,
    severity: 'HIGH',
    status: 'open',
    account: latest.account,
    region: latest.region,
    resourceId: latest.resourceId,
    resourceType: latest.resourceType,
    message: latest.message,
    firstSeen: iso(0),
    lastSeen: iso(2),
    count: 2,
    evidence: latest.evidence,
    version: 3,
    ...overrides,
  };
}

/** The open finding, snoozed at 3h until 24h. */
const snoozedFinding = (overrides: Partial<Finding> = {}) => openFinding({ snooze: { ...SNOOZE }, ...overrides });

/** The finding resolved at 4h by r1 (its resolution notified). */
function resolvedFinding(overrides: Partial<Finding> = {}): Finding {
  return openFinding({ status: 'resolved', resolvedAt: iso(4), resolvedBy: { eventId: 'r1', message: 'rule revoked' }, ...overrides });
}

/** The finding suppressed under EXEMPTION. */
const suppressedFinding = (overrides: Partial<Finding> = {}) =>
  openFinding({ status: 'suppressed', suppressedBy: { ...EXEMPTION }, ...overrides });

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * One row of the table in transitions.ts, verbatim (`from | cause | to | history | owed`; a cause may end in a
 * ` [variant]` tag when a row is tested in several cases), with the finding before and the transition to apply.
 */
type Row = [row: string, before: Finding | undefined, apply: Apply];
type Apply = (before: Finding | undefined) => FindingUpdate | undefined;

const notified =
  (eventId: string): Apply =>
  (f) => {
    const finding = applyNotified(f, eventId);
    return finding && { finding };
  };
const violated =
  (obs: ViolationObservation): Apply =>
  (f) =>
    applyViolation(f, obs);
const resolvedBy =
  (obs: ResolutionObservation): Apply =>
  (f) =>
    applyResolution(f, obs);
const exempted: Apply = (f) => applySuppression(f, { ...EXEMPTION, at: iso(5), reason: 'accepted risk' });
const exemptionEnds =
  (why: 'expired' | 'deleted'): Apply =>
  (f) =>
    applyUnsuppression(f, { exemptionId: EXEMPTION.exemptionId, why, at: iso(6) });
const snoozed =
  (until: string): Apply =>
  (f) =>
    applySnooze(f, { until, reason: 'later', by: ALICE, at: iso(5) });
const snoozeEnds =
  (why: 'expired' | 'cancelled', hours: number): Apply =>
  (f) =>
    applySnoozeEnd(f, { why, at: iso(hours), by: why === 'expired' ? SNOOZE_SWEEP_ACTOR : ALICE });
const deadlinePasses =
  (days: number): Apply =>
  (f) =>
    applyDeadlineEscalation(f, REMEDIATION_DAYS, isoDays(days));

// The findings the rows start from; most owe a notification already, so that `kept` and `—` differ.
const OPEN = openFinding(OWED_EARLIER);
const SNOOZED = snoozedFinding(OWED_EARLIER);
const SNOOZED_MEDIUM = snoozedFinding({ severity: 'MEDIUM', ...OWED_EARLIER });
const RESOLVED = resolvedFinding({ unnotified: { transition: 'resolved', eventId: 'r1' } });
/** Not a state the transitions make (a suppression drops what was owed), but it shows what a violation keeps. */
const SUPPRESSED = suppressedFinding(OWED_EARLIER);
const UNDER_OTHER = suppressedFinding({ suppressedBy: { ...OTHER_EXEMPTION } });
const RESOLVED_SNOOZED = resolvedFinding({ snooze: { ...SNOOZE }, ...OWED_EARLIER });
const SUPPRESSED_SNOOZED = suppressedFinding({ snooze: { ...SNOOZE }, ...OWED_EARLIER });
const INFORMATIONAL = openFinding({ severity: 'INFORMATIONAL' });
const DONE_ONCE = openFinding({ deadlineEscalation: { deadline: isoDays(30), at: isoDays(31), from: 'HIGH', to: 'CRITICAL' } });

/** Every row of the table in transitions.ts, in its order. */
const TABLE: Row[] = [
  ['(none) | violation | open | opened | opened', undefined, violated(seen('v', 5))],
  ['(none) | violation under an exemption | suppressed | suppressed | —', undefined, violated(seen('v', 5, 'HIGH', EXEMPTION))],
  ['open | violation, newer or older, severity not higher [newer] | open | — | kept', OPEN, violated(seen('v', 5, 'LOW'))],
  ['open | violation, newer or older, severity not higher [older] | open | — | kept', OPEN, violated(seen('v', 1))],
  ['open | violation, higher severity | open | escalated | escalated', OPEN, violated(seen('v', 5, 'CRITICAL'))],
  ['open, snoozed | violation, higher severity below CRITICAL | open, snoozed | escalated | kept', SNOOZED_MEDIUM, violated(seen('v', 5))],
  ['open, snoozed | violation, CRITICAL (higher) | open, snoozed | escalated | escalated', SNOOZED, violated(seen('v', 5, 'CRITICAL'))],
  [
    'open (snoozed or not) | violation under an exemption [open] | suppressed | suppressed | —',
    OPEN,
    violated(seen('v', 5, 'LOW', EXEMPTION)),
  ],
  [
    'open (snoozed or not) | violation under an exemption [snoozed] | suppressed | suppressed | —',
    SNOOZED,
    violated(seen('v', 5, 'HIGH', EXEMPTION)),
  ],
  ['resolved | violation at or after resolvedAt | open | reopened | reopened', RESOLVED, violated(seen('v', 5, 'LOW'))],
  [
    'resolved | violation at or after resolvedAt, under an exemption | suppressed | suppressed | —',
    RESOLVED,
    violated(seen('v', 4, 'HIGH', EXEMPTION)),
  ],
  ['resolved | violation before resolvedAt, severity not higher | resolved | — | kept', RESOLVED, violated(seen('v', 3))],
  [
    'resolved | violation before resolvedAt, higher severity | resolved | escalated | escalated',
    RESOLVED,
    violated(seen('v', 3, 'CRITICAL')),
  ],
  [
    'suppressed | violation (any time, severity or exemption) | suppressed | — | kept',
    SUPPRESSED,
    violated(seen('v', 5, 'CRITICAL', OTHER_EXEMPTION)),
  ],
  ['open (snoozed or not) | resolution at or after lastSeen [open] | resolved | resolved | resolved', OPEN, resolvedBy(fixed('r', 5))],
  [
    'open (snoozed or not) | resolution at or after lastSeen [snoozed] | resolved | resolved | resolved',
    SNOOZED,
    resolvedBy(fixed('r', 2)),
  ],
  ['suppressed | resolution at or after lastSeen | resolved | resolved | —', SUPPRESSED, resolvedBy(fixed('r', 5))],
  ['open, suppressed | stale resolution (before lastSeen) [open] | no write', OPEN, resolvedBy(fixed('r', 1))],
  ['open, suppressed | stale resolution (before lastSeen) [suppressed] | no write', SUPPRESSED, resolvedBy(fixed('r', 1))],
  ['resolved, (none) | resolution [resolved] | no write', RESOLVED, resolvedBy(fixed('r', 5))],
  ['resolved, (none) | resolution [none] | no write', undefined, resolvedBy(fixed('r', 5))],
  ['any, owing event E | notified of E [open] | unchanged | — | —', OPEN, notified('e1')],
  ['any, owing event E | notified of E [snoozed] | unchanged | — | —', SNOOZED, notified('e1')],
  ['any, owing event E | notified of E [resolved] | unchanged | — | —', RESOLVED, notified('r1')],
  ['any | notified of another event (or owing nothing) [another] | no write', OPEN, notified('e2')],
  ['any | notified of another event (or owing nothing) [nothing] | no write', openFinding(), notified('e1')],
  ['open (snoozed or not) | exemption takes effect [open] | suppressed | suppressed | —', OPEN, exempted],
  ['open (snoozed or not) | exemption takes effect [snoozed] | suppressed | suppressed | —', SNOOZED, exempted],
  ['resolved, suppressed | exemption takes effect [resolved] | no write', RESOLVED, exempted],
  ['resolved, suppressed | exemption takes effect [suppressed] | no write', UNDER_OTHER, exempted],
  [
    'suppressed under X | exemption X ends (expired or deleted) [expired] | open | unsuppressed | reopened',
    SUPPRESSED,
    exemptionEnds('expired'),
  ],
  [
    'suppressed under X | exemption X ends (expired or deleted) [deleted] | open | unsuppressed | reopened',
    SUPPRESSED,
    exemptionEnds('deleted'),
  ],
  ['not suppressed under X | exemption X ends [under Y] | no write', UNDER_OTHER, exemptionEnds('expired')],
  ['not suppressed under X | exemption X ends [open] | no write', OPEN, exemptionEnds('deleted')],
  ['not suppressed under X | exemption X ends [resolved] | no write', RESOLVED, exemptionEnds('deleted')],
  ['open | snooze | open, snoozed | snoozed | kept', OPEN, snoozed(iso(30))],
  ['open, snoozed | snooze moved | open, snoozed | snoozed | kept', SNOOZED, snoozed(iso(30))],
  ['resolved, suppressed | snooze (refused) [resolved] | no write', RESOLVED, snoozed(iso(30))],
  ['resolved, suppressed | snooze (refused) [suppressed] | no write', SUPPRESSED, snoozed(iso(30))],
  [
    'open, snoozed | snooze ends: expired (until ≤ now) or cancelled [expired] | open | unsnoozed | reopened',
    SNOOZED,
    snoozeEnds('expired', 24),
  ],
  [
    'open, snoozed | snooze ends: expired (until ≤ now) or cancelled [cancelled] | open | unsnoozed | reopened',
    SNOOZED,
    snoozeEnds('cancelled', 10),
  ],
  [
    'resolved/suppressed, snoozed¹ | snooze ends [resolved] | (status kept) | unsnoozed | kept',
    RESOLVED_SNOOZED,
    snoozeEnds('cancelled', 10),
  ],
  [
    'resolved/suppressed, snoozed¹ | snooze ends [suppressed] | (status kept) | unsnoozed | kept',
    SUPPRESSED_SNOOZED,
    snoozeEnds('expired', 24),
  ],
  ['open, snoozed | snooze "expired" before its until | no write', SNOOZED, snoozeEnds('expired', 23)],
  ['not snoozed | snooze ends | no write', OPEN, snoozeEnds('cancelled', 10)],
  ['open | deadline passed | open | escalated | escalated', OPEN, deadlinePasses(30)],
  ['open, snoozed | deadline passed, new severity below CRITICAL | open, snoozed | escalated | kept', SNOOZED_MEDIUM, deadlinePasses(90)],
  ['open, snoozed | deadline passed, new severity CRITICAL | open, snoozed | escalated | escalated', SNOOZED, deadlinePasses(30)],
  ['open | deadline not due, none (INFORMATIONAL), or done once [not due] | no write', OPEN, deadlinePasses(29.9)],
  ['open | deadline not due, none (INFORMATIONAL), or done once [none] | no write', INFORMATIONAL, deadlinePasses(3650)],
  ['open | deadline not due, none (INFORMATIONAL), or done once [done once] | no write', DONE_ONCE, deadlinePasses(400)],
  ['resolved, suppressed | deadline passed [resolved] | no write', RESOLVED, deadlinePasses(31)],
  ['resolved, suppressed | deadline passed [suppressed] | no write', SUPPRESSED, deadlinePasses(31)],
];

/** The rows of the table transitions.ts documents, as `from | cause | to | history | owed` (empty cells left out). */
function documentedRows(): string[] {
  const source = readFileSync(join(__dirname, '../../shared/core/findings/transitions.ts'), 'utf8');
  const lines = source.split('\n').filter((line) => line.startsWith(' * |') && !line.startsWith(' * | ---'));
  const cells = lines.map((line) =>
    line
      .slice(4)
      .split('|')
      .slice(0, -1)
      .map((cell) => cell.trim()),
  );
  return cells.slice(1).map((row) => row.filter((cell) => cell !== '').join(' | '));
}

describe('the transition table', () => {
  it('is tested row by row: every row, no other, in order', () => {
    const tested = TABLE.map(([row]) => row.replace(/ \[[^\]]+\]( \|)/, '$1'));
    expect([...new Set(tested)]).toEqual(documentedRows());
  });

  it.each(TABLE)('%s', (row, before, apply) => {
    const [, , to, history, owed] = row.split(' | ');
    const update = apply(before === undefined ? undefined : deepFreeze(structuredClone(before)));
    if (to === 'no write') {
      expect(update).toBeUndefined();
      return;
    }
    expect(update).toBeDefined();
    const { finding, history: entry } = update!;
    const status = to === 'unchanged' || to === '(status kept)' ? before!.status : to!.split(', ')[0];
    const snoozed = to === 'unchanged' ? before!.snooze !== undefined : to!.endsWith(', snoozed');
    expect(finding.status).toBe(status);
    expect(finding.snooze !== undefined).toBe(snoozed);
    expect(finding.suppressedBy !== undefined).toBe(status === 'suppressed');
    expect(finding.version).toBe(before ? before.version + 1 : 1);
    if (history === '—') {
      expect(entry).toBeUndefined();
    } else {
      // The entry records the finding as the transition left it.
      expect(entry).toMatchObject({ transition: history, findingId: finding.id, status: finding.status, severity: finding.severity });
    }
    if (owed === 'kept') {
      expect(before?.unnotified).toBeDefined(); // so that `kept` differs from `—`
      expect(finding.unnotified).toEqual(before!.unnotified);
    } else if (owed === '—') {
      expect('unnotified' in finding).toBe(false);
    } else {
      // Owed under the event its history entry records.
      expect(finding.unnotified).toEqual({ transition: owed, eventId: entry!.eventId });
    }
  });
});

describe('applyViolation', () => {
  it('opens a new finding from the violation, owing an `opened` notification', () => {
    const obs = seen('e1', 0, 'MEDIUM');
    const change = applyViolation(undefined, obs);
    expect(change).toStrictEqual({
      transition: 'opened',
      finding: {
        id: obs.findingId,
        controlId: obs.controlId,
        area: 'network',
        title: obs.title,
        severity: 'MEDIUM',
        status: 'open',
        account: obs.account,
        region: obs.region,
        resourceId: obs.resourceId,
        resourceType: obs.resourceType,
        message: obs.message,
        firstSeen: iso(0),
        lastSeen: iso(0),
        count: 1,
        changedAt: iso(0),
        evidence: obs.evidence,
        unnotified: { transition: 'opened', eventId: 'e1' },
        version: 1,
      },
      history: {
        findingId: obs.findingId,
        at: iso(0),
        transition: 'opened',
        status: 'open',
        severity: 'MEDIUM',
        eventId: 'e1',
        actor: obs.evidence.actor,
        note: obs.message,
      },
    });
  });

  it('keeps the qualifier of a qualified finding, and leaves the history actor out when the event has none', () => {
    const base = violation({ eventId: 'e1', eventTime: iso(0), qualifier: 'port-22' });
    const { actor: _none, ...evidence } = base.evidence;
    const change = applyViolation(undefined, { ...base, evidence });
    expect(change.finding.qualifier).toBe('port-22');
    expect(change.history && 'actor' in change.history).toBe(false);
  });

  it('opens a finding covered by an exemption suppressed, owing nothing, as an `opened` change', () => {
    const change = applyViolation(undefined, seen('e1', 0, 'HIGH', EXEMPTION));
    expect(change.transition).toBe('opened');
    expect(change.finding).toMatchObject({ status: 'suppressed', suppressedBy: EXEMPTION, count: 1, version: 1 });
    expect('unnotified' in change.finding).toBe(false);
    expect(change.history).toMatchObject({
      transition: 'suppressed',
      status: 'suppressed',
      eventId: 'e1',
      note: `opened under exemption ex-1: ${change.finding.message}`,
    });
  });

  it('counts a repeat, moves lastSeen and takes the newer evidence, without a history entry', () => {
    const before = openFinding();
    const obs = seen('e3', 5, 'LOW');
    const change = applyViolation(before, obs);
    expect(change.transition).toBe('repeated');
    expect(change.previous).toBe(before);
    expect(change.history).toBeUndefined();
    expect(change.finding).toStrictEqual({
      ...before,
      count: 3,
      lastSeen: iso(5),
      evidence: obs.evidence,
      message: obs.message,
      version: 4,
    });
  });

  it('moves the activity on opening, reopening and escalation, and never on a repeat (lists keep a repeating finding in place)', () => {
    const opened = applyViolation(undefined, seen('e1', 0, 'LOW')).finding;
    expect(activityOf(opened)).toBe(iso(0));
    const repeated = applyViolation(opened, seen('e2', 5, 'LOW')).finding;
    expect(repeated.lastSeen).toBe(iso(5));
    expect(activityOf(repeated)).toBe(iso(0));
    const escalated = applyViolation(repeated, seen('e3', 7, 'CRITICAL'));
    expect(escalated.transition).toBe('escalated');
    expect(activityOf(escalated.finding)).toBe(iso(7));
    const resolved = applyResolution(escalated.finding, resolution({ eventId: 'r1', eventTime: iso(9) }))!;
    expect(activityOf(resolved.finding)).toBe(iso(9));
    const reopened = applyViolation(resolved.finding, seen('e4', 12, 'LOW'));
    expect(reopened.transition).toBe('reopened');
    expect(activityOf(reopened.finding)).toBe(iso(12));
    // A finding written before changedAt existed keeps its last sighting as its activity.
    const { changedAt: _none, ...legacy } = repeated;
    expect(activityOf(legacy)).toBe(iso(5));
  });

  it('counts an older violation arriving after a newer one, keeps the newest evidence, and moves firstSeen earlier', () => {
    const before = openFinding();
    const change = applyViolation(before, seen('e0', -3));
    expect(change.transition).toBe('repeated');
    expect(change.finding).toMatchObject({ count: 3, firstSeen: iso(-3), lastSeen: iso(2), severity: 'HIGH' });
    expect(change.finding.evidence).toBe(before.evidence);
    expect(applyViolation(before, seen('e1b', 1)).finding).toMatchObject({ count: 3, firstSeen: iso(0), lastSeen: iso(2) });
  });

  it('compares times as instants when a document holds another ISO form (written by an older version): 10:00+02:00 is before 09:30Z', () => {
    // Canonical times (toISOString) are compared as strings; any other form is parsed, so a lexically smaller
    // string can still be the later instant.
    const before = { ...openFinding(), firstSeen: '2026-03-01T10:00:00+02:00', lastSeen: '2026-03-01T10:00:00+02:00' };
    const obs = { ...seen('e9', 0), eventTime: '2026-03-01T09:30:00.000Z' };
    const change = applyViolation(before, obs);
    expect(change.finding).toMatchObject({ count: before.count + 1, firstSeen: before.firstSeen, lastSeen: obs.eventTime });
    expect(change.finding.evidence).toBe(obs.evidence);
    const older = { ...seen('e10', 0), eventTime: '2026-03-01T07:30:00.000Z' };
    expect(applyViolation(before, older).finding).toMatchObject({ firstSeen: older.eventTime, lastSeen: before.lastSeen });
  });

  it('takes the evidence of a violation at the same time as lastSeen (the later one applied wins)', () => {
    const obs = seen('e2b', 2);
    expect(applyViolation(openFinding(), obs).finding.evidence).toBe(obs.evidence);
  });

  it('escalates on a higher severity, notes the change and owes an `escalated` notification for that event', () => {
    const obs = seen('e3', 5, 'CRITICAL');
    const change = applyViolation(openFinding(OWED_EARLIER), obs);
    expect(change.transition).toBe('escalated');
    expect(change.finding).toMatchObject({
      severity: 'CRITICAL',
      status: 'open',
      count: 3,
      unnotified: { transition: 'escalated', eventId: 'e3' },
    });
    expect(change.history).toMatchObject({ transition: 'escalated', severity: 'CRITICAL', at: iso(5), eventId: 'e3' });
    expect(change.history!.note).toBe(`severity raised from HIGH to CRITICAL: ${obs.message}`);
  });

  it('escalates on an older violation of higher severity, and takes that event as evidence', () => {
    const obs = seen('e0', -1, 'CRITICAL');
    const change = applyViolation(openFinding(), obs);
    expect(change.finding).toMatchObject({
      severity: 'CRITICAL',
      firstSeen: iso(-1),
      lastSeen: iso(2),
      unnotified: { transition: 'escalated', eventId: 'e0' },
    });
    expect(change.finding.evidence).toBe(obs.evidence);
  });

  it('never lowers the severity of an open finding', () => {
    const change = applyViolation(openFinding({ severity: 'CRITICAL' }), seen('e3', 5, 'LOW'));
    expect(change).toMatchObject({ transition: 'repeated', finding: { severity: 'CRITICAL' } });
  });

  it('records an escalation below CRITICAL while snoozed without owing a notification (one owed before stays owed)', () => {
    const change = applyViolation(snoozedFinding({ severity: 'LOW', ...OWED_EARLIER }), seen('e3', 5, 'HIGH'));
    expect(change.transition).toBe('escalated');
    expect(change.finding).toMatchObject({ severity: 'HIGH', snooze: SNOOZE, unnotified: OWED_EARLIER.unnotified });
    expect(change.history!.note).toMatch(
      new RegExp(`^severity raised from LOW to HIGH: .* \\(snoozed until ${SNOOZE.until}: not notified\\)$`),
    );
  });

  it('pages an escalation to CRITICAL even while snoozed, and keeps the snooze', () => {
    const change = applyViolation(snoozedFinding(), seen('e3', 5, 'CRITICAL'));
    expect(change.finding).toMatchObject({ severity: 'CRITICAL', snooze: SNOOZE, unnotified: { transition: 'escalated', eventId: 'e3' } });
    expect(change.history!.note).not.toContain('not notified');
  });

  it('reopens a resolved finding at the new event severity (lower or higher), clearing the resolution', () => {
    for (const severity of ['LOW', 'CRITICAL'] as const) {
      const obs = seen('e5', 5, severity);
      const change = applyViolation(resolvedFinding(), obs);
      expect(change.transition).toBe('reopened');
      expect(change.finding).toMatchObject({
        status: 'open',
        severity,
        count: 3,
        lastSeen: iso(5),
        unnotified: { transition: 'reopened', eventId: 'e5' },
      });
      expect('resolvedAt' in change.finding || 'resolvedBy' in change.finding).toBe(false);
      expect(change.finding.evidence).toBe(obs.evidence);
      expect(change.history).toMatchObject({ transition: 'reopened', status: 'open', severity, note: obs.message });
    }
  });

  it('reopens on a violation at exactly the resolution time', () => {
    expect(applyViolation(resolvedFinding(), seen('e4', 4)).transition).toBe('reopened');
  });

  it('counts a violation older than the resolution without reopening', () => {
    const change = applyViolation(resolvedFinding({ severity: 'CRITICAL' }), seen('e3', 3, 'LOW'));
    expect(change).toMatchObject({
      transition: 'repeated',
      finding: { status: 'resolved', severity: 'CRITICAL', count: 3, lastSeen: iso(3), resolvedAt: iso(4) },
    });
    expect(change.history).toBeUndefined();
  });

  it('suppresses an open finding seen again under an exemption: severity kept at the highest, snooze and owed notification dropped', () => {
    const obs = seen('e3', 5, 'MEDIUM', EXEMPTION);
    const change = applyViolation(snoozedFinding(OWED_EARLIER), obs);
    expect(change.transition).toBe('repeated');
    expect(change.finding).toMatchObject({ status: 'suppressed', severity: 'HIGH', suppressedBy: EXEMPTION, count: 3 });
    expect('snooze' in change.finding || 'unnotified' in change.finding).toBe(false);
    expect(change.history).toMatchObject({
      transition: 'suppressed',
      status: 'suppressed',
      eventId: 'e3',
      note: `seen again under exemption ex-1: ${obs.message}`,
    });
  });

  it('suppresses a reoccurring resolved finding under an exemption at the new severity, as a `reopened` change', () => {
    const obs = seen('e5', 5, 'LOW', EXEMPTION);
    const change = applyViolation(resolvedFinding(), obs);
    expect(change.transition).toBe('reopened');
    expect(change.finding).toMatchObject({ status: 'suppressed', severity: 'LOW', suppressedBy: EXEMPTION });
    expect('resolvedAt' in change.finding || 'resolvedBy' in change.finding || 'unnotified' in change.finding).toBe(false);
    expect(change.history!.note).toBe(`reoccurred under exemption ex-1: ${obs.message}`);
  });

  it('counts violations of a suppressed finding silently: severity rises, newest evidence kept, still under its exemption', () => {
    const before = suppressedFinding();
    const newer = seen('e3', 5, 'CRITICAL', OTHER_EXEMPTION);
    const change = applyViolation(before, newer);
    expect(change).toStrictEqual({
      transition: 'repeated',
      previous: before,
      finding: {
        ...before,
        count: 3,
        lastSeen: iso(5),
        severity: 'CRITICAL',
        evidence: newer.evidence,
        message: newer.message,
        version: 4,
      },
    });
    const older = applyViolation(before, seen('e0', -1, 'CRITICAL'));
    expect(older.finding).toMatchObject({
      count: 3,
      firstSeen: iso(-1),
      lastSeen: iso(2),
      severity: 'CRITICAL',
      evidence: before.evidence,
    });
    expect(applyViolation(before, seen('e3', 5, 'LOW')).finding.severity).toBe('HIGH');
  });
});

describe('applyResolution', () => {
  it('resolves an open finding at the event time, owing a `resolved` notification', () => {
    const before = openFinding();
    const obs = fixed('r1', 5);
    expect(applyResolution(before, obs)).toStrictEqual({
      transition: 'resolved',
      previous: before,
      finding: {
        ...before,
        status: 'resolved',
        resolvedAt: iso(5),
        resolvedBy: { eventId: 'r1', message: 'rule revoked', actor: obs.actor },
        unnotified: { transition: 'resolved', eventId: 'r1' },
        version: 4,
      },
      history: {
        findingId: before.id,
        at: iso(5),
        transition: 'resolved',
        status: 'resolved',
        severity: 'HIGH',
        eventId: 'r1',
        actor: obs.actor,
        note: 'rule revoked',
      },
    });
  });

  it('leaves the actor out when the resolving event has none', () => {
    const change = applyResolution(openFinding(), fixed('r1', 5, false))!;
    expect('actor' in change.finding.resolvedBy! || 'actor' in change.history!).toBe(false);
  });

  it('resolves on an event at exactly lastSeen, ignores one older than lastSeen', () => {
    expect(applyResolution(openFinding(), fixed('r1', 2))?.finding.status).toBe('resolved');
    expect(applyResolution(openFinding(), fixed('r1', 1.99))).toBeUndefined();
  });

  it('ends a snooze', () => {
    const change = applyResolution(snoozedFinding(), fixed('r1', 5))!;
    expect('snooze' in change.finding).toBe(false);
  });

  it('resolves a suppressed finding silently, noting the exemption it was under', () => {
    const change = applyResolution(suppressedFinding(), fixed('r1', 5))!;
    expect(change.finding).toMatchObject({ status: 'resolved', resolvedAt: iso(5) });
    expect('suppressedBy' in change.finding || 'unnotified' in change.finding).toBe(false);
    expect(change.history!.note).toBe('rule revoked (was suppressed under exemption ex-1)');
  });
});

describe('applyNotified', () => {
  it('clears the owed notification of that event and changes nothing else', () => {
    const before = openFinding({ unnotified: { transition: 'escalated', eventId: 'e3' } });
    const { unnotified: _sent, ...rest } = before;
    expect(applyNotified(before, 'e3')).toStrictEqual({ ...rest, version: 4 });
  });

  it('changes nothing for another event, for a finding owing nothing, or for no finding (idempotent)', () => {
    const before = openFinding({ unnotified: { transition: 'escalated', eventId: 'e3' } });
    expect(applyNotified(before, 'e2')).toBeUndefined();
    expect(applyNotified(applyNotified(before, 'e3'), 'e3')).toBeUndefined();
    expect(applyNotified(undefined, 'e3')).toBeUndefined();
  });
});

describe('applySuppression and applyUnsuppression', () => {
  it('suppresses an open finding under the exemption, recorded under `exemption:<id>` with who and why', () => {
    const before = snoozedFinding(OWED_EARLIER);
    const actor = { type: 'TrailwardenApiCaller', arn: ALICE };
    const update = applySuppression(before, { ...EXEMPTION, at: iso(5), actor, reason: 'accepted until the migration' })!;
    const { snooze: _snooze, unnotified: _owed, ...rest } = before;
    expect(update).toStrictEqual({
      previous: before,
      finding: { ...rest, status: 'suppressed', suppressedBy: EXEMPTION, version: 4 },
      history: {
        findingId: before.id,
        at: iso(5),
        transition: 'suppressed',
        status: 'suppressed',
        severity: 'HIGH',
        eventId: 'exemption:ex-1',
        actor,
        note: `suppressed under exemption ex-1 until ${EXEMPTION.expiresAt}: accepted until the migration`,
      },
    });
    expect('actor' in applySuppression(openFinding(), { ...EXEMPTION, at: iso(5), reason: 'r' })!.history!).toBe(false);
  });

  it('opens the finding again when its exemption expires or is deleted, owing a `reopened` notification', () => {
    const before = suppressedFinding();
    const { suppressedBy: _ended, ...rest } = before;
    const expired = applyUnsuppression(before, { exemptionId: 'ex-1', why: 'expired', at: iso(6) })!;
    expect(expired).toStrictEqual({
      previous: before,
      finding: { ...rest, status: 'open', unnotified: { transition: 'reopened', eventId: 'exemption:ex-1:expired' }, version: 4 },
      history: {
        findingId: before.id,
        at: iso(6),
        transition: 'unsuppressed',
        status: 'open',
        severity: 'HIGH',
        eventId: 'exemption:ex-1:expired',
        note: 'exemption ex-1 expired: the accepted risk is open again',
      },
    });
    const actor = { type: 'TrailwardenApiCaller', arn: ALICE };
    const deleted = applyUnsuppression(before, { exemptionId: 'ex-1', why: 'deleted', at: iso(6), actor })!;
    expect(deleted.history).toMatchObject({
      eventId: 'exemption:ex-1:deleted',
      actor,
      note: 'exemption ex-1 was deleted: the accepted risk is open again',
    });
  });

  it('opens only a finding suppressed under the ending exemption', () => {
    expect(applyUnsuppression(suppressedFinding(), { exemptionId: 'ex-2', why: 'deleted', at: iso(6) })).toBeUndefined();
    expect(applyUnsuppression(resolvedFinding(), { exemptionId: 'ex-1', why: 'deleted', at: iso(6) })).toBeUndefined();
    expect(applyUnsuppression(undefined, { exemptionId: 'ex-1', why: 'deleted', at: iso(6) })).toBeUndefined();
  });

  it('names the pseudo event of an exemption end', () => {
    expect(exemptionEndEventId('ex-9', 'expired')).toBe('exemption:ex-9:expired');
    expect(exemptionEndEventId('ex-9', 'deleted')).toBe('exemption:ex-9:deleted');
  });
});

describe('snoozes', () => {
  it('silence every escalation of a snoozed finding except to CRITICAL', () => {
    expect(snoozeSilences(snoozedFinding(), 'HIGH')).toBe(true);
    expect(snoozeSilences(snoozedFinding(), 'CRITICAL')).toBe(false);
    expect(snoozeSilences(openFinding(), 'HIGH')).toBe(false);
  });

  it('are refused for resolved and suppressed findings, with the reason', () => {
    expect(snoozeRefusal(openFinding())).toBeUndefined();
    expect(snoozeRefusal(resolvedFinding())).toBe('the finding is resolved: there is nothing to snooze');
    expect(snoozeRefusal(suppressedFinding())).toBe('the finding is suppressed under exemption ex-1: there is nothing to snooze');
    expect(snoozeRefusal(openFinding({ status: 'suppressed' }))).toBe(
      'the finding is suppressed under exemption (unknown): there is nothing to snooze',
    );
    expect(applySnooze(undefined, SNOOZE)).toBeUndefined();
  });

  it('record who snoozed until when and why; moving one notes the old end', () => {
    const before = openFinding();
    const first = applySnooze(before, SNOOZE)!;
    expect(first).toStrictEqual({
      previous: before,
      finding: { ...before, snooze: SNOOZE, version: 4 },
      history: {
        findingId: before.id,
        at: SNOOZE.at,
        transition: 'snoozed',
        status: 'open',
        severity: 'HIGH',
        eventId: `snooze:${SNOOZE.at}`,
        actor: { type: 'TrailwardenApiCaller', arn: ALICE },
        note: `snoozed until ${SNOOZE.until}: ${SNOOZE.reason}`,
      },
    });
    const moved = applySnooze(first.finding, { until: iso(48), reason: 'needs a change window', by: 'ops-bot', at: iso(6) })!;
    expect(moved.finding.snooze).toEqual({ until: iso(48), reason: 'needs a change window', by: 'ops-bot', at: iso(6) });
    expect(moved.history).toMatchObject({
      actor: { userName: 'ops-bot' },
      note: `snooze moved from ${SNOOZE.until} to ${iso(48)}: needs a change window`,
    });
  });

  it('end when they run out (not before) or when cancelled, and the still open finding is owed again', () => {
    const before = snoozedFinding({ severity: 'CRITICAL' });
    const { snooze: _ended, ...rest } = before;
    const expired = applySnoozeEnd(before, { why: 'expired', at: iso(25), by: SNOOZE_SWEEP_ACTOR })!;
    expect(expired).toStrictEqual({
      previous: before,
      finding: { ...rest, unnotified: { transition: 'reopened', eventId: `snooze:${iso(25)}:expired` }, version: 4 },
      history: {
        findingId: before.id,
        at: iso(25),
        transition: 'unsnoozed',
        status: 'open',
        severity: 'CRITICAL',
        eventId: `snooze:${iso(25)}:expired`,
        actor: { type: 'TrailwardenApiCaller', userName: SNOOZE_SWEEP_ACTOR },
        note: `snooze until ${SNOOZE.until} ended: still open (snoozed by ${ALICE}: ${SNOOZE.reason})`,
      },
    });
    expect(applySnoozeEnd(before, { why: 'expired', at: iso(23.99), by: SNOOZE_SWEEP_ACTOR })).toBeUndefined();
    const cancelled = applySnoozeEnd(before, { why: 'cancelled', at: iso(4), by: ALICE })!;
    expect(cancelled.history!.note).toBe(`snooze until ${SNOOZE.until} cancelled: open again (snoozed by ${ALICE}: ${SNOOZE.reason})`);
    expect(cancelled.finding.unnotified).toEqual({ transition: 'reopened', eventId: `snooze:${iso(4)}:cancelled` });
  });

  it('ending the snooze of a finding that is no longer open owes nothing and does not say it is open', () => {
    const update = applySnoozeEnd(resolvedFinding({ snooze: { ...SNOOZE } }), { why: 'expired', at: iso(30), by: SNOOZE_SWEEP_ACTOR })!;
    expect('unnotified' in update.finding || 'snooze' in update.finding).toBe(false);
    expect(update.history!.note).toBe(`snooze until ${SNOOZE.until} ended (snoozed by ${ALICE}: ${SNOOZE.reason})`);
  });

  it('name the pseudo event of a snooze end, and read its time back', () => {
    const eventId = snoozeEndEventId({ why: 'cancelled', at: iso(4) });
    expect(eventId).toBe(`snooze:${iso(4)}:cancelled`);
    expect(snoozeEndedAt(eventId)).toBe(iso(4));
    expect(snoozeEndedAt(`snooze:${iso(9)}:expired`)).toBe(iso(9));
    expect(snoozeEndedAt('e1')).toBeUndefined();
    expect(snoozeEndedAt(`snooze:${iso(9)}`)).toBeUndefined();
    expect(snoozeEndedAt('exemption:ex-1:expired')).toBeUndefined();
  });
});

describe('applyDeadlineEscalation', () => {
  it('escalates an open finding one level at its deadline, once, owing an `escalated` notification', () => {
    const before = openFinding();
    const deadline = isoDays(30); // HIGH: 30 days after first seen
    expect(applyDeadlineEscalation(before, REMEDIATION_DAYS, new Date(Date.parse(deadline) - 1).toISOString())).toBeUndefined();
    const update = applyDeadlineEscalation(before, REMEDIATION_DAYS, deadline)!;
    expect(update).toStrictEqual({
      previous: before,
      finding: {
        ...before,
        severity: 'CRITICAL',
        deadlineEscalation: { deadline, at: deadline, from: 'HIGH', to: 'CRITICAL' },
        unnotified: { transition: 'escalated', eventId: `deadline:${deadline}` },
        version: 4,
      },
      history: {
        findingId: before.id,
        at: deadline,
        transition: 'escalated',
        status: 'open',
        severity: 'CRITICAL',
        eventId: `deadline:${deadline}`,
        actor: { type: 'TrailwardenSweep', userName: DEADLINE_SWEEP_ACTOR },
        note:
          `past its remediation deadline of ${deadline} (HIGH findings are due 30 days after first seen): ` +
          'severity raised from HIGH to CRITICAL',
      },
    });
    // Once in the finding's life: not again later, nor after it resolved and reopened.
    expect(applyDeadlineEscalation(update.finding, REMEDIATION_DAYS, isoDays(400))).toBeUndefined();
    const reopened = applyViolation(applyResolution(update.finding, fixed('r1', 24 * 31))!.finding, seen('e9', 24 * 32, 'LOW')).finding;
    expect(reopened.status).toBe('open');
    expect(applyDeadlineEscalation(reopened, REMEDIATION_DAYS, isoDays(400))).toBeUndefined();
  });

  it('gives HIGH patch findings 7 days and other HIGH findings 30', () => {
    const patch = openFinding({ controlId: PATCH, area: 'host' });
    expect(applyDeadlineEscalation(patch, REMEDIATION_DAYS, isoDays(6.9))).toBeUndefined();
    const update = applyDeadlineEscalation(patch, REMEDIATION_DAYS, isoDays(7))!;
    expect(update.finding.deadlineEscalation).toEqual({ deadline: isoDays(7), at: isoDays(7), from: 'HIGH', to: 'CRITICAL' });
    expect(update.history!.note).toContain('(HIGH patch findings are due 7 days after first seen)');
    expect(applyDeadlineEscalation(openFinding(), REMEDIATION_DAYS, isoDays(7))).toBeUndefined();
  });

  it('counts from first seen with the current severity and the remediationDays setting', () => {
    expect(applyDeadlineEscalation(openFinding({ severity: 'MEDIUM' }), REMEDIATION_DAYS, isoDays(89))).toBeUndefined();
    expect(applyDeadlineEscalation(openFinding({ severity: 'MEDIUM' }), REMEDIATION_DAYS, isoDays(90))?.finding.severity).toBe('HIGH');
    expect(applyDeadlineEscalation(openFinding(), { HIGH: 2 }, isoDays(2))?.finding.deadlineEscalation?.deadline).toBe(isoDays(2));
    expect(applyDeadlineEscalation(openFinding(), { MEDIUM: 2 }, isoDays(400))).toBeUndefined();
  });

  it('keeps a CRITICAL finding CRITICAL but still notifies it again', () => {
    const update = applyDeadlineEscalation(openFinding({ severity: 'CRITICAL' }), REMEDIATION_DAYS, isoDays(8))!;
    expect(update.finding).toMatchObject({
      severity: 'CRITICAL',
      deadlineEscalation: { from: 'CRITICAL', to: 'CRITICAL' },
      unnotified: { transition: 'escalated' },
    });
    expect(update.history!.note).toMatch(/severity stays CRITICAL \(the highest\)$/);
  });

  it('never escalates INFORMATIONAL findings', () => {
    expect(applyDeadlineEscalation(openFinding({ severity: 'INFORMATIONAL' }), REMEDIATION_DAYS, isoDays(10_000))).toBeUndefined();
  });

  it('stays quiet while snoozed below CRITICAL, and pages when the escalation reaches CRITICAL', () => {
    const quiet = applyDeadlineEscalation(snoozedFinding({ severity: 'LOW' }), REMEDIATION_DAYS, isoDays(180))!;
    expect(quiet.finding).toMatchObject({ severity: 'MEDIUM', snooze: SNOOZE });
    expect('unnotified' in quiet.finding).toBe(false);
    expect(quiet.history!.note).toMatch(
      new RegExp(`severity raised from LOW to MEDIUM \\(snoozed until ${SNOOZE.until}: not notified\\)$`),
    );
    const paged = applyDeadlineEscalation(snoozedFinding(), REMEDIATION_DAYS, isoDays(30))!;
    expect(paged.finding.unnotified).toEqual({ transition: 'escalated', eventId: deadlineEventId(isoDays(30)) });
  });

  it('names the pseudo event of a deadline', () => {
    expect(deadlineEventId('2026-03-31T12:00:00.000Z')).toBe('deadline:2026-03-31T12:00:00.000Z');
  });
});

describe('a finding through its life', () => {
  it('opens, escalates, is snoozed, resolves, reopens, is suppressed and opens again: one history entry per status change', () => {
    const history: HistoryEntry[] = [];
    const owed: string[] = [];
    let finding: Finding | undefined;
    const step = (update: FindingUpdate | undefined) => {
      expect(update).toBeDefined();
      finding = update!.finding;
      if (update!.history) history.push(update!.history);
      if (finding.unnotified) {
        owed.push(`${finding.unnotified.transition} ${finding.severity}`);
        finding = applyNotified(finding, finding.unnotified.eventId);
      }
    };
    step(applyViolation(finding, seen('e1', 0, 'LOW')));
    step(applyViolation(finding, seen('e2', 1, 'LOW')));
    step(applyViolation(finding, seen('e3', 2, 'MEDIUM')));
    step(applySnooze(finding, SNOOZE));
    step(applyViolation(finding, seen('e4', 4, 'HIGH')));
    step(applyResolution(finding, fixed('r1', 5)));
    step(applyViolation(finding, seen('e5', 6, 'LOW')));
    step(applySuppression(finding, { ...EXEMPTION, at: iso(7), reason: 'accepted' }));
    step(applyViolation(finding, seen('e6', 8, 'HIGH')));
    step(applyUnsuppression(finding, { exemptionId: 'ex-1', why: 'expired', at: iso(9) }));
    expect(history.map((h) => `${h.transition} ${h.status} ${h.severity}`)).toEqual([
      'opened open LOW',
      'escalated open MEDIUM',
      'snoozed open MEDIUM',
      'escalated open HIGH',
      'resolved resolved HIGH',
      'reopened open LOW',
      'suppressed suppressed LOW',
      'unsuppressed open HIGH',
    ]);
    expect(owed).toEqual(['opened LOW', 'escalated MEDIUM', 'resolved HIGH', 'reopened LOW', 'reopened HIGH']);
    expect(finding).toMatchObject({ status: 'open', severity: 'HIGH', count: 6, firstSeen: iso(0), lastSeen: iso(8), version: 15 });
  });
});

describe('a transition owed while an earlier one was not sent yet', () => {
  const T = (minutes: number) => new Date(Date.UTC(2026, 2, 1, 10, minutes)).toISOString();
  const opening = violation({ eventId: 'open-1', eventTime: T(0) });
  const fix = resolution({ eventId: 'fix-1', eventTime: T(5) });

  it('keeps the unsent opening as unannounced when the finding resolves, and clears each by its own event', () => {
    const { finding: opened } = applyViolation(undefined, opening);
    const resolved = applyResolution(opened, fix)!.finding;
    expect(resolved.unnotified).toEqual({ transition: 'resolved', eventId: 'fix-1' });
    expect(resolved.unannounced).toEqual({ transition: 'opened', eventId: 'open-1' });
    const openingSent = applyNotified(resolved, 'open-1')!;
    expect(openingSent.unannounced).toBeUndefined();
    expect(openingSent.unnotified).toEqual({ transition: 'resolved', eventId: 'fix-1' });
    const bothSent = applyNotified(openingSent, 'fix-1')!;
    expect(bothSent).not.toHaveProperty('unnotified');
    expect(bothSent).not.toHaveProperty('unannounced');
    expect(applyNotified(bothSent, 'fix-1')).toBeUndefined();
  });

  it('keeps the first unsent transition when more follow, and nothing once the opening was sent', () => {
    const { finding: opened } = applyViolation(undefined, opening);
    const escalated = applyViolation(opened, violation({ eventId: 'worse-1', eventTime: T(2), severity: 'CRITICAL' })).finding;
    const resolved = applyResolution(escalated, fix)!.finding;
    expect(resolved.unannounced).toEqual({ transition: 'opened', eventId: 'open-1' });
    const sentFirst = applyNotified(opened, 'open-1')!;
    expect(applyResolution(sentFirst, fix)!.finding).not.toHaveProperty('unannounced');
  });

  it('lets a suppression or a silent resolution drop both, as it drops what is owed', () => {
    const { finding: opened } = applyViolation(undefined, opening);
    const resolved = applyResolution(opened, fix)!.finding;
    const reopened = applyViolation(resolved, violation({ eventId: 'again-1', eventTime: T(9) })).finding;
    expect(reopened.unannounced).toEqual({ transition: 'opened', eventId: 'open-1' });
    const suppressed = applySuppression(reopened, { exemptionId: 'x', expiresAt: T(59), at: T(10), reason: 'accepted' })!.finding;
    expect(suppressed).not.toHaveProperty('unannounced');
    expect(suppressed).not.toHaveProperty('unnotified');
  });
});
