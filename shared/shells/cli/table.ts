/** Plain-text tables for the terminal, fitted to its width. */
import { inertText } from '../../core/model/text';

/** A column's header, how its cells are shortened, and their style. */
export interface TableColumn {
  header: string;
  /** How a cell is cut to `width` characters (default: in the middle, shortenMiddle). */
  shorten?: (cell: string, width: number) => string;
  /** Styles a laid-out cell (colour): applied after padding, so it never counts in the width. */
  style?: (cell: string, row: number) => string;
}

/**
 * One step of giving way, when the lines are wider than the terminal: a column shrunk (its cells
 * shortened), as far as needed but not below `to` characters, or left out (`to` absent).
 */
export interface GiveWay {
  column: number;
  to?: number;
}

export interface TableOptions {
  /** The width every line fits in (undefined: no limit). */
  width?: number | undefined;
  /**
   * The steps taken, in order, until the lines fit. Without them, the widest column shrinks first,
   * down to MIN_COLUMN characters.
   */
  giveWay?: readonly GiveWay[];
}

/** The narrowest a column shrinks to when the table says nothing else. */
const MIN_COLUMN = 8;
const GAP = '  ';
const ELLIPSIS = '…';

/**
 * `text` in at most `width` characters: the start and the end kept, the middle replaced by an ellipsis,
 * so an ARN keeps its service and account and its resource name (`arn:aws:iam::111122223333:r…deploy-role`).
 */
export function shortenMiddle(text: string, width: number): string {
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  if (width <= 1) return ELLIPSIS.slice(0, Math.max(0, width));
  const kept = width - 1;
  const head = Math.floor(kept / 2);
  return `${chars.slice(0, head).join('')}${ELLIPSIS}${chars.slice(chars.length - (kept - head)).join('')}`;
}

/** `text` in at most `width` characters, cut at the end (a title, a sentence). */
export function shortenEnd(text: string, width: number): string {
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  return width <= 1 ? ELLIPSIS.slice(0, Math.max(0, width)) : `${chars.slice(0, width - 1).join('')}${ELLIPSIS}`;
}

const lengthOf = (text: string) => Array.from(text).length;

/** The columns kept and their widths, so that the lines fit `width` when they can. */
function layout(
  natural: number[],
  width: number | undefined,
  giveWay: readonly GiveWay[] | undefined,
): { kept: number[]; widths: number[] } {
  let kept = natural.map((_, i) => i);
  const widths = [...natural];
  const excess = () => kept.reduce((sum, i) => sum + widths[i]!, 0) + GAP.length * Math.max(0, kept.length - 1) - (width ?? 0);
  if (width === undefined || excess() <= 0) return { kept, widths };
  for (const step of giveWay ?? []) {
    if (excess() <= 0) break;
    if (step.to === undefined) kept = kept.filter((i) => i !== step.column);
    else widths[step.column] = Math.max(Math.min(step.to, widths[step.column]!), widths[step.column]! - excess());
  }
  // Then (or without steps) the widest column shrinks, as far as needed, then the next widest.
  while (excess() > 0) {
    const widest = kept.reduce<number | undefined>(
      (best, i) => (widths[i]! > MIN_COLUMN && (best === undefined || widths[i]! > widths[best]!) ? i : best),
      undefined,
    );
    if (widest === undefined) break;
    widths[widest] = Math.max(MIN_COLUMN, widths[widest]! - excess());
  }
  return { kept, widths };
}

/**
 * Columns padded to their widest cell, two spaces apart; with a width, columns give way (cells shortened,
 * in the middle unless the column says otherwise; the least needed columns left out) until every line fits. Every cell is one inert line: a
 * control, bidi or invisible character (from an event: a resource name, a user agent) is shown as an
 * escape (`\x1b`, `\u202e`), so it cannot act on the terminal nor shift the columns.
 */
export function renderTable(rawColumns: Array<string | TableColumn>, rawRows: string[][], options: TableOptions = {}): string {
  const columns = rawColumns.map((column) => (typeof column === 'string' ? { header: column } : column));
  const headers = columns.map((column) => inertText(column.header));
  const rows = rawRows.map((r) => r.map((c) => inertText(c)));
  const natural = headers.map((h, i) => Math.max(lengthOf(h), ...rows.map((r) => lengthOf(r[i] ?? ''))));
  const { kept, widths } = layout(natural, options.width, options.giveWay);
  const line = (cells: string[], row: number | undefined) =>
    kept
      .map((i, k) => {
        const cell = cells[i] ?? '';
        const text = lengthOf(cell) <= widths[i]! ? cell : (columns[i]!.shorten ?? shortenMiddle)(cell, widths[i]!);
        const padded = k === kept.length - 1 ? text : text.padEnd(widths[i]! + text.length - lengthOf(text));
        const style = columns[i]!.style;
        return row !== undefined && style ? style(padded, row) : padded;
      })
      .join(GAP)
      .trimEnd();
  const rules = widths.map((w) => '-'.repeat(w));
  return [line(headers, undefined), line(rules, undefined), ...rows.map((r, row) => line(r, row))].join('\n');
}
