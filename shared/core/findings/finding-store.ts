/** The findings port. */
import type { Finding, HistoryEntry } from './finding';
import type { FindingQuery, FindingSummary } from './finding-query';
import type { Change, FindingUpdate } from './transitions';
import type { ResolutionObservation, ViolationObservation } from './observation';

/** What a resolution names: a control's findings on one resource, or the one with this qualifier. */
export type ResolutionScope = Pick<ResolutionObservation, 'controlId' | 'account' | 'region' | 'resourceId' | 'qualifier'>;

/** Whether the finding is one a resolution of this scope names. */
export function inScope(finding: Finding, scope: ResolutionScope): boolean {
  return (
    finding.controlId === scope.controlId &&
    finding.account === scope.account &&
    finding.region === scope.region &&
    finding.resourceId === scope.resourceId &&
    (scope.qualifier === undefined || finding.qualifier === scope.qualifier)
  );
}

/**
 * The findings port: violations and resolutions applied to findings, their history, and the
 * auditors' queries. Adapters: memory (tests), SQLite (embedded default), DynamoDB (AWS). Writes
 * may be batched by the storage they belong to (`Storage.flush` makes them durable).
 */
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
  /**
   * Applies a pure change to one finding, atomically with respect to every other write to it
   * (re-reading and re-applying under contention). `apply` returns undefined to write nothing.
   * Undefined when the finding does not exist or nothing was written.
   */
  updateFinding(id: string, apply: (finding: Finding) => FindingUpdate | undefined): Promise<FindingUpdate | undefined>;
  getFinding(id: string): Promise<Finding | undefined>;
  /**
   * The findings a resolution of this scope names (`recordResolution`'s: the one finding when it has
   * a qualifier, otherwise every finding of the control on the resource), read as `recordResolution`
   * reads them: consistently, never through an index that may lag.
   */
  findingsInScope(scope: ResolutionScope): Promise<Finding[]>;
  /** Newest activity first (ties by id). Rejects an unusable cursor with InvalidCursorError. */
  listFindings(query?: FindingQuery): Promise<Finding[]>;
  /** Status changes, oldest first. */
  historyOf(id: string): Promise<HistoryEntry[]>;
  /** Counts by status, area × status and open severity, and the daily trend of the `days` days ending on `now`'s UTC day. */
  summarize(options: { now: Date; days: number }): Promise<FindingSummary>;
}
