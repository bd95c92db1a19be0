/** readEvents: streams intake items from files, directories and stdin, gzip or not. */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { intakeLimitsOf, type IntakeItem, type IntakeLimits, type IntakeOptions } from '../../core/intake/types';
import { JsonScanner } from './json-scanner';
import { listEventFiles } from './list-files';
import { describeReadError, statOrError } from './read-errors';
import { BINARY_REASON, maxRecordCharsOf, type RecordContext, scannedItems, tooLongReason } from './record-items';
import { sourceText } from './source-text';
import { Utf8Decoder } from './utf8-text';

const DEFAULT_HIGH_WATER_MARK = 256 * 1024;

/**
 * Files up to this size are read whole, in one call, and gunzipped in one (CloudTrail writes files of a few
 * hundred KB): streaming them cost a round trip to libuv's thread pool per 64 KiB, which left the reading
 * thread idle about a fifth of its time. Larger files, and any read with a highWaterMark, are streamed.
 */
const WHOLE_FILE_BYTES = 4 * 1024 * 1024;

/** The options with their defaults; an adapter may read the system clock, which is the time a caller without a clock means. */
export function readerLimitsOf(options: IntakeOptions): IntakeLimits {
  return intakeLimitsOf({ ...options, now: options.now ?? (() => new Date()) });
}

/** The name of an input in messages. */
export function inputName(file: string): string {
  return file === '-' ? 'stdin' : file;
}

/** The one rejection of an input that is not text: "FILE is not a text file: it holds binary data …; skipped". */
export function notTextRejection(file: string, reason: string): IntakeItem {
  return { kind: 'rejected', where: { file, line: 0 }, reason: `${inputName(file)} is not a text file: ${reason}; skipped` };
}

/**
 * Runs of consecutive BINARY_REASON rejections of one input, given as one: binary data in the middle
 * of a file (a blob pasted in, a zero-filled tail) is one reason, not one per line it happens to hold.
 */
class BinaryRuns {
  private first: IntakeItem | undefined;
  private lastLine = 0;

  constructor(private readonly binary: WeakSet<IntakeItem>) {}

  /** The items to hand out now, of these that come next. */
  *pass(items: IntakeItem[]): Generator<IntakeItem> {
    for (const item of items) {
      if (this.binary.has(item)) {
        if (this.first === undefined) this.first = item;
        this.lastLine = item.where.line;
        continue;
      }
      yield* this.flush();
      yield item;
    }
  }

  /** The run in progress, if any. */
  *flush(): Generator<IntakeItem> {
    const first = this.first;
    if (first === undefined) return;
    this.first = undefined;
    if (first.where.line === this.lastLine) yield first;
    else yield { kind: 'rejected', where: first.where, reason: `${BINARY_REASON} (lines ${first.where.line} to ${this.lastLine})` };
  }
}

/**
 * Every item of one file or stream. An input that does not start as text, or that cannot be read or
 * gunzipped, ends with one rejection for the whole input; any other problem is one record's rejection.
 */
async function* readSource(
  file: string,
  open: () => NodeJS.ReadableStream | Buffer,
  limits: IntakeLimits,
  keepText: boolean | undefined,
): AsyncGenerator<IntakeItem> {
  const scanner = new JsonScanner({ maxRecordChars: maxRecordCharsOf(limits), tooLongReason: tooLongReason(limits) });
  const context: RecordContext = { file, limits, decoder: new Utf8Decoder(), binary: new WeakSet(), keepText };
  const runs = new BinaryRuns(context.binary);
  try {
    for await (const piece of sourceText(open(), context.decoder)) {
      if (piece.kind === 'not-text') {
        yield notTextRejection(file, piece.reason);
        return;
      }
      // Each record is parsed when its turn comes, not the whole piece's first: a file read whole is one
      // piece of a thousand records, and their events, all alive until the last was handed out, outlived the
      // young generation and were copied into the old one (4.1 KB promoted per worst-case event then, 3.2 KB
      // now; the old generation's peaks are what RSS rises and falls with).
      const items: IntakeItem[] = [];
      for (const scanned of scanner.push(piece.text)) {
        scannedItems(scanned, context, items);
        yield* runs.pass(items);
        items.length = 0;
      }
    }
  } catch (error) {
    // Only reading and gunzipping throw here: records never do (scannedItems turns anything into a rejection).
    yield* runs.flush();
    yield { kind: 'rejected', where: { file, line: 0 }, reason: describeReadError(file, error) };
    return;
  }
  const items: IntakeItem[] = [];
  for (const scanned of scanner.end()) scannedItems(scanned, context, items);
  yield* runs.pass(items);
  yield* runs.flush();
}

/**
 * Every item of one named stream of any of the formats `readEvents` reads (gzip or not): what other
 * sources (an S3 object, a CloudTrail page) go through, so their records are read and refused exactly
 * like a file's. `name` is what messages call the input (an object's `s3://bucket/key`); `open` is
 * called once.
 */
export function readStream(name: string, open: () => NodeJS.ReadableStream, options: IntakeOptions = {}): AsyncGenerator<IntakeItem> {
  return readSource(name, open, readerLimitsOf(options), options.keepText);
}

/**
 * Streams events from files, directories (recursively, sorted by path for determinism), or '-' for
 * stdin. Formats: CloudTrail log files (`{"Records":[...]}`, streamed record by record), JSON Lines,
 * single or concatenated pretty-printed values; any of them gzip-compressed; UTF-8 only. Bad input
 * never throws: it becomes a `rejected` item saying where and why, and never stops the records after
 * it. Per input: one rejection for an input that is not text (binary data, UTF-16/UTF-32), cannot be
 * read, or is corrupt gzip. Per record: malformed JSON, bytes that are not UTF-8, too deep, too large,
 * a bad time (checked against `options.now`, the system clock when absent), a wrong shape.
 */
export async function* readEvents(
  inputs: string[],
  options: IntakeOptions = {},
  stdin?: NodeJS.ReadableStream,
): AsyncGenerator<IntakeItem, void, undefined> {
  const limits = readerLimitsOf(options);
  const streamed = options.highWaterMark !== undefined && options.highWaterMark > 0;
  const highWaterMark = streamed ? (options.highWaterMark as number) : DEFAULT_HIGH_WATER_MARK;
  const openFile = (file: string) => (): NodeJS.ReadableStream | Buffer =>
    !streamed && statSync(file).size <= WHOLE_FILE_BYTES ? readFileSync(file) : createReadStream(file, { highWaterMark });
  for (const input of inputs) {
    if (input === '-') {
      yield* readSource('-', () => stdin ?? process.stdin, limits, options.keepText);
      continue;
    }
    const stat = await statOrError(input);
    if ('error' in stat) {
      yield { kind: 'rejected', where: { file: input, line: 0 }, reason: describeReadError(input, stat.error) };
      continue;
    }
    if (!stat.stat.isDirectory()) {
      yield* readSource(input, openFile(input), limits, options.keepText);
      continue;
    }
    for (const entry of await listEventFiles(input)) {
      if (entry.error !== undefined) {
        yield { kind: 'rejected', where: { file: entry.path, line: 0 }, reason: describeReadError(entry.path, entry.error) };
      } else {
        yield* readSource(entry.path, openFile(entry.path), limits, options.keepText);
      }
    }
  }
}
