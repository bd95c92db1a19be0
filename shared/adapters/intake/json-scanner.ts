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
 */

export type Scanned =
  /** `wholeLine`: a JSON Lines line taken whole without scanning (JSON.parse must judge it all). */
  | { kind: 'text'; text: string; line: number; path?: string; wholeLine?: boolean }
  | { kind: 'rejected'; line: number; path?: string; reason: string };

const DETECT = 0;
const LINES = 1;
const VALUES = 2;

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;
const COLON = 58;
const NEWLINE = 10;

export const TRUNCATED_RECORD = 'file ends inside a record (truncated?)';
export const TRUNCATED_RECORDS_ARRAY = 'file ends before the Records array is closed (truncated?)';
export const TRUNCATED_RECORDS_OBJECT = 'file ends before the object holding the Records array is closed (truncated?)';
export const BROKEN_LINE = 'line ends inside a JSON value (malformed or truncated JSON Lines line)';
export const BROKEN_LINE_RECORD = 'line ends inside a record (malformed or truncated JSON Lines line)';
export const BROKEN_LINE_RECORDS = 'line ends before the Records array is closed (malformed or truncated JSON Lines line)';

function isSpace(c: number): boolean {
  return c === 32 || c === NEWLINE || c === 13 || c === 9;
}

export interface ScannerOptions {
  /** Start in JSON Lines mode at this line (for re-scanning one line), instead of detecting the format at line 1. */
  jsonLinesFrom?: number;
  /** Longest record text (in UTF-16 code units) buffered; a longer record is skipped and rejected. */
  maxRecordChars: number;
  /** Reason for a record longer than maxRecordChars. */
  tooLongReason?: (chars: number) => string;
}

export class JsonScanner {
  private readonly maxRecordChars: number;
  private readonly tooLongReason: (chars: number) => string;
  private out: Scanned[] = [];

  private mode = DETECT;

  // Lines: `line` is the number of the line holding the last position asked about (lineAt) in the
  // current chunk; `nl` is the next '\n' after that position (-1: none left in this chunk).
  private line = 1;
  private nl = -1;

  // String and bracket state.
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Next '\n' at or after the string scan position, for line-bound modes (-2: not looked up). */
  private stringNl = -2;

  // The top-level value in progress.
  private valueActive = false;
  private valueLine = 0;
  private topIsObject = false;
  private scalar = false;
  /** The top-level value held a Records array that was streamed: it is not emitted itself. */
  private streamed = false;

  // Records streaming: inside the Records array, elements sit at depth 2.
  private inRecords = false;
  private recordIndex = 0;
  private elementActive = false;
  private elementLine = 0;
  private elementIndex = 0;

  // "Records" key detection at depth 1: 0 idle, 1 after the key, 2 after its colon.
  private keyState = 0;
  private stringStartAbs = 0;
  private base = 0; // absolute offset of the current chunk
  private prevTail = ''; // the last few characters before the current chunk

  // Buffered text of the value or element in progress.
  private collecting = false;
  private collectFrom = 0;
  private parts: string[] = [];
  private partsChars = 0;
  private tooLong = false;

  // First-value format detection.
  private pending = false;
  private pendingLastSig = 0;
  private pendingCommaLegal = true;
  private prevLastSig = 0;

  /** JSON Lines: the scan position is at the start of a line with no value open. */
  private atLineStart = false;

  constructor(options: ScannerOptions) {
    this.maxRecordChars = options.maxRecordChars;
    if (options.jsonLinesFrom !== undefined) {
      this.mode = LINES;
      this.line = options.jsonLinesFrom;
      this.atLineStart = false; // the caller re-scans a line that failed whole: scan it
    }
    this.tooLongReason =
      options.tooLongReason ?? ((chars) => `record is longer than ${chars} characters of JSON text; skipped`);
  }

  /** Scans one chunk of text; returns what it completed. */
  push(s: string): Scanned[] {
    this.out = [];
    const n = s.length;
    if (n === 0) return this.out;
    this.nl = s.indexOf('\n');
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

  /** The first significant character after the first line break inside the first value decides the format. */
  private resolvePending(c: number): void {
    this.pending = false;
    if (c === OPEN_BRACE && !this.braceLegal()) {
      this.mode = LINES;
      this.breakLine();
    } else {
      this.mode = VALUES;
    }
  }

  /** After the key "Records" at depth 1: follows `:` then `[`? True when c was consumed. */
  private afterRecordsKey(c: number): boolean {
    if (this.keyState === 1 && c === COLON) {
      this.keyState = 2;
      return true;
    }
    if (this.keyState === 2 && c === OPEN_BRACKET) {
      this.keyState = 0;
      this.enterRecords();
      return true;
    }
    this.keyState = 0;
    return false;
  }

  /** Flushes what is left at the end of the input. */
  end(): Scanned[] {
    this.out = [];
    if (this.scalar) {
      this.scalar = false;
      this.valueActive = false;
      this.emitCollected('', 0, this.valueLine, undefined);
    } else if (this.valueActive) {
      if (this.inRecords && this.elementActive) {
        this.reject(this.elementLine, `Records[${this.elementIndex}]`, TRUNCATED_RECORD);
      } else if (this.inRecords) {
        this.reject(this.line, 'Records', TRUNCATED_RECORDS_ARRAY);
      } else if (this.streamed) {
        this.reject(this.line, undefined, TRUNCATED_RECORDS_OBJECT);
      } else {
        this.reject(this.valueLine, undefined, TRUNCATED_RECORD);
      }
      this.reset();
    }
    return this.out;
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

  // ---- lines

  /** The line number of position p of the current chunk; positions asked about must not decrease. */
  private lineAt(s: string, p: number): number {
    let nl = this.nl;
    while (nl !== -1 && nl < p) {
      this.line += 1;
      nl = s.indexOf('\n', nl + 1);
    }
    this.nl = nl;
    return this.line;
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
      this.out.push({ kind: 'text', text: s.slice(i, end), line: this.lineAt(s, i), wholeLine: true });
      i = end + 1;
    }
    this.atLineStart = false;
    return i;
  }

  // ---- values and elements

  private startValue(s: string, i: number, isObject: boolean): void {
    this.valueActive = true;
    this.valueLine = this.lineAt(s, i);
    this.topIsObject = isObject;
    this.streamed = false;
    this.startCollecting(i);
  }

  private endValue(s: string, end: number): void {
    this.valueActive = false;
    this.atLineStart = false;
    if (this.streamed) {
      this.streamed = false;
    } else {
      this.emitCollected(s, end, this.valueLine, undefined);
    }
    this.collecting = false;
    if (this.mode === DETECT) this.mode = LINES;
  }

  /** Anything at the top level that is not an object or array: taken to the end of its line, for JSON.parse to judge. */
  private startScalar(s: string, i: number): number {
    this.valueActive = true;
    this.scalar = true;
    this.valueLine = this.lineAt(s, i);
    this.topIsObject = false;
    this.streamed = false;
    if (this.mode === DETECT) this.mode = LINES;
    this.startCollecting(i);
    return this.continueScalar(s, i);
  }

  private continueScalar(s: string, i: number): number {
    const nl = s.indexOf('\n', i);
    if (nl === -1) return s.length;
    this.scalar = false;
    this.valueActive = false;
    this.emitCollected(s, nl, this.valueLine, undefined);
    this.collecting = false;
    return nl; // the newline itself is read as whitespace
  }

  private enterRecords(): void {
    this.inRecords = true;
    this.streamed = true;
    this.recordIndex = 0;
    this.depth = 2;
    this.collecting = false;
    this.parts = [];
  }

  private startElement(s: string, i: number): void {
    this.elementActive = true;
    this.elementLine = this.lineAt(s, i);
    this.elementIndex = this.recordIndex;
    this.recordIndex += 1;
    this.startCollecting(i);
  }

  private endElement(s: string, end: number): void {
    this.elementActive = false;
    this.emitCollected(s, end, this.elementLine, `Records[${this.elementIndex}]`);
    this.collecting = false;
  }

  /** After a string closed at depth 1 of a top-level object: was it the key "Records"? */
  private checkKey(s: string, j: number): void {
    const start = this.stringStartAbs - this.base; // may be negative: the string began in an earlier chunk
    if (j - start - 1 !== 7) return;
    const text = start >= 0 ? s.slice(start + 1, j) : (this.prevTail + s.slice(0, j)).slice(-7);
    if (text === 'Records') this.keyState = 1;
  }

  // ---- buffering

  private startCollecting(i: number): void {
    this.collecting = true;
    this.collectFrom = i;
    this.parts = [];
    this.partsChars = 0;
    this.tooLong = false;
  }

  private emitCollected(s: string, end: number, line: number, path: string | undefined): void {
    if (this.tooLong) {
      this.reject(line, path, this.tooLongReason(this.maxRecordChars));
      this.tooLong = false;
      this.parts = [];
      return;
    }
    const tail = s.slice(this.collectFrom, end);
    const text = this.parts.length === 0 ? tail : this.parts.join('') + tail;
    this.parts = [];
    const item: Scanned = path === undefined ? { kind: 'text', text, line } : { kind: 'text', text, line, path };
    this.out.push(item);
  }

  private endChunk(s: string): void {
    // Finish counting this chunk's lines.
    this.lineAt(s, s.length);
    if (this.collecting && !this.tooLong) {
      const rest = s.slice(this.collectFrom);
      this.partsChars += rest.length;
      if (this.partsChars > this.maxRecordChars) {
        this.tooLong = true;
        this.parts = [];
      } else {
        this.parts.push(rest);
      }
    }
    this.collectFrom = 0;
    if (this.mode === DETECT) {
      let k = s.length - 1;
      while (k >= 0 && isSpace(s.charCodeAt(k))) k -= 1;
      if (k >= 0) this.prevLastSig = s.charCodeAt(k);
    }
    this.prevTail = s.length >= 16 ? s.slice(-16) : (this.prevTail + s).slice(-16);
    this.base += s.length;
  }

  private reject(line: number, path: string | undefined, reason: string): void {
    this.out.push(path === undefined ? { kind: 'rejected', line, reason } : { kind: 'rejected', line, path, reason });
  }

  // ---- line-bound modes

  /** A line break outside strings while a value is open, in JSON Lines or format detection. */
  private newlineInValue(s: string, i: number): void {
    if (this.mode === LINES) {
      this.breakLine();
      return;
    }
    // DETECT: the first line break inside the first value. Decide at the next significant character.
    if (this.pending || this.mode !== DETECT) return;
    this.pending = true;
    let k = i - 1;
    while (k >= 0 && isSpace(s.charCodeAt(k))) k -= 1;
    this.pendingLastSig = k >= 0 ? s.charCodeAt(k) : this.prevLastSig;
    // After a comma, `{` may continue an array but not an object. Depth 1 is the top-level container,
    // depth 2 in Records mode is the Records array; deeper containers are not tracked (assume legal).
    if (this.depth === 1) this.pendingCommaLegal = !this.topIsObject;
    else this.pendingCommaLegal = true;
  }

  /** Could `{` follow the last significant character before the pending line break? */
  private braceLegal(): boolean {
    const p = this.pendingLastSig;
    return p === OPEN_BRACKET || p === COLON || (p === COMMA && this.pendingCommaLegal);
  }

  /** The value open on this line cannot be completed: reject what is open and start afresh on the next line. */
  private breakLine(): void {
    if (this.inRecords && this.elementActive) {
      this.reject(this.elementLine, `Records[${this.elementIndex}]`, BROKEN_LINE_RECORD);
    } else if (this.inRecords) {
      this.reject(this.valueLine, 'Records', BROKEN_LINE_RECORDS);
    } else if (this.valueActive) {
      this.reject(this.valueLine, undefined, BROKEN_LINE);
    }
    this.reset();
    if (this.mode === DETECT) this.mode = LINES;
  }

  private reset(): void {
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.valueActive = false;
    this.scalar = false;
    this.streamed = false;
    this.inRecords = false;
    this.elementActive = false;
    this.keyState = 0;
    this.collecting = false;
    this.parts = [];
    this.partsChars = 0;
    this.tooLong = false;
    this.pending = false;
    this.atLineStart = false;
  }
}
