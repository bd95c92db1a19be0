/** Framework reports: `buildReport` (pure) and `renderReport` to Markdown, CSV, HTML or JSON. */
import type { FrameworkReport } from './build-report';
import { reportToCsv } from './report-csv';
import { reportToHtml } from './html';
import { reportToMarkdown } from './markdown';

export const REPORT_FORMATS = ['markdown', 'html', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function isReportFormat(value: unknown): value is ReportFormat {
  return typeof value === 'string' && (REPORT_FORMATS as readonly string[]).includes(value);
}

export interface RenderedReport {
  contentType: string;
  /** The document, ending with a line terminator. */
  body: string;
}

export const REPORT_CONTENT_TYPES: Readonly<Record<ReportFormat, string>> = {
  markdown: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
  json: 'application/json; charset=utf-8',
};

export function renderReport(report: FrameworkReport, format: ReportFormat): RenderedReport {
  const contentType = REPORT_CONTENT_TYPES[format];
  switch (format) {
    case 'markdown':
      return { contentType, body: reportToMarkdown(report) };
    case 'html':
      return { contentType, body: reportToHtml(report) };
    case 'csv':
      return { contentType, body: reportToCsv(report) };
    case 'json':
      return { contentType, body: `${JSON.stringify(report, null, 2)}\n` };
  }
}

export {
  buildReport,
  compareRequirements,
  VERDICTS,
  type BuildReportOptions,
  type FrameworkReport,
  type RequirementResult,
  type ReportControl,
  type ReportFinding,
  type Verdict,
} from './build-report';
export { reportJsonChunks } from './stream';
export { escapeHtml } from './html';
export { escapeMarkdown } from './markdown';
