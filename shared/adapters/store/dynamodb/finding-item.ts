/**
 * The finding item as DynamoDB stores it, built for write cost (docs/dynamodb-table.md, docs/capacity.md).
 *
 * DynamoDB bills a write by the size of the whole item (1 KB per write unit, the larger of the item
 * before and after), and every index whose key or projected attributes change takes one more write
 * (two when its key changes). So:
 * - the Finding and its latest history entry travel as one deflated `body` (raw deflate with a
 *   preset dictionary of the words findings repeat): about a third of the JSON, so most finding
 *   items stay under 1 KB and a repeat costs one write unit;
 * - the applied-event record keeps 8-byte digests of the latest event ids (`events`), not the ids;
 * - the index keys derive from what changes only on transitions (area, status, activity, snooze,
 *   deadline escalation): a repeat moves no index entry, and the projected attributes (those the
 *   listings filter and count on) do not change on a repeat either.
 * Low-cardinality index keys carry a shard, derived from the finding id, so no index partition
 * takes every write of an area.
 */
import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { activityOf, type Finding, type HistoryEntry } from '../../../core/findings/finding';
import { trendColumnOf } from '../../../core/findings/query';
import { awaitsDeadlineSweep, awaitsSnoozeSweep } from '../../../core/findings/sweeps';

/** Shards of the area × status partitions of `byAreaStatus`: each takes a quarter of its writes. */
export const AREA_STATUS_SHARDS = 4;
/**
 * Shards of the deadline sweep's sparse index: every opening of a finding that can have a deadline,
 * in every area, writes there (16: at 10,000 events/s of openings alone, each shard stays well
 * under DynamoDB's 1,000 write units a second per partition; the sweep reads them all, hourly).
 */
export const DEADLINE_SHARDS = 16;
/** Shards of a day's trend markers. */
export const TREND_SHARDS = 4;

/** Attribute names of the finding item (short: every byte of a name counts towards the item's write units). */
export const ITEM = {
  version: 'v',
  body: 'b',
  events: 'ev',
  marked: 'mk',
  activity: 'act',
  areaStatusKey: 'gAS',
  snoozeKey: 'gSn',
  deadlineKey: 'gDl',
  severity: 'sev',
  controlId: 'ctl',
  account: 'acct',
  region: 'rgn',
  resourceId: 'res',
  trend: 'tr',
} as const;

/** The attributes the listing indexes project besides the keys: what `listFindings` filters on and `summarize` counts. */
export const PROJECTED = [ITEM.severity, ITEM.controlId, ITEM.account, ITEM.region, ITEM.resourceId, ITEM.trend] as const;

/**
 * Words findings repeat (field names, the AWS vocabulary of evidence): the preset dictionary of the
 * body's deflate. Never change it in place: a new dictionary takes a new BODY_FORMAT byte, and the
 * old one stays to read old items.
 */
const DICTIONARY_V1 = Buffer.from(
  [
    'arn:aws:iam::',
    'arn:aws:sts::',
    ':assumed-role/',
    '.amazonaws.com',
    'AWS API Call via CloudTrail',
    'AWS Service Event via CloudTrail',
    'AWS Console Sign In via CloudTrail',
    '"userIdentity":{"type":"AssumedRole","principalId":"',
    '"type":"IAMUser","userName":"',
    '"sourceIPAddress":"',
    '"userAgent":"aws-cli/2 Python/3 botocore/1 Boto3/1 aws-sdk-go-v2 console.amazonaws.com',
    '"eventSource":"',
    '"eventName":"',
    '"accessKey":"ending in ',
    '"actor":{"type":"AssumedRole","arn":"',
    '"accountId":"',
    '"principalId":"',
    '"userName":"',
    '"invokedBy":"',
    '"sourceIp":"',
    '"fields":{',
    '"evidence":{"eventId":"',
    '"eventTime":"',
    '"detailType":"',
    '"resolvedBy":{"eventId":"',
    '"resolvedAt":"',
    '"suppressedBy":{"exemptionId":"',
    '"expiresAt":"',
    '"snooze":{"until":"',
    '"reason":"',
    '"deadlineEscalation":{"deadline":"',
    '"from":"LOW","to":"MEDIUM"',
    '"unnotified":{"transition":"opened","eventId":"',
    '"unannounced":{"transition":"',
    '"h":{"v":',
    '"findingId":"',
    '"transition":"opened","status":"open","severity":"',
    '"note":"',
    '"f":{"id":"',
    '"controlId":"',
    '"area":"',
    '"title":"',
    '"severity":"INFORMATIONAL","status":"open","account":"',
    '"severity":"MEDIUM","status":"resolved","account":"',
    '"severity":"HIGH","status":"suppressed","account":"',
    '"region":"us-east-1","resourceId":"',
    '"resourceType":"AWS::IAM::Role","qualifier":"',
    '"message":"',
    '"firstSeen":"2026-01-01T00:00:00.000Z","lastSeen":"',
    '"count":1,"changedAt":"',
    '"version":1}',
  ].join(''),
  'utf8',
);

/** The first byte of every body: which dictionary deflated it. */
const BODY_FORMAT = 1;

/** What the body holds: the Finding, and the latest history entry with the version it was written at (until copied out). */
export interface FindingBody {
  f: Finding;
  h?: { v: number; entry: HistoryEntry };
}

/** A JSON document deflated (raw deflate with the preset dictionary), after its format byte. */
export function encodeDocument(value: unknown): Uint8Array {
  const deflated = deflateRawSync(Buffer.from(JSON.stringify(value), 'utf8'), { level: 9, dictionary: DICTIONARY_V1 });
  return Buffer.concat([Buffer.from([BODY_FORMAT]), deflated]);
}

export function decodeDocument<T>(bytes: Uint8Array, where: string): T {
  const buffer = Buffer.from(bytes);
  if (buffer[0] !== BODY_FORMAT) throw new Error(`${where}: a document in format ${buffer[0]}, which this version cannot read`);
  return JSON.parse(inflateRawSync(buffer.subarray(1), { dictionary: DICTIONARY_V1 }).toString('utf8')) as T;
}

/** The Finding's fields the item keeps as attributes of their own (keys, projections): the body leaves them out. */
const KEPT_APART = ['id', 'controlId', 'area', 'severity', 'status', 'account', 'region', 'resourceId'] as const;

/** The body as stored: the Finding without the fields the item keeps apart. */
export function encodeBody(body: FindingBody): Uint8Array {
  const rest: Record<string, unknown> = { ...body.f };
  for (const field of KEPT_APART) delete rest[field];
  if (!body.h) return encodeDocument({ f: rest });
  // The entry's finding id is the item's too.
  const { findingId: _same, ...entry } = body.h.entry;
  return encodeDocument({ f: rest, h: { v: body.h.v, entry } });
}

/** The body of a finding item, with the fields kept apart put back (in the Finding's own order). */
export function bodyOfItem(item: Record<string, unknown>, where: string): FindingBody {
  const stored = decodeDocument<{ f: Record<string, unknown>; h?: FindingBody['h'] }>(item[ITEM.body] as Uint8Array, where);
  const [area, status] = String(item[ITEM.areaStatusKey]).split('#');
  const f = {
    id: String(item.PK).slice('FINDING#'.length),
    controlId: item[ITEM.controlId],
    area,
    title: stored.f.title,
    severity: item[ITEM.severity],
    status,
    account: item[ITEM.account],
    region: item[ITEM.region],
    resourceId: item[ITEM.resourceId],
    ...stored.f,
  } as unknown as Finding;
  if (!stored.h) return { f };
  const { v, entry } = stored.h;
  return { f, h: { v, entry: { ...entry, findingId: f.id } } };
}

/** Bytes of an applied event's digest. */
const EVENT_DIGEST_BYTES = 8;

/**
 * The digest an applied event is remembered by: the first 8 bytes of the SHA-256 of its id (two
 * events of one finding share one with odds of 2^-64 a pair). On the finding item the latest
 * digests sit side by side in one binary attribute; an applied-event item is keyed by one.
 */
export function eventDigest(eventId: string): Buffer {
  return createHash('sha256').update(eventId, 'utf8').digest().subarray(0, EVENT_DIGEST_BYTES);
}

/** The digests in an `events` attribute, oldest first. */
export function eventDigests(bytes: Uint8Array | undefined): Buffer[] {
  if (!bytes) return [];
  const buffer = Buffer.from(bytes);
  const digests: Buffer[] = [];
  for (let at = 0; at + EVENT_DIGEST_BYTES <= buffer.length; at += EVENT_DIGEST_BYTES) {
    digests.push(buffer.subarray(at, at + EVENT_DIGEST_BYTES));
  }
  return digests;
}

/** A number from 0 to `shards - 1`, fixed for the finding. */
export function shardOf(findingId: string, shards: number): number {
  return Number.parseInt(findingId.slice(-4), 16) % shards || 0;
}

export const areaStatusPartition = (area: string, status: string, shard: number) => `${area}#${status}#${shard}`;
export const SNOOZE_SWEEP_PARTITION = 'SWEEP#SNOOZE';
export const deadlineSweepPartition = (shard: number) => `SWEEP#DEADLINE#${shard}`;

/**
 * Where the finding's latest history entry counts in the summary's trend (`<column>#<day>`), when it
 * counts: read from the listing index, so the entry needs no trend marker until a later one replaces it.
 */
export function trendOf(latest: FindingBody['h']): string | undefined {
  const column = latest && trendColumnOf(latest.entry.transition);
  return column && `${column}#${latest.entry.at.slice(0, 10)}`;
}

/** The attributes of the finding item that derive from its body: index keys and projections. */
export function derivedAttributes(finding: Finding, latest?: FindingBody['h']): Record<string, string> {
  const trend = trendOf(latest);
  return {
    ...(trend ? { [ITEM.trend]: trend } : {}),
    [ITEM.activity]: activityOf(finding),
    [ITEM.areaStatusKey]: areaStatusPartition(finding.area, finding.status, shardOf(finding.id, AREA_STATUS_SHARDS)),
    ...(awaitsSnoozeSweep(finding) ? { [ITEM.snoozeKey]: SNOOZE_SWEEP_PARTITION } : {}),
    ...(awaitsDeadlineSweep(finding) ? { [ITEM.deadlineKey]: deadlineSweepPartition(shardOf(finding.id, DEADLINE_SHARDS)) } : {}),
    [ITEM.severity]: finding.severity,
    [ITEM.controlId]: finding.controlId,
    [ITEM.account]: finding.account,
    [ITEM.region]: finding.region,
    [ITEM.resourceId]: finding.resourceId,
  };
}
