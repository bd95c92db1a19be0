/**
 * Inert text: what an event put in a string, made safe for a person's screen (a terminal, a mail
 * reader, a chat client, a spreadsheet, a Markdown viewer) without losing what it said.
 *
 * Every character that acts on the display instead of showing itself is replaced by a visible
 * escape, never removed:
 *
 * - C0 controls U+0000–U+001F (ESC starts terminal sequences that clear the screen or set the
 *   window title, BEL rings, CR rewrites the line, BS erases), DEL U+007F and the C1 controls
 *   U+0080–U+009F (U+009B is a one-character CSI, U+009D an OSC): `\x1b`, `\x07`, `\x9b`; LF, CR
 *   and TAB as `\n`, `\r`, `\t`. A line break is kept only where the output needs it (`lines`:
 *   LF; `cell`: LF, CR and TAB, which a quoted CSV field holds as data).
 * - Unicode bidirectional controls, which reorder what is shown ("Trojan Source"): U+061C, U+200E,
 *   U+200F, U+202A–U+202E, U+2066–U+2069: `\u202e`.
 * - Invisible characters that hide or disguise text: line and paragraph separators U+2028 and
 *   U+2029 (a line break to some readers), zero-width space, non-joiner and joiner U+200B–U+200D,
 *   word joiner and invisible operators U+2060–U+2064, the deprecated format controls
 *   U+206A–U+206F, the byte order mark / zero-width no-break space U+FEFF, interlinear annotation
 *   U+FFF9–U+FFFB, soft hyphen U+00AD, combining grapheme joiner U+034F, the Hangul fillers U+115F,
 *   U+1160, U+3164, U+FFA0, the Khmer inherent vowels U+17B4, U+17B5, the Mongolian vowel
 *   separator U+180E, and the tag characters U+E0000–U+E007F (invisible ASCII, used to smuggle
 *   text): `\u200b`, `\u{e0041}`.
 *
 * Left as they are: printable text of every script, spaces, variation selectors (emoji
 * presentation), private-use characters, and the backslash (the escapes are for reading, not a
 * reversible encoding; the stored data keeps the exact value). Plain text comes back unchanged.
 */

/** What may stay raw: nothing (`line`), LF (`lines`), or LF, CR and TAB (`cell`, a quoted CSV field). */
export type InertMode = 'line' | 'lines' | 'cell';

/** Every character made visible in `line` mode (U+034F and the astral tags outside the class, as alternatives). */
const DISPLAY_ACTING =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\ufff9-\ufffb\uffa0]|\u034f|\udb40[\udc00-\udc7f]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOf(character: string): string {
  const named = NAMED[character];
  if (named !== undefined) return named;
  const code = character.codePointAt(0)!;
  if (code <= 0x9f) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\u{${code.toString(16)}}`;
}

/**
 * The text with every control, bidirectional and invisible format character above replaced by a
 * visible escape (`\x1b`, `\u202e`), except the line breaks `mode` keeps: `line` (the default) for
 * one-line text such as a subject, a table cell or a diagnostic; `lines` for a multi-line body (LF
 * kept); `cell` for a CSV field (LF, CR and TAB kept, RFC 4180 quotes them). Idempotent.
 */
export function inertText(text: string, mode: InertMode = 'line'): string {
  DISPLAY_ACTING.lastIndex = 0;
  if (!DISPLAY_ACTING.test(text)) return text;
  DISPLAY_ACTING.lastIndex = 0;
  return text.replace(DISPLAY_ACTING, (character) => {
    if (character === '\n' && mode !== 'line') return character;
    if ((character === '\r' || character === '\t') && mode === 'cell') return character;
    return escapeOf(character);
  });
}
