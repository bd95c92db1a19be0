/**
 * Exports of recorded findings: pure functions from findings and the control catalogue to a
 * document. Evidence is exported as stored — already masked — and raw events are never read.
 */
import type { Finding } from '../../core/findings/finding';
import type { Control } from '../../core/model/control';
import { catalogueOf } from './catalogue';
import { findingsToCsv } from './findings-csv';
import { findingToOcsf } from './ocsf';
import { findingToAsff } from './asff';

export const EXPORT_FORMATS = ['csv', 'json', 'ocsf', 'asff'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value);
}

export interface ExportDocument {
  contentType: string;
  /** The document, ending with a line terminator (CRLF for CSV, LF otherwise). */
  body: string;
}

/**
 * - `csv`: RFC 4180, one row per finding, formula-like cells neutralized;
 * - `json`: the findings as stored (an array);
 * - `ocsf`: an array of OCSF 1.1.0 Compliance Finding events;
 * - `asff`: an array of ASFF findings for BatchImportFindings (at most 100 per request).
 */
export function exportFindings(format: ExportFormat, findings: readonly Finding[], controls: readonly Control[]): ExportDocument {
  const catalogue = catalogueOf(controls);
  switch (format) {
    case 'csv':
      return { contentType: 'text/csv; charset=utf-8; header=present', body: findingsToCsv(findings, catalogue) };
    case 'json':
      return json(findings);
    case 'ocsf':
      return json(findings.map((finding) => findingToOcsf(finding, catalogue)));
    case 'asff':
      return json(findings.map((finding) => findingToAsff(finding, catalogue)));
  }
}

function json(value: unknown): ExportDocument {
  return { contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(value, null, 2)}\n` };
}

export { neutralizeFormula, csvField, toCsv } from './csv';
export { findingToOcsf, OCSF_SCHEMA_VERSION, OCSF_SEVERITY, type OcsfComplianceFinding } from './ocsf';
export {
  findingToAsff,
  defaultProductArn,
  asffResourceTypeOf,
  ASFF_SCHEMA_VERSION,
  ASFF_LIMITS,
  ASFF_BATCH_SIZE,
  type AsffFinding,
} from './asff';
