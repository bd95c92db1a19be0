/**
 * The finding lifecycle as pure functions, shared by every store adapter:
 * open → (repeat | escalate) → resolve → reopen. Adapters load, apply, and write back
 * atomically; they never decide a transition themselves.
 */
import { severityRank } from '../model/severity';
import type { Finding, HistoryEntry, Transition } from './finding';
import type { ResolutionObservation, ViolationObservation } from './observation';

export interface Change {
  transition: Transition;
  finding: Finding;
  previous?: Finding;
  history?: HistoryEntry;
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
    return { transition: 'opened', finding, history: historyOf(finding, 'opened', obs, obs.message) };
  }
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
    finding.unnotified = { transition: 'escalated', eventId: obs.eventId };
    const note = `severity raised from ${existing.severity} to ${obs.severity}: ${obs.message}`;
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
  const finding: Finding = {
    ...existing,
    status: 'resolved',
    resolvedAt: obs.eventTime,
    resolvedBy: { eventId: obs.eventId, message: obs.message, ...(obs.actor ? { actor: obs.actor } : {}) },
    unnotified: { transition: 'resolved', eventId: obs.eventId },
    version: existing.version + 1,
  };
  const history: HistoryEntry = {
    findingId: finding.id,
    at: obs.eventTime,
    transition: 'resolved',
    status: 'resolved',
    severity: finding.severity,
    eventId: obs.eventId,
    ...(obs.actor ? { actor: obs.actor } : {}),
    note: obs.message,
  };
  return { transition: 'resolved', finding, previous: existing, history };
}

function historyOf(finding: Finding, transition: 'opened' | 'reopened' | 'escalated', obs: ViolationObservation, note: string): HistoryEntry {
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
