/**
 * A JSON array written a few items at a time, as `JSON.stringify(items, null, 2)` writes it whole:
 * what a streamed export or report sends is the same text, byte for byte, as the whole document.
 */

/** One item as it appears inside an array nested `indent` deep (its lines indented two more spaces). */
function itemText(value: unknown, indent: string): string {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  return `${indent}  ${text.replaceAll('\n', `\n${indent}  `)}`;
}

export class JsonArrayText {
  private empty = true;

  /** `indent`: the indentation of the line the array starts on ('' for a top-level array). */
  constructor(private readonly indent = '') {}

  /** The text of these items, after those added before (the opening bracket comes with the first). */
  add(values: readonly unknown[]): string {
    if (values.length === 0) return '';
    const text = values.map((value) => itemText(value, this.indent)).join(',\n');
    const before = this.empty ? '[\n' : ',\n';
    this.empty = false;
    return before + text;
  }

  /** The closing bracket (the whole `[]` when no item was added). */
  end(): string {
    return this.empty ? '[]' : `\n${this.indent}]`;
  }
}
