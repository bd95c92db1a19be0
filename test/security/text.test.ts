/** `inertText` (core/model/text.ts): the one function that makes text from events inert on a person's screen. */
import { inertText } from '../../shared/core/model/text';
import { BEL, CSI, ESC, HOSTILE, SHOWN } from '../support/hostile-text';

describe('inertText', () => {
  it.each([
    ['ESC clear screen', `${ESC}[2J`, String.raw`\x1b[2J`],
    ['BEL', BEL, String.raw`\x07`],
    ['an OSC title sequence', `${ESC}]0;pwned${BEL}`, String.raw`\x1b]0;pwned\x07`],
    ['NUL, BS and DEL', '\u0000\u0008\u007f', String.raw`\x00\x08\x7f`],
    ['the C1 CSI and OSC', `${CSI}31m\u009d`, String.raw`\x9b31m\x9d`],
    [
      'bidi overrides, embeddings, marks and isolates',
      '\u202a\u202b\u202c\u202d\u202e\u200e\u200f\u061c\u2066\u2067\u2068\u2069',
      String.raw`\u202a\u202b\u202c\u202d\u202e\u200e\u200f\u061c\u2066\u2067\u2068\u2069`,
    ],
    ['zero-width and invisible format characters', 'a\u200bb\u2060c\ufeffd\u00ade', String.raw`a\u200bb\u2060c\ufeffd\u00ade`],
    ['line and paragraph separators', '\u2028\u2029', String.raw`\u2028\u2029`],
    ['tag characters (invisible ASCII)', 'x\u{e0070}\u{e0077}', String.raw`x\u{e0070}\u{e0077}`],
    ['line breaks and tabs of one-line text', 'a\nb\r\tc', String.raw`a\nb\r\tc`],
  ])('shows %s as escapes', (_what, input, shown) => {
    expect(inertText(input)).toBe(shown);
  });

  it('keeps LF in a body and LF, CR and TAB in a CSV cell, escaping the rest', () => {
    expect(inertText(`a\nb\r\t${ESC}`, 'lines')).toBe(`a\n${String.raw`b\r\t\x1b`}`);
    expect(inertText(`a\nb\r\t${ESC}`, 'cell')).toBe(`a\nb\r\t${String.raw`\x1b`}`);
  });

  it('leaves plain text of every script unchanged, and is idempotent', () => {
    for (const plain of ['aws-cli/2.15.30 md/awscrt#0.19.19', 'Überprüfung — ✓ 東京 مرحبا', 'emoji ❤️ 👍', 'C:\\path\\x1b']) {
      expect(inertText(plain)).toBe(plain);
    }
    expect(inertText(inertText(HOSTILE))).toBe(inertText(HOSTILE));
    expect(inertText(HOSTILE)).toBe(SHOWN);
  });
});
