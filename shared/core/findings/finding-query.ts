/** The auditors' view of findings: the query, its pages and the summary (types the API contract shares). */
import type { Area } from '../model/area';
import type { Severity } from '../model/severity';
import type { Finding, FindingStatus } from './finding';
import type { SweepName } from './sweeps';

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
  /** Activity (`activityOf`: the last event-driven status or severity change, or the resolution) at or after this time. */
  since?: string;
  /** Activity at or before this time. */
  until?: string;
  /**
   * At least the findings this maintenance sweep has something to do with (core/findings/sweeps.ts):
   * a store may return others too (the sweeps check each finding), but never leaves one out.
   */
  awaiting?: SweepName;
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

/** A cursor that no page of this store produced. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}
