/**
 * CSV as RFC 4180 writes it (CRLF line endings, a field with a comma, quote, CR or LF is quoted and
 * its quotes doubled), with the OWASP CSV-injection defence: a cell a spreadsheet would run as a
 * formula is neutralized by a leading single quote. Cells are inert: controls other than LF, CR and
 * TAB (ESC, BEL, C1), bidi and invisible characters are written as escapes (`\x1b`, `\u202e`), so a
 * CSV printed to a terminal or opened in a spreadsheet shows them instead of acting on them.
 */
import { inertText } from '../../core/model/text';

/** Leading characters that make Excel, LibreOffice or Google Sheets evaluate a cell (OWASP "CSV Injection"). */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);

/** Prefixes a single quote when a spreadsheet would treat the cell as a formula. */
export function neutralizeFormula(cell: string): string {
  return cell.length > 0 && FORMULA_TRIGGERS.has(cell[0]!) ? `'${cell}` : cell;
}

/** One RFC 4180 field: made inert, neutralized, then quoted when it holds a comma, a quote, CR or LF. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const cell = typeof value === 'string' ? neutralizeFormula(inertText(value, 'cell')) : String(value);
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** A header row and the records, every line ending in CRLF. */
export function toCsv(
  headers: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null | undefined>>,
): string {
  return csvLines([headers, ...rows]);
}

/** Rows as CSV records, each ended with CRLF (no header: what follows it, or earlier rows). */
export function csvLines(rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null | undefined>>): string {
  return rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}
