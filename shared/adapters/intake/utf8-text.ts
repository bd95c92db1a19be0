/**
 * Bytes to text for intake: UTF-8 only, with what is not UTF-8 made visible instead of silently
 * replaced. A file that does not even start as text (binary data, UTF-16 or UTF-32) is recognized
 * from its first bytes, once; bytes that are not UTF-8 inside otherwise good text become a marker
 * character the readers find in the record that holds them, which is then refused.
 */
import { isUtf8 } from 'node:buffer';

/**
 * Stands in the decoded text for each run of bytes that are not UTF-8. A lone low surrogate: text
 * decoded from valid UTF-8 never holds one (UTF-8 cannot encode surrogates, and the low half of a
 * pair always follows its high half), so finding it in a record's text means invalid UTF-8 was there.
 */
export const NOT_UTF8 = '\uDFFF';

/** How many bytes at the start of a file are looked at to tell text from binary data. */
export const SNIFF_BYTES = 4096;

/** Control bytes JSON text never holds raw (everything below 0x20 but tab, line feed and carriage return). */
function isControlByte(b: number): boolean {
  return b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d;
}

/**
 * Why a file whose first bytes are `head` (up to SNIFF_BYTES) is not UTF-8 text, as a predicate
 * ("is UTF-16 text …", "holds binary data …"), or undefined when it may be. Refused: a UTF-16 or UTF-32 byte order mark; NUL bytes at every other (or every fourth)
 * position, which is UTF-16 or UTF-32 text without one; and at least 1 in 100 bytes (and at least one)
 * being NUL or another control character, which is binary data — random bytes hold about 1 in 10, JSON
 * text none at all (a stray one in a text file is left to the record that holds it).
 */
export function notTextReason(head: Buffer): string | undefined {
  const n = head.length;
  if (n >= 4 && head[0] === 0x00 && head[1] === 0x00 && head[2] === 0xfe && head[3] === 0xff) {
    return 'is UTF-32 text (byte order mark); only UTF-8 is read';
  }
  if (n >= 4 && head[0] === 0xff && head[1] === 0xfe && head[2] === 0x00 && head[3] === 0x00) {
    return 'is UTF-32 text (byte order mark); only UTF-8 is read';
  }
  if (n >= 2 && ((head[0] === 0xfe && head[1] === 0xff) || (head[0] === 0xff && head[1] === 0xfe))) {
    return 'is UTF-16 text (byte order mark); only UTF-8 is read';
  }
  let controls = 0;
  let nulsEven = 0;
  let nulsOdd = 0;
  for (let i = 0; i < n; i += 1) {
    const b = head[i] as number;
    if (!isControlByte(b)) continue;
    controls += 1;
    if (b === 0) {
      if ((i & 1) === 0) nulsEven += 1;
      else nulsOdd += 1;
    }
  }
  if (controls === 0 || controls * 100 < n) return undefined;
  const nuls = nulsEven + nulsOdd;
  const others = n - nuls;
  // UTF-16 of mostly ASCII text: a NUL in about every other byte, nearly all on one side; UTF-32: three
  // in four. The other bytes are text, not more control bytes (a zero-filled file is binary data).
  const nulPattern = (Math.max(nulsEven, nulsOdd) >= nuls * 0.9 && nuls >= n * 0.4) || nuls >= n * 0.675;
  if (n >= 8 && nulPattern && others > 0 && (controls - nuls) * 10 <= others) {
    return 'looks like UTF-16 or UTF-32 text (NUL bytes between the characters); only UTF-8 is read';
  }
  return 'holds binary data (NUL or control bytes), not JSON text';
}

/** The length of the sequence a UTF-8 lead byte starts (0 for a byte that cannot start one). */
function sequenceLength(b: number): number {
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

/** The valid range of the second byte after lead byte b (narrower than 80..BF for E0, ED, F0, F4). */
function secondByteOk(lead: number, b: number): boolean {
  if (lead === 0xe0) return b >= 0xa0 && b <= 0xbf;
  if (lead === 0xed) return b >= 0x80 && b <= 0x9f;
  if (lead === 0xf0) return b >= 0x90 && b <= 0xbf;
  if (lead === 0xf4) return b >= 0x80 && b <= 0x8f;
  return b >= 0x80 && b <= 0xbf;
}

/**
 * The length of the valid UTF-8 sequence at `at` of `bytes` (before `end`), or the negated length of
 * the maximal invalid part there (at least 1), as the WHATWG decoder counts what one replacement covers.
 */
function sequenceAt(bytes: Buffer, at: number, end: number): number {
  const lead = bytes[at] as number;
  const length = sequenceLength(lead);
  if (length === 0) return -1;
  for (let k = 1; k < length; k += 1) {
    if (at + k >= end) return -k;
    const b = bytes[at + k] as number;
    if (k === 1 ? !secondByteOk(lead, b) : b < 0x80 || b > 0xbf) return -k;
  }
  return length;
}

/**
 * Where the last complete UTF-8 sequence of `bytes` ends: before a lead byte whose sequence the
 * chunk cuts off (to be completed by the next chunk), else at the end.
 */
function completeEnd(bytes: Buffer): number {
  const n = bytes.length;
  for (let k = n - 1; k >= 0 && k >= n - 4; k -= 1) {
    const b = bytes[k] as number;
    if (b >= 0x80 && b <= 0xbf) continue; // a continuation byte: look further back for its lead
    const length = sequenceLength(b);
    return length > 1 && k + length > n ? k : n;
  }
  return n;
}

/** Decodes bytes[start, end) that isUtf8 refused: each maximal invalid part becomes NOT_UTF8. */
function decodeMarked(bytes: Buffer, start: number, end: number): string {
  const parts: string[] = [];
  let run = start;
  let at = start;
  while (at < end) {
    if ((bytes[at] as number) < 0x80) {
      at += 1;
      continue;
    }
    const length = sequenceAt(bytes, at, end);
    if (length > 0) {
      at += length;
      continue;
    }
    if (run < at) parts.push(bytes.toString('utf8', run, at));
    parts.push(NOT_UTF8);
    at -= length;
    run = at;
  }
  if (run < end) parts.push(bytes.toString('utf8', run, end));
  return parts.join('');
}

/**
 * A streaming UTF-8 decoder that marks invalid bytes with NOT_UTF8 (where Node's decoders would put
 * U+FFFD, which is also a character a record may really hold). Valid chunks, the usual case, are
 * checked natively (buffer.isUtf8) and decoded by Buffer.toString. A UTF-8 byte order mark is dropped.
 */
export class Utf8Decoder {
  /** Bytes of a sequence the previous chunk cut off. */
  private carry: Buffer = Buffer.alloc(0);
  private first = true;
  /** Some bytes so far were not UTF-8: the text holds NOT_UTF8. */
  sawInvalid = false;

  /** The text of the complete sequences so far. */
  write(chunk: Buffer): string {
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const end = completeEnd(bytes);
    this.carry = end < bytes.length ? Buffer.from(bytes.subarray(end)) : Buffer.alloc(0);
    return this.decode(bytes, end);
  }

  /** The text of what is left at the end of the input: a cut-off sequence is invalid. */
  end(): string {
    const rest = this.carry;
    this.carry = Buffer.alloc(0);
    return rest.length > 0 ? this.decode(rest, rest.length) : '';
  }

  private decode(bytes: Buffer, end: number): string {
    let start = 0;
    if (this.first && end > 0) {
      this.first = false;
      if (end >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
    }
    if (start >= end) return '';
    const view = start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end);
    if (isUtf8(view)) return view.toString('utf8');
    this.sawInvalid = true;
    return decodeMarked(bytes, start, end);
  }
}
