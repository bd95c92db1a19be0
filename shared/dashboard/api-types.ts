/**
 * The Findings API as the browser sees it (shared/app/api/CONTRACT.md): JSON shapes only. Findings are
 * the domain's own types (type-only imports, erased from the bundle); the rest are the API's views.
 */
import type { Area } from '../core/model/area';
import type { Severity } from '../core/model/severity';

import type { Finding, HistoryEntry } from '../core/findings/finding';
import type { FrameworkRef } from '../core/model/framework';
import type { ExemptionView } from '../core/exemptions/exemption';

export type { Actor, DeadlineEscalation, Evidence, Finding, FindingStatus, HistoryEntry, Snooze } from '../core/findings/finding';
export type { FrameworkRef } from '../core/model/framework';

/** POST /api/findings/{id}/snooze: `until` an ISO date-time with a time zone, at most 30 days ahead. */
export interface SnoozeRequest {
  until: string;
  reason: string;
}

export interface ControlInfo {
  id: string;
  area: Area;
  title: string;
  severity: Severity;
  rationale: string;
  runbook: string[];
  frameworks: FrameworkRef[];
  resolves?: string;
}

export interface FindingsPage {
  findings: Finding[];
  nextCursor?: string;
}

export interface FindingDetail {
  finding: Finding;
  history: HistoryEntry[];
  /** null when the control is no longer in the catalogue. */
  control: ControlInfo | null;
}

export interface StatusCounts {
  open: number;
  resolved: number;
  suppressed: number;
}

export interface Summary {
  total: number;
  byStatus: StatusCounts;
  byArea: Partial<Record<Area, StatusCounts>>;
  bySeverity: Partial<Record<Severity, number>>;
  trend: Array<{ day: string; opened: number; resolved: number }>;
}

/** An exemption as the API shows it. */
export type Exemption = ExemptionView;

export interface NewExemption {
  controlId: string;
  accounts?: string[];
  resourcePattern?: string;
  reason: string;
  approver: string;
  expiresAt: string;
}

/** The filters of GET /api/findings, as query parameters (empty ones are left out). */
export interface FindingFilters {
  area?: string;
  status?: string;
  severity?: string;
  minSeverity?: string;
  controlId?: string;
  framework?: string;
  requirement?: string;
  account?: string;
  region?: string;
  resource?: string;
  since?: string;
  until?: string;
}

/** GET /api/reports/{framework} (shared/app/reports/build-report.ts, FrameworkReport). */
export interface FrameworkReport {
  framework: { id: string; name: string };
  generatedAt: string;
  summary: {
    requirements: number;
    failing: number;
    passing: number;
    notEvaluated: number;
    controls: number;
    findings: StatusCounts;
    openBySeverity?: Partial<Record<Severity, number>>;
  };
  requirements: Array<
    StatusCounts & {
      requirement: string;
      verdict: string;
      reason?: string;
      controls: Array<StatusCounts & { id: string; title: string; severity: Severity; enabled?: boolean }>;
    }
  >;
}
