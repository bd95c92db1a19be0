/** Counts of what a replay read and what it changed, by area and severity. */
import { AREAS, type Area } from '../../core/model/area';
import { SEVERITIES, type Severity } from '../../core/model/severity';
import type { Transition } from '../../core/findings/finding';
import type { SourceLocation } from '../../core/intake/types';
import type { AppliedChange } from './pipeline';

export interface Rejection {
  file: string;
  line: number;
  path?: string;
  reason: string;
}

/** Rejections kept in the summary object (all are counted and reported as they occur). */
export const MAX_KEPT_REJECTIONS = 1000;

type Counts = Record<Transition, number>;

function zeroCounts(): Counts {
  return { opened: 0, repeated: 0, escalated: 0, reopened: 0, resolved: 0 };
}

export interface ReplaySummary {
  events: number;
  rejected: number;
  /** Events no control pattern selected. */
  unmatched: number;
  opened: number;
  repeated: number;
  escalated: number;
  reopened: number;
  resolved: number;
  byArea: Record<Area, Counts>;
  bySeverity: Record<Severity, Counts>;
  controlErrors: number;
  notificationFailures: number;
  rejections: Rejection[];
}

export class SummaryBuilder {
  private readonly summary: ReplaySummary = {
    events: 0,
    rejected: 0,
    unmatched: 0,
    opened: 0,
    repeated: 0,
    escalated: 0,
    reopened: 0,
    resolved: 0,
    byArea: Object.fromEntries(AREAS.map((a) => [a, zeroCounts()])) as Record<Area, Counts>,
    bySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, zeroCounts()])) as Record<Severity, Counts>,
    controlErrors: 0,
    notificationFailures: 0,
    rejections: [],
  };

  event(changes: AppliedChange[], matched: boolean, controlErrors: number): void {
    this.summary.events += 1;
    if (!matched) this.summary.unmatched += 1;
    this.summary.controlErrors += controlErrors;
    for (const change of changes) {
      this.summary[change.transition] += 1;
      this.summary.byArea[change.finding.area][change.transition] += 1;
      this.summary.bySeverity[change.finding.severity][change.transition] += 1;
    }
  }

  /** Events that changed nothing and raised no control error; `unmatched` of them no pattern selected. */
  passed(events: number, unmatched: number): void {
    this.summary.events += events;
    this.summary.unmatched += unmatched;
  }

  rejected(where: SourceLocation, reason: string): Rejection {
    this.summary.rejected += 1;
    const rejection: Rejection = { file: where.file, line: where.line, ...(where.path ? { path: where.path } : {}), reason };
    // Every rejection is counted and reported as it happens; the summary keeps the first ones.
    if (this.summary.rejections.length < MAX_KEPT_REJECTIONS) this.summary.rejections.push(rejection);
    return rejection;
  }

  notificationFailed(count: number): void {
    this.summary.notificationFailures += count;
  }

  build(): ReplaySummary {
    return this.summary;
  }
}
