/**
 * The line numbers of positions in the chunk being scanned, counted lazily: each '\n' is found once, when a
 * position after it is asked about or the chunk ends.
 */
export class LineCounter {
  /** The number of the line holding the last position asked about; after `endChunk`, of the line the next chunk starts on. */
  line: number;
  /** The next '\n' after the last position asked about (-1: none left in this chunk). */
  private nl = -1;

  constructor(firstLine: number) {
    this.line = firstLine;
  }

  /** Starts counting in a new chunk. */
  startChunk(s: string): void {
    this.nl = s.indexOf('\n');
  }

  /** The line number of position p of chunk s; positions asked about must not decrease within a chunk. */
  at(s: string, p: number): number {
    let nl = this.nl;
    while (nl !== -1 && nl < p) {
      this.line += 1;
      nl = s.indexOf('\n', nl + 1);
    }
    this.nl = nl;
    return this.line;
  }

  /** Counts the line breaks left in chunk s. */
  endChunk(s: string): void {
    this.at(s, s.length);
  }
}
