/**
 * The daily digest: the findings below the paging threshold (`pageMinSeverity`, default HIGH;
 * INFORMATIONAL activity records included) that were active in a period, grouped by area and
 * severity, for a mailbox rather than a pager. Pure: `buildDigest` over findings, then text or JSON.
 * Built from the store and delivered by shared/app/jobs/digest.ts.
 */
import { AREAS, type Area } from '../model/area';
import { SEVERITIES, severityRank, type Severity } from '../model/severity';
import { activityOf, byNewestActivity, type Finding, type FindingStatus } from '../findings/finding';
import { findingLinkOf } from './notification';
import { inertText } from '../model/text';
import { maskSecrets } from '../findings/mask';

/** Findings listed by name per group before "and N more". */
export const DIGEST_ITEMS_PER_GROUP = 20;

export interface DigestItem {
  findingId: string;
  controlId: string;
  title: string;
  status: FindingStatus;
  account: string;
  region: string;
  resourceId: string;
  lastActivity: string;
  count: number;
  link?: string;
}

export interface DigestGroup {
  area: Area;
  severity: Severity;
  total: number;
  byStatus: Record<FindingStatus, number>;
  /** Newest activity first, at most DIGEST_ITEMS_PER_GROUP. */
  items: DigestItem[];
}

export interface Digest {
  since: string;
  until: string;
  /** Findings below this severity are in the digest. */
  pageMinSeverity: Severity;
  total: number;
  /** By area (catalogue order), then severity (highest first); only non-empty groups. */
  groups: DigestGroup[];
}

export interface DigestOptions {
  pageMinSeverity?: Severity;
  findingsUrl?: string | undefined;
}

/** Pure: the findings below the paging threshold whose latest activity falls in [since, until]. */
export function buildDigest(findings: readonly Finding[], since: Date, until: Date, options: DigestOptions = {}): Digest {
  const threshold = options.pageMinSeverity ?? 'HIGH';
  const from = since.toISOString();
  const to = until.toISOString();
  const selected = findings.filter(
    (f) => severityRank(f.severity) < severityRank(threshold) && activityOf(f) >= from && activityOf(f) <= to,
  );
  const groups: DigestGroup[] = [];
  for (const area of AREAS) {
    for (const severity of [...SEVERITIES].reverse()) {
      const members = selected.filter((f) => f.area === area && f.severity === severity).sort(byNewestActivity);
      if (members.length === 0) continue;
      const byStatus: Record<FindingStatus, number> = { open: 0, resolved: 0, suppressed: 0 };
      for (const f of members) byStatus[f.status] += 1;
      groups.push({
        area,
        severity,
        total: members.length,
        byStatus,
        items: members.slice(0, DIGEST_ITEMS_PER_GROUP).map((f) => ({
          findingId: f.id,
          controlId: f.controlId,
          title: f.title,
          status: f.status,
          account: f.account,
          region: f.region,
          // Masked as every message masks what an event put in a finding (a resource name can carry a token).
          resourceId: maskSecrets(f.resourceId),
          lastActivity: activityOf(f),
          count: f.count,
          ...(options.findingsUrl ? { link: findingLinkOf(options.findingsUrl, f.id) } : {}),
        })),
      });
    }
  }
  return { since: from, until: to, pageMinSeverity: threshold, total: selected.length, groups };
}

/** Each line inert on its own (controls, bidi and invisible characters escaped: `\x1b`, `\u202e`): values come from events. */
function linesOf(lines: readonly string[]): string {
  return lines.map((line) => inertText(line)).join('\n');
}

/** The digest's subject: `[DIGEST] trailwarden: 12 findings below HIGH, 2026-03-01T10:00Z to …` (under 100 characters). */
export function digestSubjectOf(digest: Digest): string {
  const day = (iso: string) => iso.slice(0, 16).replace('T', ' ');
  return `[DIGEST] trailwarden: ${digest.total} finding${digest.total === 1 ? '' : 's'} below ${digest.pageMinSeverity}, ${day(digest.since)} to ${day(digest.until)} UTC`;
}

export function digestTextOf(digest: Digest): string {
  const lines = [digestSubjectOf(digest), ''];
  if (digest.total === 0) {
    lines.push(`No finding below ${digest.pageMinSeverity} was active between ${digest.since} and ${digest.until}.`);
    return linesOf(lines);
  }
  lines.push(
    `Findings below the paging threshold (${digest.pageMinSeverity}) active between ${digest.since} and ${digest.until}, by area and severity:`,
  );
  let area: Area | undefined;
  for (const group of digest.groups) {
    if (group.area !== area) {
      area = group.area;
      lines.push('', `${area}`);
    }
    const statuses = (['open', 'resolved', 'suppressed'] as const)
      .filter((s) => group.byStatus[s] > 0)
      .map((s) => `${group.byStatus[s]} ${s}`);
    lines.push(`  ${group.severity}: ${group.total} (${statuses.join(', ')})`);
    for (const item of group.items) {
      lines.push(
        `    - [${item.status}] ${item.title} on ${item.resourceId} (${item.account}/${item.region}), last ${item.lastActivity}, seen ${item.count}×${item.link ? ` ${item.link}` : ''}`,
      );
    }
    if (group.total > group.items.length) lines.push(`    … and ${group.total - group.items.length} more`);
  }
  return linesOf(lines);
}

export function digestJsonOf(digest: Digest): Record<string, unknown> {
  return { type: 'digest', subject: digestSubjectOf(digest), ...digest };
}
