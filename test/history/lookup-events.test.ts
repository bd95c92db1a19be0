/**
 * CloudTrail LookupEvents as a history source: the real SDK clients against a local CloudTrail and Account
 * (test/support/lookup-events-endpoint.ts) serving the 2,900 records of the invictus-ir sample as
 * LookupEvents would (newest first, 50 a page), within the 2 requests/s quota, throttled on demand.
 */
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { AccountClient } from '@aws-sdk/client-account';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { enabledRegions, lookupEvents, lookupEventsClientConfig } from '../../shared/adapters/history/lookup-events';
import { readStream } from '../../shared/adapters/intake';
import type { IntakeItem } from '../../shared/core/intake/types';
import { startLookupEventsEndpoint, type LookupEventsEndpoint } from '../support/lookup-events-endpoint';

const CORPUS = '/work/shared/corpus/bulk/invictus-ir_aws_dataset_cloudtrail.jsonl.gz';
const LINES = gunzipSync(readFileSync(CORPUS))
  .toString('utf8')
  .split('\n')
  .filter((l) => l.trim() !== '');
const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' };
const now = () => new Date('2026-01-01T00:00:00Z');

/** Records within [from, to] of the sample, in file order. */
function window(from: string, to: string): string[] {
  return LINES.filter((l) => {
    const t = (JSON.parse(l) as { eventTime: string }).eventTime;
    return t >= from && t <= to;
  });
}

async function collect(items: AsyncIterable<IntakeItem>): Promise<IntakeItem[]> {
  const out: IntakeItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** What a file replay of these lines reads, in order. */
function fileItems(lines: string[]): Promise<IntakeItem[]> {
  return collect(readStream('sample.jsonl', () => Readable.from([`${lines.join('\n')}\n`]), { now }));
}

function eventIds(items: IntakeItem[]): string[] {
  return items.flatMap((i) => (i.kind === 'event' ? [i.event.id] : []));
}

let endpoint: LookupEventsEndpoint | undefined;
afterEach(async () => {
  await endpoint?.stop();
  endpoint = undefined;
});

function clients(url: string) {
  const made: CloudTrailClient[] = [];
  return {
    clientFor: (region: string) => {
      const client = new CloudTrailClient({ ...lookupEventsClientConfig(region, url), credentials });
      made.push(client);
      return client;
    },
    destroy: () => {
      for (const c of made) c.destroy();
    },
  };
}

// 12:00:00 to 12:09:59 of the sample: several pages of events.
const FROM = '2023-07-10T12:00:00Z';
const TO = '2023-07-10T12:09:59Z';

describe('lookupEvents', () => {
  test('throttled pages are retried within the quota: the events of a file replay, in its order, none lost or repeated', async () => {
    // Prepare
    const lines = window(FROM, TO);
    expect(lines.length).toBeGreaterThan(150);
    endpoint = await startLookupEventsEndpoint({ records: LINES, throttle: (_region, n) => n === 2 || n === 3 || n === 5 });
    const made = clients(endpoint.endpoint);
    // Act
    const items = await collect(
      lookupEvents({
        regions: ['us-east-1'],
        clientFor: made.clientFor,
        startTime: new Date(FROM),
        endTime: new Date(TO),
        intake: { now },
        backoffBaseMs: 100,
      }),
    );
    made.destroy();
    // Assess
    const expected = eventIds(await fileItems(lines));
    expect(eventIds(items)).toEqual(expected);
    expect(new Set(eventIds(items)).size).toBe(items.length);
    const pages = Math.ceil(lines.length / 50);
    expect(endpoint.requests.filter((r) => r.throttled)).toHaveLength(3);
    expect(endpoint.requests).toHaveLength(pages + 3);
    expect(endpoint.quotaViolations()).toEqual([]);
    expect(endpoint.requests.every((r) => r.body.MaxResults === 50 && r.body.StartTime === Date.parse(FROM) / 1000)).toBe(true);
    expect(endpoint.served.get('us-east-1')).toHaveLength(lines.length);
  });

  test('a malformed CloudTrailEvent is refused alone, naming the region, the page and its place on it', async () => {
    const lines = window(FROM, TO);
    const bad = (JSON.parse(lines[lines.length - 60]!) as { eventID: string }).eventID;
    endpoint = await startLookupEventsEndpoint({
      records: LINES,
      corrupt: (record) => (record.includes(bad) ? record.slice(0, 40) : undefined),
    });
    const made = clients(endpoint.endpoint);
    const items = await collect(
      lookupEvents({
        regions: ['us-east-1'],
        clientFor: made.clientFor,
        startTime: new Date(FROM),
        endTime: new Date(TO),
        intake: { now },
      }),
    );
    made.destroy();
    const rejected = items.filter((i) => i.kind === 'rejected');
    // Newest first: the 60th from the end of the file is event 60 LookupEvents lists, the 10th of page 2.
    expect(rejected).toEqual([
      { kind: 'rejected', where: { file: 'cloudtrail:lookup-events:us-east-1 page 2', line: 10 }, reason: expect.stringMatching(/JSON/) },
    ]);
    expect(eventIds(items)).toEqual(eventIds(await fileItems(lines)).filter((id) => id !== bad));
    expect(endpoint.quotaViolations()).toEqual([]);
  });

  test('--regions all: the enabled regions from Account ListRegions, read in parallel, one client each', async () => {
    endpoint = await startLookupEventsEndpoint({
      records: window(FROM, TO),
      regions: [
        { name: 'us-east-1', status: 'ENABLED_BY_DEFAULT' },
        { name: 'eu-west-1', status: 'ENABLED_BY_DEFAULT' },
        { name: 'af-south-1', status: 'DISABLED' },
        { name: 'ap-east-1', status: 'ENABLED' },
        { name: 'me-south-1', status: 'ENABLING' },
      ],
    });
    const account = new AccountClient({ region: 'us-east-1', endpoint: endpoint.endpoint, credentials });
    const regions = await enabledRegions(account);
    account.destroy();
    expect(regions).toEqual(['ap-east-1', 'eu-west-1', 'us-east-1']);
    expect(endpoint.listRegions[0]).toMatchObject({ RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'] });
    expect(endpoint.listRegions).toHaveLength(2);

    const made = clients(endpoint.endpoint);
    const items = await collect(lookupEvents({ regions, clientFor: made.clientFor, startTime: new Date(FROM), intake: { now } }));
    made.destroy();
    expect(eventIds(items)).toEqual(eventIds(await fileItems(window(FROM, TO))));
    expect(new Set(endpoint.requests.map((r) => r.region))).toEqual(new Set(regions));
    expect(endpoint.quotaViolations()).toEqual([]);
  });

  test('a region given up after its retries ends with one rejection naming it; the others are read', async () => {
    endpoint = await startLookupEventsEndpoint({ records: window(FROM, TO), throttle: (region) => region === 'eu-west-1' });
    const made = clients(endpoint.endpoint);
    const items = await collect(
      lookupEvents({
        regions: ['us-east-1', 'eu-west-1'],
        clientFor: made.clientFor,
        startTime: new Date(FROM),
        intake: { now },
        maxAttempts: 3,
        backoffBaseMs: 50,
      }),
    );
    made.destroy();
    expect(items.filter((i) => i.kind === 'rejected')).toEqual([
      {
        kind: 'rejected',
        where: { file: 'cloudtrail:lookup-events:eu-west-1', line: 0 },
        reason: expect.stringMatching(/^LookupEvents stopped at page 1: ThrottlingException: Rate exceeded \(after 3 attempts\)/),
      },
    ]);
    expect(eventIds(items)).toEqual(eventIds(await fileItems(window(FROM, TO))));
    expect(endpoint.quotaViolations()).toEqual([]);
  });
});
