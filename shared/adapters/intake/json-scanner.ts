/**
 * A streaming splitter for the JSON inputs trailwarden reads. It takes text in chunks and cuts it
 * into the texts of single records, each with the line it starts on, without ever holding more than
 * one record (plus one chunk) in memory:
 *
 * - a `{"Records":[...]}` object (a CloudTrail log file, tens of MB on one line) is not buffered:
 *   each element of its Records array comes out on its own, with path `Records[i]`;
 * - JSON Lines: one value per line; a line that ends inside a value is rejected and the next line
 *   reads normally;
 * - one or more pretty-printed values, spread over many lines.
 *
 * The scanner only tracks string/escape state and bracket depth; JSON.parse, run once per record text
 * by the caller, does the real parsing. Inside strings it jumps from quote to quote with indexOf.
 * Lines are counted by finding '\n' in the raw text (JSON strings cannot hold a raw line break).
 * In JSON Lines, a line that starts with `{` and ends within the current chunk is handed out whole
 * (`wholeLine`) without scanning; if JSON.parse refuses it, the caller scans it with a fresh scanner
 * (`jsonLinesFrom`), so that results never depend on where chunks end.
 *
 * Which of JSON Lines or multi-line the input is gets decided on the first value: if it ends on the
 * line where it starts, the input is JSON Lines. If a line break comes first, the input is multi-line,
 * unless the next line starts with `{` where `{` cannot continue the value (after anything but `[`,
 * `:` or an array's `,`), which means the first line was a broken JSON Lines line. (A first line
 * broken right after a `:` is taken for the start of a multi-line value.)
 *
 * This file holds the public API and the per-character scan; the rest is split by concern, in files beside it:
 * json-record-framing.ts (JsonScanner's base class: the scan's state and what happens where records start and end),
 * json-record-text.ts (collecting a record's text across chunks), json-line-counter.ts (line numbers),
 * json-format-detection.ts (JSON Lines or multi-line), json-scanned.ts (the output, its reasons, the options) and
 * json-chars.ts (character codes).
 */
import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, NEWLINE, OPEN_BRACE, OPEN_BRACKET, QUOTE } from './json-chars';
import { JsonRecordFraming, LINES, VALUES } from './json-record-framing';
import type { Scanned } from './json-scanned';

export type { Scanned, ScannerOptions } from './json-scanned';
export {
  BROKEN_LINE,
  BROKEN_LINE_RECORD,
  BROKEN_LINE_RECORDS,
  TRUNCATED_RECORD,
  TRUNCATED_RECORDS_ARRAY,
  TRUNCATED_RECORDS_OBJECT,
} from './json-scanned';

/**
 * The streaming splitter described above: push each chunk of text, then call end (inherited from JsonRecordFraming, with
 * all that happens where records start and end); each call returns what it completed.
 */
export class JsonScanner extends JsonRecordFraming {
  /** Next '\n' at or after the string scan position, for line-bound modes (-2: not looked up). */
  private stringNl = -2;

  /** Scans one chunk of text; returns what it completed. */
  push(s: string): Scanned[] {
    this.out = [];
    const n = s.length;
    if (n === 0) return this.out;
    this.lines.startChunk(s);
    this.stringNl = -2;
    let i = 0;
    if (this.inString) i = this.scanString(s, 0);
    else if (this.scalar) i = this.continueScalar(s, 0);
    else if (this.atLineStart) i = this.wholeLines(s, 0);
    // Invariant: at the top of the loop we are outside strings and scalars. Whatever enters a string
    // or a scalar scans it at once, to its end or to the end of the chunk.
    while (i < n) {
      if (this.depth >= (this.inRecords ? 3 : 2) && !this.pending && this.keyState === 0) {
        i = this.scanDeep(s, i);
        if (i >= n) break;
      }
      const c = s.charCodeAt(i);
      if (c === 32) {
        i += 1;
        while (i < n && s.charCodeAt(i) === 32) i += 1; // indentation comes in runs
        continue;
      }
      if (c === NEWLINE || c === 13 || c === 9) {
        if (c === NEWLINE && this.mode !== VALUES) {
          if (this.valueActive) {
            this.newlineInValue(s, i);
          } else if (this.mode === LINES) {
            i = this.wholeLines(s, i + 1);
            continue;
          }
        }
        i += 1;
        continue;
      }
      if (this.pending) this.resolvePending(c);
      if (this.keyState !== 0 && this.afterRecordsKey(c)) {
        i += 1;
        continue;
      }
      switch (c) {
        case QUOTE:
          if (!this.valueActive) {
            i = this.startScalar(s, i);
            continue;
          }
          if (this.inRecords && this.depth === 2 && !this.elementActive) this.startElement(s, i);
          this.inString = true;
          this.stringStartAbs = this.base + i;
          i = this.scanString(s, i + 1);
          continue;
        case COLON:
          i += 1;
          continue;
        case COMMA:
          if (this.inRecords && this.depth === 2 && this.elementActive) this.endElement(s, i);
          i += 1;
          continue;
        case OPEN_BRACE:
        case OPEN_BRACKET:
          if (!this.valueActive) this.startValue(s, i, c === OPEN_BRACE);
          else if (this.inRecords && this.depth === 2 && !this.elementActive) this.startElement(s, i);
          this.depth += 1;
          i += 1;
          continue;
        case CLOSE_BRACE:
        case CLOSE_BRACKET:
          if (!this.valueActive) {
            i = this.startScalar(s, i);
            continue;
          }
          if (this.inRecords && this.depth === 2) {
            // The Records array closes (a scalar element may end here).
            if (this.elementActive) this.endElement(s, i);
            this.inRecords = false;
            this.depth = 1;
          } else {
            this.depth -= 1;
            if (this.inRecords && this.depth === 2) this.endElement(s, i + 1);
            else if (this.depth === 0) this.endValue(s, i + 1);
          }
          i += 1;
          continue;
        default:
          // Numbers, literals, garbage.
          if (!this.valueActive) {
            i = this.startScalar(s, i);
            continue;
          }
          if (this.inRecords && this.depth === 2 && !this.elementActive) this.startElement(s, i);
          i += 1;
      }
    }
    this.endChunk(s);
    return this.out;
  }

  /**
   * Deep inside a value (below the top-level object and below the Records array's elements) only
   * strings and brackets matter: a tighter loop for the bulk of the text. Stops, without consuming
   * it, at the bracket that would close the level the main loop watches, at a line break in the
   * line-bound modes, or at the end of the chunk.
   */
  private scanDeep(s: string, i: number): number {
    const n = s.length;
    const floor = this.inRecords ? 3 : 2;
    const lineBound = this.mode !== VALUES;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 32) {
        i += 1;
      } else if (c === QUOTE) {
        this.inString = true;
        i = this.scanString(s, i + 1);
        if (this.inString || !this.valueActive) return i; // end of chunk, or a broken line
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this.depth += 1;
        i += 1;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (this.depth === floor) return i;
        this.depth -= 1;
        i += 1;
      } else if (c === NEWLINE && lineBound) {
        return i;
      } else {
        i += 1;
      }
    }
    return i;
  }

  /** Inside a string from position i: returns the position after its closing quote, or where scanning goes on. */
  private scanString(s: string, i: number): number {
    const n = s.length;
    if (this.escaped) {
      this.escaped = false;
      i += 1;
    }
    for (;;) {
      const j = s.indexOf('"', i);
      if (this.mode !== VALUES) {
        // A raw line break inside a string: the line is broken (JSON strings cannot hold one).
        if (this.stringNl === -2 || (this.stringNl !== -1 && this.stringNl < i)) this.stringNl = s.indexOf('\n', i);
        const brk = this.stringNl;
        if (brk !== -1 && (j === -1 || brk < j)) {
          this.inString = false;
          this.breakLine();
          return brk + 1;
        }
      }
      if (j === -1) {
        let k = n - 1;
        while (k >= i && s.charCodeAt(k) === BACKSLASH) k -= 1;
        this.escaped = ((n - 1 - k) & 1) === 1;
        return n;
      }
      let k = j - 1;
      while (k >= i && s.charCodeAt(k) === BACKSLASH) k -= 1;
      if (((j - 1 - k) & 1) === 0) {
        this.inString = false;
        if (this.depth === 1 && this.topIsObject && !this.inRecords) this.checkKey(s, j);
        return j + 1;
      }
      i = j + 1; // an escaped quote
    }
  }

  /**
   * JSON Lines fast path, at the start of a line with nothing open: each following line that starts
   * with `{` and ends within this chunk is taken whole, for JSON.parse to judge, without scanning it.
   * Returns where scanning must go on: at a line that does not qualify, or the end of the chunk.
   */
  private wholeLines(s: string, from: number): number {
    let i = from;
    for (;;) {
      if (i >= s.length) {
        this.atLineStart = true;
        return i;
      }
      if (s.charCodeAt(i) !== OPEN_BRACE) break;
      const end = s.indexOf('\n', i);
      if (end === -1) break;
      this.out.push({ kind: 'text', text: s.slice(i, end), line: this.lines.at(s, i), wholeLine: true });
      i = end + 1;
    }
    this.atLineStart = false;
    return i;
  }
}
