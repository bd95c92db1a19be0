/**
 * The text of the record being scanned, collected across chunks without copying each character: the record's part of a
 * chunk it runs past the end of is sliced off when that chunk ends, and its part of the chunk where it ends when it ends.
 * A record that grows longer than the limit is dropped at once, and only remembered as too long.
 */
export class RecordText {
  private readonly maxChars: number;
  /** A record's text is being collected. */
  private collecting = false;
  /** Where the record starts in the current chunk (0 if it started in an earlier one). */
  private from = 0;
  /** The record's parts from earlier chunks. */
  private parts: string[] = [];
  private partsChars = 0;
  /** The record is longer than maxChars: its text is dropped, and no more is collected. */
  private tooLong = false;

  constructor(maxChars: number) {
    this.maxChars = maxChars;
  }

  /** Starts collecting a record at position i of the current chunk. */
  start(i: number): void {
    this.collecting = true;
    this.from = i;
    this.parts = [];
    this.partsChars = 0;
    this.tooLong = false;
  }

  /** Ends the record before position end of chunk s: its text, or undefined if it was too long. */
  finish(s: string, end: number): string | undefined {
    this.collecting = false;
    if (this.tooLong) {
      this.tooLong = false;
      this.parts = [];
      return undefined;
    }
    const tail = s.slice(this.from, end);
    const text = this.parts.length === 0 ? tail : this.parts.join('') + tail;
    this.parts = [];
    return text;
  }

  /** Stops collecting and forgets the record. */
  clear(): void {
    this.collecting = false;
    this.parts = [];
    this.partsChars = 0;
    this.tooLong = false;
  }

  /** At the end of chunk s: keeps the part of the record in it, unless the record has grown too long. */
  endChunk(s: string): void {
    if (this.collecting && !this.tooLong) {
      const rest = s.slice(this.from);
      this.partsChars += rest.length;
      if (this.partsChars > this.maxChars) {
        this.tooLong = true;
        this.parts = [];
      } else {
        this.parts.push(rest);
      }
    }
    this.from = 0;
  }
}
