/** A framework report as CSV: one row per requirement (RFC 4180, formula-like cells neutralized). */
import { toCsv } from '../exports/csv';
import type { FrameworkReport } from './build-report';

export const REPORT_CSV_HEADERS = [
  'framework',
  'requirement',
  'verdict',
  'reason',
  'open',
  'suppressed',
  'resolved',
  'controls',
  'disabled_controls',
] as const;

export function reportToCsv(report: FrameworkReport): string {
  return toCsv(
    REPORT_CSV_HEADERS,
    report.requirements.map((r) => [
      report.framework.id,
      r.requirement,
      r.verdict,
      r.reason,
      r.open,
      r.suppressed,
      r.resolved,
      r.controls.map((c) => c.id).join('; '),
      r.controls
        .filter((c) => !c.enabled)
        .map((c) => c.id)
        .join('; '),
    ]),
  );
}
