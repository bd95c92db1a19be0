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
import type { Actor, Finding, HistoryEntry, SuppressedBy, Transition } from './finding';
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
