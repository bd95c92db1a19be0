/**
 * `trailwarden replay s3://…` as users run it (the bundled CLI, a separate process) against the local S3
 * (fauxqs, the real S3 client, path-style), its bucket laid out as an organization trail delivers logs.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { bundleCli, runCliProcess, startCli, type CliRun } from '../support/cli-process';
import { startFauxqs, type LocalService } from '../support/local-aws';
import {
  CORPUS,
  corpusRecords,
  createBucket,
  digestKey,
  gets,
  listings,
  logKey,
  ORG,
  putObject,
  type RecordingProxy,
  s3Client,
  s3Env,
  seedCorpus,
  startRecordingProxy,
  trailObject,
} from './trail-bucket';

let dir: string;
let cli: string;
let fauxqs: LocalService;
let proxy: RecordingProxy;
let client: S3Client;
let seeded: { keys: string[]; account: string };
/** The findings of a local replay of the corpus file: id, status, count. */
let baseline: FindingRow[];

interface FindingRow {
  id: string;
  status: string;
  count: number;
}

async function findingsTable(db: string): Promise<FindingRow[]> {
  const run = await runCliProcess(cli, ['findings', '--db', db, '--format', 'json']);
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as FindingRow[])
    .map(({ id, status, count }) => ({ id, status, count }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

function replayS3(args: string[]): Promise<CliRun> {
  return runCliProcess(cli, ['replay', ...args, '--endpoint-url', proxy.endpoint], s3Env());
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-s3-replay-'));
  [cli, fauxqs] = await Promise.all([bundleCli(), startFauxqs()]);
  proxy = await startRecordingProxy(fauxqs.endpoint);
  client = s3Client(fauxqs.endpoint);
  await createBucket(client, 'trail');
  seeded = await seedCorpus(client, 'trail');
  const local = await runCliProcess(cli, ['replay', CORPUS, '--db', join(dir, 'local.db'), '--json']);
  expect(local.code).toBe(0);
  expect(JSON.parse(local.stdout)).toMatchObject({ events: 2900, rejected: 0 });
  baseline = await findingsTable(join(dir, 'local.db'));
  // The premise: the corpus opens findings, and the bucket holds it in about 50 log files.
  expect(baseline.length).toBeGreaterThan(5);
  expect(seeded.keys.length).toBeGreaterThanOrEqual(40);
}, 120_000);

afterAll(async () => {
  client?.destroy();
  await proxy?.stop();
  await fauxqs?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('opens the same findings from the trail bucket as from the local file, skipping and counting the digest and the stray object', async () => {
  const db = join(dir, 'bucket.db');
  const run = await replayS3(['s3://trail/AWSLogs/', '--db', db, '--json']);
  expect(run.code).toBe(0);
  const summary = JSON.parse(run.stdout);
  expect(summary).toMatchObject({ events: 2900, rejected: 0 });
  expect(summary.s3).toMatchObject({ listed: seeded.keys.length, digests: 1, notLogFiles: 1, refused: 0, alreadyDone: 0 });
  expect(run.stderr).toContain('skipped 1 digest files and 1 objects that are not log files');
  expect(await findingsTable(db)).toEqual(baseline);
}, 120_000);

it('reads nothing again with the same checkpoint', async () => {
  const db = join(dir, 'checkpoint.db');
  const checkpoint = join(dir, 'done.txt');
  const first = await replayS3(['s3://trail/AWSLogs/', '--db', db, '--checkpoint', checkpoint, '--json']);
  expect(first.code).toBe(0);
  expect(readFileSync(checkpoint, 'utf8').trim().split('\n').sort()).toEqual(seeded.keys.map((k) => `s3://trail/${k}`).sort());
  proxy.requests.length = 0;
  const second = await replayS3(['s3://trail/AWSLogs/', '--db', db, '--checkpoint', checkpoint, '--json']);
  expect(second.code).toBe(0);
  expect(JSON.parse(second.stdout)).toMatchObject({ events: 0, s3: { listed: seeded.keys.length, alreadyDone: seeded.keys.length } });
  expect(gets(proxy.requests)).toEqual([]);
}, 120_000);

it('resumes a run killed with SIGKILL from its checkpoint and ends with the same findings', async () => {
  const db = join(dir, 'killed.db');
  const checkpoint = join(dir, 'killed.txt');
  const args = ['replay', 's3://trail/AWSLogs/', '--db', db, '--checkpoint', checkpoint, '--concurrency', '1', '--json'];
  // Slow enough to die in the middle: the store flushes every 1,000 events, the checkpoint after each flush.
  proxy.delayGetMs = 60;
  const killed = startCli(cli, [...args, '--endpoint-url', proxy.endpoint], s3Env());
  let exited = false;
  void killed.done.then(() => {
    exited = true;
  });
  while (!exited && !(existsSync(checkpoint) && readFileSync(checkpoint, 'utf8').length > 0)) await new Promise((r) => setTimeout(r, 10));
  killed.child.kill('SIGKILL');
  const first = await killed.done;
  proxy.delayGetMs = 0;
  // The premise: it died in the middle, some objects recorded as done and some not.
  expect(first.signal).toBe('SIGKILL');
  const done = readFileSync(checkpoint, 'utf8').trim().split('\n').length;
  expect(done).toBeGreaterThan(0);
  expect(done).toBeLessThan(seeded.keys.length);

  const resumed = await replayS3([...args.slice(1)]);
  expect(resumed.code).toBe(0);
  const summary = JSON.parse(resumed.stdout);
  expect(summary.s3.alreadyDone).toBe(done);
  expect(summary.events).toBeLessThan(2900);
  expect(await findingsTable(db)).toEqual(baseline);
}, 180_000);

it('refuses a corrupt object and one whose KMS key is denied alone, naming them, and reads the others', async () => {
  await createBucket(client, 'broken');
  const records = corpusRecords().slice(0, 30);
  const account = String(records[0]!.recipientAccountId);
  const at = (minute: number) => new Date(Date.parse('2023-07-10T12:00:00Z') + minute * 60_000);
  const good = [logKey(account, 'us-east-1', at(1)), logKey(account, 'us-east-1', at(4))];
  const corrupt = logKey(account, 'us-east-1', at(2));
  const encrypted = logKey(account, 'us-east-1', at(3));
  await putObject(client, 'broken', good[0]!, trailObject(records.slice(0, 10)));
  await putObject(client, 'broken', corrupt, Buffer.concat([trailObject(records.slice(10, 20)).subarray(0, 40), Buffer.from('garbage')]));
  await putObject(client, 'broken', encrypted, trailObject(records.slice(10, 20)));
  await putObject(client, 'broken', good[1]!, trailObject(records.slice(20, 30)));
  proxy.kmsDenied.add(encrypted);
  const checkpoint = join(dir, 'broken.txt');
  const run = await replayS3(['s3://broken/AWSLogs/', '--db', join(dir, 'broken.db'), '--checkpoint', checkpoint, '--json']);
  proxy.kmsDenied.clear();
  expect(run.code).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({ events: 20, rejected: 2, s3: { listed: 4, refused: 2 } });
  expect(run.stderr).toContain(`rejected s3://broken/${corrupt}:0: corrupt gzip data in s3://broken/${corrupt}`);
  expect(run.stderr).toContain(`rejected s3://broken/${encrypted}:0: cannot read s3://broken/${encrypted}: kms:Decrypt was denied`);
  // The refused objects are not done: a rerun tries them again.
  expect(readFileSync(checkpoint, 'utf8').trim().split('\n').sort()).toEqual(good.map((k) => `s3://broken/${k}`).sort());
}, 120_000);

describe('pruning by account, region and day', () => {
  const A = '111111111111';
  const B = '222222222222';
  const days = ['2022-12-31', '2023-07-09', '2023-07-10', '2023-07-11', '2023-07-12'];

  beforeAll(async () => {
    await createBucket(client, 'pruned');
    const [record] = corpusRecords();
    for (const account of [A, B]) {
      for (const region of ['eu-west-1', 'us-east-1']) {
        for (const day of days) {
          const eventTime = `${day}T12:00:00Z`;
          const body = trailObject([{ ...record, eventID: `${account}-${region}-${day}`, eventTime, recipientAccountId: account }]);
          await putObject(client, 'pruned', logKey(account, region, new Date(Date.parse(eventTime) + 5 * 60_000)), body);
        }
        await putObject(client, 'pruned', digestKey(account, region, '2023-07-10'), '{}');
      }
    }
  }, 60_000);

  it('lists only the folders the filters can want, and reads events of the window only', async () => {
    proxy.requests.length = 0;
    const run = await replayS3([
      's3://pruned/AWSLogs/',
      '--db',
      join(dir, 'pruned.db'),
      '--accounts',
      A,
      '--regions',
      'us-east-1',
      '--since',
      '2023-07-10T00:00:00Z',
      '--until',
      '2023-07-10T23:59:59Z',
      '--json',
    ]);
    expect(run.code).toBe(0);
    // Day 11's folder is read (a file delivered after midnight may hold events of the 10th); its event is outside.
    expect(JSON.parse(run.stdout)).toMatchObject({ events: 1, s3: { listed: 2, outsideWindow: 1, digests: 1 } });
    const listed = listings(proxy.requests);
    const allowed = [
      'AWSLogs/',
      `AWSLogs/${ORG}/`,
      `AWSLogs/${ORG}/${A}/`,
      ...['CloudTrail', 'CloudTrail-Digest'].flatMap((tree) => [
        `AWSLogs/${ORG}/${A}/${tree}/`,
        `AWSLogs/${ORG}/${A}/${tree}/us-east-1/`,
        `AWSLogs/${ORG}/${A}/${tree}/us-east-1/2023/`,
        `AWSLogs/${ORG}/${A}/${tree}/us-east-1/2023/07/`,
        `AWSLogs/${ORG}/${A}/${tree}/us-east-1/2023/07/10/`,
        `AWSLogs/${ORG}/${A}/${tree}/us-east-1/2023/07/11/`,
      ]),
    ];
    expect(listed.map((l) => l.prefix).filter((prefix) => !allowed.includes(prefix))).toEqual([]);
    expect(listed.map((l) => l.prefix)).toEqual(expect.arrayContaining([`AWSLogs/${ORG}/${A}/CloudTrail/us-east-1/2023/07/10/`]));
    // Years and days before the window are skipped by StartAfter, not listed and dropped.
    expect(listed.find((l) => l.prefix === `AWSLogs/${ORG}/${A}/CloudTrail/us-east-1/`)?.startAfter).toBe(
      `AWSLogs/${ORG}/${A}/CloudTrail/us-east-1/2023`,
    );
    expect(gets(proxy.requests).every((key) => key.startsWith(`AWSLogs/${ORG}/${A}/CloudTrail/us-east-1/2023/07/1`))).toBe(true);
    expect(gets(proxy.requests)).toHaveLength(2);
  }, 60_000);
});
