/** The in-process reading of a FindingQuery, for adapters that filter in memory. */
import { severityRank } from '../model/severity';
import type { Finding } from '../findings/finding';
import type { FindingQuery } from './finding-store';

export function matchesQuery(finding: Finding, query: FindingQuery): boolean {
  return (
    (query.area === undefined || finding.area === query.area) &&
    (query.status === undefined || finding.status === query.status) &&
    (query.severity === undefined || finding.severity === query.severity) &&
    (query.minSeverity === undefined || severityRank(finding.severity) >= severityRank(query.minSeverity)) &&
    (query.controlId === undefined || finding.controlId === query.controlId) &&
    (query.account === undefined || finding.account === query.account) &&
    (query.region === undefined || finding.region === query.region) &&
    (query.resourceId === undefined || finding.resourceId === query.resourceId)
  );
}

/** Newest activity first; ties broken by id so the order is stable. */
export function byNewestActivity(a: Finding, b: Finding): number {
  return activityOf(b).localeCompare(activityOf(a)) || a.id.localeCompare(b.id);
}

export function activityOf(finding: Finding): string {
  return finding.resolvedAt && finding.resolvedAt > finding.lastSeen ? finding.resolvedAt : finding.lastSeen;
}
