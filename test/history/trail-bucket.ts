/**
 * A trail bucket on fauxqs (the local S3), laid out as an organization trail writes it, and a proxy in
 * front of it that records every request (to check what a replay lists) and can refuse chosen GETs the
 * way S3 does for an SSE-KMS object whose key the caller may not use.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { forwardRequest, LOCAL_CREDENTIALS, type LocalService } from '../support/local-aws';

export const ORG = 'o-exampleorg1';
export const CORPUS = '/work/shared/corpus/bulk/invictus-ir_aws_dataset_cloudtrail.jsonl.gz';

export function s3Client(endpoint: string): S3Client {
  return new S3Client({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
}

/** The environment of a CLI process speaking to the local S3: the SDK's default chain finds these. */
export function s3Env(): NodeJS.ProcessEnv {
  return { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };
}

/** 16 random letters and digits, as CloudTrail's UniqueString. */
function uniqueString(): string {
  return randomBytes(12)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, 'x')
    .slice(0, 16);
}

/** The key of a log file delivered at `delivered` (UTC) for this account and region. */
export function logKey(account: string, region: string, delivered: Date, org: string | undefined = ORG): string {
  const iso = delivered.toISOString();
  const [y, m, d] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
  const stamp = `${y}${m}${d}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
  return `AWSLogs/${org ? `${org}/` : ''}${account}/CloudTrail/${region}/${y}/${m}/${d}/${account}_CloudTrail_${region}_${stamp}_${uniqueString()}.json.gz`;
}

export function digestKey(account: string, region: string, day: string): string {
  const [y, m, d] = day.split('-');
  return `AWSLogs/${ORG}/${account}/CloudTrail-Digest/${region}/${y}/${m}/${d}/${account}_CloudTrail-Digest_${region}_org-trail_${region}_${y}${m}${d}T120000Z.json.gz`;
}

export function trailObject(records: unknown[]): Buffer {
  return gzipSync(JSON.stringify({ Records: records }));
}

export async function putObject(client: S3Client, bucket: string, key: string, body: Buffer | string): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

export async function createBucket(client: S3Client, bucket: string): Promise<void> {
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
}

/** The corpus records, in file order (by time). */
export function corpusRecords(): Array<Record<string, unknown>> {
  return gunzipSync(readFileSync(CORPUS))
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * The corpus as an organization trail delivers it: one log file per minute of events, delivered the
 * minute after (so keys sort in time order), under its recipient account and us-east-1; plus a digest
 * file and a stray object that is not a log file. Returns the log file keys.
 */
export async function seedCorpus(client: S3Client, bucket: string): Promise<{ keys: string[]; account: string }> {
  const records = corpusRecords();
  const byMinute = new Map<string, unknown[]>();
  for (const record of records) {
    const minute = String(record.eventTime).slice(0, 16);
    byMinute.set(minute, [...(byMinute.get(minute) ?? []), record]);
  }
  const account = String(records[0]!.recipientAccountId);
  const keys: string[] = [];
  for (const [minute, group] of byMinute) {
    const key = logKey(account, 'us-east-1', new Date(Date.parse(`${minute}:00Z`) + 60_000));
    keys.push(key);
    await putObject(client, bucket, key, trailObject(group));
  }
  await putObject(client, bucket, digestKey(account, 'us-east-1', '2023-07-10'), gzipSync('{"awsAccountId":"x","logFiles":[]}'));
  await putObject(client, bucket, `AWSLogs/${ORG}/${account}/CloudTrail/us-east-1/2023/07/10/README.txt`, 'not a log file');
  return { keys, account };
}

export interface RecordedRequest {
  method: string;
  /** The path (bucket and key) and the query parameters. */
  path: string;
  query: URLSearchParams;
}

export interface RecordingProxy extends LocalService {
  requests: RecordedRequest[];
  /** Keys whose GetObject is answered 403 AccessDenied as for an SSE-KMS object without kms:Decrypt. */
  kmsDenied: Set<string>;
  /** Milliseconds each GetObject waits before it is forwarded (to make a run slow enough to kill in the middle). */
  delayGetMs: number;
}

/** A proxy in front of the local S3 recording each request (and refusing GETs of `kmsDenied` keys). */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const url = new URL(target);
  const proxy: RecordingProxy = { endpoint: '', stop: async () => {}, requests: [], kmsDenied: new Set(), delayGetMs: 0 };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const parsed = new URL(req.url ?? '/', 'http://x');
    proxy.requests.push({ method: req.method ?? '', path: decodeURIComponent(parsed.pathname), query: parsed.searchParams });
    const key = decodeURIComponent(parsed.pathname).split('/').slice(2).join('/');
    if (req.method === 'GET' && proxy.kmsDenied.has(key)) {
      // S3's answer when the caller may not use the object's KMS key (the message is KMS's own).
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.</Message><RequestId>r</RequestId></Error>',
      );
      req.resume();
      return;
    }
    const isGet = req.method === 'GET' && parsed.searchParams.get('list-type') !== '2';
    const delay = isGet ? proxy.delayGetMs : 0;
    setTimeout(() => forwardRequest(url, req, res), delay);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}

/** The ListObjectsV2 requests among those recorded: their Prefix (and StartAfter). */
export function listings(requests: RecordedRequest[]): Array<{ prefix: string; startAfter: string | null }> {
  return requests
    .filter((r) => r.method === 'GET' && r.query.get('list-type') === '2')
    .map((r) => ({ prefix: r.query.get('prefix') ?? '', startAfter: r.query.get('start-after') }));
}

/** The GetObject requests among those recorded: their keys. */
export function gets(requests: RecordedRequest[]): string[] {
  return requests.filter((r) => r.method === 'GET' && r.query.get('list-type') !== '2').map((r) => r.path.split('/').slice(2).join('/'));
}
