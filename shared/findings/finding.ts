/** A finding: one violation of one control on one resource, tracked over time. */
import { createHash } from 'node:crypto';
import type { Area } from '../model/area';
import type { Severity } from '../model/severity';

export const FINDING_STATUSES = ['open', 'resolved', 'suppressed'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** What happened to a finding when an event was applied. */
export type Transition = 'opened' | 'repeated' | 'escalated' | 'reopened' | 'resolved';

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
  unnotified?: { transition: Exclude<Transition, 'repeated'>; eventId: string };
  /** Bumped on every write; adapters use it for optimistic concurrency. */
  version: number;
}

/** One status change in a finding's history. */
export interface HistoryEntry {
  findingId: string;
  at: string;
  transition: Exclude<Transition, 'repeated'>;
  status: FindingStatus;
  severity: Severity;
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

/** Deterministic: the same control, account, region and resource always give the same id. */
export function findingIdOf(key: FindingKey): string {
  return createHash('sha256')
    .update([key.controlId, key.account, key.region, key.resourceId, key.qualifier ?? ''].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}
