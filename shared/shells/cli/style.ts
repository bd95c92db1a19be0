/**
 * How output is shaped for the person reading it: the width tables fit, and whether severities are
 * coloured. Colours only on a terminal, never in a pipe or a file, unless FORCE_COLOR asks for them;
 * NO_COLOR (https://no-color.org) turns them off everywhere, FORCE_COLOR=0 as well.
 */
import picocolors from 'picocolors';
import type { Severity } from '../../core/model/severity';
import type { Io } from './io';

/** The width output should fit: the terminal's, else `COLUMNS` when it is a number; undefined: no limit. */
export function outputWidth(io: Pick<Io, 'columns' | 'env'>): number | undefined {
  if (io.columns !== undefined && io.columns > 0) return io.columns;
  const columns = io.env.COLUMNS;
  if (columns !== undefined && /^\d{1,5}$/.test(columns) && Number(columns) > 0) return Number(columns);
  return undefined;
}

/** Whether colours are used on standard output. */
export function coloursEnabled(io: Pick<Io, 'outIsTerminal' | 'env'>): boolean {
  const { NO_COLOR, FORCE_COLOR, TERM } = io.env;
  if (NO_COLOR !== undefined && NO_COLOR !== '') return false;
  if (FORCE_COLOR !== undefined) return FORCE_COLOR !== '0' && FORCE_COLOR !== 'false';
  return io.outIsTerminal === true && TERM !== 'dumb';
}

/** A severity's text in its colour (when colours are enabled): the most severe stand out most. */
export function severityPainter(io: Pick<Io, 'outIsTerminal' | 'env'>): (severity: Severity, text: string) => string {
  const colours = picocolors.createColors(coloursEnabled(io));
  const paint: Record<Severity, (text: string) => string> = {
    CRITICAL: (text) => colours.bold(colours.red(text)),
    HIGH: colours.red,
    MEDIUM: colours.yellow,
    LOW: colours.cyan,
    INFORMATIONAL: colours.dim,
  };
  return (severity, text) => paint[severity](text);
}
