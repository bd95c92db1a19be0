/**
 * readJsonLines: the JSON Lines reader of `trailwarden evaluate --jsonl`, where each line is one input
 * and gets one answer. It streams like readEvents (same decoding, same checks per record), and says
 * where each line ends, so that the caller can answer every line, blank ones included.
 */
import { createReadStream } from 'node:fs';
import type { IntakeItem, IntakeOptions } from '../../core/intake/types';
import { JsonScanner } from './json-scanner';
import { describeReadError } from './read-errors';
import { notTextRejection, readerLimitsOf } from './read-events';
import { lineItems, maxRecordCharsOf, type RecordContext, scannedItems, tooLongReason } from './record-items';
import { sourceText } from './source-text';
import { Utf8Decoder } from './utf8-text';

/** The end of line `line`: every item of it came before. `blank`: the line holds nothing but whitespace. */
export interface LineEnd {
  kind: 'line-end';
  line: number;
  blank: boolean;
}

/** What readJsonLines hands out: the items of each line (with `where.line`), then its end. */
export type JsonLinesItem = IntakeItem | LineEnd;

/**
 * Lines are read whole up to this many characters, and judged as one JSON value (as JSON.parse
 * would); a longer line — a CloudTrail log file on one line — is streamed record by record instead,
 * so that no line, however long, is ever held in memory.
 */
export const MAX_WHOLE_LINE_CHARS = 16 * 1024 * 1024;

/**
 * The items of a JSON Lines input ('-' for stdin), one `line-end` after the items of each line, in
 * order: lines are separated by LF (a CR before it is whitespace); a last line without LF counts
 * when it holds any character. A line that is not one JSON value is one rejection; a line holding a
 * `{"Records":[...]}` gives one item per record (path `Records[i]`). Invalid UTF-8 refuses the line
 * that holds it. An input that does not start as text, or cannot be read, is one rejection with
 * line 0 and nothing more. Never throws.
 */
export async function* readJsonLines(
  input: string,
  options: IntakeOptions = {},
  stdin?: NodeJS.ReadableStream,
): AsyncGenerator<JsonLinesItem, void, undefined> {
  const limits = readerLimitsOf(options);
  const context: RecordContext = { file: input, limits, decoder: new Utf8Decoder(), binary: new WeakSet() };
  const open = () => (input === '-' ? (stdin ?? process.stdin) : createReadStream(input));
  const maxWholeLine = Math.min(MAX_WHOLE_LINE_CHARS, maxRecordCharsOf(limits));

  let line = 1;
  /** The current line's text so far, while it is read whole. */
  let parts: string[] = [];
  let partsChars = 0;
  /** The current line's scanner, once it is too long to read whole. */
  let streaming: JsonScanner | undefined;

  const streamed = (texts: string[]): IntakeItem[] => {
    const items: IntakeItem[] = [];
    for (const text of texts) for (const scanned of (streaming as JsonScanner).push(text)) scannedItems(scanned, context, items);
    return items;
  };

  /** The items of the line that ends here, then its end. */
  const finishLine = (): JsonLinesItem[] => {
    const out: JsonLinesItem[] = [];
    if (streaming !== undefined) {
      const items = streamed(['\n']);
      for (const scanned of streaming.end()) scannedItems(scanned, context, items);
      streaming = undefined;
      out.push(...items, { kind: 'line-end', line, blank: false });
    } else {
      const text = parts.length === 1 ? (parts[0] as string) : parts.join('');
      const blank = text.trim() === '';
      if (!blank) lineItems(text, line, context, out as IntakeItem[]);
      out.push({ kind: 'line-end', line, blank });
    }
    parts = [];
    partsChars = 0;
    line += 1;
    return out;
  };

  try {
    for await (const piece of sourceText(open(), context.decoder)) {
      if (piece.kind === 'not-text') {
        yield notTextRejection(input, piece.reason);
        return;
      }
      const text = piece.text;
      let from = 0;
      while (from < text.length) {
        const newline = text.indexOf('\n', from);
        const segment = text.slice(from, newline === -1 ? text.length : newline);
        if (streaming !== undefined) {
          yield* streamed([segment]);
        } else if (segment.length > 0) {
          parts.push(segment);
          partsChars += segment.length;
          if (partsChars > maxWholeLine) {
            streaming = new JsonScanner({
              jsonLinesFrom: line,
              maxRecordChars: maxRecordCharsOf(limits),
              tooLongReason: tooLongReason(limits),
            });
            const held = parts;
            parts = [];
            partsChars = 0;
            yield* streamed(held);
          }
        }
        if (newline === -1) break;
        yield* finishLine();
        from = newline + 1;
      }
    }
  } catch (error) {
    yield { kind: 'rejected', where: { file: input, line: 0 }, reason: describeReadError(input, error) };
    return;
  }
  if (streaming !== undefined || partsChars > 0) yield* finishLine();
}
