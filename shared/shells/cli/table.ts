/** Plain-text tables for the terminal. */
import { inertText } from '../../core/model/text';

/**
 * Columns padded to their widest cell. Every cell is one inert line: a control, bidi or invisible
 * character (from an event: a resource name, a user agent) is shown as an escape (`\x1b`, `\u202e`),
 * so it cannot act on the terminal nor shift the columns.
 */
export function renderTable(rawHeaders: string[], rawRows: string[][]): string {
  const headers = rawHeaders.map((h) => inertText(h));
  const rows = rawRows.map((r) => r.map((c) => inertText(c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
