import { JsonScanner, type Scanned } from '../../shared/adapters/intake/json-scanner';
import { ctRecord, recordsFile } from './helpers';

/**
 * Scans `text` cut into pieces of the given sizes (cycled). Lines taken whole by the JSON Lines fast
 * path (which depends on where chunks end) are scanned again as readEvents does when they do not
 * parse, so that results compare across chunkings.
 */
function scan(text: string, sizes: number[] = [text.length], maxRecordChars = 1 << 24): Scanned[] {
  const scanner = new JsonScanner({ maxRecordChars });
  const out: Scanned[] = [];
  for (let at = 0, k = 0; at < text.length; k += 1) {
    const size = Math.max(1, sizes[k % sizes.length]);
    out.push(...scanner.push(text.slice(at, at + size)));
    at += size;
  }
  out.push(...scanner.end());
  return out.flatMap((piece) => {
    if (piece.kind !== 'text' || !piece.wholeLine) return [piece];
    const again = new JsonScanner({ maxRecordChars, jsonLinesFrom: piece.line });
    return [...again.push(`${piece.text}\n`), ...again.end()];
  });
}

const texts = (pieces: Scanned[]) => pieces.map((piece) => (piece.kind === 'text' ? piece.text : `!${piece.reason}`));

describe('JsonScanner', () => {
  it('cuts a Records array into its elements', () => {
    const records = [ctRecord(0), ctRecord(1)];
    expect(scan(recordsFile(records))).toEqual(
      records.map((record, i) => ({ kind: 'text', text: JSON.stringify(record), line: 1, path: `Records[${i}]` })),
    );
  });

  it('does not mistake a string value "Records" or a nested Records key for the Records array', () => {
    const text = '{"eventName": "Records", "eventSource": "x", "requestParameters": {"Records": [1, 2]}}';
    expect(texts(scan(text))).toEqual([text]);
  });

  it('handles escapes: quotes and backslashes at the end of strings', () => {
    const values = ['\\', '\\\\', '"', '\\"', 'a\\', '\\"\\', 'x"y', '}', ']', '{"Records":['];
    const record = { eventName: 'x', eventSource: 'y', values };
    const text = recordsFile([record, record]);
    const pieces = scan(text);
    expect(pieces.map((piece) => piece.kind === 'text' && JSON.parse(piece.text))).toEqual([record, record]);
  });

  it('gives the same result however the text is cut into chunks', () => {
    const records = [0, 1, 2].map((i) => ctRecord(i));
    const inputs = [
      recordsFile(records),
      `${JSON.stringify({ Records: records }, null, 2)}\n`,
      `${JSON.stringify(records[0])}\n{"broken": \n${recordsFile(records)}\n"str"\n\n  ${JSON.stringify(records[1])}  \n{"a": "b\\"}`,
      `{"x": 1\n${JSON.stringify(records[0])}\n`,
      `${JSON.stringify(records[0], null, 2)}\n${JSON.stringify(records[1], null, 4)}`,
      `{"Records":[${JSON.stringify(records[0])}, {"bad": }, 7, "s", ${JSON.stringify(records[1])}`,
    ];
    for (const text of inputs) {
      const whole = scan(text);
      for (const sizes of [[1], [2], [3], [7], [13, 1, 5], [64], [1000]]) {
        expect(scan(text, sizes)).toEqual(whole);
      }
      // Every single cut point.
      const scanner = (cut: number) => scan(text, [cut, text.length]);
      for (let cut = 1; cut < text.length; cut += 1) expect(scanner(cut)).toEqual(whole);
    }
  });

  it('counts lines across chunks', () => {
    const lines = ['{"a":1}', '', '{"b":', '2}', '', '', '{"c":3}'].join('\n');
    // Multi-line: the first value is one line, then a value over two lines in JSON Lines mode is a broken line.
    const expected = [
      { kind: 'text', text: '{"a":1}', line: 1 },
      { kind: 'rejected', line: 3, reason: 'line ends inside a JSON value (malformed or truncated JSON Lines line)' },
      { kind: 'text', text: '2}', line: 4 },
      { kind: 'text', text: '{"c":3}', line: 7 },
    ];
    expect(scan(lines)).toEqual(expected);
    expect(scan(lines, [1])).toEqual(expected);
  });

  it('treats input whose first value spans lines as multi-line', () => {
    const text = '\n{\n  "a": [\n    {"b": 1}\n  ]\n}\n{\n"c": 2}';
    expect(scan(text, [3])).toEqual([
      { kind: 'text', text: '{\n  "a": [\n    {"b": 1}\n  ]\n}', line: 2 },
      { kind: 'text', text: '{\n"c": 2}', line: 7 },
    ]);
  });

  it('skips, unbuffered, a record longer than the limit', () => {
    const big = JSON.stringify(ctRecord(1, { requestParameters: { blob: 'z'.repeat(5000) } }));
    const text = `{"Records":[${JSON.stringify(ctRecord(0))},${big},${JSON.stringify(ctRecord(2))}]}`;
    const pieces = scan(text, [512], 4000);
    expect(pieces.map((piece) => [piece.kind, piece.path])).toEqual([
      ['text', 'Records[0]'],
      ['rejected', 'Records[1]'],
      ['text', 'Records[2]'],
    ]);
    expect(pieces[1]).toMatchObject({ reason: 'record is longer than 4000 characters of JSON text; skipped' });
  });

  it('rejects top-level closing brackets and scalars line by line', () => {
    expect(scan('{"a":1}\n}\n42\n{"b":2}\n')).toEqual([
      { kind: 'text', text: '{"a":1}', line: 1 },
      { kind: 'text', text: '}', line: 2 },
      { kind: 'text', text: '42', line: 3 },
      { kind: 'text', text: '{"b":2}', line: 4 },
    ]);
  });
});
