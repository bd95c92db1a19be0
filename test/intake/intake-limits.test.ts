/**
 * The pieces intake's limits rest on: nesting measured without recursion, JSON syntax errors told
 * without quoting the input, UTF-8 decoded with invalid bytes marked, and text told from binary data
 * by a file's first bytes.
 */
import { jsonSyntaxReason } from '../../shared/adapters/intake/record-items';
import { NOT_UTF8, notTextReason, Utf8Decoder } from '../../shared/adapters/intake/utf8-text';
import { nestsDeeperThan } from '../../shared/core/intake/nesting';
import { MAX_NESTING_DEPTH } from '../../shared/core/intake/types';

const deepObjectText = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const deepArrayText = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('nestsDeeperThan', () => {
  it('measures arrays and objects alike, without recursion, on values far deeper than the stack allows', () => {
    for (const text of [deepObjectText(20_000), deepArrayText(20_000), deepObjectText(200_000)]) {
      const value = JSON.parse(text) as unknown;
      expect(() => JSON.stringify(value)).toThrow(RangeError); // what the size check used to do
      expect(nestsDeeperThan(value, MAX_NESTING_DEPTH)).toBe(true);
    }
  });

  it('counts the value itself as level 1 and scalars as no level; a cycle is too deep', () => {
    expect(MAX_NESTING_DEPTH).toBe(32);
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan({}, 1)).toBe(false);
    expect(nestsDeeperThan({ a: 1, b: 'x', c: null }, 1)).toBe(false);
    expect(nestsDeeperThan({ a: [] }, 1)).toBe(true);
    expect(nestsDeeperThan([[1, [2]], { a: [] }], 3)).toBe(false);
    expect(nestsDeeperThan([[1, [2]], { a: [{}] }], 3)).toBe(true);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(nestsDeeperThan(cyclic, MAX_NESTING_DEPTH)).toBe(true);
  });
});

describe('jsonSyntaxReason', () => {
  const reasonFor = (text: string) => {
    try {
      JSON.parse(text);
    } catch (error) {
      return jsonSyntaxReason(error);
    }
    throw new Error('parsed');
  };

  it('keeps what V8 says when it quotes nothing, and only the kind of problem when it would quote the input', () => {
    expect(reasonFor('{"a":1 "b":2}')).toBe("malformed JSON: Expected ',' or '}' after property value at position 7");
    expect(reasonFor('{"a": hunter2}')).toBe('malformed JSON: unexpected character');
    expect(reasonFor('{"a":')).toBe('malformed JSON: Unexpected end of JSON input');
    expect(reasonFor('"abc')).toBe('malformed JSON: Unterminated string at position 4');
    expect(jsonSyntaxReason(new RangeError('Maximum call stack size exceeded'))).toBe('malformed JSON: nested too deeply to parse');
    expect(jsonSyntaxReason(new SyntaxError('something new quoting "hunter2" in JSON at position 3'))).toBe(
      'malformed JSON: not valid JSON',
    );
    expect(jsonSyntaxReason('not an error')).toBe('malformed JSON: not valid JSON');
  });
});

describe('Utf8Decoder', () => {
  const decode = (bytes: number[], sizes: number[]) => {
    const decoder = new Utf8Decoder();
    let text = '';
    for (let at = 0, k = 0; at < bytes.length; k += 1) {
      const size = sizes[k % sizes.length]!;
      text += decoder.write(Buffer.from(bytes.slice(at, at + size)));
      at += size;
    }
    return { text: text + decoder.end(), sawInvalid: decoder.sawInvalid };
  };
  const utf8 = (text: string) => [...Buffer.from(text, 'utf8')];

  it('decodes valid text cut anywhere, and drops a byte order mark', () => {
    const text = 'café ☕ 😀 \u2028 \uFFFD end';
    for (const sizes of [[1], [2], [3], [5, 1], [1000]]) {
      expect(decode([0xef, 0xbb, 0xbf, ...utf8(text)], sizes)).toEqual({ text, sawInvalid: false });
    }
  });

  it('marks each invalid part with NOT_UTF8, which valid text never holds', () => {
    expect(decode([0x61, 0xe9, 0x62], [1])).toEqual({ text: `a${NOT_UTF8}b`, sawInvalid: true });
    expect(decode([0x61, 0xe2, 0x82, 0x62], [2])).toEqual({ text: `a${NOT_UTF8}b`, sawInvalid: true });
    expect(decode([0xed, 0xa0, 0x80], [3])).toEqual({ text: `${NOT_UTF8}${NOT_UTF8}${NOT_UTF8}`, sawInvalid: true });
    expect(decode([0x61, 0xf0, 0x9f, 0x98], [4])).toEqual({ text: `a${NOT_UTF8}`, sawInvalid: true });
  });
});

describe('notTextReason', () => {
  it('lets text through, a stray control character included', () => {
    expect(notTextReason(Buffer.from(`${'{"a":1}\n'.repeat(50)}{"b":"\u0001"}\n`))).toBeUndefined();
    expect(notTextReason(Buffer.alloc(0))).toBeUndefined();
  });

  it('names UTF-16, UTF-32 and binary data', () => {
    expect(notTextReason(Buffer.from([0xff, 0xfe, 0x7b, 0x00]))).toMatch(/^is UTF-16 text/);
    expect(notTextReason(Buffer.from([0x00, 0x00, 0xfe, 0xff]))).toMatch(/^is UTF-32 text/);
    expect(notTextReason(Buffer.from('{"Records":[]}', 'utf16le'))).toMatch(/^looks like UTF-16 or UTF-32 text/);
    expect(notTextReason(Buffer.alloc(64))).toMatch(/^holds binary data/);
  });
});
