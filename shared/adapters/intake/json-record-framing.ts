/**
 * The record framing of JsonScanner: the scan's state, and what happens at the edges of records, which JsonScanner's
 * per-character loop (json-scanner.ts) finds. Top-level values and the elements of a streamed Records array start and end
 * here, their texts are handed out with their lines and paths, and what a broken JSON Lines line or the end of the input
 * leaves open is rejected.
 */
import { COLON, OPEN_BRACE, OPEN_BRACKET } from './json-chars';
import { FirstBreak } from './json-format-detection';
import { LineCounter } from './json-line-counter';
import { RecordText } from './json-record-text';
import {
  BROKEN_LINE,
  BROKEN_LINE_RECORD,
  BROKEN_LINE_RECORDS,
  type ScannerOptions,
  type Scanned,
  TRUNCATED_RECORD,
  TRUNCATED_RECORDS_ARRAY,
  TRUNCATED_RECORDS_OBJECT,
} from './json-scanned';

/** Input format: not known yet (the first value decides), JSON Lines, or values spread over lines. */
export const DETECT = 0;
export const LINES = 1;
export const VALUES = 2;

/** The state of a JsonScanner and its transitions at the edges of records; JsonScanner adds the scanning. */
export abstract class JsonRecordFraming {
  private readonly maxRecordChars: number;
  private readonly tooLongReason: (chars: number) => string;
  /** What the current push or end completed. */
  protected out: Scanned[] = [];

  protected mode = DETECT;
  protected readonly lines: LineCounter;

  // String and bracket state.
  protected depth = 0;
  protected inString = false;
  protected escaped = false;

  // The top-level value in progress.
  protected valueActive = false;
  private valueLine = 0;
  protected topIsObject = false;
  protected scalar = false;
  /** The top-level value held a Records array that was streamed: it is not emitted itself. */
  private streamed = false;

  // Records streaming: inside the Records array, elements sit at depth 2.
  protected inRecords = false;
  private recordIndex = 0;
  protected elementActive = false;
  private elementLine = 0;
  private elementIndex = 0;

  // "Records" key detection at depth 1: 0 idle, 1 after the key, 2 after its colon.
  protected keyState = 0;
  /** Absolute offset of the opening quote of the last string the main loop entered. */
  protected stringStartAbs = 0;
  /** Absolute offset of the current chunk. */
  protected base = 0;
  /** The last few characters before the current chunk. */
  private prevTail = '';

  /** Buffered text of the value or element in progress. */
  private readonly text: RecordText;

  // First-value format detection: a line break inside the first value awaits the next significant character.
  protected pending = false;
  private readonly firstBreak = new FirstBreak();

  /** JSON Lines: the scan position is at the start of a line with no value open. */
  protected atLineStart = false;

  constructor(options: ScannerOptions) {
    this.maxRecordChars = options.maxRecordChars;
    this.text = new RecordText(options.maxRecordChars);
    this.lines = new LineCounter(options.jsonLinesFrom !== undefined ? options.jsonLinesFrom : 1);
    if (options.jsonLinesFrom !== undefined) {
      this.mode = LINES;
      this.atLineStart = false; // the caller re-scans a line that failed whole: scan it
    }
    this.tooLongReason = options.tooLongReason ?? ((chars) => `record is longer than ${chars} characters of JSON text; skipped`);
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
        this.reject(this.lines.line, 'Records', TRUNCATED_RECORDS_ARRAY);
      } else if (this.streamed) {
        this.reject(this.lines.line, undefined, TRUNCATED_RECORDS_OBJECT);
      } else {
        this.reject(this.valueLine, undefined, TRUNCATED_RECORD);
      }
      this.reset();
    }
    return this.out;
  }

  // ---- values and elements

  /** A top-level object or array starts at position i of chunk s. */
  protected startValue(s: string, i: number, isObject: boolean): void {
    this.valueActive = true;
    this.valueLine = this.lines.at(s, i);
    this.topIsObject = isObject;
    this.streamed = false;
    this.text.start(i);
  }

  /** The top-level value ends before position end of chunk s: hands out its text, unless its Records were streamed. */
  protected endValue(s: string, end: number): void {
    this.valueActive = false;
    this.atLineStart = false;
    if (this.streamed) {
      this.streamed = false;
    } else {
      this.emitCollected(s, end, this.valueLine, undefined);
    }
    if (this.mode === DETECT) this.mode = LINES;
  }

  /** Anything at the top level that is not an object or array: taken to the end of its line, for JSON.parse to judge. */
  protected startScalar(s: string, i: number): number {
    this.valueActive = true;
    this.scalar = true;
    this.valueLine = this.lines.at(s, i);
    this.topIsObject = false;
    this.streamed = false;
    if (this.mode === DETECT) this.mode = LINES;
    this.text.start(i);
    return this.continueScalar(s, i);
  }

  /** Inside a top-level scalar from position i: ends it at the next line break; returns where scanning goes on. */
  protected continueScalar(s: string, i: number): number {
    const nl = s.indexOf('\n', i);
    if (nl === -1) return s.length;
    this.scalar = false;
    this.valueActive = false;
    this.emitCollected(s, nl, this.valueLine, undefined);
    return nl; // the newline itself is read as whitespace
  }

  // ---- the Records array

  /** After a string closed at depth 1 of a top-level object (at position j of chunk s): was it the key "Records"? */
  protected checkKey(s: string, j: number): void {
    const start = this.stringStartAbs - this.base; // may be negative: the string began in an earlier chunk
    if (j - start - 1 !== 7) return;
    const text = start >= 0 ? s.slice(start + 1, j) : (this.prevTail + s.slice(0, j)).slice(-7);
    if (text === 'Records') this.keyState = 1;
  }

  /** After the key "Records" at depth 1: follows `:` then `[`? True when c was consumed. */
  protected afterRecordsKey(c: number): boolean {
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

  /** The Records array of a top-level object opens: its elements are handed out one by one, not the object. */
  private enterRecords(): void {
    this.inRecords = true;
    this.streamed = true;
    this.recordIndex = 0;
    this.depth = 2;
    this.text.clear();
  }

  /** An element of the Records array starts at position i of chunk s. */
  protected startElement(s: string, i: number): void {
    this.elementActive = true;
    this.elementLine = this.lines.at(s, i);
    this.elementIndex = this.recordIndex;
    this.recordIndex += 1;
    this.text.start(i);
  }

  /** The element of the Records array in progress ends before position end of chunk s: hands out its text. */
  protected endElement(s: string, end: number): void {
    this.elementActive = false;
    this.emitCollected(s, end, this.elementLine, `Records[${this.elementIndex}]`);
  }

  // ---- output

  /** Hands out the collected text of a value or element ending before position end of chunk s, or rejects it as too long. */
  private emitCollected(s: string, end: number, line: number, path: string | undefined): void {
    const text = this.text.finish(s, end);
    if (text === undefined) {
      this.reject(line, path, this.tooLongReason(this.maxRecordChars));
      return;
    }
    const item: Scanned = path === undefined ? { kind: 'text', text, line } : { kind: 'text', text, line, path };
    this.out.push(item);
  }

  /** Hands out a rejection. */
  private reject(line: number, path: string | undefined, reason: string): void {
    this.out.push(path === undefined ? { kind: 'rejected', line, reason } : { kind: 'rejected', line, path, reason });
  }

  /** At the end of chunk s: finishes counting its lines and keeps what the next chunk may need of it. */
  protected endChunk(s: string): void {
    this.lines.endChunk(s);
    this.text.endChunk(s);
    if (this.mode === DETECT) this.firstBreak.endChunk(s);
    this.prevTail = s.length >= 16 ? s.slice(-16) : (this.prevTail + s).slice(-16);
    this.base += s.length;
  }

  // ---- line-bound modes

  /** A line break outside strings while a value is open, in JSON Lines or format detection. */
  protected newlineInValue(s: string, i: number): void {
    if (this.mode === LINES) {
      this.breakLine();
      return;
    }
    // DETECT: the first line break inside the first value. Decide at the next significant character.
    if (this.pending || this.mode !== DETECT) return;
    this.pending = true;
    this.firstBreak.note(s, i, this.depth, this.topIsObject);
  }

  /** The first significant character after the first line break inside the first value decides the format. */
  protected resolvePending(c: number): void {
    this.pending = false;
    if (c === OPEN_BRACE && !this.firstBreak.braceContinues()) {
      this.mode = LINES;
      this.breakLine();
    } else {
      this.mode = VALUES;
    }
  }

  /** The value open on this line cannot be completed: reject what is open and start afresh on the next line. */
  protected breakLine(): void {
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

  /** Forgets everything open: the next character starts afresh at the top level. */
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
    this.text.clear();
    this.pending = false;
    this.atLineStart = false;
  }
}
