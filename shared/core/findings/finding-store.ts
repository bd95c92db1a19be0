/** The findings store port. Adapters: memory (tests), SQLite (embedded default), DynamoDB (AWS). */
import type { Area } from '../model/area';
import type { Severity } from '../model/severity';
import type { Finding, FindingStatus, HistoryEntry } from './finding';
import type { Change, FindingUpdate } from './transitions';
import type { ResolutionObservation, ViolationObservation } from './observation';
import type { Exemption, ExemptionAuditEntry } from '../exemptions/exemption';
import type { RollupClaim, RollupDecision, RollupWindow } from '../notifications/rollup';

/**
 * Filters are ANDed; each is an exact match unless it says otherwise. Times are ISO strings in
 * the form `Date.prototype.toISOString` writes (what the stores keep), compared as text.
 */
export interface FindingQuery {
  area?: Area;
  status?: FindingStatus;
  /** Exactly this severity. */
  severity?: Severity;
  /** This severity or above. */
  minSeverity?: Severity;
  controlId?: string;
  /** Any of these controls (the API maps a framework and requirement to them); empty matches nothing. */
  controlIds?: string[];
  account?: string;
  region?: string;
  resourceId?: string;
  /** Activity (max of lastSeen and resolvedAt) at or after this time. */
  since?: string;
  /** Activity at or before this time. */
  until?: string;
  /** Only findings after this position of the newest-activity-first order (from `pageFindings`). */
  cursor?: string;
  limit?: number;
}

export interface FindingPage {
  findings: Finding[];
  /** Present when more findings follow: pass it as `cursor` for the next page. */
  nextCursor?: string;
}

export type StatusCounts = Record<FindingStatus, number>;

export interface FindingSummary {
  total: number;
  byStatus: StatusCounts;
  byArea: Record<Area, StatusCounts>;
  /** Open findings by severity. */
  bySeverity: Record<Severity, number>;
  /**
   * One entry per UTC day, oldest first, ending today: status changes recorded in the findings'
   * history that day. `opened`: opened, reopened, or open again when an exemption ended;
   * `resolved`: resolved.
   */
  trend: Array<{ day: string; opened: number; resolved: number }>;
}

/** A conditional write lost to a concurrent writer: re-read and decide again. */
export class ConcurrentUpdateError extends Error {
  override readonly name = 'ConcurrentUpdateError';
}

/** A cursor that no page of this store produced. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

export interface FindingStore {
  /**
   * Applies a violating event to its finding. Idempotent by (finding, event): returns undefined
   * when this event was already applied to this finding, and changes nothing.
   */
  recordViolation(observation: ViolationObservation): Promise<Change | undefined>;
  /**
   * Resolves the open findings the observation names: the one finding when it has a qualifier,
   * otherwise every finding of the control on the resource (same account and region).
   */
  recordResolution(observation: ResolutionObservation): Promise<Change[]>;
  /**
   * Records that the notification of the finding's pending transition, caused by `eventId`, was
   * sent: clears `unnotified` when it names that event, and changes nothing otherwise.
   */
  markNotified(findingId: string, eventId: string): Promise<void>;
  getFinding(id: string): Promise<Finding | undefined>;
  /** Newest activity first (ties by id). */
  listFindings(query?: FindingQuery): Promise<Finding[]>;
  /** One page of `listFindings`, with the cursor of the next when there is one. Rejects an unusable cursor with InvalidCursorError. */
  pageFindings(query: FindingQuery): Promise<FindingPage>;
  /**
   * Applies a pure change to one finding, atomically with respect to every other write to it
   * (re-reading and re-applying under contention). `apply` returns undefined to write nothing.
   * Undefined when the finding does not exist or nothing was written.
   */
  updateFinding(id: string, apply: (finding: Finding) => FindingUpdate | undefined): Promise<FindingUpdate | undefined>;
  /** Counts by status, area × status and open severity, and the daily trend of the `days` days ending on `now`'s UTC day. */
  summarize(options: { now: Date; days: number }): Promise<FindingSummary>;

  /**
   * Writes an exemption: creates it when `version` is 1 (rejecting an existing id), otherwise
   * replaces the stored one only if its version is `version - 1`. Rejects with
   * ConcurrentUpdateError when the condition fails.
   */
  putExemption(exemption: Exemption): Promise<void>;
  getExemption(id: string): Promise<Exemption | undefined>;
  /** Every exemption ever created (deleted ones included), oldest first. */
  listExemptions(): Promise<Exemption[]>;
  /**
   * Soft deletion: records `deletedAt`/`deletedBy` and keeps the exemption. Returns the stored
   * exemption (unchanged when it was deleted already), or undefined when there is none.
   */
  deleteExemption(id: string, deletion: { at: string; by: string }): Promise<Exemption | undefined>;
  /** Appends to the exemption audit log, once per entry id: false (and nothing written) when it is there already. */
  appendAudit(entry: ExemptionAuditEntry): Promise<boolean>;
  /** The audit log, oldest first. Nothing edits or removes an entry. */
  listAudit(): Promise<ExemptionAuditEntry[]>;

  /**
   * Storm control (shared/core/notifications/rollup.ts): counts one notification in its window, atomically,
   * once per (finding, kind, event) — the same claim again returns the decision it got the first
   * time. `individual` while the window has counted at most `individual` notifications (or once it
   * is closed), else `held`: kept in the window for its roll-up.
   */
  claimNotification(claim: RollupClaim, individual: number): Promise<RollupDecision>;
  /** Whether the finding's latest opening notification was held for a roll-up. */
  wasRolledUp(findingId: string): Promise<boolean>;
  /**
   * Closes every window that ended at or before `until` (ISO) and holds notifications whose roll-up
   * was not sent, and returns them (closed: later claims there go out on their own). A window
   * closed earlier and still unsent is returned again.
   */
  closeRollupWindows(until: string, at: string): Promise<RollupWindow[]>;
  /** Records that the window's roll-up was sent; it is never returned again. */
  markRollupSent(windowId: string, at: string): Promise<void>;

  /** Status changes, oldest first. */
  historyOf(id: string): Promise<HistoryEntry[]>;
  /** Makes every write so far durable (adapters may batch). */
  flush(): Promise<void>;
  close(): Promise<void>;
}
