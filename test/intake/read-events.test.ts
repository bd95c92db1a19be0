import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { readEvents } from '../../shared/adapters/intake';
import { wrapCloudTrailRecord } from '../../shared/core/intake/envelope';
import { chunkedStream, collect, ctRecord, events, FIXTURES, recordsFile, rejections, tempDir } from './helpers';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const ids = (items: Awaited<ReturnType<typeof collect>>) => events(items).map((item) => item.event.id);

/** Pretty-printed `{"Records":[...]}` and the line each record starts on. */
function prettyRecordsFile(records: unknown[]): { text: string; lines: number[] } {
  const lines: number[] = [];
  let line = 3;
  const bodies = records.map((record) => {
    const body = JSON.stringify(record, null, 2)
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n');
    lines.push(line);
    line += body.split('\n').length;
    return body;
  });
  return { text: `{\n  "Records": [\n${bodies.join(',\n')}\n  ]\n}\n`, lines };
}

describe('CloudTrail log files', () => {
  it('streams every record of a one-line {"Records":[...]} file, each with line 1 and Records[i]', async () => {
    const records = [0, 1, 2].map((i) => ctRecord(i));
    const file = tmp.write('111122223333_CloudTrail_eu-west-1_20240501T1200Z_abc.json', recordsFile(records));
    const items = await collect([file]);
    expect(items).toEqual(
      records.map((record, i) => ({ kind: 'event', event: wrapCloudTrailRecord(record), where: { file, line: 1, path: `Records[${i}]` } })),
    );
  });

  it('gives each record of a pretty-printed Records file the line it starts on', async () => {
    const records = [0, 1, 2, 3].map((i) => ctRecord(i));
    const { text, lines } = prettyRecordsFile(records);
    const file = tmp.write('pretty.json', text);
    const items = await collect([file]);
    expect(rejections(items)).toEqual([]);
    expect(items.map((item) => item.where)).toEqual(lines.map((line, i) => ({ file, line, path: `Records[${i}]` })));
    expect(lines).toEqual([3, 3 + lines[1] - 3, lines[2], lines[3]]); // sanity: increasing
  });

  it('reads an empty Records array as nothing', async () => {
    expect(await collect([tmp.write('empty.json', '{"Records":[]}')])).toEqual([]);
  });

  it('reads the Records array whatever key comes first, ignoring the other keys', async () => {
    const file = tmp.write(
      'keys.json',
      `{"Meta": {"Records": "not this"}, "Records": [${JSON.stringify(ctRecord(1))}], "Trailer": [1, 2]}`,
    );
    expect(ids(await collect([file]))).toEqual(['evt-1']);
  });

  it('rejects a malformed record in the middle and reads the ones around it (one line)', async () => {
    const good = [0, 1, 2, 3].map((i) => JSON.stringify(ctRecord(i)));
    const text = `{"Records":[${good[0]},${good[1]},{"eventName": "Broken", "eventSource": tru},${good[2]},${good[3]}]}`;
    const file = tmp.write('broken.json', text);
    const items = await collect([file]);
    expect(ids(items)).toEqual(['evt-0', 'evt-1', 'evt-2', 'evt-3']);
    const [bad] = rejections(items);
    expect(rejections(items)).toHaveLength(1);
    expect(bad.where).toEqual({ file, line: 1, path: 'Records[2]' });
    expect(bad.reason).toMatch(/^malformed JSON: /);
    expect(items.map((item) => item.where.path)).toEqual(['Records[0]', 'Records[1]', 'Records[2]', 'Records[3]', 'Records[4]']);
  });

  it('rejects a malformed record of a pretty-printed file with the line it starts on', async () => {
    const records = [0, 1, 2].map((i) => ctRecord(i));
    const { text, lines } = prettyRecordsFile(records);
    // Break the middle record without unbalancing brackets: drop a comma after its eventName.
    const needle = '"eventName": "RunInstances",';
    const second = text.indexOf(needle, text.indexOf(needle) + 1);
    expect(second).toBeGreaterThan(0);
    const broken = text.slice(0, second + needle.length - 1) + text.slice(second + needle.length);
    const file = tmp.write('broken-pretty.json', broken);
    const items = await collect([file]);
    expect(ids(items)).toEqual(['evt-0', 'evt-2']);
    expect(rejections(items)).toEqual([
      { kind: 'rejected', where: { file, line: lines[1], path: 'Records[1]' }, reason: expect.stringMatching(/^malformed JSON: /) },
    ]);
  });

  it('rejects records that are not objects or miss fields, with their index', async () => {
    const missing = ctRecord(2);
    delete missing.eventTime;
    const text = `{"Records":[${JSON.stringify(ctRecord(0))}, 17, "text", null, [1,2], ${JSON.stringify(missing)}, ${JSON.stringify(ctRecord(6))}]}`;
    const file = tmp.write('odd.json', text);
    const items = await collect([file]);
    expect(ids(items)).toEqual(['evt-0', 'evt-6']);
    expect(rejections(items).map((item) => [item.where.path, item.reason])).toEqual([
      ['Records[1]', 'expected a JSON object, got number'],
      ['Records[2]', 'expected a JSON object, got string'],
      ['Records[3]', 'expected a JSON object, got null'],
      ['Records[4]', 'expected a JSON object, got array'],
      ['Records[5].eventTime', 'CloudTrail record is missing required key "eventTime"'],
    ]);
  });

  it('rejects an oversized record with its size and the limit', async () => {
    const big = ctRecord(1, { requestParameters: { blob: 'x'.repeat(5000) } });
    const file = tmp.write('big.json', recordsFile([ctRecord(0), big, ctRecord(2)]));
    const items = await collect([file], { maxEventBytes: 4096 });
    expect(ids(items)).toEqual(['evt-0', 'evt-2']);
    const size = Buffer.byteLength(JSON.stringify(wrapCloudTrailRecord(big)));
    expect(rejections(items)).toEqual([
      {
        kind: 'rejected',
        where: { file, line: 1, path: 'Records[1]' },
        reason: `event is ${size} bytes serialized, above the 4096-byte EventBridge event size limit`,
      },
    ]);
  });

  it('reads the records before a cut and rejects the cut-off one (truncated file)', async () => {
    const text = recordsFile([0, 1, 2].map((i) => ctRecord(i)));
    const file = tmp.write('cut.json', text.slice(0, text.length - 200));
    const items = await collect([file]);
    expect(ids(items)).toEqual(['evt-0', 'evt-1']);
    expect(rejections(items)).toEqual([
      { kind: 'rejected', where: { file, line: 1, path: 'Records[2]' }, reason: 'file ends inside a record (truncated?)' },
    ]);
  });

  it('reports a file cut between records', async () => {
    const text = recordsFile([0, 1].map((i) => ctRecord(i)));
    const file = tmp.write('cut2.json', text.slice(0, text.length - 2)); // drops "]}"
    const items = await collect([file]);
    expect(ids(items)).toEqual(['evt-0', 'evt-1']);
    expect(rejections(items).map((item) => item.reason)).toEqual(['file ends before the Records array is closed (truncated?)']);
  });

  it('reports a truncated pretty-printed event', async () => {
    const text = readFileSync(join(FIXTURES, 'cloudtrail-record-pretty.json'), 'utf8');
    const file = tmp.write('cut3.json', `\n\n${text.slice(0, 400)}`);
    expect(await collect([file])).toEqual([
      { kind: 'rejected', where: { file, line: 3 }, reason: 'file ends inside a record (truncated?)' },
    ]);
  });
});

describe('JSON Lines', () => {
  it('reads one record or envelope per line, with line numbers', async () => {
    const envelope = JSON.parse(readFileSync(join(FIXTURES, 'guardduty-finding.json'), 'utf8'));
    const lines = [JSON.stringify(ctRecord(0)), '', JSON.stringify(envelope), '   ', JSON.stringify(ctRecord(1))];
    const file = tmp.write('events.jsonl', `${lines.join('\n')}\n`);
    const items = await collect([file]);
    expect(items.map((item) => [item.kind, item.where.line])).toEqual([
      ['event', 1],
      ['event', 3],
      ['event', 5],
    ]);
    expect(ids(items)).toEqual(['evt-0', envelope.id, 'evt-1']);
  });

  it('reads CRLF line endings and a byte order mark', async () => {
    const file = tmp.write('crlf.jsonl', `\uFEFF${JSON.stringify(ctRecord(0))}\r\n${JSON.stringify(ctRecord(1))}\r\n`);
    const items = await collect([file]);
    expect(items.map((item) => [item.kind, item.where.line])).toEqual([
      ['event', 1],
      ['event', 2],
    ]);
  });

  it('reports every bad line with its line number and reason, and reads every good one', async () => {
    const missing = ctRecord(5);
    delete missing.eventTime;
    const big = ctRecord(7, { requestParameters: { blob: 'y'.repeat(6000) } });
    const lines = [
      JSON.stringify(ctRecord(1)), // 1 good
      '{"eventName": "Half", "eventSource": ', // 2 malformed: ends inside a value
      JSON.stringify(ctRecord(3)), // 3 good
      '{"eventName": "Bad" "eventSource": "x"}', // 4 malformed, balanced
      JSON.stringify(missing), // 5 missing eventTime
      '[1, 2, 3]', // 6 not an object
      JSON.stringify(big), // 7 oversized
      '"just a string"', // 8 not an object
      'garbage here', // 9 not JSON
      JSON.stringify({ hello: 'world' }), // 10 unknown shape
      '{"eventName": "unterminated string}', // 11 malformed: ends inside a string
      JSON.stringify(ctRecord(12)), // 12 good
      `${JSON.stringify(ctRecord(13))}`, // 13 good, last line without newline
    ];
    const file = tmp.write('mixed.jsonl', lines.join('\n'));
    const items = await collect([file], { maxEventBytes: 4096 });
    expect(ids(items)).toEqual(['evt-1', 'evt-3', 'evt-12', 'evt-13']);
    const bigSize = Buffer.byteLength(JSON.stringify(wrapCloudTrailRecord(big)));
    expect(rejections(items).map((item) => [item.where.line, item.where.path, item.reason])).toEqual([
      [2, undefined, 'line ends inside a JSON value (malformed or truncated JSON Lines line)'],
      [4, undefined, expect.stringMatching(/^malformed JSON: /)],
      [5, 'eventTime', 'CloudTrail record is missing required key "eventTime"'],
      [6, undefined, 'expected a JSON object, got array'],
      [7, undefined, `event is ${bigSize} bytes serialized, above the 4096-byte EventBridge event size limit`],
      [8, undefined, 'expected a JSON object, got string'],
      [9, undefined, expect.stringMatching(/^malformed JSON: /)],
      [10, undefined, 'not a CloudTrail record or EventBridge event (no eventSource/eventName, no detail-type)'],
      [11, undefined, 'line ends inside a JSON value (malformed or truncated JSON Lines line)'],
    ]);
    expect(items.every((item) => item.where.file === file)).toBe(true);
  });

  it('recovers when the very first line is broken', async () => {
    const lines = ['{"eventName": "Half", "requestParameters": {"a": 1', JSON.stringify(ctRecord(2)), JSON.stringify(ctRecord(3))];
    const file = tmp.write('first-broken.jsonl', `${lines.join('\n')}\n`);
    const items = await collect([file]);
    expect(ids(items)).toEqual(['evt-2', 'evt-3']);
    expect(rejections(items).map((item) => [item.where.line, item.reason])).toEqual([
      [1, 'line ends inside a JSON value (malformed or truncated JSON Lines line)'],
    ]);
  });

  it('expands a line holding a {"Records":[...]} object', async () => {
    const missing = ctRecord(11);
    delete missing.awsRegion;
    const lines = [
      JSON.stringify(ctRecord(0)),
      recordsFile([ctRecord(10), missing, ctRecord(12)]),
      `{"Records":[${JSON.stringify(ctRecord(20))},{"broken": tru},${JSON.stringify(ctRecord(22))}]}`,
      JSON.stringify(ctRecord(3)),
    ];
    const file = tmp.write('with-records.jsonl', `${lines.join('\n')}\n`);
    const items = await collect([file]);
    expect(items.map((item) => [item.kind, item.where.line, item.where.path])).toEqual([
      ['event', 1, undefined],
      ['event', 2, 'Records[0]'],
      ['rejected', 2, 'Records[1].awsRegion'],
      ['event', 2, 'Records[2]'],
      ['event', 3, 'Records[0]'],
      ['rejected', 3, 'Records[1]'],
      ['event', 3, 'Records[2]'],
      ['event', 4, undefined],
    ]);
    expect(ids(items)).toEqual(['evt-0', 'evt-10', 'evt-12', 'evt-20', 'evt-22', 'evt-3']);
  });
});

describe('single and concatenated events', () => {
  it('reads a pretty-printed CloudTrail record and wraps it', async () => {
    const file = join(FIXTURES, 'cloudtrail-record-pretty.json');
    const items = await collect([file]);
    const record = JSON.parse(readFileSync(file, 'utf8'));
    expect(items).toEqual([{ kind: 'event', event: wrapCloudTrailRecord(record), where: { file, line: 1 } }]);
    expect(events(items)[0].event).toMatchObject({
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.ecr',
      account: '111122223333',
      region: 'eu-west-1',
      time: '2024-05-01T12:00:07Z',
    });
  });

  it.each([
    ['ecr-image-scan.json', 'ECR Image Scan', 'aws.ecr'],
    ['guardduty-finding.json', 'GuardDuty Finding', 'aws.guardduty'],
    ['config-compliance-state-change.json', 'Configuration Compliance State Change', 'aws.ssm'],
    ['inspector2-finding.json', 'Inspector2 Finding', 'aws.inspector2'],
    ['cloudtrail-via-eventbridge.json', 'AWS API Call via CloudTrail', 'aws.s3'],
  ])('passes the EventBridge event in %s through unchanged', async (name, detailType, source) => {
    const file = join(FIXTURES, name);
    const items = await collect([file]);
    expect(items).toEqual([{ kind: 'event', event: JSON.parse(readFileSync(file, 'utf8')), where: { file, line: 1 } }]);
    expect(events(items)[0].event).toMatchObject({ 'detail-type': detailType, source });
  });

  it('reads several pretty-printed values in one file, each with its first line', async () => {
    const a = JSON.stringify(ctRecord(1), null, 2);
    const b = JSON.stringify(JSON.parse(readFileSync(join(FIXTURES, 'ecr-image-scan.json'), 'utf8')), null, 4);
    const file = tmp.write('two.json', `${a}\n\n${b}\n`);
    const items = await collect([file]);
    expect(items.map((item) => [item.kind, item.where.line])).toEqual([
      ['event', 1],
      ['event', a.split('\n').length + 2],
    ]);
  });

  it('reads nothing from an empty or blank file', async () => {
    expect(await collect([tmp.write('empty.json', ''), tmp.write('blank.json', '\n  \n\t\n')])).toEqual([]);
  });
});

describe('gzip', () => {
  const text = () => `${JSON.stringify(ctRecord(1))}\n${JSON.stringify(ctRecord(2))}\n`;

  it('reads a .json.gz file', async () => {
    const file = tmp.write('a.jsonl.gz', gzipSync(text()));
    expect(ids(await collect([file]))).toEqual(['evt-1', 'evt-2']);
  });

  it('detects gzip by its magic bytes, whatever the name', async () => {
    const file = tmp.write('not-obviously-compressed.json', gzipSync(recordsFile([ctRecord(1), ctRecord(2)])));
    const items = await collect([file]);
    expect(items.map((item) => [item.kind, item.where.line, item.where.path])).toEqual([
      ['event', 1, 'Records[0]'],
      ['event', 1, 'Records[1]'],
    ]);
  });

  it('reads a .gz file that is not compressed as plain text', async () => {
    const file = tmp.write('plain.json.gz', text());
    expect(ids(await collect([file]))).toEqual(['evt-1', 'evt-2']);
  });

  it('reads concatenated gzip members', async () => {
    const file = tmp.write(
      'multi.jsonl.gz',
      Buffer.concat([gzipSync(`${JSON.stringify(ctRecord(1))}\n`), gzipSync(`${JSON.stringify(ctRecord(2))}\n`)]),
    );
    expect(ids(await collect([file]))).toEqual(['evt-1', 'evt-2']);
  });

  it('reports a corrupt gzip file once and goes on with the next input', async () => {
    const corrupt = tmp.write('corrupt.json.gz', Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('definitely not deflate data')]));
    const next = tmp.write('next.jsonl', text());
    const items = await collect([corrupt, next]);
    expect(rejections(items)).toEqual([
      { kind: 'rejected', where: { file: corrupt, line: 0 }, reason: expect.stringContaining(`corrupt gzip data in ${corrupt}: `) },
    ]);
    expect(ids(items)).toEqual(['evt-1', 'evt-2']);
  });

  it('reads a small file whole (one read, one gunzip) into exactly the items streaming it gives', async () => {
    const records = Array.from({ length: 300 }, (_, i) => ctRecord(i));
    const plain = tmp.write('whole.json', JSON.stringify({ Records: records }));
    const zipped = tmp.write('whole.json.gz', gzipSync(JSON.stringify({ Records: records })));
    for (const file of [plain, zipped]) {
      const whole = await collect([file]);
      // A highWaterMark streams the file in pieces of that many bytes, whatever its size.
      const streamed = await collect([file], { highWaterMark: 997 });
      expect(events(whole)).toHaveLength(300);
      expect(whole).toEqual(streamed);
    }
  });

  it('reports a gzip file cut short once, after the records before the cut', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify(ctRecord(i))).join('\n');
    const compressed = gzipSync(lines);
    const file = tmp.write('short.jsonl.gz', compressed.subarray(0, compressed.length - 10));
    const items = await collect([file]);
    expect(rejections(items)).toEqual([
      { kind: 'rejected', where: { file, line: 0 }, reason: `corrupt gzip data in ${file}: unexpected end of file` },
    ]);
    expect(events(items).length).toBeGreaterThan(150);
    expect(events(items).map((item) => item.where.line)).toEqual(events(items).map((_, i) => i + 1));
  });
});

describe('files, directories and stdin', () => {
  it('reports a missing file once and goes on with the next input', async () => {
    const missing = join(tmp.dir, 'nope.json');
    const next = tmp.write('ok.json', JSON.stringify(ctRecord(1)));
    const items = await collect([missing, next]);
    expect(items).toEqual([
      { kind: 'rejected', where: { file: missing, line: 0 }, reason: `cannot read ${missing}: no such file or directory (ENOENT)` },
      expect.objectContaining({ kind: 'event', where: { file: next, line: 1 } }),
    ]);
  });

  it('reports a file that fails while being read once, and reads the next input', async () => {
    // /proc/self/mem opens but every read at offset 0 fails (EIO) on Linux, even for root,
    // which chmod-based tests are not.
    const next = tmp.write('ok.json', JSON.stringify(ctRecord(1)));
    const items = await collect(['/proc/self/mem', next]);
    expect(items).toEqual([
      {
        kind: 'rejected',
        where: { file: '/proc/self/mem', line: 0 },
        reason: expect.stringMatching(/^cannot read \/proc\/self\/mem: .*\(EIO\)$/),
      },
      expect.objectContaining({ kind: 'event', where: { file: next, line: 1 } }),
    ]);
  });

  it('walks directories recursively in path order, skipping hidden and other files', async () => {
    const one = (i: number) => JSON.stringify(ctRecord(i));
    tmp.write('logs/b.json', one(2));
    tmp.write('logs/a.jsonl', `${one(1)}\n`);
    tmp.write('logs/sub/c.json.gz', gzipSync(one(4)));
    tmp.write('logs/sub/d.ndjson', one(5));
    tmp.write('logs/sub/e.jsonl.gz', gzipSync(one(6)));
    tmp.write('logs/sub/f.gz', gzipSync(one(7)));
    tmp.write('logs/b2.json', one(3));
    tmp.write('logs/z/last.json', one(8));
    tmp.write('logs/notes.txt', 'not an event file');
    tmp.write('logs/.hidden.json', one(90));
    tmp.write('logs/.git/objects.json', one(91));
    tmp.write('logs/README.md', '# nothing');
    const dir = join(tmp.dir, 'logs');
    const items = await collect([dir]);
    expect(rejections(items)).toEqual([]);
    expect(ids(items)).toEqual(['evt-1', 'evt-2', 'evt-3', 'evt-4', 'evt-5', 'evt-6', 'evt-7', 'evt-8']);
    expect(items.map((item) => item.where.file)).toEqual(
      ['a.jsonl', 'b.json', 'b2.json', 'sub/c.json.gz', 'sub/d.ndjson', 'sub/e.jsonl.gz', 'sub/f.gz', 'z/last.json'].map((name) =>
        join(dir, name),
      ),
    );
  });

  it('reads the fixture directory', async () => {
    const items = await collect([FIXTURES]);
    expect(rejections(items)).toEqual([]);
    expect(events(items).map((item) => item.event['detail-type'])).toEqual([
      'AWS API Call via CloudTrail',
      'AWS API Call via CloudTrail',
      'Configuration Compliance State Change',
      'ECR Image Scan',
      'GuardDuty Finding',
      'Inspector2 Finding',
    ]);
  });

  it("reads stdin for '-', plain or gzip", async () => {
    const text = `${JSON.stringify(ctRecord(1))}\n${JSON.stringify(ctRecord(2))}\n`;
    const plain = await collect(['-'], {}, chunkedStream(text, [7, 100, 3]));
    expect(plain.map((item) => [item.kind, item.where])).toEqual([
      ['event', { file: '-', line: 1 }],
      ['event', { file: '-', line: 2 }],
    ]);
    const gz = await collect(['-'], {}, chunkedStream(gzipSync(recordsFile([ctRecord(3)])), [1, 5, 64]));
    expect(gz.map((item) => [item.kind, item.where])).toEqual([['event', { file: '-', line: 1, path: 'Records[0]' }]]);
  });

  it('reads a stdin that delivers strings', async () => {
    const { Readable } = await import('node:stream');
    const stdin = Readable.from([JSON.stringify(ctRecord(1)).slice(0, 50), `${JSON.stringify(ctRecord(1)).slice(50)}\n`]);
    expect(ids(await collect(['-'], {}, stdin))).toEqual(['evt-1']);
  });

  it('reads inputs in the order given', async () => {
    const a = tmp.write('a.json', JSON.stringify(ctRecord(1)));
    const b = tmp.write('dir/b.json', JSON.stringify(ctRecord(2)));
    const items = await collect([join(tmp.dir, 'dir'), '-', a], {}, chunkedStream(JSON.stringify(ctRecord(3))));
    expect(ids(items)).toEqual(['evt-2', 'evt-3', 'evt-1']);
    expect(items.map((item) => item.where.file)).toEqual([b, '-', a]);
  });

  it('stops reading when the consumer stops', async () => {
    const file = tmp.write('many.jsonl', Array.from({ length: 1000 }, (_, i) => JSON.stringify(ctRecord(i))).join('\n'));
    let seen = 0;
    for await (const item of readEvents([file], { highWaterMark: 1024 })) {
      expect(item.kind).toBe('event');
      seen += 1;
      if (seen === 3) break;
    }
    expect(seen).toBe(3);
  });
});
