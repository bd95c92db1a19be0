/**
 * The Findings API as the browser sees it (shared/api/CONTRACT.md): JSON shapes only. The server's
 * own types import Node modules, so the dashboard keeps this wire view of them.
 */
import type { Area } from '../model/area';
import type { FrameworkId } from '../model/framework';
import type { Severity } from '../model/severity';

export type FindingStatus = 'open' | 'resolved' | 'suppressed';

export interface Actor {
  type?: string;
  arn?: string;
  accountId?: string;
  principalId?: string;
  userName?: string;
  invokedBy?: string;
}

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
  firstSeen: string;
  lastSeen: string;
  count: number;
  evidence: Evidence;
  resolvedAt?: string;
  resolvedBy?: { eventId: string; message: string; actor?: Actor };
  suppressedBy?: { exemptionId: string; expiresAt: string };
  /** While snoozed (the finding stays open): until when, why, who asked and when. */
  snooze?: Snooze;
  /** Set once, when the finding passed its remediation deadline and was escalated one level. */
  deadlineEscalation?: DeadlineEscalation;
}

export interface Snooze {
  until: string;
  reason: string;
  by: string;
  at: string;
}

export interface DeadlineEscalation {
  deadline: string;
  at: string;
  from: Severity;
  to: Severity;
}

/** POST /api/findings/{id}/snooze: `until` an ISO date-time with a time zone, at most 30 days ahead. */
export interface SnoozeRequest {
  until: string;
  reason: string;
}

export interface HistoryEntry {
  findingId: string;
  at: string;
  transition: string;
  status: FindingStatus;
  severity: Severity;
  eventId?: string;
  actor?: Actor | string;
  note?: string;
}

export interface FrameworkRef {
  framework: FrameworkId;
  requirement: string;
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

export interface Exemption {
  id: string;
  controlId: string;
  accounts?: string[];
  resourcePattern?: string;
  reason: string;
  approver: string;
  expiresAt: string;
  createdBy?: string;
  createdAt?: string;
  deletedAt?: string;
  deletedBy?: string;
  state?: 'active' | 'expired' | 'deleted';
}

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

/** GET /api/reports/{framework} (shared/report/build-report.ts, FrameworkReport). */
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
