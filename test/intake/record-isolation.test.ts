/**
 * Intake never lets one record sink another: a record nested 20,000 levels deep, bytes that are not
 * UTF-8, binary data in the middle of a file are each refused with their place and reason, and the
 * records around them are read. A file that is not text at all (binary, UTF-16, UTF-32, gzip of
 * garbage) is refused once. No reason quotes the input: a secret may sit next to a syntax error.
 */
import { gzipSync } from 'node:zlib';
import { maskSecrets } from '../../shared/core/findings/mask';
import { evidenceOf } from '../../shared/core/findings/observation';
import { toEvent } from '../../shared/core/intake/to-event';
import { chunkedStream, collect, ctRecord, events, rejections, tempDir } from './helpers';

/** The reasons (spelled out here, so that this file also runs against code that lacks them). */
const TOO_DEEP_REASON = 'nested more than 32 levels deep (objects and arrays); no CloudTrail record or EventBridge event nests that deep';
const INVALID_UTF8_REASON = 'invalid UTF-8: the record holds bytes that are not UTF-8 text (files are read as UTF-8)';
const BINARY_REASON = 'not text: NUL, control or non-UTF-8 bytes (binary data), not JSON';
const MAX_NESTING_DEPTH = 32;

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const where = { file: 'test.json', line: 1 };
const ids = (items: Awaited<ReturnType<typeof collect>>) => events(items).map((item) => item.event.id);

/** Objects nested `depth` levels deep, as JSON text (JSON.stringify itself would overflow on them). */
function deepObjectText(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

function deepArrayText(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** The text of CloudTrail record i whose requestParameters is `parameters` (JSON text). */
function recordText(i: number, parameters: string): string {
  return JSON.stringify(ctRecord(i, { requestParameters: '@PARAMETERS@' })).replace('"@PARAMETERS@"', parameters);
}

/** A value nested `depth` levels deep (itself level 1). */
function nested(depth: number): unknown {
  let value: unknown = {};
  for (let i = 1; i < depth; i += 1) value = { a: value };
  return value;
}

/** Deterministic bytes that look like random binary data (no line feeds when `lines` is false). */
function garbage(length: number, seed: number, lines = true): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i += 1) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    let b = state >>> 24;
    if (!lines && b === 0x0a) b = 0x0b;
    bytes[i] = b;
  }
  return bytes;
}

describe('nesting depth', () => {
  it(`accepts a record nested ${MAX_NESTING_DEPTH} levels deep and refuses one level more`, () => {
    const fits = ctRecord(1, { requestParameters: nested(MAX_NESTING_DEPTH - 1) });
    expect(toEvent(fits, where).kind).toBe('event');
    const deeper = ctRecord(1, { requestParameters: nested(MAX_NESTING_DEPTH) });
    expect(toEvent(deeper, where)).toEqual({ kind: 'rejected', where, reason: TOO_DEEP_REASON });
  });

  it('refuses a 20,000-deep record without eventID (whose id would be derived by serializing it) and an envelope alike', () => {
    const record = JSON.parse(recordText(1, deepObjectText(20_000))) as Record<string, unknown>;
    delete record.eventID;
    expect(toEvent(record, where)).toEqual({ kind: 'rejected', where, reason: TOO_DEEP_REASON });
    const envelope = {
      version: '0',
      id: 'e',
      'detail-type': 'Custom',
      source: 'x',
      account: '1',
      time: '2025-01-01T00:00:00Z',
      region: 'r',
    };
    expect(
      toEvent({ ...envelope, detail: JSON.parse(deepArrayText(20_000).replace(/^\[/, '{"x":[').replace(/\]$/, ']}')) }, where),
    ).toEqual({
      kind: 'rejected',
      where,
      reason: TOO_DEEP_REASON,
    });
  });

  it('lets only records through that are safe to serialize, mask and keep as evidence', () => {
    const item = toEvent(ctRecord(1, { requestParameters: nested(MAX_NESTING_DEPTH - 1) }), where);
    if (item.kind !== 'event') throw new Error(item.reason);
    expect(() => JSON.stringify(maskSecrets(item.event))).not.toThrow();
    expect(() =>
      JSON.stringify(evidenceOf(item.event, { request: (item.event.detail as { requestParameters: unknown }).requestParameters })),
    ).not.toThrow();
  });

  it.each([
    ['a one-line .json Records file', 'deep.json', (texts: string[]) => `{"Records":[${texts.join(',')}]}`, 1, 'Records[1]'],
    [
      'a pretty-printed Records file',
      'pretty.json',
      (texts: string[]) => `{\n  "Records": [\n${texts.join(',\n')}\n  ]\n}\n`,
      4,
      'Records[1]',
    ],
    ['JSON Lines', 'deep.jsonl', (texts: string[]) => `${texts.join('\n')}\n`, 2, undefined],
  ])(
    'refuses a 20,000-deep record between two good ones in %s (plain and gzip), naming it, and reads both neighbours',
    async (_kind, name, layout, line, path) => {
      const text = layout([recordText(0, '{}'), recordText(1, deepObjectText(20_000)), recordText(2, '{}')]);
      for (const file of [tmp.write(name, text), tmp.write(`${name}.gz`, gzipSync(text))]) {
        const items = await collect([file]);
        expect(ids(items)).toEqual(['evt-0', 'evt-2']);
        expect(rejections(items)).toEqual([
          { kind: 'rejected', where: path === undefined ? { file, line } : { file, line, path }, reason: TOO_DEEP_REASON },
        ]);
      }
    },
  );

  it('refuses a deep JSON Lines line read from stdin in small pieces, whatever the chunk ends', async () => {
    const text = [
      recordText(0, '{}'),
      recordText(1, deepArrayText(20_000).replace(/^\[/, '{"x":[').replace(/\]$/, ']}')),
      recordText(2, '{}'),
    ].join('\n');
    const items = await collect(['-'], {}, chunkedStream(text, [4096, 7, 65536]));
    expect(ids(items)).toEqual(['evt-0', 'evt-2']);
    expect(rejections(items).map((item) => [item.where.line, item.reason])).toEqual([[2, TOO_DEEP_REASON]]);
  });
});

describe('files that are not text', () => {
  const jsonl = `${[ctRecord(1), ctRecord(2), ctRecord(3)].map((r) => JSON.stringify(r)).join('\n')}\n`;

  it.each([
    ['NUL bytes', () => Buffer.alloc(10_000), /is not a text file: it holds binary data \(NUL or control bytes\)/],
    [
      'a UTF-16LE file with its byte order mark',
      () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(jsonl, 'utf16le')]),
      /UTF-16 text \(byte order mark\)/,
    ],
    [
      'a UTF-16BE file with its byte order mark',
      () => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(jsonl, 'utf16le').swap16()]),
      /UTF-16 text \(byte order mark\)/,
    ],
    ['a UTF-16LE file without one', () => Buffer.from(jsonl, 'utf16le'), /looks like UTF-16 or UTF-32 text/],
    [
      'a UTF-32LE file',
      () => Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), ...[...jsonl].map((c) => Buffer.from([c.charCodeAt(0), 0, 0, 0]))]),
      /UTF-32 text/,
    ],
    ['random bytes', () => garbage(100_000, 7), /holds binary data/],
    ['gzip of random bytes', () => gzipSync(garbage(100_000, 11)), /its gzip content holds binary data/],
  ])('refuses %s once, naming the file', async (_kind, data, reason) => {
    const file = tmp.write('input.json', data());
    const items = await collect([file]);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'rejected', where: { file, line: 0 } });
    expect(rejections(items)[0]!.reason).toMatch(reason);
    expect(rejections(items)[0]!.reason).toContain(file);
  });

  it('refuses stdin that is not text once, as stdin', async () => {
    const items = await collect(['-'], {}, chunkedStream(Buffer.alloc(100), [7]));
    expect(rejections(items).map((item) => item.reason)).toEqual([
      'stdin is not a text file: it holds binary data (NUL or control bytes), not JSON text; skipped',
    ]);
  });

  it('reads a short text file, and a text file with a stray control character in one record, record by record', async () => {
    expect(ids(await collect([tmp.write('short.json', JSON.stringify(ctRecord(1)))]))).toEqual(['evt-1']);
    const stray = `${JSON.stringify(ctRecord(1))}\n${JSON.stringify(ctRecord(2)).replace('alice', 'al\u0001ice')}\n${JSON.stringify(ctRecord(3))}\n`;
    const file = tmp.write('stray.jsonl', stray);
    const items = await collect([file]);
    expect(ids(items)).toEqual(['evt-1', 'evt-3']);
    expect(rejections(items)).toEqual([{ kind: 'rejected', where: { file, line: 2 }, reason: BINARY_REASON }]);
  });

  it('gives binary data in the middle of a file one reason, and reads the records before and after it', async () => {
    const good = (i: number) => Buffer.from(`${JSON.stringify(ctRecord(i))}\n`);
    const blob = Buffer.concat(Array.from({ length: 40 }, (_, k) => Buffer.concat([garbage(200, 100 + k, false), Buffer.from('\n')])));
    const file = tmp.write('mixed.jsonl', Buffer.concat([...Array.from({ length: 30 }, (_, i) => good(i)), blob, good(99)]));
    const items = await collect([file]);
    expect(ids(items)).toEqual([...Array.from({ length: 30 }, (_, i) => `evt-${i}`), 'evt-99']);
    expect(rejections(items)).toEqual([{ kind: 'rejected', where: { file, line: 31 }, reason: `${BINARY_REASON} (lines 31 to 70)` }]);
  });

  it('reads the records before a zero-filled tail (a log writer that crashed), and refuses the tail once', async () => {
    const text = Buffer.from(`${Array.from({ length: 40 }, (_, i) => JSON.stringify(ctRecord(i))).join('\n')}\n`);
    const file = tmp.write('tail.jsonl', Buffer.concat([text, Buffer.alloc(8192)]));
    const items = await collect([file]);
    expect(ids(items)).toHaveLength(40);
    expect(rejections(items)).toEqual([{ kind: 'rejected', where: { file, line: 41 }, reason: BINARY_REASON }]);
  });
});

describe('bytes that are not UTF-8', () => {
  const latin1 = (i: number) =>
    Buffer.concat([
      Buffer.from(JSON.stringify(ctRecord(i, { userAgent: '@UA@' })).split('@UA@')[0]!),
      Buffer.from([0x63, 0x61, 0x66, 0xe9]),
      Buffer.from(JSON.stringify(ctRecord(i, { userAgent: '@UA@' })).split('@UA@')[1]!),
    ]);

  it('refuse the record that holds them, naming it, in JSON Lines and in a Records file; the others are read', async () => {
    const line = (i: number) => Buffer.from(JSON.stringify(ctRecord(i)));
    const nl = Buffer.from('\n');
    const jsonl = tmp.write('latin1.jsonl', Buffer.concat([line(1), nl, latin1(2), nl, line(3), nl]));
    const items = await collect([jsonl]);
    expect(ids(items)).toEqual(['evt-1', 'evt-3']);
    expect(rejections(items)).toEqual([{ kind: 'rejected', where: { file: jsonl, line: 2 }, reason: INVALID_UTF8_REASON }]);

    const records = tmp.write(
      'latin1.json',
      Buffer.concat([Buffer.from('{"Records":['), line(1), Buffer.from(','), latin1(2), Buffer.from(','), line(3), Buffer.from(']}')]),
    );
    const fromRecords = await collect([records]);
    expect(ids(fromRecords)).toEqual(['evt-1', 'evt-3']);
    expect(rejections(fromRecords)).toEqual([
      { kind: 'rejected', where: { file: records, line: 1, path: 'Records[1]' }, reason: INVALID_UTF8_REASON },
    ]);
  });

  it('are found whatever the chunk ends, while valid characters cut by a chunk end are read whole', async () => {
    const text = Buffer.concat([
      Buffer.from(`${JSON.stringify(ctRecord(1))}\n`),
      latin1(2),
      Buffer.from(`\n${JSON.stringify(ctRecord(3))}\n`),
    ]);
    for (const sizes of [[1], [2, 3], [5, 1, 7]]) {
      const items = await collect(['-'], {}, chunkedStream(text, sizes));
      expect(ids(items)).toEqual(['evt-1', 'evt-3']);
      expect(rejections(items).map((item) => [item.where.line, item.reason])).toEqual([[2, INVALID_UTF8_REASON]]);
      const first = events(items)[0]!.event.detail as { requestParameters: { text: string } };
      expect(first.requestParameters.text).toBe('café ☕ 😀 \u2028 \t tab');
    }
  });

  it('include encoded surrogates, overlong forms and a sequence cut off by the end of the file', async () => {
    const base = JSON.stringify(ctRecord(2, { userAgent: '@UA@' })).split('@UA@');
    const withBytes = (bytes: number[]) => Buffer.concat([Buffer.from(base[0]!), Buffer.from(bytes), Buffer.from(base[1]!)]);
    for (const bytes of [[0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xf4, 0x90, 0x80, 0x80], [0xff]]) {
      const file = tmp.write(
        'bad.jsonl',
        Buffer.concat([Buffer.from(`${JSON.stringify(ctRecord(1))}\n`), withBytes(bytes), Buffer.from('\n')]),
      );
      const items = await collect([file]);
      expect(ids(items)).toEqual(['evt-1']);
      expect(rejections(items).map((item) => item.reason)).toEqual([INVALID_UTF8_REASON]);
    }
    const cut = tmp.write('cut.json', Buffer.concat([Buffer.from(JSON.stringify(ctRecord(1))), Buffer.from([0xe2, 0x82])]));
    expect(rejections(await collect([cut])).map((item) => item.reason)).toHaveLength(1);
  });

  it('are told apart from a real U+FFFD, which a record may hold', async () => {
    const file = tmp.write('fffd.jsonl', `${JSON.stringify(ctRecord(1, { userAgent: 'bad \uFFFD char' }))}\n`);
    const items = await collect([file]);
    expect(rejections(items)).toEqual([]);
    expect((events(items)[0]!.event.detail as { userAgent: string }).userAgent).toBe('bad \uFFFD char');
  });
});

describe('rejection messages', () => {
  const SECRET = 'AKIAIOSFODNN7SECRETXYZ/wJalrXUtnFEMI';

  it.each([
    ['an unquoted value', `{"eventName":"x","password": ${SECRET}}`],
    ['a missing comma', `{"eventName":"x" "password":"${SECRET}"}`],
    ['a bad escape', `{"eventName":"x","password":"${SECRET}\\q"}`],
    ['a truncated string', `{"eventName":"x","password":"${SECRET}`],
    ['a bare word', `${SECRET}`],
    ['garbage after the value', `{"eventName":"x"} ${SECRET}`],
  ])('name the place and the reason, never the input (%s)', async (_kind, line) => {
    const file = tmp.write('secret.jsonl', `${JSON.stringify(ctRecord(1))}\n${line}\n${JSON.stringify(ctRecord(3))}\n`);
    const items = await collect([file]);
    expect(ids(items)).toEqual(['evt-1', 'evt-3']);
    for (const item of rejections(items)) {
      expect(item.where).toMatchObject({ file, line: 2 });
      expect(item.reason).not.toContain('AKIA');
      expect(item.reason).not.toContain('SECRET');
      expect(item.reason).not.toContain('wJalr');
    }
  });
});

describe('Records files', () => {
  it('keep their good records around a deep one when the whole file is one line read in small chunks', async () => {
    const text = `{"Records":[${JSON.stringify(ctRecord(0))},${recordText(1, deepObjectText(20_000))},${JSON.stringify(ctRecord(2))}]}`;
    const file = tmp.write('chunks.json', text);
    const items = await collect([file], { highWaterMark: 4096 });
    expect(ids(items)).toEqual(['evt-0', 'evt-2']);
    expect(rejections(items)).toEqual([{ kind: 'rejected', where: { file, line: 1, path: 'Records[1]' }, reason: TOO_DEEP_REASON }]);
  });
});
