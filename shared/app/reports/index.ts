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

export function renderReport(report: FrameworkReport, format: ReportFormat): RenderedReport {
  switch (format) {
    case 'markdown':
      return { contentType: 'text/markdown; charset=utf-8', body: reportToMarkdown(report) };
    case 'html':
      return { contentType: 'text/html; charset=utf-8', body: reportToHtml(report) };
    case 'csv':
      return { contentType: 'text/csv; charset=utf-8; header=present', body: reportToCsv(report) };
    case 'json':
      return { contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(report, null, 2)}\n` };
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
export { escapeHtml } from './html';
export { escapeMarkdown } from './markdown';
