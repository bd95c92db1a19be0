/** readEvents: streams intake items from files, directories and stdin, gzip or not. */
import { createReadStream } from 'node:fs';
import { pipeline, Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { listEventFiles } from './list-files';
import { JsonScanner, type Scanned } from './json-scanner';
import { toEventFromText } from '../../core/intake/to-event';
import { maxEventBytesOf, type IntakeItem, type IntakeOptions, type SourceLocation } from '../../core/intake/types';
import { statOrError, describeReadError } from './read-errors';

const DEFAULT_HIGH_WATER_MARK = 256 * 1024;
const GUNZIP_CHUNK = 64 * 1024;

function location(file: string, line: number, path: string | undefined): SourceLocation {
  return path === undefined ? { file, line } : { file, line, path };
}

function parseFailure(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return `malformed JSON: ${typeof message === 'string' ? message : String(error)}`;
}

function isRecordsContainer(value: unknown): value is { Records: unknown[] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { Records?: unknown }).Records);
}

/** The items of one scanned piece: one, except for a whole JSON Lines line holding a Records array. */
function toItems(piece: Scanned, file: string, maxEventBytes: number, out: IntakeItem[]): void {
  const where = location(file, piece.line, piece.path);
  if (piece.kind === 'rejected') {
    out.push({ kind: 'rejected', where, reason: piece.reason });
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(piece.text);
  } catch (error) {
    if (piece.wholeLine) {
      // Scan the line as if it had not been taken whole: a Records line keeps its good records, and
      // the reasons are the same whatever chunk boundaries the line happened to fall between. The
      // newline makes a value cut off by the end of the line a broken line, not a truncated file.
      const scanner = new JsonScanner({ maxRecordChars: piece.text.length + 1, jsonLinesFrom: piece.line });
      for (const inner of [...scanner.push(`${piece.text}\n`), ...scanner.end()]) toItems(inner, file, maxEventBytes, out);
      return;
    }
    out.push({ kind: 'rejected', where, reason: parseFailure(error) });
    return;
  }
  if (piece.wholeLine && isRecordsContainer(value)) {
    const records = value.Records;
    // The line's size bounds each record's size, which often spares serializing them to measure.
    const lineBytes = Buffer.byteLength(piece.text, 'utf8');
    for (let i = 0; i < records.length; i += 1) {
      out.push(toEventFromText(records[i], location(file, piece.line, `Records[${i}]`), maxEventBytes, { bytes: lineBytes }));
    }
    return;
  }
  out.push(toEventFromText(value, where, maxEventBytes, { text: piece.text }));
}

function asBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (ArrayBuffer.isView(chunk)) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError(`unexpected chunk of type ${typeof chunk} in the input stream`);
}

/**
 * The bytes of a stream, gunzipped when they start with the gzip magic bytes 1f 8b (whatever the
 * file is called).
 */
async function* plainBytes(stream: NodeJS.ReadableStream): AsyncGenerator<Buffer> {
  const source = stream[Symbol.asyncIterator]();
  let head: Buffer = Buffer.alloc(0);
  let sourceDone = false;
  try {
    while (head.length < 2) {
      const next = await source.next();
      if (next.done) {
        sourceDone = true;
        break;
      }
      head = head.length === 0 ? asBuffer(next.value) : Buffer.concat([head, asBuffer(next.value)]);
    }
    const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
    if (!gzip) {
      if (head.length > 0) yield head;
      while (!sourceDone) {
        const next = await source.next();
        if (next.done) break;
        yield asBuffer(next.value);
      }
      return;
    }
    const compressed = Readable.from(
      (async function* () {
        yield head;
        while (!sourceDone) {
          const next = await source.next();
          if (next.done) break;
          yield asBuffer(next.value);
        }
      })(),
      { objectMode: false },
    );
    const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK });
    // pipeline forwards errors of either side to the gunzip stream we iterate, and destroys both.
    const output = pipeline(compressed, gunzip, () => undefined);
    for await (const chunk of output) yield chunk as Buffer;
  } finally {
    await source.return?.();
  }
}

/** The decoded text of a stream, in chunks; a UTF-8 byte order mark is dropped. */
async function* textChunks(stream: NodeJS.ReadableStream): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let first = true;
  for await (const bytes of plainBytes(stream)) {
    let text = decoder.write(bytes);
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (text.length > 0) yield text;
  }
  const rest = decoder.end();
  if (rest.length > 0) yield rest;
}

/** Every item of one file or stream. A read or gunzip failure ends the file with one rejection. */
async function* readSource(file: string, open: () => NodeJS.ReadableStream, maxEventBytes: number): AsyncGenerator<IntakeItem> {
  const scanner = new JsonScanner({
    // A record this long cannot be an event under the limit, even pretty-printed: skip it unbuffered.
    maxRecordChars: Math.max(16 * maxEventBytes, 16 * 1024 * 1024),
    tooLongReason: (chars) =>
      `record is longer than ${chars} characters of JSON text, far above the ${maxEventBytes}-byte EventBridge event size limit; skipped`,
  });
  try {
    for await (const text of textChunks(open())) {
      const pieces = scanner.push(text);
      const items: IntakeItem[] = [];
      for (let i = 0; i < pieces.length; i += 1) toItems(pieces[i], file, maxEventBytes, items);
      for (let i = 0; i < items.length; i += 1) yield items[i];
    }
  } catch (error) {
    yield { kind: 'rejected', where: { file, line: 0 }, reason: describeReadError(file, error) };
    return;
  }
  const items: IntakeItem[] = [];
  for (const piece of scanner.end()) toItems(piece, file, maxEventBytes, items);
  yield* items;
}

/**
 * Streams events from files, directories (recursively, sorted by path for determinism), or '-' for
 * stdin. Formats: CloudTrail log files (`{"Records":[...]}`, streamed record by record), JSON Lines,
 * single or concatenated pretty-printed values; any of them gzip-compressed. Bad input never throws:
 * it becomes a `rejected` item saying where and why.
 */
export async function* readEvents(
  inputs: string[],
  options: IntakeOptions = {},
  stdin?: NodeJS.ReadableStream,
): AsyncGenerator<IntakeItem, void, undefined> {
  const maxEventBytes = maxEventBytesOf(options);
  const highWaterMark = options.highWaterMark !== undefined && options.highWaterMark > 0 ? options.highWaterMark : DEFAULT_HIGH_WATER_MARK;
  const openFile = (file: string) => () => createReadStream(file, { highWaterMark });
  for (const input of inputs) {
    if (input === '-') {
      yield* readSource('-', () => stdin ?? process.stdin, maxEventBytes);
      continue;
    }
    const stat = await statOrError(input);
    if ('error' in stat) {
      yield { kind: 'rejected', where: { file: input, line: 0 }, reason: describeReadError(input, stat.error) };
      continue;
    }
    if (!stat.stat.isDirectory()) {
      yield* readSource(input, openFile(input), maxEventBytes);
      continue;
    }
    for (const entry of await listEventFiles(input)) {
      if (entry.error !== undefined) {
        yield { kind: 'rejected', where: { file: entry.path, line: 0 }, reason: describeReadError(entry.path, entry.error) };
      } else {
        yield* readSource(entry.path, openFile(entry.path), maxEventBytes);
      }
    }
  }
}
