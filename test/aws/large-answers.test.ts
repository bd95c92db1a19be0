/**
 * Issue 13, item 5: exports and reports too large for a Lambda answer are stored in the answers bucket
 * and answered 303 See Other with a presigned GET URL; small answers stay inline.
 *
 * The api function is the deployed composition (shared/shells/lambda/operations.ts `apiFunction`, with
 * the test's clock and a lowered inline limit): the real router over the real DynamoDB storage on
 * dynalite, and the real S3 client on fauxqs's S3, reached through the SDK's endpoint variables — the
 * same wiring as Lambda, so that what is stored is what the deployed function would store. The store's
 * own cases (multipart upload, a failing body, credentials expiring first) run the adapter alone over a
 * synthetic body: they are about the spill, and 12 MiB of findings through dynalite would only be slow.
 *
 * What fauxqs 1.9.2 does not do, read in node_modules/fauxqs/dist/s3: it checks no signature at all
 * (no route reads Authorization or X-Amz-Signature), so an expired or altered presigned URL would still
 * be served there — the tests check the URL's signing parameters, never that S3 refuses a bad one; and it
 * keeps no Content-Disposition or Cache-Control (getObject.js sends back content-type, etag and
 * x-amz-meta-* only), so those are checked on the requests the adapter sends, through a recording proxy.
 * It does serve path-style presigned GETs (the SDK signs path-style for an IP endpoint such as
 * 127.0.0.1; the test client sets forcePathStyle as well), enforces multipart uploads' 5 MiB part
 * minimum, and refuses to delete a bucket with a multipart upload in progress.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, DeleteBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { apiGatewayHandler } from '../../shared/adapters/lambda/api-gateway';
import { ANSWER_URL_EXPIRY_SECONDS, MIN_PART_BYTES, S3AnswerStore } from '../../shared/adapters/s3/answer-store';
import { dynamoDbStorage } from '../../shared/adapters/store/dynamodb';
import { memoryStorage } from '../../shared/adapters/store/memory';
import { apiDepsOf } from '../../shared/app/api/documents';
import { EXPORT_PAGE_SIZE } from '../../shared/app/api/router';
import type { Application } from '../../shared/app/compose';
import { apiFunction } from '../../shared/shells/lambda/operations';
import { serve, TOKEN, type ApiClient } from '../api/server';
import { testApplication } from '../support/application';
import { MINUTE, testClock, type TestClock } from '../support/clock';
import { startDynalite, startFaultProxy, startFauxqs, type FaultProxy, type LocalService } from '../support/local-aws';
import { violation } from '../support/observations';
import { createFindingsTable, localDynamoDbClient, TEST_CREDENTIALS } from '../support/storage';

const REGION = 'us-east-1';
const BUCKET = 'trailwarden-answers';
const START = '2026-11-29T10:07:00.000Z';
/** Findings in the table: enough that every export and report below is several times the lowered limit. */
const FINDINGS = 150;
/** The inline limit of these tests, in place of Lambda's 6 MB less headroom. */
const INLINE_LIMIT = 32 * 1024;
const KEY = /^answers\/[0-9a-f]{32}$/;

let dynamo: LocalService;
let fauxqs: LocalService;
/** In front of fauxqs's S3: records the headers of every request the function sends. */
let recorder: FaultProxy;
let sent: Array<Record<string, string | string[] | undefined>> = [];
let ddb: DynamoDBClient;
let s3: S3Client;
let clock: TestClock;
let local: { app: Application; api: ApiClient };
const saved = { ...process.env };

/** The environment the stack gives the api function, pointed at the local services. */
function deployedEnvironment(bucket: string | undefined): NodeJS.ProcessEnv {
  return {
    ...saved,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_S3: recorder.endpoint,
    FINDINGS_TABLE: 'trailwarden-findings',
    ...(bucket !== undefined ? { ANSWERS_BUCKET: bucket } : {}),
    TRAILWARDEN_SETTINGS: '{}',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
}

/** An IAM-signed GET through the HTTP API (payload format 2.0). */
function get(path: string, rawQueryString = ''): unknown {
  return {
    version: '2.0',
    routeKey: 'ANY /api/{proxy+}',
    rawPath: path,
    rawQueryString,
    headers: {},
    requestContext: {
      accountId: '210987654321',
      stage: '$default',
      http: { method: 'GET', path },
      authorizer: { iam: { accountId: '210987654321', userArn: 'arn:aws:sts::210987654321:assumed-role/Auditor/jane' } },
    },
    isBase64Encoded: false,
  };
}

interface LambdaAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** The deployed api function, in a new execution environment. */
function apiHandler(bucket: string | undefined = BUCKET): (event: unknown) => Promise<LambdaAnswer> {
  process.env = deployedEnvironment(bucket);
  const handler = apiFunction(process.env, clock.now, { inlineLimit: INLINE_LIMIT }) as unknown as (
    event: unknown,
  ) => Promise<LambdaAnswer>;
  return (event) => handler(event);
}

/** What `trailwarden serve` streams for the same request: its status, content type and bytes. */
async function streamedLocally(path: string, query: string): Promise<{ status: number; contentType: string | null; bytes: Buffer }> {
  const response = await fetch(`${local.api.baseUrl}${path}${query ? `?${query}` : ''}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: response.status, contentType: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
}

const serverLog: string[] = [];

beforeAll(async () => {
  [dynamo, fauxqs] = await Promise.all([startDynalite(), startFauxqs()]);
  recorder = await startFaultProxy(fauxqs.endpoint, 'query');
  recorder.failWhen = ({ headers }) => {
    sent.push(headers);
    return false;
  };
  ddb = localDynamoDbClient(dynamo.endpoint);
  s3 = new S3Client({ endpoint: fauxqs.endpoint, region: REGION, credentials: TEST_CREDENTIALS, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await createFindingsTable(ddb, 'trailwarden-findings');
  const storage = dynamoDbStorage({ client: ddb, tableName: 'trailwarden-findings' });
  for (let i = 0; i < FINDINGS; i += 1) {
    // Some resource names take several UTF-8 bytes a character: the downloads are compared byte for byte.
    const resourceId = i % 3 === 0 ? `sg-0${String(i).padStart(16, '0')}` : `bucket-ünïcødé-✓-${i}`;
    await storage.findings.recordViolation(
      violation({ eventId: `e-${i}`, eventTime: new Date(Date.parse(START) - i * MINUTE).toISOString(), resourceId }),
    );
  }
  clock = testClock(START);
  const app = testApplication({ storage, notifier: 'deferred', now: () => clock.now() });
  // What serve logs (a failed request's reason among it): shown when a local answer is not the one expected.
  local = { app, api: await serve({ app, sweepIntervalMs: 3_600_000, log: (line) => serverLog.push(line) }) };
}, 120_000);

beforeEach(() => {
  clock = testClock(START);
  sent = [];
});

afterAll(async () => {
  process.env = saved;
  await local?.api.running.stop();
  ddb?.destroy();
  s3?.destroy();
  await recorder?.stop();
  await Promise.all([dynamo?.stop(), fauxqs?.stop()]);
});

describe('the api function answers a document larger than a Lambda answer with a link to it', () => {
  it.each([
    ['/api/export', 'format=csv', 'trailwarden-findings.csv'],
    ['/api/export', 'format=json', 'trailwarden-findings.json'],
    ['/api/export', 'format=ocsf&area=network', 'trailwarden-findings-ocsf.json'],
    ['/api/reports/cis-aws', '', 'trailwarden-report-cis-aws.json'],
  ])('%s?%s: 303 to a 15-minute presigned GET of exactly what serve streams', async (path, query, filename) => {
    const streamed = await streamedLocally(path, query);
    expect(streamed.status).toBe(200);
    expect(streamed.bytes.length).toBeGreaterThan(INLINE_LIMIT * 2);

    const answer = await apiHandler()(get(path, query));

    expect(answer.statusCode).toBe(303);
    const reference = JSON.parse(answer.body);
    expect(reference).toEqual({
      url: expect.any(String),
      expiresAt: new Date(clock.now().getTime() + ANSWER_URL_EXPIRY_SECONDS * 1000).toISOString(),
      bytes: streamed.bytes.length,
      contentType: streamed.contentType,
    });
    expect(answer.headers).toMatchObject({
      location: reference.url,
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    });
    const url = new URL(reference.url);
    expect(url.pathname.slice(`/${BUCKET}/`.length)).toMatch(KEY);
    expect(url.searchParams.get('X-Amz-Expires')).toBe(String(15 * 60));
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261129T100700Z'); // signed on the function's clock
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(url.searchParams.get('X-Amz-Credential')).toBe(`${TEST_CREDENTIALS.accessKeyId}/20261129/${REGION}/s3/aws4_request`);

    // The object as it was written: content type, and a download named like the document.
    const written = sent.find((headers) => headers['content-disposition'] !== undefined);
    expect(written).toMatchObject({
      'content-type': streamed.contentType,
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
    });

    // Fetched over HTTP, with nothing but the URL: the same bytes `serve` streamed.
    const download = await fetch(reference.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe(streamed.contentType);
    expect(Buffer.from(await download.arrayBuffer()).equals(streamed.bytes)).toBe(true);
  });

  it('answers a small export inline, exactly as before', async () => {
    const query = 'format=csv&resource=bucket-%C3%BCn%C3%AFc%C3%B8d%C3%A9-%E2%9C%93-1';
    const streamed = await streamedLocally('/api/export', query);
    // The local answer first (its body says why when it is not a download).
    const reason = streamed.status === 200 ? '' : `${streamed.bytes.toString('utf8')} ${serverLog.join(' | ')}`;
    expect({ status: streamed.status, body: reason }).toEqual({ status: 200, body: '' });

    const answer = await apiHandler()(get('/api/export', query));

    expect(answer.statusCode).toBe(200);
    expect(answer.headers.location).toBeUndefined();
    expect(answer.headers['content-type']).toBe(streamed.contentType);
    expect(Buffer.from(answer.body, 'utf8').equals(streamed.bytes)).toBe(true);
    expect(sent).toEqual([]); // nothing stored
  });

  it('gives every answer its own random key, never derived from the request', async () => {
    const api = apiHandler();
    const keys: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const answer = await api(get('/api/export', 'format=csv'));
      keys.push(new URL(JSON.parse(answer.body).url).pathname.slice(`/${BUCKET}/`.length));
    }
    for (const key of keys) expect(key).toMatch(KEY); // 128 random bits
    expect(new Set(keys).size).toBe(3);
  });

  it('answers 503 with a reason, no internals, when S3 refuses the answer, and frees the export slot each time', async () => {
    const api = apiHandler('trailwarden-no-such-bucket');
    for (let i = 0; i < 3; i += 1) {
      // More failures than export slots (2): a slot kept by a failure would make the next one a 429.
      const answer = await api(get('/api/export', 'format=json'));
      expect(answer.statusCode).toBe(503);
      expect(answer.headers['retry-after']).toBe('5');
      expect(JSON.parse(answer.body)).toEqual({
        error: 'unavailable',
        reason: 'the answer is too large to send inline and could not be stored for download: retry shortly, or narrow the filters',
      });
      expect(answer.body).not.toMatch(/NoSuchBucket|trailwarden-no-such-bucket|\bat\s|Error/);
    }
    expect((await api(get('/api/export', 'format=csv&resource=sg-00000000000000000'))).statusCode).toBe(200);
  });

  it('answers a bare 500, as ever, when reading the findings fails while the answer is being stored; the slot is freed', async () => {
    // Memory storage, read through a store that fails on its third page: the case is the document failing, not S3.
    const storage = memoryStorage();
    for (let i = 0; i < 3 * EXPORT_PAGE_SIZE; i += 1) {
      await storage.findings.recordViolation(violation({ eventId: `m-${i}`, eventTime: START, resourceId: `sg-m${i}` }));
    }
    const findings = storage.findings;
    const failing: typeof findings = Object.create(findings);
    let reads = 0;
    failing.listFindings = (query) => (++reads === 3 ? Promise.reject(new Error('table gone')) : findings.listFindings(query));
    const failures: unknown[] = [];
    const app = testApplication({ storage: { ...storage, findings: failing }, notifier: 'deferred', now: clock.now });
    const deps = { ...apiDepsOf(app), onError: (error: unknown) => failures.push(error) };
    // Nothing is answered inline: the first chunk already goes to the store, which reads the failing pages.
    const handler = apiGatewayHandler(deps, { store: new S3AnswerStore({ client: s3, bucket: BUCKET }), inlineLimit: 1 });

    const answer = await handler(get('/api/export', 'format=json') as never);

    expect(answer.statusCode).toBe(500);
    expect(JSON.parse(answer.body!)).toEqual({ error: 'internal error' });
    expect(failures).toEqual([new Error('table gone')]);
    expect(deps.documentSlots?.inUse).toBe(0);
  });

  it('never stores an answer that is not a document: a findings page above the limit is still refused (422)', async () => {
    const answer = await apiHandler()(get('/api/findings', 'limit=500'));
    expect(answer.statusCode).toBe(422);
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'too large' });
    expect(sent).toEqual([]);
    // Without ANSWERS_BUCKET, a document above Lambda's limit is refused the same way (test/api/under-load.test.ts).
  });
});

describe('S3AnswerStore', () => {
  /** `count` chunks of about 1 MiB of multi-byte text, then `fail` thrown if given. */
  async function* document(count: number, fail?: Error): AsyncGenerator<string> {
    for (let i = 0; i < count; i += 1) yield `${i}:${'ünïcødé ✓ '.repeat(80_000)}\n`;
    if (fail) throw fail;
  }
  const text = (count: number) => Array.from({ length: count }, (_, i) => `${i}:${'ünïcødé ✓ '.repeat(80_000)}\n`).join('');
  const store = (options: { client?: S3Client; bucket?: string } = {}) =>
    new S3AnswerStore({ client: options.client ?? s3, bucket: options.bucket ?? BUCKET, partBytes: MIN_PART_BYTES });

  it('writes a body larger than a part as a multipart upload of parts of the given size, byte for byte', async () => {
    const expected = Buffer.from(text(12), 'utf8');
    expect(expected.length).toBeGreaterThan(2 * MIN_PART_BYTES);
    const recorded = new S3Client({ endpoint: recorder.endpoint, region: REGION, credentials: TEST_CREDENTIALS, forcePathStyle: true });
    try {
      const stored = await store({ client: recorded }).store({
        contentType: 'text/csv; charset=utf-8',
        filename: 'trailwarden-findings.csv',
        chunks: document(12),
      });

      expect(stored.bytes).toBe(expected.length);
      // CreateMultipartUpload named the download; two full parts, then the rest.
      expect(sent.filter((headers) => headers['content-disposition'] === 'attachment; filename="trailwarden-findings.csv"')).toHaveLength(
        1,
      );
      const parts = sent.map((headers) => Number(headers['content-length'] ?? 0)).filter((length) => length >= MIN_PART_BYTES);
      expect(parts).toHaveLength(2);
      expect(Math.max(...parts)).toBeLessThan(MIN_PART_BYTES + 2 * 1024 * 1024); // a part is what one part holds, plus a chunk
      const key = new URL(stored.url).pathname.slice(`/${BUCKET}/`.length);
      const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      expect(Buffer.from(await object.Body!.transformToByteArray()).equals(expected)).toBe(true);
      expect(object.ContentType).toBe('text/csv; charset=utf-8');
      const download = await fetch(stored.url);
      expect(download.status).toBe(200);
      expect(Buffer.from(await download.arrayBuffer()).equals(expected)).toBe(true);
    } finally {
      recorded.destroy();
    }
  });

  it('aborts the multipart upload when the body fails part way, and passes the failure on', async () => {
    const bucket = 'trailwarden-answers-aborted';
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const failure = new Error('the findings table went away');

    await expect(
      store({ bucket }).store({ contentType: 'application/json', filename: 'x.json', chunks: document(7, failure) }),
    ).rejects.toBe(failure);

    // fauxqs refuses to delete a bucket with an object or a multipart upload in progress: neither is left.
    await expect(s3.send(new DeleteBucketCommand({ Bucket: bucket }))).resolves.toBeDefined();
  });

  it('says the link ends when the signing credentials do, if they expire before the 15 minutes', async () => {
    const expiration = new Date(Date.now() + 5 * MINUTE);
    const client = new S3Client({
      endpoint: fauxqs.endpoint,
      region: REGION,
      forcePathStyle: true,
      credentials: { ...TEST_CREDENTIALS, expiration },
    });
    try {
      const stored = await new S3AnswerStore({ client, bucket: BUCKET }).store({
        contentType: 'application/json',
        filename: 'x.json',
        chunks: document(1),
      });
      expect(stored.expiresAt).toEqual(expiration);
    } finally {
      client.destroy();
    }
  });

  it('refuses parts smaller than S3 accepts', () => {
    expect(() => new S3AnswerStore({ client: s3, bucket: BUCKET, partBytes: MIN_PART_BYTES - 1 })).toThrow(RangeError);
  });
});
