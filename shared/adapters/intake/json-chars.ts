/** The character codes JsonScanner looks at (UTF-16 code units, as charCodeAt returns them). */

export const QUOTE = 34;
export const BACKSLASH = 92;
export const OPEN_BRACE = 123;
export const CLOSE_BRACE = 125;
export const OPEN_BRACKET = 91;
export const CLOSE_BRACKET = 93;
export const COMMA = 44;
export const COLON = 58;
export const NEWLINE = 10;

/** JSON whitespace: space, line feed, carriage return or tab. */
export function isSpace(c: number): boolean {
  return c === 32 || c === NEWLINE || c === 13 || c === 9;
}
