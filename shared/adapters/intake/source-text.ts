/**
 * The text of one input (a file or stdin): its bytes, gunzipped when they are gzip, told apart from
 * binary data by their first bytes, and decoded as UTF-8 with invalid bytes marked (utf8-text.ts).
 */
import { pipeline, Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { notTextReason, SNIFF_BYTES, type Utf8Decoder } from './utf8-text';

const GUNZIP_CHUNK = 64 * 1024;

/** The most a whole input is gunzipped to in one call; a larger (or broken) one is streamed instead. */
const WHOLE_GUNZIP_BYTES = 64 * 1024 * 1024;

/**
 * A piece of an input's text, or the one verdict that the input is not text at all (nothing else
 * follows it), with the reason: "it holds binary data (NUL or control bytes), not JSON text".
 */
export type SourceText = { kind: 'text'; text: string } | { kind: 'not-text'; reason: string };

function asBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (ArrayBuffer.isView(chunk)) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError(`unexpected chunk of type ${typeof chunk} in the input stream`);
}

/**
 * The bytes of a stream, gunzipped when they start with the gzip magic bytes 1f 8b (whatever the
 * file is called); `format.gzip` tells which.
 */
async function* plainBytes(input: NodeJS.ReadableStream | Buffer, format: { gzip: boolean }): AsyncGenerator<Buffer> {
  if (Buffer.isBuffer(input)) {
    format.gzip = input.length >= 2 && input[0] === 0x1f && input[1] === 0x8b;
    if (!format.gzip) {
      if (input.length > 0) yield input;
      return;
    }
    let plain: Buffer | undefined;
    try {
      plain = gunzipSync(input, { maxOutputLength: WHOLE_GUNZIP_BYTES });
    } catch {
      // Broken or very large: streamed below, which gives every record before the problem, then says what it is.
    }
    if (plain) {
      yield plain;
      return;
    }
  }
  const stream = Buffer.isBuffer(input) ? Readable.from([input], { objectMode: false }) : input;
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
    format.gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
    if (!format.gzip) {
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

/**
 * The text of a stream (or of an input read whole) in chunks. Its first SNIFF_BYTES (after gunzip) decide whether it is text at
 * all: if not (binary data, UTF-16, UTF-32), one `not-text` verdict with the reason is all that comes,
 * and the rest is not read. Read and gunzip failures are thrown.
 */
export async function* sourceText(input: NodeJS.ReadableStream | Buffer, decoder: Utf8Decoder): AsyncGenerator<SourceText> {
  const format = { gzip: false };
  const head: Buffer[] = [];
  let headBytes = 0;
  let sniffed = false;
  for await (const bytes of plainBytes(input, format)) {
    if (!sniffed) {
      head.push(bytes);
      headBytes += bytes.length;
      if (headBytes < SNIFF_BYTES) continue;
      sniffed = true;
      const start = head.length === 1 ? head[0]! : Buffer.concat(head);
      const verdict = sniff(start, format.gzip);
      if (verdict) {
        yield verdict;
        return;
      }
      const text = decoder.write(start);
      head.length = 0;
      if (text.length > 0) yield { kind: 'text', text };
      continue;
    }
    const text = decoder.write(bytes);
    if (text.length > 0) yield { kind: 'text', text };
  }
  if (!sniffed && headBytes > 0) {
    const all = Buffer.concat(head);
    const verdict = sniff(all, format.gzip);
    if (verdict) {
      yield verdict;
      return;
    }
    const text = decoder.write(all);
    if (text.length > 0) yield { kind: 'text', text };
  }
  const rest = decoder.end();
  if (rest.length > 0) yield { kind: 'text', text: rest };
}

/** The not-text verdict on an input that starts with these bytes: "it holds binary data …", "its gzip content is UTF-16 text …". */
function sniff(start: Buffer, gzip: boolean): SourceText | undefined {
  const reason = notTextReason(start.length > SNIFF_BYTES ? start.subarray(0, SNIFF_BYTES) : start);
  if (reason === undefined) return undefined;
  return { kind: 'not-text', reason: `${gzip ? 'its gzip content' : 'it'} ${reason}` };
}
