/**
 * How templates are written to files: pretty (for reading, diffing and `--template-body`) and
 * minified (the fewest bytes, for `--template-url`).
 *
 * The pretty layout is the one the repository's formatter gives JSON: two-space indentation, and a
 * value that fits on its line (a short array, a `Ref`, an `Fn::GetAtt`) kept on it; only what would
 * pass the line width is spread one entry per line. A template of many short arrays takes half the
 * bytes it would one entry per line, which is what keeps the member template well within the 51,200
 * bytes `--template-body` accepts.
 */

/** The line width of the pretty layout (columns). */
export const PRETTY_LINE_WIDTH = 100;

function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, inner]) => `${JSON.stringify(key)}: ${inline(inner)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}

function layout(value: unknown, indent: string, column: number, width: number): string {
  const flat = inline(value);
  if (value === null || typeof value !== 'object' || column + flat.length <= width) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => inner + layout(item, inner, inner.length, width)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const lines = entries.map(([key, item]) => {
    const head = `${inner}${JSON.stringify(key)}: `;
    return head + layout(item, inner, head.length, width);
  });
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

/** `value` as pretty JSON text (see above), ending with a newline. */
export function prettyJson(value: unknown, width = PRETTY_LINE_WIDTH): string {
  return `${layout(value, '', 0, width)}\n`;
}

/** `value` as JSON text without any whitespace. */
export function minifiedJson(value: unknown): string {
  return JSON.stringify(value);
}
