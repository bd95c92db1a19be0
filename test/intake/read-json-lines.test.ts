/**
 * readJsonLines, the reader of `evaluate --jsonl`: every line of the input ends with a `line-end`
 * after its items (blank lines included), each line is judged as one JSON value, and a problem on one
 * line never stops the lines after it.
 */
import { gzipSync } from 'node:zlib';
import { readJsonLines, type JsonLinesItem } from '../../shared/adapters/intake';
import { BINARY_REASON, INVALID_UTF8_REASON } from '../../shared/adapters/intake/record-items';
import { TOO_DEEP_REASON } from '../../shared/core/intake/to-event';
import { chunkedStream, ctRecord, recordsFile, tempDir } from './helpers';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

async function read(input: string, stdin?: NodeJS.ReadableStream): Promise<JsonLinesItem[]> {
  const out: JsonLinesItem[] = [];
  for await (const item of readJsonLines(input, {}, stdin)) out.push(item);
  return out;
}

/** Each item in short: `event evt-1`, `rejected 2 Records[1]: reason`, `end 3 blank`. */
function brief(items: JsonLinesItem[]): string[] {
  return items.map((item) => {
    if (item.kind === 'line-end') return `end ${item.line}${item.blank ? ' blank' : ''}`;
    if (item.kind === 'event') return `event ${item.event.id} ${item.where.line}`;
    return `rejected ${item.where.line}${item.where.path ? ` ${item.where.path}` : ''}: ${item.reason}`;
  });
}

const line = (i: number) => JSON.stringify(ctRecord(i));

describe('readJsonLines', () => {
  it('ends every line, blank ones included, after its items; a last line without a line feed counts', async () => {
    const text = `${line(1)}\n\n   \r\n${recordsFile([ctRecord(2), ctRecord(3)])}\r\n{"Records":[]}\n42\n{broken\n${line(4)}`;
    expect(brief(await read(tmp.write('lines.jsonl', text)))).toEqual([
      'event evt-1 1',
      'end 1',
      'end 2 blank',
      'end 3 blank',
      'event evt-2 4',
      'event evt-3 4',
      'end 4',
      'end 5',
      'rejected 6: expected a JSON object, got number',
      'end 6',
      "rejected 7: malformed JSON: Expected property name or '}' at position 1",
      'end 7',
      'event evt-4 8',
      'end 8',
    ]);
  });

  it('gives the same answers whatever the chunk ends, and reads stdin and gzip', async () => {
    const text = `${line(1)}\n\n${line(2)}\n`;
    const expected = ['event evt-1 1', 'end 1', 'end 2 blank', 'event evt-2 3', 'end 3'];
    for (const sizes of [[1], [3, 5], [4096]]) expect(brief(await read('-', chunkedStream(text, sizes)))).toEqual(expected);
    expect(brief(await read(tmp.write('lines.jsonl.gz', gzipSync(text))))).toEqual(expected);
    expect(await read('-', chunkedStream(''))).toEqual([]);
    expect(brief(await read('-', chunkedStream('\n')))).toEqual(['end 1 blank']);
  });

  it('answers a deep line, a line with a NUL and a line with bytes that are not UTF-8 each on their own', async () => {
    const deep = JSON.stringify(ctRecord(2, { requestParameters: '@' })).replace('"@"', `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`);
    const latin1 = Buffer.from(line(4).replace('alice', 'al@ce'));
    latin1[latin1.indexOf('@')] = 0xe9;
    const data = Buffer.concat([
      Buffer.from(`${line(1)}\n${deep}\n${line(3).replace('alice', 'al\u0000ce')}\n`),
      latin1,
      Buffer.from(`\n${line(5)}\n`),
    ]);
    expect(brief(await read(tmp.write('mixed.jsonl', data)))).toEqual([
      'event evt-1 1',
      'end 1',
      `rejected 2: ${TOO_DEEP_REASON}`,
      'end 2',
      `rejected 3: ${BINARY_REASON}`,
      'end 3',
      `rejected 4: ${INVALID_UTF8_REASON.replace('the record holds', 'the line holds')}`,
      'end 4',
      'event evt-5 5',
      'end 5',
    ]);
  });

  it('refuses an input that is not text, or cannot be read, once with line 0 and nothing else', async () => {
    const zeros = tmp.write('zeros.jsonl', Buffer.alloc(5000));
    expect(brief(await read(zeros))).toEqual([
      `rejected 0: ${zeros} is not a text file: it holds binary data (NUL or control bytes), not JSON text; skipped`,
    ]);
    const missing = `${tmp.dir}/missing.jsonl`;
    expect(brief(await read(missing))).toEqual([`rejected 0: cannot read ${missing}: no such file or directory (ENOENT)`]);
  });
});
