import { COLON, COMMA, OPEN_BRACKET, isSpace } from './json-chars';

/**
 * Format detection's memory of the first line break inside the first value: the last significant character before it,
 * which tells whether a `{` starting the next line can continue the value (multi-line input) or not (a broken JSON Lines
 * line). See json-scanner.ts for the rule.
 */
export class FirstBreak {
  /** The last significant character before the line break. */
  private lastSig = 0;
  /** If that character is a comma: it may be followed by `{`. */
  private commaLegal = true;
  /** The last significant character of the chunks before the current one. */
  private prevLastSig = 0;

  /** Notes the line break at position i of chunk s, met at bracket depth `depth` of a value that is an object or not. */
  note(s: string, i: number, depth: number, topIsObject: boolean): void {
    let k = i - 1;
    while (k >= 0 && isSpace(s.charCodeAt(k))) k -= 1;
    this.lastSig = k >= 0 ? s.charCodeAt(k) : this.prevLastSig;
    // After a comma, `{` may continue an array but not an object. Depth 1 is the top-level container,
    // depth 2 in Records mode is the Records array; deeper containers are not tracked (assume legal).
    if (depth === 1) this.commaLegal = !topIsObject;
    else this.commaLegal = true;
  }

  /** Could `{` follow the last significant character before the line break? */
  braceContinues(): boolean {
    const p = this.lastSig;
    return p === OPEN_BRACKET || p === COLON || (p === COMMA && this.commaLegal);
  }

  /** At the end of chunk s, before the format is decided: remembers its last significant character. */
  endChunk(s: string): void {
    let k = s.length - 1;
    while (k >= 0 && isSpace(s.charCodeAt(k))) k -= 1;
    if (k >= 0) this.prevLastSig = s.charCodeAt(k);
  }
}
