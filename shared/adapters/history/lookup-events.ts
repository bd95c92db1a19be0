/**
 * History from CloudTrail's LookupEvents: the last 90 days of management events of each region, for a team
 * without a trail bucket. Every event's `CloudTrailEvent` (the record as a JSON string) goes through the
 * intake as a line of a named stream, one stream per page (`cloudtrail:lookup-events:us-east-1 page 3`), so
 * it becomes exactly the event a file replay makes, and a bad record is refused alone with where and why.
 *
 * Facts (CloudTrail API reference, LookupEvents, https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html):
 * - "The default number of results returned is 50, with a maximum of 50 possible"; a response's NextToken
 *   asks for the next page "with the same parameters"; StartTime/EndTime bound the events inclusively.
 * - "The rate of lookup requests is limited to two per second, per account, per Region. If this limit is
 *   exceeded, a throttling error occurs." CloudTrail has no adjustable quotas
 *   (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html).
 *
 * Quota: per region, at most two requests in flight or answered less than a second ago (RequestWindow, a
 * sliding window that holds the quota whatever the latency). Every attempt counts, retries included. A ThrottlingException (or a 5xx or a
 * network error) is retried here with exponential backoff and full jitter. The SDK's own standard retry
 * strategy would retry a throttled page too (3 attempts, throttling delay base 500 ms: @smithy/core
 * util-retry constants), but inside `client.send`, out of the window's sight, so its retries could break
 * the quota: the clients this reads from are made with `maxAttempts: 1` (lookupEventsClientConfig).
 *
 * Order: LookupEvents gives a region's events newest first. A file replay sees them oldest first, and the
 * finding lifecycle depends on it (a resolution at or after a violation resolves it; the reverse order
 * leaves it open: shared/core/findings/transitions.ts). Each region's pages are spilled as they arrive to
 * a temporary file (memory holds one page, whatever 90 days hold), then read back last page first, each
 * page's events reversed: the exact reverse of the order LookupEvents gave. The regions, fetched in
 * parallel, are then merged by event time (ties: the order of `regions`), as one file of all of them would
 * be. Events of one second keep the reverse of LookupEvents' order, which equals a file's order only when
 * the service lists events of one second in reverse file order; nothing documents that order.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay } from '../backoff';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  type CloudTrailClient,
  type CloudTrailClientConfig,
  LookupEventsCommand,
  type LookupEventsCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import { type AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import type { IntakeItem, IntakeOptions } from '../../core/intake/types';
import { readStream } from '../intake';

/** LookupEvents' largest page (see above). */
export const LOOKUP_EVENTS_MAX_RESULTS = 50;
/** LookupEvents' quota: requests per second, per account, per region (see above). */
export const LOOKUP_EVENTS_REQUESTS_PER_SECOND = 2;

export interface LookupEventsOptions {
  /** Region codes, read in parallel; ties in the merged order go by this order. */
  regions: readonly string[];
  /** The client of a region (one per region; made with lookupEventsClientConfig so the SDK does not retry on its own). */
  clientFor: (region: string) => Pick<CloudTrailClient, 'send'>;
  startTime?: Date;
  endTime?: Date;
  /** Intake options (the clock and limits), as for readEvents. */
  intake?: IntakeOptions;
  /** Requests in any second per region. Default LOOKUP_EVENTS_REQUESTS_PER_SECOND. */
  requestsPerSecond?: number;
  /** Attempts per page before the region is given up. Default 8. */
  maxAttempts?: number;
  /** First backoff cap in ms, doubled per attempt up to 20 s. Default 500. */
  backoffBaseMs?: number;
  /** Where the pages are spilled. Default the system's temporary directory. */
  spillDirectory?: string;
  /**
   * Told of each page fetched: its region, its events, and the time of its oldest event (pages come
   * newest first, so that time walks from the end of the period back to its start: a measure of progress).
   */
  onPage?: (page: { region: string; events: number; oldest?: Date }) => void;
}

/** The client settings the reader relies on: retries are the reader's (in its request window), not the SDK's. */
export function lookupEventsClientConfig(region: string, endpoint?: string): CloudTrailClientConfig {
  return { region, maxAttempts: 1, ...(endpoint === undefined ? {} : { endpoint }) };
}

/** `cloudtrail:lookup-events:REGION`, and with ` page N` one page of it, as messages name them. */
export function lookupEventsSourceName(region: string, page?: number): string {
  return `cloudtrail:lookup-events:${region}${page === undefined ? '' : ` page ${page}`}`;
}

/**
 * The account's enabled regions: Account ListRegions with RegionOptStatusContains ENABLED and
 * ENABLED_BY_DEFAULT (https://docs.aws.amazon.com/accounts/latest/reference/API_ListRegions.html: POST
 * /listRegions, MaxResults 1 to 50, NextToken). EC2 DescribeRegions would do as well, but its client is not
 * a dependency, and ListRegions names the opt-in states directly.
 */
export async function enabledRegions(client: Pick<AccountClient, 'send'>): Promise<string[]> {
  const regions: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListRegionsCommand({ RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'], MaxResults: 50, NextToken: token }),
    );
    for (const region of page.Regions ?? []) if (region.RegionName) regions.push(region.RegionName);
    token = page.NextToken;
  } while (token);
  return regions.sort();
}

/**
 * The quota as the service counts it, at most `limit` requests in any second, kept from the client's side
 * without knowing when a request reaches the service: a request has surely arrived by the time its answer
 * (or error) is back, so a slot is free again one second after the answer of the request that used it.
 * Whatever the latency, no second of arrivals then holds more than `limit` requests. (A token bucket
 * refilled every 500 ms counts from sending instead: a first request slowed by connecting and a third
 * sent 1,000 ms after it on a warm connection arrive less than a second apart, three in one second.)
 */
class RequestWindow {
  private readonly freeAt: number[];
  constructor(limit: number) {
    this.freeAt = Array.from({ length: limit }, () => 0);
  }

  /** Waits for a slot; the returned function is called when the answer is back. */
  async take(): Promise<() => void> {
    let slot = 0;
    for (let i = 1; i < this.freeAt.length; i++) if (this.freeAt[i]! < this.freeAt[slot]!) slot = i;
    const wait = this.freeAt[slot]! - Date.now();
    this.freeAt[slot] = Number.POSITIVE_INFINITY;
    if (wait > 0) await sleep(wait);
    return () => {
      this.freeAt[slot] = Date.now() + 1000;
    };
  }
}

/** An error worth another attempt: throttling, a server error, or no answer at all. */
function retryable(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  if (e?.name === 'ThrottlingException' || e?.name === 'TooManyRequestsException' || e?.$retryable) return true;
  const status = e?.$metadata?.httpStatusCode;
  return status === undefined || status >= 500;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** A page given up: the message says which and why. */
class GaveUp extends Error {
  override name = 'GaveUp';
}

interface SpilledPage {
  offset: number;
  bytes: number;
  number: number;
}

/** One region's pages, spilled to a file in LookupEvents' order. */
interface RegionSpill {
  region: string;
  file: FileHandle;
  pages: SpilledPage[];
  /** Why the region stopped early, if it did. */
  failure?: string;
}

/** Fetches every page of one region into its spill file. Never throws: a failure is kept on the spill. */
async function fetchRegion(spill: RegionSpill, options: LookupEventsOptions): Promise<void> {
  const client = options.clientFor(spill.region);
  const window = new RequestWindow(options.requestsPerSecond ?? LOOKUP_EVENTS_REQUESTS_PER_SECOND);
  const maxAttempts = options.maxAttempts ?? 8;
  const base = options.backoffBaseMs ?? 500;
  let token: string | undefined;
  let offset = 0;
  try {
    do {
      const number = spill.pages.length + 1;
      let page: LookupEventsCommandOutput | undefined;
      for (let attempt = 1; page === undefined; attempt++) {
        const answered = await window.take();
        try {
          page = await client.send(
            new LookupEventsCommand({
              StartTime: options.startTime,
              EndTime: options.endTime,
              MaxResults: LOOKUP_EVENTS_MAX_RESULTS,
              NextToken: token,
            }),
          );
          answered();
        } catch (error) {
          answered();
          if (attempt >= maxAttempts || !retryable(error))
            throw new GaveUp(`page ${number}: ${describe(error)} (after ${attempt} attempts)`);
          // Full jitter: a random wait up to a cap that doubles per attempt, so regions and processes spread out.
          await sleep(backoffDelay(attempt, base, 20_000));
        }
      }
      const lines = (page.Events ?? []).map((event) => oneLine(event.CloudTrailEvent ?? ''));
      const times = (page.Events ?? []).flatMap((event) => (event.EventTime ? [event.EventTime.getTime()] : []));
      options.onPage?.({
        region: spill.region,
        events: lines.length,
        ...(times.length > 0 ? { oldest: new Date(Math.min(...times)) } : {}),
      });
      if (lines.length > 0) {
        const text = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
        await spill.file.write(text, 0, text.length, offset);
        spill.pages.push({ offset, bytes: text.length, number });
        offset += text.length;
      } else spill.pages.push({ offset, bytes: 0, number });
      token = page.NextToken;
    } while (token);
  } catch (error) {
    spill.failure = error instanceof GaveUp ? error.message : describe(error);
  }
}

/**
 * A record on one line, so a page's line N is its event N. Compact JSON (what CloudTrail writes) has no
 * line break; in JSON a line break is whitespace between tokens, so it becomes a space (inside a string it
 * is invalid JSON, which a space then hides: the one difference, for a record CloudTrail would not write).
 */
function oneLine(record: string): string {
  return record.replace(/\r\n|[\r\n]/g, ' ');
}

/** A region's intake items oldest first: pages last to first, each page's items reversed. */
async function* regionItems(spill: RegionSpill, intake: IntakeOptions | undefined): AsyncGenerator<IntakeItem> {
  for (let p = spill.pages.length - 1; p >= 0; p--) {
    const page = spill.pages[p]!;
    if (page.bytes === 0) continue;
    const buffer = Buffer.alloc(page.bytes);
    await spill.file.read(buffer, 0, page.bytes, page.offset);
    const items: IntakeItem[] = [];
    for await (const item of readStream(lookupEventsSourceName(spill.region, page.number), () => Readable.from([buffer]), intake))
      items.push(item);
    yield* items.reverse();
  }
}

function timeOf(item: IntakeItem): number {
  return item.kind === 'event' ? Date.parse(item.event.time) : Number.NEGATIVE_INFINITY;
}

/**
 * Every event of the regions in the period, oldest first (see the order above), as intake items. A
 * region that could not be read to its end (a page refused past its retries, access denied) ends with one
 * rejection naming the region and the page; the pages read before it are replayed.
 */
export async function* lookupEvents(options: LookupEventsOptions): AsyncGenerator<IntakeItem> {
  const directory = await mkdtemp(join(options.spillDirectory ?? tmpdir(), 'trailwarden-lookup-'));
  const spills: RegionSpill[] = [];
  try {
    for (const region of options.regions)
      spills.push({ region, file: await open(join(directory, `${spills.length}.jsonl`), 'w+'), pages: [] });
    await Promise.all(spills.map((spill) => fetchRegion(spill, options)));
    // A k-way merge by event time over the regions' ascending streams; a rejection goes out as soon as it heads its stream.
    const streams = spills.map((spill) => regionItems(spill, options.intake));
    const heads: (IntakeItem | undefined)[] = [];
    for (const stream of streams) heads.push((await stream.next()).value ?? undefined);
    for (;;) {
      let best = -1;
      for (let i = 0; i < heads.length; i++) {
        const head = heads[i];
        if (head !== undefined && (best < 0 || timeOf(head) < timeOf(heads[best]!))) best = i;
      }
      if (best < 0) break;
      yield heads[best]!;
      heads[best] = (await streams[best]!.next()).value ?? undefined;
    }
    for (const spill of spills) {
      if (spill.failure === undefined) continue;
      yield {
        kind: 'rejected',
        where: { file: lookupEventsSourceName(spill.region), line: 0 },
        reason: `LookupEvents stopped at ${spill.failure}; the ${spill.pages.length} pages before it were replayed`,
      };
    }
  } finally {
    for (const spill of spills) await spill.file.close();
    await rm(directory, { recursive: true, force: true });
  }
}
