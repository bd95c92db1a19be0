/**
 * The findings API's contract (CONTRACT.md) as types: what each route answers and accepts. The
 * router builds its answers with them and the dashboard reads them, so the two cannot drift. Types
 * only: nothing here exists at run time (the dashboard imports it with `import type`).
 */
import type { ExemptionAuditEntry, ExemptionRequest, ExemptionView } from '../../core/exemptions/exemption';
import type { Finding, HistoryEntry } from '../../core/findings/finding';
import type { FindingPage, FindingSummary } from '../../core/findings/finding-query';
import type { SnoozeRequest } from '../../core/findings/snooze';
import type { ControlSummary } from '../../core/model/control-metadata';
import type { FindingFilterName } from '../../core/model/finding-filters';
import type { FrameworkReport } from '../reports/build-report';

export type { Actor, DeadlineEscalation, Evidence, Finding, FindingStatus, HistoryEntry, Snooze } from '../../core/findings/finding';
export type { FrameworkRef } from '../../core/model/framework';
export type { ControlSummary, ExemptionView, FrameworkReport, SnoozeRequest };

/** GET /api/findings: one page, newest activity first. */
export type FindingsPage = FindingPage;

/** GET /api/findings/{id}. `control` is null when the control is no longer in the catalogue. */
export interface FindingDetail {
  finding: Finding;
  history: HistoryEntry[];
  control: Omit<ControlSummary, 'resolves'> | null;
}

/** GET /api/controls. */
export interface ControlsList {
  controls: ControlSummary[];
}

/**
 * The periods of the summary's trend: the last 30 or 90 days or the last year, ending today, or `all`: the
 * days from the first to the last one with a finding opened or resolved (within ALL_ACTIVITY_DAYS).
 */
export const TREND_PERIODS = ['30d', '90d', '1y', 'all'] as const;
export type TrendPeriod = (typeof TREND_PERIODS)[number];

/** GET /api/summary?period=: counts by status, area and open severity, and the trend of the period (default 30d). */
export type Summary = FindingSummary & { period: TrendPeriod };

/** GET /api/exemptions. */
export interface ExemptionsList {
  exemptions: ExemptionView[];
}

/** POST /api/exemptions: the body. */
export type NewExemption = ExemptionRequest;

/** POST /api/exemptions (201): the exemption and how many open findings it suppressed. */
export interface ExemptionCreated {
  exemption: ExemptionView;
  suppressed: number;
}

/** DELETE /api/exemptions/{id}: the exemption, deleted, and how many findings opened again. */
export interface ExemptionDeleted {
  exemption: ExemptionView;
  reopened: number;
}

/** GET /api/exemptions/audit: the append-only log, oldest first. */
export interface AuditLog {
  entries: Array<Pick<ExemptionAuditEntry, 'at' | 'action' | 'exemptionId' | 'actor' | 'detail'>>;
}

/** POST and DELETE /api/findings/{id}/snooze: the finding after the change. */
export interface SnoozeChanged {
  finding: Finding;
}

/** Any refusal: 400 names the parameter and why; 409 gives the reason; others the error alone. */
export interface ApiErrorBody {
  error: string;
  parameter?: string;
  reason?: string;
}

/**
 * GET /api/export and /api/reports/{framework} from the api function when the document is too large
 * to answer inline: 303 See Other, `Location: <url>`, and this body. `url` is a presigned GET that
 * needs no other credential, `expiresAt` an ISO 8601 time, `bytes` the document's size, `contentType`
 * what the document is (as the inline answer would have said).
 */
export interface AnswerReference {
  url: string;
  expiresAt: string;
  bytes: number;
  contentType: string;
}

/** The filters of GET /api/findings and /api/export, as query parameters (empty ones are left out). */
export type FindingFilters = Partial<Record<FindingFilterName, string>>;
