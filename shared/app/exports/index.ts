/**
 * Exports of recorded findings: pure functions from findings and the control catalogue to a
 * document, whole (`exportFindings`) or streamed from pages of findings (`exportChunks`: the same
 * text, a page at a time). Evidence is exported as stored — already masked — and raw events are never read.
 */
import type { Finding } from '../../core/findings/finding';
import type { Control } from '../../core/model/control';
import { catalogueOf, type ControlCatalogue } from './catalogue';
import { findingsCsvHeader, findingsCsvRows, findingsToCsv } from './findings-csv';
import { JsonArrayText } from './json-array';
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
  const contentType = exportContentType(format);
  if (format === 'csv') return { contentType, body: findingsToCsv(findings, catalogue) };
  const item = JSON_ITEMS[format];
  return {
    contentType,
    body: `${JSON.stringify(
      findings.map((finding) => item(finding, catalogue)),
      null,
      2,
    )}\n`,
  };
}

export function exportContentType(format: ExportFormat): string {
  return format === 'csv' ? 'text/csv; charset=utf-8; header=present' : 'application/json; charset=utf-8';
}

/** Each JSON format's array item for one finding. */
const JSON_ITEMS: Record<Exclude<ExportFormat, 'csv'>, (finding: Finding, catalogue: ControlCatalogue) => unknown> = {
  json: (finding) => finding,
  ocsf: findingToOcsf,
  asff: findingToAsff,
};

/**
 * Findings rendered per chunk of a streamed export: about 60 KiB of text, so that a chunk is an
 * ordinary young-generation string, collected as soon as it is sent, never a large object that
 * waits for a full collection (which let a server's memory grow by hundreds of MiB per export).
 */
export const CHUNK_FINDINGS = 20;

/**
 * The export of the findings `pages` gives, in order, as chunks of text of CHUNK_FINDINGS findings
 * each (the CSV header, or the JSON array's opening, comes with the first; the end comes last).
 * Their concatenation is `exportFindings(format, <every page's findings>, controls).body`, byte for
 * byte, and one page of findings and one chunk of text are held at a time.
 */
export async function* exportChunks(
  format: ExportFormat,
  pages: AsyncIterable<readonly Finding[]>,
  controls: readonly Control[],
): AsyncGenerator<string, void, undefined> {
  const catalogue = catalogueOf(controls);
  if (format === 'csv') {
    let header = findingsCsvHeader();
    for await (const page of pages) {
      for (let i = 0; i < page.length; i += CHUNK_FINDINGS) {
        yield header + findingsCsvRows(page.slice(i, i + CHUNK_FINDINGS), catalogue);
        header = '';
      }
    }
    if (header !== '') yield header;
    return;
  }
  const item = JSON_ITEMS[format];
  const array = new JsonArrayText();
  for await (const page of pages) {
    for (let i = 0; i < page.length; i += CHUNK_FINDINGS) {
      yield array.add(page.slice(i, i + CHUNK_FINDINGS).map((finding) => item(finding, catalogue)));
    }
  }
  yield `${array.end()}\n`;
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
