/** What JsonScanner hands out (record texts and rejections), the reasons it gives, and its options. */

/** A piece of the input: the text of one record (for JSON.parse to parse), or a rejection saying why there is none. */
export type Scanned =
  /** `wholeLine`: a JSON Lines line taken whole without scanning (JSON.parse must judge it all). */
  | { kind: 'text'; text: string; line: number; path?: string; wholeLine?: boolean }
  | { kind: 'rejected'; line: number; path?: string; reason: string };

export const TRUNCATED_RECORD = 'file ends inside a record (truncated?)';
export const TRUNCATED_RECORDS_ARRAY = 'file ends before the Records array is closed (truncated?)';
export const TRUNCATED_RECORDS_OBJECT = 'file ends before the object holding the Records array is closed (truncated?)';
export const BROKEN_LINE = 'line ends inside a JSON value (malformed or truncated JSON Lines line)';
export const BROKEN_LINE_RECORD = 'line ends inside a record (malformed or truncated JSON Lines line)';
export const BROKEN_LINE_RECORDS = 'line ends before the Records array is closed (malformed or truncated JSON Lines line)';

/** How a JsonScanner is set up. */
export interface ScannerOptions {
  /** Start in JSON Lines mode at this line (for re-scanning one line), instead of detecting the format at line 1. */
  jsonLinesFrom?: number;
  /** Longest record text (in UTF-16 code units) buffered; a longer record is skipped and rejected. */
  maxRecordChars: number;
  /** Reason for a record longer than maxRecordChars. */
  tooLongReason?: (chars: number) => string;
}
