/**
 * The finding's state machine: every change of its status, snooze, severity and owed notification, as pure functions
 * every store adapter and service applies. Adapters load, apply, and write back atomically; they never decide a
 * transition themselves.
 *
 * A finding is `open`, `resolved` or `suppressed` (an active exemption accepted the risk); an open finding may also be
 * snoozed. "to" is the status after the write, with ", snoozed" when a snooze remains (otherwise none does);
 * "unchanged": status and snooze as before. "history" is the entry the write adds to the finding's history (— none).
 * "owed" is the notification the finding owes after the write (`unnotified`, cleared by applyNotified once sent): a
 * transition, under the event id its history entry records; `kept`: whatever was owed before is still owed; —: nothing
 * is owed, and an earlier unsent one lapses. "no write": the function returns undefined. When a transition becomes
 * owed while an earlier one is still owed (it was not sent: a crash or a failing sink came between), the earlier one
 * is kept as `unannounced` (the first such one) and goes out first, so the on-call hears of both; applyNotified
 * clears either by its event id.
 *
 * | from                          | cause                                                | to            | history      | owed      |
 * | ----------------------------- | ---------------------------------------------------- | ------------- | ------------ | --------- |
 * | (none)                        | violation                                            | open          | opened       | opened    |
 * | (none)                        | violation under an exemption                         | suppressed    | suppressed   | —         |
 * | open                          | violation, newer or older, severity not higher       | open          | —            | kept      |
 * | open                          | violation, higher severity                           | open          | escalated    | escalated |
 * | open, snoozed                 | violation, higher severity below CRITICAL            | open, snoozed | escalated    | kept      |
 * | open, snoozed                 | violation, CRITICAL (higher)                         | open, snoozed | escalated    | escalated |
 * | open (snoozed or not)         | violation under an exemption                         | suppressed    | suppressed   | —         |
 * | resolved                      | violation at or after resolvedAt                     | open          | reopened     | reopened  |
 * | resolved                      | violation at or after resolvedAt, under an exemption | suppressed    | suppressed   | —         |
 * | resolved                      | violation before resolvedAt, severity not higher     | resolved      | —            | kept      |
 * | resolved                      | violation before resolvedAt, higher severity         | resolved      | escalated    | escalated |
 * | suppressed                    | violation (any time, severity or exemption)          | suppressed    | —            | kept      |
 * | open (snoozed or not)         | resolution at or after lastSeen                      | resolved      | resolved     | resolved  |
 * | suppressed                    | resolution at or after lastSeen                      | resolved      | resolved     | —         |
 * | open, suppressed              | stale resolution (before lastSeen)                   | no write      |              |           |
 * | resolved, (none)              | resolution                                           | no write      |              |           |
 * | any, owing event E            | notified of E                                        | unchanged     | —            | —         |
 * | any                           | notified of another event (or owing nothing)         | no write      |              |           |
 * | open (snoozed or not)         | exemption takes effect                               | suppressed    | suppressed   | —         |
 * | resolved, suppressed          | exemption takes effect                               | no write      |              |           |
 * | suppressed under X            | exemption X ends (expired or deleted)                | open          | unsuppressed | reopened  |
 * | not suppressed under X        | exemption X ends                                     | no write      |              |           |
 * | open                          | snooze                                               | open, snoozed | snoozed      | kept      |
 * | open, snoozed                 | snooze moved                                         | open, snoozed | snoozed      | kept      |
 * | resolved, suppressed          | snooze (refused)                                     | no write      |              |           |
 * | open, snoozed                 | snooze ends: expired (until ≤ now) or cancelled      | open          | unsnoozed    | reopened  |
 * | resolved/suppressed, snoozed¹ | snooze ends                                          | (status kept) | unsnoozed    | kept      |
 * | open, snoozed                 | snooze "expired" before its until                    | no write      |              |           |
 * | not snoozed                   | snooze ends                                          | no write      |              |           |
 * | open                          | deadline passed                                      | open          | escalated    | escalated |
 * | open, snoozed                 | deadline passed, new severity below CRITICAL         | open, snoozed | escalated    | kept      |
 * | open, snoozed                 | deadline passed, new severity CRITICAL               | open, snoozed | escalated    | escalated |
 * | open                          | deadline not due, none (INFORMATIONAL), or done once | no write      |              |           |
 * | resolved, suppressed          | deadline passed                                      | no write      |              |           |
 *
 * ¹ Not a state these functions make: a resolution and a suppression end a snooze.
 *
 * - Every write bumps `version`. Event ids: a violation's or resolution's own; `exemption:<id>` for a suppression by an
 *   exemption and `exemption:<id>:<expired|deleted>` for its end; `snooze:<at>` for a snooze and `snooze:<at>:<why>`
 *   for its end; `deadline:<deadline>` for a deadline escalation.
 * - applyViolation's `Change.transition` (what the pipeline notifies): `opened` for a new finding (suppressed or not),
 *   `reopened` for a violation at or after resolvedAt (suppressed or not), `escalated` on the escalated rows, else
 *   `repeated`.
 * - Every violation is counted and moves firstSeen earlier or lastSeen later. Its evidence and message replace the
 *   finding's when it is at or after lastSeen, or (not suppressed) when it reopens or escalates the finding.
 * - Severity: an escalation takes the event's; a reopening takes the event's, lower or not (under an exemption too); a
 *   suppressed finding, or an open one a violation suppresses, keeps the higher of the two (so it is accurate when it
 *   opens again); otherwise a violation never lowers it. A deadline raises it one level, capped at CRITICAL, once in the
 *   finding's life (`deadlineEscalation`; the policy is shared/core/findings/deadlines.ts).
 * - Suppression owes nothing: an accepted risk is not news, and resolving it is not either. Its end is: the finding owes
 *   `reopened`. A snoozed finding stays open and recorded; its end owes `reopened` at the severity it has by then.
 */
import { maxSeverity, severityRank, type Severity } from '../model/severity';
import type { RemediationDays } from '../settings/settings';
import {
  actorNamed,
  type Actor,
  type Finding,
  type HistoryEntry,
  type HistoryTransition,
  type OwedTransition,
  type Snooze,
  type SuppressedBy,
  type Transition,
} from './finding';
import { DEADLINE_SWEEP_ACTOR, escalatedSeverity, PATCH_CONTROL_IDS, remediationDaysOf, remediationDeadlineOf } from './deadlines';
import type { NotifyFrom, ResolutionObservation, ViolationObservation } from './observation';
import { deadlineEventId, snoozeEndedAt } from './sweeps';

export { deadlineEventId, snoozeEndedAt };

/** A write to one finding: the new finding and, for a status change, its history entry. */
export interface FindingUpdate {
  finding: Finding;
  previous?: Finding;
  history?: HistoryEntry;
}

export interface Change extends FindingUpdate {
  transition: Transition;
}

/** The finding's fields a transition can remove. */
type Ended = 'resolvedAt' | 'resolvedBy' | 'unnotified' | 'unannounced' | 'suppressedBy' | 'snooze';

/** What a suppression ends: a snooze, and any notification not sent yet. */
const SUPPRESSION_ENDS: readonly Ended[] = ['unnotified', 'unannounced', 'snooze'];

/** The finding written again: `changes` applied, the `ended` fields removed, `version` bumped. */
function bumped(existing: Finding, changes: Partial<Finding>, ended: readonly Ended[] = []): Finding {
  // Object.assign, not a spread: V8 (Node 20) adds a property the copy lacks through a slow path (about half a
  // microsecond each), and every repeat of a replay is applied here. The result is the same object, keys in the same order.
  const finding: Finding = Object.assign({}, existing, changes);
  finding.version = existing.version + 1;
  for (const field of ended) delete finding[field];
  return finding;
}

/** The notification a finding owes for `transition`, caused by the event `eventId`. */
function owing(
  existing: Finding | undefined,
  transition: OwedTransition['transition'],
  eventId: string,
): Pick<Finding, 'unnotified' | 'unannounced'> {
  // A transition owed and not sent yet stays owed (the first such one): the on-call hears of it first.
  const displaced =
    existing?.unannounced ?? (existing?.unnotified && existing.unnotified.eventId !== eventId ? existing.unnotified : undefined);
  return { unnotified: { transition, eventId }, ...(displaced ? { unannounced: displaced } : {}) };
}

/**
 * What a transition owes, when its finding's severity reaches the observation's `notifyFrom` (the
 * organization's notifyMinSeverity): below it, nothing is ever sent, so nothing is owed either
 * (and recording that it was not sent would cost a write).
 */
function owingFrom(
  severity: Severity,
  notifyFrom: NotifyFrom | undefined,
  existing: Finding | undefined,
  transition: OwedTransition['transition'],
  eventId: string,
): Pick<Finding, 'unnotified' | 'unannounced'> {
  if (notifyFrom === 'never') return {};
  if (notifyFrom !== undefined && severityRank(severity) < severityRank(notifyFrom)) return {};
  return owing(existing, transition, eventId);
}

/** A finding's status and exemption once suppressed under `by`. */
function suppressedUnder(by: SuppressedBy): Pick<Finding, 'status' | 'suppressedBy'> {
  return { status: 'suppressed', suppressedBy: { exemptionId: by.exemptionId, expiresAt: by.expiresAt } };
}

/** The history entry of a change: the finding as the change left it, what caused it when, who, and a note. */
function historyEntry(
  finding: Finding,
  transition: HistoryTransition,
  cause: { at: string; eventId: string; actor?: Actor | undefined; note: string },
): HistoryEntry {
  // Fields added in the order entries have always been written in (the actor, when known, before the note).
  const entry: Omit<HistoryEntry, 'note'> & { note?: string } = {
    findingId: finding.id,
    at: cause.at,
    transition,
    status: finding.status,
    severity: finding.severity,
    eventId: cause.eventId,
  };
  if (cause.actor) entry.actor = cause.actor;
  entry.note = cause.note;
  return entry as HistoryEntry;
}

/** The history entry of a change a violation caused. */
function violationEntry(finding: Finding, transition: HistoryTransition, obs: ViolationObservation, note: string): HistoryEntry {
  return historyEntry(finding, transition, { at: obs.eventTime, eventId: obs.eventId, actor: obs.evidence.actor, note });
}

/**
 * Whether a snooze keeps an escalation of the finding to `severity` quiet: while snoozed, only an
 * escalation to CRITICAL is still notified.
 */
export function snoozeSilences(finding: Finding, severity: Severity): boolean {
  return finding.snooze !== undefined && severity !== 'CRITICAL';
}

/** Whether an ISO time is in the form toISOString writes (YYYY-MM-DDTHH:mm:ss.sssZ): two of them sort as times. */
const isCanonicalIso = (time: string) => time.length === 24 && time.charCodeAt(23) === 90 /* Z */ && time.charCodeAt(19) === 46; /* . */

function later(a: string, b: string): boolean {
  // Observations' times are canonical; a document written by an older version may hold another form.
  if (isCanonicalIso(a) && isCanonicalIso(b)) return a >= b;
  return Date.parse(a) >= Date.parse(b);
}

/** A finding seen for the first time: open, or suppressed when an exemption covers it. */
function opened(obs: ViolationObservation): Change {
  // Field by field, in the order documents have always had (a literal with properties after a spread takes V8's slow path).
  const finding = {
    id: obs.findingId,
    controlId: obs.controlId,
    area: obs.area,
    title: obs.title,
    severity: obs.severity,
    status: 'open',
    account: obs.account,
    region: obs.region,
    resourceId: obs.resourceId,
    resourceType: obs.resourceType,
  } as Finding;
  if (obs.qualifier !== undefined) finding.qualifier = obs.qualifier;
  finding.message = obs.message;
  finding.firstSeen = obs.eventTime;
  finding.lastSeen = obs.eventTime;
  finding.count = 1;
  finding.changedAt = obs.eventTime;
  finding.evidence = obs.evidence;
  Object.assign(finding, owingFrom(obs.severity, obs.notifyFrom, undefined, 'opened', obs.eventId));
  finding.version = 1;
  if (!obs.exemption) return { transition: 'opened', finding, history: violationEntry(finding, 'opened', obs, obs.message) };
  const { unnotified: _none, ...rest } = finding;
  const suppressed: Finding = { ...rest, ...suppressedUnder(obs.exemption) };
  const note = `opened under exemption ${obs.exemption.exemptionId}: ${obs.message}`;
  return { transition: 'opened', finding: suppressed, history: violationEntry(suppressed, 'suppressed', obs, note) };
}

/** Applies one violating event to its finding (undefined: not seen before). See the table above. */
export function applyViolation(existing: Finding | undefined, obs: ViolationObservation): Change {
  if (!existing) return opened(obs);
  const newest = later(obs.eventTime, existing.lastSeen);
  const seen: Partial<Finding> = {
    count: existing.count + 1,
    firstSeen: later(existing.firstSeen, obs.eventTime) ? obs.eventTime : existing.firstSeen,
    lastSeen: newest ? obs.eventTime : existing.lastSeen,
  };
  const evidence: Partial<Finding> = { evidence: obs.evidence, message: obs.message };
  if (existing.status === 'suppressed') {
    // Counted and kept current, silently: no status change, nothing owed.
    const severity = maxSeverity(existing.severity, obs.severity);
    return {
      transition: 'repeated',
      finding: bumped(existing, Object.assign(seen, { severity }, newest ? evidence : {})),
      previous: existing,
    };
  }
  const reopening = existing.status === 'resolved' && (!existing.resolvedAt || later(obs.eventTime, existing.resolvedAt));
  const escalating = !reopening && severityRank(obs.severity) > severityRank(existing.severity);
  const current = newest || reopening || escalating ? Object.assign(seen, evidence) : seen;
  if (obs.exemption && (reopening || existing.status === 'open')) {
    // Covered by an active exemption the finding is not suppressed under yet: suppress it now.
    const severity = reopening ? obs.severity : maxSeverity(existing.severity, obs.severity);
    const ended: Ended[] = ['resolvedAt', 'resolvedBy', ...SUPPRESSION_ENDS];
    const changed = reopening ? { changedAt: obs.eventTime } : {};
    const finding = bumped(existing, Object.assign({}, current, changed, { severity }, suppressedUnder(obs.exemption)), ended);
    const note = `${reopening ? 'reoccurred' : 'seen again'} under exemption ${obs.exemption.exemptionId}: ${obs.message}`;
    const history = violationEntry(finding, 'suppressed', obs, note);
    return { transition: reopening ? 'reopened' : 'repeated', finding, previous: existing, history };
  }
  if (reopening) {
    const changes: Partial<Finding> = Object.assign(
      {},
      current,
      { status: 'open', severity: obs.severity, changedAt: obs.eventTime },
      owingFrom(obs.severity, obs.notifyFrom, existing, 'reopened', obs.eventId),
    );
    const finding = bumped(existing, changes, ['resolvedAt', 'resolvedBy']);
    return { transition: 'reopened', finding, previous: existing, history: violationEntry(finding, 'reopened', obs, obs.message) };
  }
  if (escalating) {
    const quiet = snoozeSilences(existing, obs.severity);
    const owed = quiet ? {} : owingFrom(obs.severity, obs.notifyFrom, existing, 'escalated', obs.eventId);
    const finding = bumped(existing, Object.assign({}, current, { severity: obs.severity, changedAt: obs.eventTime }, owed));
    const note =
      `severity raised from ${existing.severity} to ${obs.severity}: ${obs.message}` +
      (quiet ? ` (snoozed until ${existing.snooze!.until}: not notified)` : '');
    return { transition: 'escalated', finding, previous: existing, history: violationEntry(finding, 'escalated', obs, note) };
  }
  return { transition: 'repeated', finding: bumped(existing, current), previous: existing };
}

/**
 * Resolves an open or suppressed finding. Returns undefined when there is nothing to resolve:
 * no finding, already resolved, or a resolving event older than the latest violation (stale).
 */
export function applyResolution(existing: Finding | undefined, obs: ResolutionObservation): Change | undefined {
  if (!existing || existing.status === 'resolved') return undefined;
  if (!later(obs.eventTime, existing.lastSeen)) return undefined;
  // Resolved while its risk was accepted: recorded, not announced; an earlier unsent notification lapses.
  const accepted = existing.suppressedBy;
  const resolvedBy = { eventId: obs.eventId, message: obs.message, ...(obs.actor ? { actor: obs.actor } : {}) };
  const owed = accepted ? {} : owingFrom(existing.severity, obs.notifyFrom, existing, 'resolved', obs.eventId);
  const ended: Ended[] = accepted ? ['suppressedBy', 'snooze', 'unnotified', 'unannounced'] : ['suppressedBy', 'snooze'];
  const finding = bumped(existing, { status: 'resolved', resolvedAt: obs.eventTime, resolvedBy, ...owed }, ended);
  const note = accepted ? `${obs.message} (was suppressed under exemption ${accepted.exemptionId})` : obs.message;
  const history = historyEntry(finding, 'resolved', { at: obs.eventTime, eventId: obs.eventId, actor: obs.actor, note });
  return { transition: 'resolved', finding, previous: existing, history };
}

/** Clears the pending notification when it is the one the event caused; undefined when nothing changes. */
export function applyNotified(existing: Finding | undefined, eventId: string): Finding | undefined {
  const sent: Ended[] = [];
  if (existing?.unnotified?.eventId === eventId) sent.push('unnotified');
  if (existing?.unannounced?.eventId === eventId) sent.push('unannounced');
  if (!existing || sent.length === 0) return undefined;
  return bumped(existing, {}, sent);
}

/** An exemption taking effect on a finding (by the API, or the sweep). */
export interface Suppression extends SuppressedBy {
  at: string;
  actor?: Actor;
  reason: string;
}

/** Suppresses an open finding under the exemption; undefined when it is not open (resolved, or suppressed already). */
export function applySuppression(existing: Finding | undefined, suppression: Suppression): FindingUpdate | undefined {
  if (existing?.status !== 'open') return undefined;
  const { exemptionId, expiresAt, at, actor, reason } = suppression;
  const finding = bumped(existing, suppressedUnder(suppression), SUPPRESSION_ENDS);
  const note = `suppressed under exemption ${exemptionId} until ${expiresAt}: ${reason}`;
  const history = historyEntry(finding, 'suppressed', { at, eventId: `exemption:${exemptionId}`, actor, note });
  return { finding, previous: existing, history };
}

/** An exemption ending: it expired, or someone deleted it. */
export interface Unsuppression {
  exemptionId: string;
  why: 'expired' | 'deleted';
  at: string;
  actor?: Actor;
}

/** The pseudo event id an exemption's end is recorded (and notified) under. */
export function exemptionEndEventId(exemptionId: string, why: Unsuppression['why']): string {
  return `exemption:${exemptionId}:${why}`;
}

/**
 * Opens a finding suppressed under this exemption again: history `unsuppressed`, and a pending
 * `reopened` notification. Undefined when the finding is not suppressed under this exemption.
 */
export function applyUnsuppression(existing: Finding | undefined, end: Unsuppression): FindingUpdate | undefined {
  if (existing?.status !== 'suppressed' || existing.suppressedBy?.exemptionId !== end.exemptionId) return undefined;
  const eventId = exemptionEndEventId(end.exemptionId, end.why);
  const finding = bumped(existing, { status: 'open', ...owing(existing, 'reopened', eventId) }, ['suppressedBy']);
  const note = `exemption ${end.exemptionId} ${end.why === 'expired' ? 'expired' : 'was deleted'}: the accepted risk is open again`;
  return { finding, previous: existing, history: historyEntry(finding, 'unsuppressed', { at: end.at, eventId, actor: end.actor, note }) };
}

// Snooze (shared/core/findings/snooze.ts holds the request and its bounds).

/** Why a finding cannot be snoozed, if it cannot (the API answers 409 with it). */
export function snoozeRefusal(finding: Finding): string | undefined {
  if (finding.status === 'resolved') return 'the finding is resolved: there is nothing to snooze';
  if (finding.status === 'suppressed') {
    return `the finding is suppressed under exemption ${finding.suppressedBy?.exemptionId ?? '(unknown)'}: there is nothing to snooze`;
  }
  return undefined;
}

/** Snoozes an open finding (or moves the end of its snooze); undefined when it is not open. */
export function applySnooze(existing: Finding | undefined, snooze: Snooze): FindingUpdate | undefined {
  if (!existing || snoozeRefusal(existing) !== undefined) return undefined;
  const moved = existing.snooze;
  const finding = bumped(existing, { snooze: { ...snooze } });
  const note = `${moved ? `snooze moved from ${moved.until} to` : 'snoozed until'} ${snooze.until}: ${snooze.reason}`;
  const history = historyEntry(finding, 'snoozed', { at: snooze.at, eventId: `snooze:${snooze.at}`, actor: actorNamed(snooze.by), note });
  return { finding, previous: existing, history };
}

/** A snooze ending: it ran out (the sweep), or someone cancelled it. */
export interface SnoozeEnd {
  why: 'expired' | 'cancelled';
  /** When it ended: the sweep's or the cancellation's time. */
  at: string;
  /** Who ended it (the API caller, or SNOOZE_SWEEP_ACTOR). */
  by: string;
}

/** The pseudo event id a snooze's end is recorded and notified under: `snooze:<ended at>:<why>`. */
export function snoozeEndEventId(end: Pick<SnoozeEnd, 'why' | 'at'>): string {
  return `snooze:${end.at}:${end.why}`;
}

/**
 * Ends the finding's snooze: history `unsnoozed`; a still open finding owes a `reopened`
 * notification. Undefined when it is not snoozed, or (`expired`) when its snooze does not end by
 * `end.at` (a concurrent writer moved it).
 */
export function applySnoozeEnd(existing: Finding | undefined, end: SnoozeEnd): FindingUpdate | undefined {
  const snooze = existing?.snooze;
  if (!existing || !snooze) return undefined;
  if (end.why === 'expired' && Date.parse(snooze.until) > Date.parse(end.at)) return undefined;
  const eventId = snoozeEndEventId(end);
  const open = existing.status === 'open';
  const finding = bumped(existing, open ? owing(existing, 'reopened', eventId) : {}, ['snooze']);
  const ended = end.why === 'expired' ? `ended${open ? ': still open' : ''}` : `cancelled${open ? ': open again' : ''}`;
  const note = `snooze until ${snooze.until} ${ended} (snoozed by ${snooze.by}: ${snooze.reason})`;
  const history = historyEntry(finding, 'unsnoozed', { at: end.at, eventId, actor: actorNamed(end.by), note });
  return { finding, previous: existing, history };
}

// Remediation deadlines (shared/core/findings/deadlines.ts holds the policy).

/**
 * Escalates an open finding past its deadline by `at`: severity one level up, `deadlineEscalation`
 * set, history `escalated`, and an `escalated` notification owed (unless a snooze silences it).
 * Undefined when there is nothing to do: not open, escalated for its deadline already, no deadline,
 * or not past it.
 */
export function applyDeadlineEscalation(
  existing: Finding | undefined,
  remediationDays: RemediationDays,
  at: string,
): FindingUpdate | undefined {
  if (existing?.status !== 'open' || existing.deadlineEscalation) return undefined;
  const deadline = remediationDeadlineOf(existing, remediationDays);
  if (deadline === undefined || Date.parse(deadline) > Date.parse(at)) return undefined;
  const days = remediationDaysOf(existing, remediationDays)!;
  const from = existing.severity;
  const to = escalatedSeverity(from);
  const eventId = deadlineEventId(deadline);
  const quiet = snoozeSilences(existing, to);
  const owed = quiet ? {} : owing(existing, 'escalated', eventId);
  const finding = bumped(existing, { severity: to, deadlineEscalation: { deadline, at, from, to }, ...owed });
  const raised = to === from ? `severity stays ${to} (the highest)` : `severity raised from ${from} to ${to}`;
  const rule = PATCH_CONTROL_IDS.includes(existing.controlId) ? 'patch findings' : 'findings';
  const note =
    `past its remediation deadline of ${deadline} (${from} ${rule} are due ${days} days after first seen): ${raised}` +
    (quiet ? ` (snoozed until ${existing.snooze!.until}: not notified)` : '');
  const actor: Actor = { type: 'TrailwardenSweep', userName: DEADLINE_SWEEP_ACTOR };
  return { finding, previous: existing, history: historyEntry(finding, 'escalated', { at, eventId, actor, note }) };
}
