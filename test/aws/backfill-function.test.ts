/**
 * The deployed backfill function (functions/backfill/handler.ts) invoked as the backfill state
 * machine's distributed map invokes it — a batch `{ Items: [...listObjectsV2 objects], BatchInput }`
 * — with its production wiring pointed at fauxqs for S3 (path-style: the SDK uses it for an IP
 * endpoint) and dynalite for the findings table, through the SDK's endpoint variables.
 */
import { gzipSync } from 'node:zlib';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Context } from 'aws-lambda';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { worthReading, type BackfillSummary } from '../../shared/adapters/lambda/backfill-handler';
import { dynamoDbStorage } from '../../shared/adapters/store/dynamodb';
import type * as BackfillShell from '../../shared/shells/lambda/backfill';
import { startDynalite, startFauxqs, type LocalService } from '../support/local-aws';
import { createFindingsTable, localDynamoDbClient, TEST_CREDENTIALS } from '../support/storage';
import { testClock } from '../support/clock';

const REGION = 'us-east-1';
const BUCKET = 'trail-bucket';
const ACCOUNT = '210987654321';
const DAY_PREFIX = `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/11/20/`;
const SAMPLE_DIR = resolve(__dirname, '../../events/network/db-security-group-open-to-internet');
const SHELL = '../../shared/shells/lambda/backfill';

type Handler = (event: unknown, context: Context) => Promise<BackfillSummary>;

const context = {
  functionName: 'trailwarden-prod-backfill',
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:trailwarden-prod-backfill`,
  memoryLimitInMB: '1024',
  awsRequestId: 'req-backfill',
  logGroupName: '/aws/lambda/trailwarden-prod-backfill',
  logStreamName: '2026/11/29/[$LATEST]0123456789abcdef',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 300_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as Context;

/** The first violating sample record, at the given time with the given id. */
function violatingRecord(eventTime: string, eventID: string): Record<string, unknown> {
  const file = readdirSync(SAMPLE_DIR)
    .sort()
    .find((name) => name.startsWith('1-violating'))!;
  return { ...JSON.parse(readFileSync(join(SAMPLE_DIR, file), 'utf8')), eventTime, eventID };
}

const logFile = (records: unknown[]) => gzipSync(JSON.stringify({ Records: records }));

/** A fresh execution environment of the deployed module, on the test clock. */
function coldHandler(now: () => Date): Handler {
  let handler: Handler | undefined;
  jest.isolateModules(() => {
    jest.doMock(SHELL, () => {
      const actual = jest.requireActual<typeof BackfillShell>(SHELL);
      return { ...actual, backfillFunction: (env?: NodeJS.ProcessEnv) => actual.backfillFunction(env, now) };
    });
    handler = (require('../../functions/backfill/handler') as { handler: Handler }).handler;
  });
  return handler!;
}

let dynamo: LocalService;
let fauxqs: LocalService;
let ddb: DynamoDBClient;
let s3: S3Client;
const saved = { ...process.env };
const TABLE = 'trailwarden-findings-backfill';

/** What the ItemReader lists for an object (only Key is read by the function). */
const item = (Key: string, Size: number) => ({ Etag: '"0a1b"', Key, LastModified: 1_795_000_000, Size, StorageClass: 'STANDARD' });

beforeAll(async () => {
  [dynamo, fauxqs] = await Promise.all([startDynalite(), startFauxqs()]);
  ddb = localDynamoDbClient(dynamo.endpoint);
  s3 = new S3Client({ endpoint: fauxqs.endpoint, region: REGION, credentials: TEST_CREDENTIALS, forcePathStyle: true });
  await createFindingsTable(ddb, TABLE);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  process.env = {
    ...saved,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_S3: fauxqs.endpoint,
    FINDINGS_TABLE: TABLE,
    // No FINDINGS_TOPIC_ARN: the backfill publishes nothing (its role may not), so it never needs one.
    TRAILWARDEN_SETTINGS: '{}',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
});

afterAll(async () => {
  process.env = saved;
  ddb?.destroy();
  s3?.destroy();
  await Promise.all([dynamo?.stop(), fauxqs?.stop()]);
});

describe('the deployed backfill function', () => {
  it('records the findings of a batch once, skips digests and events outside the period, and refuses a corrupt object alone', async () => {
    const objects: Record<string, Buffer> = {
      [`${DAY_PREFIX}${ACCOUNT}_CloudTrail_us-east-1_20261120T1005Z_a.json.gz`]: logFile([
        violatingRecord('2026-11-20T10:00:00Z', '5b0e1b4e-0000-4000-8000-000000000001'),
      ]),
      [`${DAY_PREFIX}${ACCOUNT}_CloudTrail_us-east-1_20261120T1105Z_b.json.gz`]: logFile([
        // Before --since: left alone.
        violatingRecord('2026-11-10T23:59:59Z', '5b0e1b4e-0000-4000-8000-000000000002'),
      ]),
      [`AWSLogs/${ACCOUNT}/CloudTrail-Digest/us-east-1/2026/11/20/${ACCOUNT}_CloudTrail-Digest_us-east-1_20261120T1100Z.json.gz`]:
        gzipSync('{}'),
      [`${DAY_PREFIX}${ACCOUNT}_CloudTrail_us-east-1_20261120T1205Z_corrupt.json.gz`]: Buffer.concat([
        gzipSync('{"Records":[').subarray(0, 10),
        Buffer.from('not gzip at all'),
      ]),
    };
    for (const [Key, Body] of Object.entries(objects)) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
    const batch = {
      Items: Object.entries(objects).map(([key, body]) => item(key, body.length)),
      BatchInput: { bucket: BUCKET, since: '2026-11-15T00:00:00.000Z', until: '2026-11-29T10:00:00.000Z' },
    };
    const clock = testClock('2026-11-29T10:07:00.000Z');
    const findings = dynamoDbStorage({ client: ddb, tableName: TABLE }).findings;

    const first = await coldHandler(clock.now)(batch, context);

    expect(first).toMatchObject({ objects: 3, skippedObjects: 1, events: 1, outsidePeriod: 1, transitions: 1 });
    expect(first.refusedObjects.map((refused) => refused.key)).toEqual([
      `${DAY_PREFIX}${ACCOUNT}_CloudTrail_us-east-1_20261120T1205Z_corrupt.json.gz`,
    ]);
    expect(first.refusedObjects[0]!.reasons.length).toBeGreaterThan(0);
    const recorded = await findings.listFindings();
    expect(recorded).toHaveLength(1);
    const history = await findings.historyOf(recorded[0]!.id);
    expect(recorded[0]).toMatchObject({ status: 'open', account: ACCOUNT });
    // Recorded, owed, and not sent: the backfill's notifier is deferred.
    expect(recorded[0]!.unnotified).toBeDefined();

    // The map's Retry (or a second run of the same period) runs the batch again: nothing changes.
    const second = await coldHandler(clock.now)(batch, context);
    expect(second).toMatchObject({ objects: 3, events: 1, transitions: 0 });
    expect(await findings.listFindings()).toEqual(recorded);
    expect(await findings.historyOf(recorded[0]!.id)).toEqual(history);
  });

  it('refuses a batch that is not what the distributed map sends, without retrying it', async () => {
    const handler = coldHandler(testClock('2026-11-29T10:07:00.000Z').now);
    await expect(handler({ Items: [{ Key: 7 }], BatchInput: { bucket: BUCKET, since: 'x', until: 'y' } }, context)).rejects.toMatchObject({
      name: 'BackfillInputError',
    });
  });

  it('fails the batch with BackfillStoreError (the error the map retries) when the table cannot be written', async () => {
    const key = `${DAY_PREFIX}${ACCOUNT}_CloudTrail_us-east-1_20261120T1305Z_c.json.gz`;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: logFile([violatingRecord('2026-11-20T13:00:00Z', 'e-3')]) }));
    const table = process.env.FINDINGS_TABLE;
    process.env.FINDINGS_TABLE = 'no-such-table';
    try {
      const handler = coldHandler(testClock('2026-11-29T10:07:00.000Z').now);
      const batch = {
        Items: [item(key, 100)],
        BatchInput: { bucket: BUCKET, since: '2026-11-15T00:00:00Z', until: '2026-11-29T10:00:00Z' },
      };
      await expect(handler(batch, context)).rejects.toMatchObject({ name: 'BackfillStoreError' });
    } finally {
      process.env.FINDINGS_TABLE = table;
    }
  });
});

describe('which objects a batch reads', () => {
  // The same reading of the trail layout as `replay s3://` (trail-layout.ts): a backfill and a replay of one bucket read the same files.
  const logFile = (day: string) =>
    `AWSLogs/o-exampleorg1/111122223333/CloudTrail/eu-west-1/${day.replaceAll('-', '/')}/111122223333_CloudTrail_eu-west-1_${day.replaceAll('-', '')}T1200Z_abc123.json.gz`;
  const since = Date.parse('2026-03-10T00:00:00Z');
  const until = Date.parse('2026-03-12T18:00:00Z');

  it('reads the log files of the period and of the day after it (events delivered after midnight)', () => {
    expect(['2026-03-10', '2026-03-12', '2026-03-13'].map((day) => worthReading(logFile(day), since, until))).toEqual([true, true, true]);
  });

  it('skips days outside it, digests, and objects that are not CloudTrail log files', () => {
    expect(worthReading(logFile('2026-03-09'), since, until)).toBe(false);
    expect(worthReading(logFile('2026-03-14'), since, until)).toBe(false);
    expect(
      worthReading(
        'AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2026/03/11/111122223333_CloudTrail-Digest_eu-west-1_trail_eu-west-1_20260311T120000Z.json.gz',
        since,
        until,
      ),
    ).toBe(false);
    expect(worthReading('AWSLogs/111122223333/CloudTrail/eu-west-1/2026/03/11/notes.json', since, until)).toBe(false);
  });
});
