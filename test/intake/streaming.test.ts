/**
 * Streaming behaviour: large inputs read in small chunks, results independent of chunk boundaries,
 * and the real CloudTrail sample. Nothing here measures time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { readEvents } from '../../shared/adapters/intake';
import type { IntakeItem } from '../../shared/core/intake/types';
import { chunkedStream, collect, ctRecord, events, recordsFile, rejections, tempDir } from './helpers';

const INVICTUS = resolve(__dirname, '../../../shared/corpus/bulk/invictus-ir_aws_dataset_cloudtrail.jsonl.gz');

/** A small realistic record, so that 50,000 of them stay a few tens of MB. */
function smallRecord(i: number) {
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'AssumedRole', accountId: '111122223333', arn: `arn:aws:sts::111122223333:assumed-role/r/s${i % 97}` },
    eventTime: `2024-05-01T${String(Math.floor(i / 3600) % 24).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
    eventSource: i % 2 ? 's3.amazonaws.com' : 'ecr.amazonaws.com',
    eventName: i % 2 ? 'GetObject' : 'BatchGetImage',
    awsRegion: 'eu-west-1',
    requestParameters: { key: `k/${i}/"q"\\`, n: i },
    eventID: `id-${i}`,
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
  };
}

describe('memory-flat streaming', () => {
  const COUNT = 50_000;
  let tmp: ReturnType<typeof tempDir>;
  let file: string;
  let size: number;
  beforeAll(() => {
    tmp = tempDir();
    // One record per line inside the array, so that every record has its own line number.
    const body = Array.from({ length: COUNT }, (_, i) => JSON.stringify(smallRecord(i))).join(',\n');
    const text = `{"Records":[\n${body}\n]}\n`;
    size = Buffer.byteLength(text);
    file = tmp.write('big.json', text);
  });
  afterAll(() => tmp.cleanup());

  it('reads a 50,000-record Records file in 4 KiB chunks with every line number right', async () => {
    let count = 0;
    let wrong = 0;
    for await (const item of readEvents([file], { highWaterMark: 4096 })) {
      if (
        item.kind !== 'event' ||
        item.event.id !== `id-${count}` ||
        item.where.line !== count + 2 ||
        item.where.path !== `Records[${count}]`
      ) {
        wrong += 1;
      }
      count += 1;
    }
    expect(count).toBe(COUNT);
    expect(wrong).toBe(0);
  });

  it('hands out the first records before it has read much of the input', async () => {
    const data = readFileSync(file);
    let pulled = 0;
    const stdin = Readable.from(
      (function* () {
        for (let at = 0; at < data.length; at += 4096) {
          pulled += Math.min(4096, data.length - at);
          yield data.subarray(at, at + 4096);
        }
      })(),
      { objectMode: false, highWaterMark: 4096 },
    );
    let pulledAtFirst = -1;
    let count = 0;
    for await (const item of readEvents(['-'], {}, stdin)) {
      if (count === 0) pulledAtFirst = pulled;
      if (item.kind === 'event') count += 1;
    }
    expect(count).toBe(COUNT);
    expect(pulledAtFirst).toBeGreaterThan(0);
    expect(pulledAtFirst).toBeLessThan(size / 50); // a few chunks, not the file
  });
});

describe('chunk boundaries', () => {
  it('gives the same items however stdin is cut (multi-byte characters included)', async () => {
    const missing = ctRecord(4);
    delete missing.eventName;
    const inputs = [
      [
        JSON.stringify(ctRecord(0)),
        '{"broken": ',
        recordsFile([ctRecord(1), ctRecord(2)]),
        '"s"',
        JSON.stringify(missing),
        '{"a": "b\\"}',
        `{"Records":[${JSON.stringify(ctRecord(5))},{"x":}]}`,
        JSON.stringify(ctRecord(6)),
      ].join('\n'),
      `${JSON.stringify({ Records: [ctRecord(7), ctRecord(8)] }, null, 2)}\n`,
      `{"eventName": "x", "eventSource": "y"\n${JSON.stringify(ctRecord(9))}\n${JSON.stringify(ctRecord(10))}`,
      recordsFile([ctRecord(11), ctRecord(12)]).slice(0, -30),
    ];
    for (const text of inputs) {
      const whole = await collect(['-'], {}, chunkedStream(text));
      expect(whole.length).toBeGreaterThan(1);
      for (const sizes of [[1], [2], [5], [17, 3, 1], [300], [4096]]) {
        const items: IntakeItem[] = await collect(['-'], {}, chunkedStream(text, sizes));
        expect(items).toEqual(whole);
      }
    }
  });
});

describe('the invictus-ir CloudTrail sample', () => {
  const present = existsSync(INVICTUS);
  if (!present) {
    console.warn(`skipping the invictus-ir sample test: ${INVICTUS} is not present`);
  }
  (present ? it : it.skip)('reads all 2,900 records and rejects none', async () => {
    const items = await collect([INVICTUS]);
    expect(rejections(items)).toEqual([]);
    expect(events(items)).toHaveLength(2900);
    expect(items.map((item) => item.where.line)).toEqual(items.map((_, i) => i + 1));
    const first = JSON.parse(gunzipSync(readFileSync(INVICTUS)).toString('utf8').split('\n')[0]);
    expect(events(items)[0].event).toMatchObject({
      id: first.eventID,
      source: `aws.${first.eventSource.replace('.amazonaws.com', '')}`,
      'detail-type': 'AWS API Call via CloudTrail',
      account: first.recipientAccountId,
      region: 'us-east-1',
      detail: first,
    });
    const detailTypes = new Set(events(items).map((item) => item.event['detail-type']));
    expect([...detailTypes].every((type) => type.endsWith('via CloudTrail'))).toBe(true);
  });

  (present ? it : it.skip)('reads the same records as one gzip-compressed CloudTrail log file', async () => {
    const lines = gunzipSync(readFileSync(INVICTUS)).toString('utf8').trim().split('\n');
    const tmp = tempDir();
    try {
      const { gzipSync } = await import('node:zlib');
      const file = tmp.write('123456789012_CloudTrail_us-east-1_20230710T1142Z_x.json.gz', gzipSync(`{"Records":[${lines.join(',')}]}`));
      const items = await collect([file], { highWaterMark: 8192 });
      expect(rejections(items)).toEqual([]);
      expect(events(items).map((item) => item.event.id)).toEqual(lines.map((line) => JSON.parse(line).eventID));
    } finally {
      tmp.cleanup();
    }
  });
});
