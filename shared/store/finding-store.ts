/** The findings store port. Adapters: memory (tests), SQLite (embedded default), DynamoDB (AWS). */
import type { Area } from '../model/area';
import type { Severity } from '../model/severity';
import type { Finding, FindingStatus, HistoryEntry } from '../findings/finding';
import type { Change } from '../findings/lifecycle';
import type { ResolutionObservation, ViolationObservation } from '../findings/observation';

export interface FindingQuery {
  area?: Area;
  status?: FindingStatus;
  /** Exactly this severity. */
  severity?: Severity;
  /** This severity or above. */
  minSeverity?: Severity;
  controlId?: string;
  account?: string;
  region?: string;
  resourceId?: string;
  limit?: number;
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
  /** Newest activity first. */
  listFindings(query?: FindingQuery): Promise<Finding[]>;
  /** Status changes, oldest first. */
  historyOf(id: string): Promise<HistoryEntry[]>;
  /** Makes every write so far durable (adapters may batch). */
  flush(): Promise<void>;
  close(): Promise<void>;
}
