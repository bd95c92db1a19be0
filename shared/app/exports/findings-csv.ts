/** Findings as CSV: one row per finding, control metadata from the catalogue. Evidence stays masked (it is stored masked). */
import type { Finding } from '../../core/findings/finding';
import type { ControlCatalogue } from './catalogue';
import { csvLines, toCsv } from './csv';

export const FINDINGS_CSV_HEADERS = [
  'id',
  'control_id',
  'area',
  'title',
  'severity',
  'status',
  'account',
  'region',
  'resource_type',
  'resource_id',
  'qualifier',
  'message',
  'first_seen',
  'last_seen',
  'count',
  'resolved_at',
  'event_name',
  'actor_arn',
  'source_ip',
  'frameworks',
] as const;

function rowOf(f: Finding, catalogue: ControlCatalogue): Array<string | number | undefined> {
  return [
    f.id,
    f.controlId,
    f.area,
    f.title,
    f.severity,
    f.status,
    f.account,
    f.region,
    f.resourceType,
    f.resourceId,
    f.qualifier,
    f.message,
    f.firstSeen,
    f.lastSeen,
    f.count,
    f.resolvedAt,
    f.evidence.eventName,
    f.evidence.actor?.arn,
    f.evidence.sourceIp,
    (catalogue.get(f.controlId)?.frameworks ?? []).map((ref) => `${ref.framework} ${ref.requirement}`).join('; '),
  ];
}

export function findingsToCsv(findings: readonly Finding[], catalogue: ControlCatalogue): string {
  return toCsv(
    FINDINGS_CSV_HEADERS,
    findings.map((f) => rowOf(f, catalogue)),
  );
}

/** The header line alone: how a streamed CSV export starts. */
export function findingsCsvHeader(): string {
  return toCsv(FINDINGS_CSV_HEADERS, []);
}

/**
 * The lines of these findings without the header: what follows the header (or earlier rows) in a
 * streamed CSV export. The same text `findingsToCsv` writes for them, as its lines after the header.
 */
export function findingsCsvRows(findings: readonly Finding[], catalogue: ControlCatalogue): string {
  return csvLines(findings.map((f) => rowOf(f, catalogue)));
}
