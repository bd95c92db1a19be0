/**
 * Which findings a maintenance sweep has something to do with: what a store may keep apart (the
 * DynamoDB adapter: sparse indexes) so a sweep reads only those, and what `FindingQuery.awaiting`
 * selects.
 */
import type { Finding } from './finding';

/** When a snooze end's notification became owed, read back from its event id; undefined for any other event id. */
export function snoozeEndedAt(eventId: string): string | undefined {
  const match = /^snooze:(.+):(expired|cancelled)$/.exec(eventId);
  return match?.[1];
}

/** The pseudo event id a deadline escalation is recorded and notified under. */
export function deadlineEventId(deadline: string): string {
  return `deadline:${deadline}`;
}

/** The sweeps whose findings a query can ask for. */
export type SweepName = 'snoozes' | 'deadlines';

/** Snoozed open findings, and open findings owing the notification of a snooze's end. */
export function awaitsSnoozeSweep(finding: Finding): boolean {
  if (finding.status !== 'open') return false;
  return finding.snooze !== undefined || (finding.unnotified !== undefined && snoozeEndedAt(finding.unnotified.eventId) !== undefined);
}

/**
 * Open findings that can still pass a remediation deadline (not escalated for it yet, and not
 * INFORMATIONAL, which never has one), and those escalated that still owe its notification.
 */
export function awaitsDeadlineSweep(finding: Finding): boolean {
  if (finding.status !== 'open') return false;
  if (finding.deadlineEscalation) return finding.unnotified?.eventId === deadlineEventId(finding.deadlineEscalation.deadline);
  return finding.severity !== 'INFORMATIONAL';
}

export function awaitsSweep(finding: Finding, sweep: SweepName): boolean {
  return sweep === 'snoozes' ? awaitsSnoozeSweep(finding) : awaitsDeadlineSweep(finding);
}
