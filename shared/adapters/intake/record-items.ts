/**
 * From the text of one record (or one JSON Lines line) to intake items: parsed, checked for bytes that
 * are not UTF-8, turned into events by core/intake. One record's problem is that record's rejection,
 * never an exception: whatever a record holds, its neighbours are read.
 */
import { toEventFromText } from '../../core/intake/to-event';
import type { IntakeItem, IntakeLimits, SourceLocation } from '../../core/intake/types';
import { JsonScanner, type Scanned } from './json-scanner';
import { NOT_UTF8, type Utf8Decoder } from './utf8-text';

/** A record whose text held bytes that are not UTF-8 (decided per record: its neighbours are read). */
export const INVALID_UTF8_REASON = 'invalid UTF-8: the record holds bytes that are not UTF-8 text (files are read as UTF-8)';

/** A record (or line) whose text is not JSON text at all: NUL, control or non-UTF-8 bytes where JSON has none. */
export const BINARY_REASON = 'not text: NUL, control or non-UTF-8 bytes (binary data), not JSON';

/** What reading one input's records needs: where they come from, the limits, and the decoder's verdict on UTF-8. */
export interface RecordContext {
  file: string;
  limits: IntakeLimits;
  decoder: Utf8Decoder;
  /** The rejections given BINARY_REASON (readEvents merges runs of them into one). */
  binary: WeakSet<IntakeItem>;
  /** Event items keep their record's text (IntakeOptions.keepText). */
  keepText?: boolean;
}

/** The longest record text buffered: a longer one cannot be an event under the size limit, even pretty-printed. */
export function maxRecordCharsOf(limits: IntakeLimits): number {
  return Math.max(16 * limits.maxEventBytes, 16 * 1024 * 1024);
}

/** The reason for a record too long to buffer. */
export function tooLongReason(limits: IntakeLimits): (chars: number) => string {
  return (chars) =>
    `record is longer than ${chars} characters of JSON text, far above the ${limits.maxEventBytes}-byte EventBridge event size limit; skipped`;
}

function location(file: string, line: number, path: string | undefined): SourceLocation {
  return path === undefined ? { file, line } : { file, line, path };
}

/** V8's JSON.parse messages that quote no input, e.g. "Expected ',' or '}' after property value in JSON at position 22". */
const QUOTELESS_MESSAGES = [
  'Unexpected end of JSON input',
  'Unexpected number',
  'Unexpected string',
  'Unterminated string',
  'Bad control character in string literal',
  'Bad escaped character',
  'Bad Unicode escape',
  'No number after minus sign',
  'Exponent part is missing a number',
  'Unterminated fractional number',
  "Expected property name or '}'",
  "Expected ',' or '}' after property value",
  "Expected ',' or ']' after array element",
  "Expected ':' after property name",
  'Expected double-quoted property name',
  'Unexpected non-whitespace character after JSON',
];

/** The end V8 gives those messages: where in the record's text the problem is. */
const POSITION = / in JSON at position (\d+)(?: \(line \d+ column \d+\))?$/;

/**
 * Why JSON.parse refused a record, without the input: V8 quotes the text around an unexpected token
 * ("Unexpected token 's', "{"password": s"... is not valid JSON"), and a secret may sit right there.
 * Only messages known to quote nothing are kept, with their position; the others say what kind of
 * problem it is. A parser that runs out of stack on deep nesting says so.
 */
export function jsonSyntaxReason(error: unknown): string {
  const { name, message } = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; message?: unknown };
  if (name === 'RangeError') return 'malformed JSON: nested too deeply to parse';
  const text = typeof message === 'string' ? message : '';
  const known = QUOTELESS_MESSAGES.find((quoteless) => text.startsWith(quoteless));
  if (known !== undefined) {
    const position = POSITION.exec(text)?.[1];
    return `malformed JSON: ${known}${position === undefined ? '' : ` at position ${position}`}`;
  }
  if (text.startsWith('Unexpected token')) return 'malformed JSON: unexpected character';
  return 'malformed JSON: not valid JSON';
}

/** Control characters JSON text never holds raw, or the mark of bytes that were not UTF-8. */
const NOT_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\udfff]/;

/** The rejection of text JSON.parse refused: binary data when it holds what text does not, else the syntax error. */
function parseFailure(where: SourceLocation, text: string, error: unknown, context: RecordContext): IntakeItem {
  if (NOT_TEXT.test(text)) {
    const item: IntakeItem = { kind: 'rejected', where, reason: BINARY_REASON };
    context.binary.add(item);
    return item;
  }
  return { kind: 'rejected', where, reason: jsonSyntaxReason(error) };
}

function isRecordsContainer(value: unknown): value is { Records: unknown[] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { Records?: unknown }).Records);
}

/** The items of a whole JSON Lines line that holds a Records array: one per record, each with `Records[i]`. */
function recordsOf(records: unknown[], file: string, line: number, text: string, limits: IntakeLimits, out: IntakeItem[]): void {
  // The line's size bounds each record's size, which often spares serializing them to measure.
  const lineBytes = Buffer.byteLength(text, 'utf8');
  for (let i = 0; i < records.length; i += 1) {
    out.push(toEventFromText(records[i], location(file, line, `Records[${i}]`), limits, { bytes: lineBytes }));
  }
}

/** Scans a JSON Lines line again as if it had not been taken whole (see JsonScanner: results never depend on chunk ends). */
function rescanLine(piece: Extract<Scanned, { kind: 'text' }>, context: RecordContext, out: IntakeItem[]): void {
  // The newline makes a value cut off by the end of the line a broken line, not a truncated file.
  const scanner = new JsonScanner({ maxRecordChars: piece.text.length + 1, jsonLinesFrom: piece.line });
  for (const inner of [...scanner.push(`${piece.text}\n`), ...scanner.end()]) scannedItems(inner, context, out);
}

function scannedItemsUnguarded(piece: Scanned, context: RecordContext, out: IntakeItem[]): void {
  const { file, limits } = context;
  const where = location(file, piece.line, piece.path);
  if (piece.kind === 'rejected') {
    out.push({ kind: 'rejected', where, reason: piece.reason });
    return;
  }
  const text = piece.text;
  const marked = context.decoder.sawInvalid && text.includes(NOT_UTF8);
  if (marked && piece.wholeLine) {
    rescanLine(piece, context, out); // a verdict per record of a Records line
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (piece.wholeLine) {
      // A Records line keeps its good records, and the reasons are the same whatever chunk
      // boundaries the line happened to fall between.
      rescanLine(piece, context, out);
      return;
    }
    out.push(parseFailure(where, text, error, context));
    return;
  }
  if (marked) {
    out.push({ kind: 'rejected', where, reason: INVALID_UTF8_REASON });
    return;
  }
  if (piece.wholeLine && isRecordsContainer(value)) {
    recordsOf(value.Records, file, piece.line, text, limits, out);
    return;
  }
  const item = toEventFromText(value, where, limits, { text });
  if (context.keepText && item.kind === 'event') item.text = text;
  out.push(item);
}

/** The items of one piece JsonScanner cut out: one, except for a whole JSON Lines line holding a Records array. Never throws. */
export function scannedItems(piece: Scanned, context: RecordContext, out: IntakeItem[]): void {
  const before = out.length;
  try {
    scannedItemsUnguarded(piece, context, out);
  } catch (error) {
    out.length = before;
    out.push({ kind: 'rejected', where: location(context.file, piece.line, piece.path), reason: unexpectedFailure(error) });
  }
}

/**
 * The items of one JSON Lines line read whole (evaluate --jsonl: the line is the unit). Invalid UTF-8
 * anywhere on the line refuses the line; a Records container gives one item per record. Never throws.
 */
export function lineItems(text: string, line: number, context: RecordContext, out: IntakeItem[]): void {
  const before = out.length;
  const where = location(context.file, line, undefined);
  try {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      out.push(parseFailure(where, text, error, context));
      return;
    }
    if (context.decoder.sawInvalid && text.includes(NOT_UTF8)) {
      out.push({ kind: 'rejected', where, reason: INVALID_UTF8_REASON.replace('the record holds', 'the line holds') });
      return;
    }
    if (isRecordsContainer(value)) recordsOf(value.Records, context.file, line, text, context.limits, out);
    else out.push(toEventFromText(value, where, context.limits, { text }));
  } catch (error) {
    out.length = before;
    out.push({ kind: 'rejected', where, reason: unexpectedFailure(error) });
  }
}

/** A failure no check foresaw, named by its kind only (its message might quote the input). */
function unexpectedFailure(error: unknown): string {
  return `could not be read (${error instanceof Error ? error.name : 'error'})`;
}
