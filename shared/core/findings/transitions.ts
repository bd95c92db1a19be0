/**
 * The finding lifecycle as pure functions, shared by every store adapter:
 * open → (repeat | escalate) → resolve → reopen, and open ⇄ suppressed under an exemption.
 * Adapters load, apply, and write back atomically; they never decide a transition themselves.
 *
 * Suppression: a finding an active exemption covers is `suppressed` and owes no notification:
 * its violations are counted and its evidence kept current, silently (severity still rises, so
 * the finding is accurate when it opens again). When the exemption ends (expiry or deletion), the
 * finding opens again with the history entry `unsuppressed` and owes a `reopened` notification:
 * an accepted risk that is open again is news for the on-call. A suppressed finding that is
 * resolved is resolved silently (nobody was told about it while the risk was accepted).
 *
 * Snooze (shared/app/snooze): a snoozed finding stays `open`; while it is snoozed an escalation is
 * recorded but owes a notification only when it reaches CRITICAL (which pages even then). A
 * resolution or a suppression ends the snooze.
 */
import { maxSeverity, severityRank, type Severity } from '../model/severity';
import type { RemediationDays } from '../settings/settings';
import { actorNamed, type Actor, type Finding, type HistoryEntry, type Snooze, type SuppressedBy, type Transition } from './finding';
import { DEADLINE_SWEEP_ACTOR, escalatedSeverity, PATCH_CONTROL_IDS, remediationDaysOf, remediationDeadlineOf } from './deadlines';
import type { ResolutionObservation, ViolationObservation } from './observation';

/** A write to one finding: the new finding and, for a status change, its history entry. */
export interface FindingUpdate {
  finding: Finding;
  previous?: Finding;
  history?: HistoryEntry;
}

export interface Change extends FindingUpdate {
  transition: Transition;
}

/**
 * Whether a snooze keeps an escalation of the finding to `severity` quiet: while snoozed, only an
 * escalation to CRITICAL is still notified.
 */
export function snoozeSilences(finding: Finding, severity: Severity): boolean {
  return finding.snooze !== undefined && severity !== 'CRITICAL';
}

function later(a: string, b: string): boolean {
  return Date.parse(a) >= Date.parse(b);
}

export function applyViolation(existing: Finding | undefined, obs: ViolationObservation): Change {
  if (!existing) {
    const finding: Finding = {
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
      ...(obs.qualifier !== undefined ? { qualifier: obs.qualifier } : {}),
      message: obs.message,
      firstSeen: obs.eventTime,
      lastSeen: obs.eventTime,
      count: 1,
      evidence: obs.evidence,
      unnotified: { transition: 'opened', eventId: obs.eventId },
      version: 1,
    };
    if (obs.exemption) {
      const suppressed = suppress(finding, obs.exemption);
      return { transition: 'opened', finding: suppressed, history: historyOf(suppressed, 'suppressed', obs, `opened under exemption ${obs.exemption.exemptionId}: ${obs.message}`) };
    }
    return { transition: 'opened', finding, history: historyOf(finding, 'opened', obs, obs.message) };
  }
  if (existing.status === 'suppressed') return { transition: 'repeated', finding: silentRepeat(existing, obs), previous: existing };
  const newest = later(obs.eventTime, existing.lastSeen);
  const reopening = existing.status === 'resolved' && (!existing.resolvedAt || later(obs.eventTime, existing.resolvedAt));
  const escalating = !reopening && severityRank(obs.severity) > severityRank(existing.severity);
  const finding: Finding = {
    ...existing,
    count: existing.count + 1,
    firstSeen: later(existing.firstSeen, obs.eventTime) ? obs.eventTime : existing.firstSeen,
    lastSeen: newest ? obs.eventTime : existing.lastSeen,
    version: existing.version + 1,
  };
  if (newest || reopening || escalating) {
    finding.evidence = obs.evidence;
    finding.message = obs.message;
  }
  if (obs.exemption && (reopening || existing.status === 'open')) {
    // Covered by an active exemption the finding is not suppressed under yet: suppress it now.
    finding.severity = reopening ? obs.severity : maxSeverity(existing.severity, obs.severity);
    delete finding.resolvedAt;
    delete finding.resolvedBy;
    const suppressed = suppress(finding, obs.exemption);
    const note = `${reopening ? 'reoccurred' : 'seen again'} under exemption ${obs.exemption.exemptionId}: ${obs.message}`;
    return { transition: reopening ? 'reopened' : 'repeated', finding: suppressed, previous: existing, history: historyOf(suppressed, 'suppressed', obs, note) };
  }
  if (reopening) {
    finding.status = 'open';
    finding.severity = obs.severity;
    delete finding.resolvedAt;
    delete finding.resolvedBy;
    finding.unnotified = { transition: 'reopened', eventId: obs.eventId };
    return { transition: 'reopened', finding, previous: existing, history: historyOf(finding, 'reopened', obs, obs.message) };
  }
  if (escalating) {
    finding.severity = obs.severity;
    const snoozed = snoozeSilences(existing, obs.severity);
    if (!snoozed) finding.unnotified = { transition: 'escalated', eventId: obs.eventId };
    const note = `severity raised from ${existing.severity} to ${obs.severity}: ${obs.message}${snoozed ? ` (snoozed until ${existing.snooze!.until}: not notified)` : ''}`;
    return { transition: 'escalated', finding, previous: existing, history: historyOf(finding, 'escalated', obs, note) };
  }
  return { transition: 'repeated', finding, previous: existing };
}

/**
 * Resolves an open or suppressed finding. Returns undefined when there is nothing to resolve:
 * no finding, already resolved, or a resolving event older than the latest violation (stale).
 */
export function applyResolution(existing: Finding | undefined, obs: ResolutionObservation): Change | undefined {
  if (!existing || existing.status === 'resolved') return undefined;
  if (!later(obs.eventTime, existing.lastSeen)) return undefined;
  const { suppressedBy, snooze: _snoozeEnds, ...rest } = existing;
  const finding: Finding = {
    ...rest,
    status: 'resolved',
    resolvedAt: obs.eventTime,
    resolvedBy: { eventId: obs.eventId, message: obs.message, ...(obs.actor ? { actor: obs.actor } : {}) },
    version: existing.version + 1,
  };
  if (suppressedBy) {
    // Resolved while its risk was accepted: recorded, not announced; an earlier unsent notification lapses.
    delete finding.unnotified;
  } else {
    finding.unnotified = { transition: 'resolved', eventId: obs.eventId };
  }
  const history: HistoryEntry = {
    findingId: finding.id,
    at: obs.eventTime,
    transition: 'resolved',
    status: 'resolved',
    severity: finding.severity,
    eventId: obs.eventId,
    ...(obs.actor ? { actor: obs.actor } : {}),
    note: suppressedBy ? `${obs.message} (was suppressed under exemption ${suppressedBy.exemptionId})` : obs.message,
  };
  return { transition: 'resolved', finding, previous: existing, history };
}

function suppress(finding: Finding, by: SuppressedBy): Finding {
  const { unnotified: _owed, snooze: _snoozeEnds, ...rest } = finding;
  return { ...rest, status: 'suppressed', suppressedBy: { exemptionId: by.exemptionId, expiresAt: by.expiresAt } };
}

/** A violation of a suppressed finding: counted, evidence kept current, no status change, nothing owed. */
function silentRepeat(existing: Finding, obs: ViolationObservation): Finding {
  const newest = later(obs.eventTime, existing.lastSeen);
  return {
    ...existing,
    count: existing.count + 1,
    firstSeen: later(existing.firstSeen, obs.eventTime) ? obs.eventTime : existing.firstSeen,
    lastSeen: newest ? obs.eventTime : existing.lastSeen,
    severity: maxSeverity(existing.severity, obs.severity),
    ...(newest ? { evidence: obs.evidence, message: obs.message } : {}),
    version: existing.version + 1,
  };
}

function historyOf(finding: Finding, transition: 'opened' | 'reopened' | 'escalated' | 'suppressed', obs: ViolationObservation, note: string): HistoryEntry {
  return {
    findingId: finding.id,
    at: obs.eventTime,
    transition,
    status: finding.status,
    severity: finding.severity,
    eventId: obs.eventId,
    ...(obs.evidence.actor ? { actor: obs.evidence.actor } : {}),
    note,
  };
}

/** Clears the pending notification when it is the one the event caused; undefined when nothing changes. */
export function applyNotified(existing: Finding | undefined, eventId: string): Finding | undefined {
  if (!existing?.unnotified || existing.unnotified.eventId !== eventId) return undefined;
  const { unnotified: _sent, ...rest } = existing;
  return { ...rest, version: existing.version + 1 };
}

/** An exemption taking effect on a finding (by the API, or the sweep). */
export interface Suppression extends SuppressedBy {
  at: string;
  actor?: Actor;
  reason: string;
}

/** Suppresses an open finding under the exemption; undefined when it is not open (resolved, or suppressed already). */
export function applySuppression(existing: Finding | undefined, suppression: Suppression): FindingUpdate | undefined {
  if (!existing || existing.status !== 'open') return undefined;
  const finding = { ...suppress(existing, suppression), version: existing.version + 1 };
  return {
    finding,
    previous: existing,
    history: {
      findingId: finding.id,
      at: suppression.at,
      transition: 'suppressed',
      status: 'suppressed',
      severity: finding.severity,
      eventId: `exemption:${suppression.exemptionId}`,
      ...(suppression.actor ? { actor: suppression.actor } : {}),
      note: `suppressed under exemption ${suppression.exemptionId} until ${suppression.expiresAt}: ${suppression.reason}`,
    },
  };
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
  if (!existing || existing.status !== 'suppressed' || existing.suppressedBy?.exemptionId !== end.exemptionId) return undefined;
  const { suppressedBy: _ended, ...rest } = existing;
  const eventId = exemptionEndEventId(end.exemptionId, end.why);
  const finding: Finding = { ...rest, status: 'open', unnotified: { transition: 'reopened', eventId }, version: existing.version + 1 };
  return {
    finding,
    previous: existing,
    history: {
      findingId: finding.id,
      at: end.at,
      transition: 'unsuppressed',
      status: 'open',
      severity: finding.severity,
      eventId,
      ...(end.actor ? { actor: end.actor } : {}),
      note: `exemption ${end.exemptionId} ${end.why === 'expired' ? 'expired' : 'was deleted'}: the accepted risk is open again`,
    },
  };
}

// Snooze (shared/core/findings/snooze.ts holds the request and its bounds).

/** Why a finding cannot be snoozed, if it cannot (the API answers 409 with it). */
export function snoozeRefusal(finding: Finding): string | undefined {
  if (finding.status === 'resolved') return 'the finding is resolved: there is nothing to snooze';
  if (finding.status === 'suppressed') return `the finding is suppressed under exemption ${finding.suppressedBy?.exemptionId ?? '(unknown)'}: there is nothing to snooze`;
  return undefined;
}

/** Snoozes an open finding (or moves the end of its snooze); undefined when it is not open. */
export function applySnooze(existing: Finding | undefined, snooze: Snooze): FindingUpdate | undefined {
  if (!existing || snoozeRefusal(existing) !== undefined) return undefined;
  const previous = existing.snooze;
  const finding: Finding = { ...existing, snooze: { ...snooze }, version: existing.version + 1 };
  return {
    finding,
    previous: existing,
    history: {
      findingId: finding.id,
      at: snooze.at,
      transition: 'snoozed',
      status: finding.status,
      severity: finding.severity,
      eventId: `snooze:${snooze.at}`,
      actor: actorNamed(snooze.by),
      note: `${previous ? `snooze moved from ${previous.until} to` : 'snoozed until'} ${snooze.until}: ${snooze.reason}`,
    },
  };
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

/** When a snooze end's notification became owed, read back from its event id; undefined for any other event id. */
export function snoozeEndedAt(eventId: string): string | undefined {
  const match = /^snooze:(.+):(expired|cancelled)$/.exec(eventId);
  return match?.[1];
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
  const { snooze: _ended, ...rest } = existing;
  const eventId = snoozeEndEventId(end);
  const open = existing.status === 'open';
  const finding: Finding = { ...rest, ...(open ? { unnotified: { transition: 'reopened' as const, eventId } } : {}), version: existing.version + 1 };
  return {
    finding,
    previous: existing,
    history: {
      findingId: finding.id,
      at: end.at,
      transition: 'unsnoozed',
      status: finding.status,
      severity: finding.severity,
      eventId,
      actor: actorNamed(end.by),
      note:
        end.why === 'expired'
          ? `snooze until ${snooze.until} ended${open ? ': still open' : ''} (snoozed by ${snooze.by}: ${snooze.reason})`
          : `snooze until ${snooze.until} cancelled${open ? ': open again' : ''} (snoozed by ${snooze.by}: ${snooze.reason})`,
    },
  };
}

// Remediation deadlines (shared/core/findings/deadlines.ts holds the policy).

/** The pseudo event id a deadline escalation is recorded and notified under. */
export function deadlineEventId(deadline: string): string {
  return `deadline:${deadline}`;
}

/**
 * Escalates an open finding past its deadline by `at`: severity one level up, `deadlineEscalation`
 * set, history `escalated`, and an `escalated` notification owed (unless a snooze silences it).
 * Undefined when there is nothing to do: not open, escalated for its deadline already, no deadline,
 * or not past it.
 */
export function applyDeadlineEscalation(existing: Finding | undefined, remediationDays: RemediationDays, at: string): FindingUpdate | undefined {
  if (!existing || existing.status !== 'open' || existing.deadlineEscalation) return undefined;
  const deadline = remediationDeadlineOf(existing, remediationDays);
  if (deadline === undefined || Date.parse(deadline) > Date.parse(at)) return undefined;
  const days = remediationDaysOf(existing, remediationDays)!;
  const to = escalatedSeverity(existing.severity);
  const eventId = deadlineEventId(deadline);
  const snoozed = snoozeSilences(existing, to);
  const finding: Finding = {
    ...existing,
    severity: to,
    deadlineEscalation: { deadline, at, from: existing.severity, to },
    ...(snoozed ? {} : { unnotified: { transition: 'escalated' as const, eventId } }),
    version: existing.version + 1,
  };
  const raised = to === existing.severity ? `severity stays ${to} (the highest)` : `severity raised from ${existing.severity} to ${to}`;
  const rule = PATCH_CONTROL_IDS.includes(existing.controlId) ? 'patch findings' : 'findings';
  return {
    finding,
    previous: existing,
    history: {
      findingId: finding.id,
      at,
      transition: 'escalated',
      status: 'open',
      severity: to,
      eventId,
      actor: { type: 'TrailwardenSweep', userName: DEADLINE_SWEEP_ACTOR },
      note:
        `past its remediation deadline of ${deadline} (${existing.severity} ${rule} are due ${days} days after first seen): ${raised}` +
        (snoozed ? ` (snoozed until ${existing.snooze!.until}: not notified)` : ''),
    },
  };
}
