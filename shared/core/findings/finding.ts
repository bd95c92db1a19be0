/** A finding: one violation of one control on one resource, tracked over time. */
import type { Area } from '../model/area';
import type { Severity } from '../model/severity';

export const FINDING_STATUSES = ['open', 'resolved', 'suppressed'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** What happened to a finding when an event was applied. */
export type Transition = 'opened' | 'repeated' | 'escalated' | 'reopened' | 'resolved';

/**
 * Status changes a finding's history records: the event-driven transitions (a repeat is not a
 * status change), plus suppression under an exemption and its end (expiry or deletion).
 */
export type HistoryTransition = Exclude<Transition, 'repeated'> | 'suppressed' | 'unsuppressed' | 'snoozed' | 'unsnoozed';

/**
 * The exemption a suppressed finding is accepted under, and when that acceptance ends. (A type
 * alias, not an interface, so it is assignable to Record<string, unknown> like plain JSON.)
 */
export type SuppressedBy = {
  exemptionId: string;
  expiresAt: string;
};

/**
 * A snooze on an open finding (shared/app/snooze): until when its escalations below CRITICAL stay
 * quiet, who asked, when and why. Ends at `until` (the snooze sweep) or when cancelled; a
 * resolution or a suppression ends it too.
 */
export type Snooze = {
  until: string;
  reason: string;
  by: string;
  at: string;
};

/** The one escalation a finding gets for passing its remediation deadline (shared/app/jobs). */
export type DeadlineEscalation = {
  deadline: string;
  at: string;
  from: Severity;
  to: Severity;
};

/** Who did it, from where: taken from the triggering event. */
export interface Actor {
  type?: string;
  arn?: string;
  accountId?: string;
  principalId?: string;
  userName?: string;
  invokedBy?: string;
}

/** The proof of a finding: the triggering event and the request fields that show the violation (secrets masked). */
export interface Evidence {
  eventId: string;
  eventTime: string;
  eventSource?: string;
  eventName?: string;
  detailType: string;
  actor?: Actor;
  sourceIp?: string;
  userAgent?: string;
  fields: Record<string, unknown>;
}

/** A transition a finding owes a notification for, and the event that caused it. */
export type OwedTransition = { transition: Exclude<Transition, 'repeated'>; eventId: string };

export interface Finding {
  id: string;
  controlId: string;
  area: Area;
  title: string;
  severity: Severity;
  status: FindingStatus;
  account: string;
  region: string;
  resourceId: string;
  resourceType: string;
  qualifier?: string;
  message: string;
  /** Event time of the first and latest violating event. */
  firstSeen: string;
  lastSeen: string;
  /** Violating events seen (repeats included). */
  count: number;
  /**
   * Event time of the violation that last opened, reopened or escalated it (absent on findings
   * written before it existed). With `resolvedAt`, the finding's activity: a repeat leaves it, so
   * a finding that keeps repeating keeps its place in every list (and DynamoDB its index entries).
   */
  changedAt?: string;
  /** Evidence of the latest violating event. */
  evidence: Evidence;
  /** When and by which event it was last resolved. */
  resolvedAt?: string;
  resolvedBy?: { eventId: string; message: string; actor?: Actor };
  /**
   * The latest transition worth a notification that has not been confirmed sent: set with the
   * transition, cleared by `markNotified` once the notifier accepted it. A redelivered event whose
   * first attempt failed to notify finds it here and sends it then.
   */
  unnotified?: OwedTransition;
  /**
   * The first transition still owed when a later one took `unnotified` (e.g. opened, then resolved
   * before the opening went out, because a crash or a sink failure came between): sent before
   * `unnotified`, so the on-call learns both; cleared by `markNotified` of its event.
   */
  unannounced?: OwedTransition;
  /** While `status` is `suppressed`: the exemption that accepted the risk. */
  suppressedBy?: SuppressedBy;
  /** While snoozed (status `open`): see shared/app/snooze. */
  snooze?: Snooze;
  /** Set once when the deadline sweep escalated it (shared/app/jobs): never escalated for its deadline again. */
  deadlineEscalation?: DeadlineEscalation;
  /** Bumped on every write; adapters use it for optimistic concurrency. */
  version: number;
}

/** One status change in a finding's history. */
export interface HistoryEntry {
  findingId: string;
  at: string;
  transition: HistoryTransition;
  status: FindingStatus;
  severity: Severity;
  /** The event that caused it; `exemption:<id>` (and `:expired`/`:deleted`) for exemption changes. */
  eventId: string;
  actor?: Actor;
  note: string;
}

export interface FindingKey {
  controlId: string;
  account: string;
  region: string;
  resourceId: string;
  qualifier?: string;
}

/** The actor of a history entry for a person or system named by a string (an IAM ARN, or a local name). */
export function actorNamed(name: string): Actor {
  return name.startsWith('arn:') ? { type: 'TrailwardenApiCaller', arn: name } : { type: 'TrailwardenApiCaller', userName: name };
}

/**
 * A finding's activity time, what lists are ordered and filtered by (`since`, `until`): when its
 * status or severity last changed through an event (opened, reopened, escalated: `changedAt`), or
 * its resolution when later. Repeats do not move it. Findings written before `changedAt` existed
 * fall back to their last sighting.
 */
export function activityOf(finding: Pick<Finding, 'lastSeen' | 'resolvedAt' | 'changedAt'>): string {
  const changed = finding.changedAt ?? finding.lastSeen;
  return finding.resolvedAt && finding.resolvedAt > changed ? finding.resolvedAt : changed;
}

/** When the finding was last seen or resolved, whichever is later: its record's last update (ASFF UpdatedAt, OCSF modified time). */
export function lastUpdateOf(finding: Pick<Finding, 'lastSeen' | 'resolvedAt'>): string {
  return finding.resolvedAt && finding.resolvedAt > finding.lastSeen ? finding.resolvedAt : finding.lastSeen;
}

/** Newest activity first; ties broken by id so the order is stable (the order of every store's `listFindings`). */
export function byNewestActivity(a: Finding, b: Finding): number {
  const left = activityOf(a);
  const right = activityOf(b);
  if (left !== right) return left < right ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
