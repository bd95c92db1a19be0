/** The in-process reading of a FindingQuery, cursors, pages and summaries: shared by the adapters and the API. */
import { AREAS } from '../model/area';
import { SEVERITIES, severityRank } from '../model/severity';
import { activityOf, FINDING_STATUSES, type Finding, type HistoryEntry } from './finding';
import { awaitsSweep } from './sweeps';
import type { FindingStore } from './finding-store';
import { InvalidCursorError, type FindingPage, type FindingQuery, type FindingSummary, type StatusCounts } from './finding-query';

/** A decoded cursor: the activity time and id of the last finding of the previous page. */
export interface CursorPosition {
  activity: string;
  id: string;
}

const CURSOR_TEXT = /^[A-Za-z0-9_-]{1,400}$/;
const ACTIVITY_TEXT = /^[\x20-\x7e]{1,64}$/;
const ID_TEXT = /^[A-Za-z0-9._:-]{1,128}$/;

export function encodeCursor(finding: Finding): string {
  return Buffer.from(JSON.stringify({ a: activityOf(finding), i: finding.id }), 'utf8').toString('base64url');
}

/** Decodes a cursor, refusing anything `encodeCursor` could not have written. */
export function decodeCursor(cursor: string): CursorPosition {
  if (!CURSOR_TEXT.test(cursor)) throw new InvalidCursorError('not a cursor this API issued');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('not a cursor this API issued');
  }
  const { a, i } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  if (typeof a !== 'string' || typeof i !== 'string' || !ACTIVITY_TEXT.test(a) || !ID_TEXT.test(i)) {
    throw new InvalidCursorError('not a cursor this API issued');
  }
  return { activity: a, id: i };
}

/** Whether the finding comes after the cursor position in newest-activity-first order. */
export function isAfter(finding: { id: string; activity: string }, position: CursorPosition): boolean {
  return finding.activity < position.activity || (finding.activity === position.activity && finding.id > position.id);
}

/** The control ids a query allows: undefined for any, [] for none. */
export function allowedControlIds(query: FindingQuery): string[] | undefined {
  if (query.controlIds === undefined) return query.controlId === undefined ? undefined : [query.controlId];
  const ids = [...new Set(query.controlIds)];
  return query.controlId === undefined ? ids : ids.filter((id) => id === query.controlId);
}

export function matchesQuery(
  finding: Finding,
  query: FindingQuery,
  position = query.cursor === undefined ? undefined : decodeCursor(query.cursor),
): boolean {
  const activity = activityOf(finding);
  const controls = allowedControlIds(query);
  return (
    (query.area === undefined || finding.area === query.area) &&
    (query.status === undefined || finding.status === query.status) &&
    (query.severity === undefined || finding.severity === query.severity) &&
    (query.minSeverity === undefined || severityRank(finding.severity) >= severityRank(query.minSeverity)) &&
    (controls === undefined || controls.includes(finding.controlId)) &&
    (query.account === undefined || finding.account === query.account) &&
    (query.region === undefined || finding.region === query.region) &&
    (query.resourceId === undefined || finding.resourceId === query.resourceId) &&
    (query.awaiting === undefined || awaitsSweep(finding, query.awaiting)) &&
    (query.since === undefined || activity >= query.since) &&
    (query.until === undefined || activity <= query.until) &&
    (position === undefined || isAfter({ id: finding.id, activity }, position))
  );
}

/**
 * One page of `listFindings`, with the cursor of the next when there is one: asks for one more
 * than the limit to learn whether another page follows. Rejects an unusable cursor with
 * InvalidCursorError.
 */
export async function pageFindings(findings: Pick<FindingStore, 'listFindings'>, query: FindingQuery): Promise<FindingPage> {
  if (query.cursor !== undefined) decodeCursor(query.cursor);
  if (query.limit === undefined) return { findings: await findings.listFindings(query) };
  if (query.limit <= 0) return { findings: [] };
  const found = await findings.listFindings({ ...query, limit: query.limit + 1 });
  if (found.length <= query.limit) return { findings: found };
  const page = found.slice(0, query.limit);
  return { findings: page, nextCursor: encodeCursor(page[page.length - 1]!) };
}

export function zeroStatusCounts(): StatusCounts {
  return Object.fromEntries(FINDING_STATUSES.map((s) => [s, 0])) as StatusCounts;
}

/** The UTC days of the trend, oldest first, ending on `now`'s day. */
export function trendDays(now: Date, days: number): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: Math.max(0, days) }, (_, i) => new Date(today - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

/** Which trend column a history transition counts in, if any. */
export function trendColumnOf(transition: HistoryEntry['transition']): 'opened' | 'resolved' | undefined {
  if (transition === 'opened' || transition === 'reopened' || transition === 'unsuppressed') return 'opened';
  if (transition === 'resolved') return 'resolved';
  return undefined;
}

/** An empty summary to count into. */
export function emptySummary(now: Date, days: number): FindingSummary {
  return {
    total: 0,
    byStatus: zeroStatusCounts(),
    byArea: Object.fromEntries(AREAS.map((a) => [a, zeroStatusCounts()])) as FindingSummary['byArea'],
    bySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as FindingSummary['bySeverity'],
    trend: trendDays(now, days).map((day) => ({ day, opened: 0, resolved: 0 })),
  };
}

/** Counts one finding (or `n` alike) into a summary. */
export function countFinding(summary: FindingSummary, finding: Pick<Finding, 'area' | 'status' | 'severity'>, n = 1): void {
  summary.total += n;
  summary.byStatus[finding.status] += n;
  summary.byArea[finding.area][finding.status] += n;
  if (finding.status === 'open') summary.bySeverity[finding.severity] += n;
}

/** Counts one history transition (or `n` alike) on its day into the trend; days outside it are ignored. */
export function countTrend(summary: FindingSummary, day: string, transition: HistoryEntry['transition'], n = 1): void {
  const column = trendColumnOf(transition);
  if (!column) return;
  const entry = summary.trend.find((t) => t.day === day);
  if (entry) entry[column] += n;
}
