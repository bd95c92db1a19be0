/**
 * The backfill function's body: one batch of trail objects, as Step Functions' distributed map hands
 * it to a Task when an ItemBatcher is set — `{ "Items": [ { "Key", "Size", "Etag", "LastModified",
 * "StorageClass" }, ... ], "BatchInput": { bucket, since, until } }` (each item an object of the
 * `s3:listObjectsV2` ItemReader; only `Key` is read here) — read object by object like files, through
 * the same pipeline as the area functions.
 *
 * - Skipped without reading: digest files (`CloudTrail-Digest/`), keys that are not log files
 *   (`.json.gz`, `.json`), and objects whose delivery day (in the key, `…/YYYY/MM/DD/…`) is more than a
 *   day away from the period (CloudTrail delivers within minutes, so an event of the period is never
 *   in such an object).
 * - Events whose time is outside [since, until) are counted and left alone.
 * - A corrupt object (bad gzip, not text, a malformed record) is refused alone: its rejections are in
 *   the summary, the rest of the batch counts. An object gone since the listing is refused too.
 * - A store failure (or any other failure reading an object) throws `BackfillStoreError`: the map's
 *   Retry runs the batch again, and the store makes the run idempotent — an event already applied to a
 *   finding changes nothing (the same CloudTrail eventID), and the finding lifecycle is ordered by
 *   event time, so an old violation never reopens a finding resolved later, and a stale resolution
 *   writes nothing (shared/core/findings/transitions.ts).
 * - Nothing is published: the application's notifier is deferred (shells/lambda/backfill.ts).
 */
import type { EventResult } from '../../app/pipeline/pipeline';
import { classifyKey, logFileWanted } from '../history/trail-layout';
import type { IntakeItem, IntakeOptions } from '../../core/intake/types';
import type { EventBridgeEvent } from '../../core/model/event';

/** One object of the ItemReader's listing. */
export interface BackfillItem {
  Key: string;
  Size?: number;
}

/** What `BatchInput` carries (the execution's input). */
export interface BackfillBatchInput {
  bucket: string;
  since: string;
  until: string;
}

export interface BackfillBatch {
  Items: BackfillItem[];
  BatchInput: BackfillBatchInput;
}

export interface BackfillSummary {
  objects: number;
  skippedObjects: number;
  refusedObjects: Array<{ key: string; reasons: string[] }>;
  events: number;
  outsidePeriod: number;
  transitions: number;
}

/** The batch could not be recorded: the map retries it. */
export class BackfillStoreError extends Error {
  override readonly name = 'BackfillStoreError';
}

/** A batch that is not what the distributed map sends: retrying cannot help. */
export class BackfillInputError extends Error {
  override readonly name = 'BackfillInputError';
}

export interface BackfillPipeline {
  process(event: EventBridgeEvent): Promise<EventResult>;
  flush(): Promise<void>;
}

export interface BackfillDeps {
  /** The object's body, or `undefined` when it no longer exists. */
  getObject(bucket: string, key: string): Promise<NodeJS.ReadableStream | undefined>;
  read(name: string, open: () => NodeJS.ReadableStream, options: IntakeOptions): AsyncIterable<IntakeItem>;
  pipeline: () => BackfillPipeline;
  intake: () => IntakeOptions;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The batch, checked: Items with string keys, BatchInput with a bucket and RFC 3339 times. */
export function batchOf(raw: unknown): { batch: BackfillBatch; since: number; until: number } {
  if (!isRecord(raw) || !Array.isArray(raw.Items) || !isRecord(raw.BatchInput)) {
    throw new BackfillInputError('expected { Items: [...], BatchInput: {...} } (a distributed map batch)');
  }
  const { bucket, since, until } = raw.BatchInput;
  if (typeof bucket !== 'string' || bucket === '') throw new BackfillInputError('BatchInput.bucket: expected a bucket name');
  const sinceMs = typeof since === 'string' ? Date.parse(since) : Number.NaN;
  const untilMs = typeof until === 'string' ? Date.parse(until) : Number.NaN;
  if (Number.isNaN(sinceMs) || Number.isNaN(untilMs)) throw new BackfillInputError('BatchInput.since and .until: expected RFC 3339 times');
  const items = raw.Items.map((item, index) => {
    if (!isRecord(item) || typeof item.Key !== 'string') throw new BackfillInputError(`Items[${index}].Key: expected an object key`);
    return { Key: item.Key, ...(typeof item.Size === 'number' ? { Size: item.Size } : {}) };
  });
  return {
    batch: { Items: items, BatchInput: { bucket, since: since as string, until: until as string } },
    since: sinceMs,
    until: untilMs,
  };
}

/**
 * Whether the key is a CloudTrail log file whose delivery day can hold events of [since, until): the
 * same reading of the trail's layout as `replay s3://` (adapters/history/trail-layout.ts).
 */
export function worthReading(key: string, since: number, until: number): boolean {
  const object = classifyKey(key);
  return object.kind === 'log' && logFileWanted(object, { sinceMs: since, untilMs: until });
}

export function backfillBatchHandler(deps: BackfillDeps) {
  let pipeline: BackfillPipeline | undefined;
  let intake: IntakeOptions | undefined;
  return async (raw: unknown): Promise<BackfillSummary> => {
    const { batch, since, until } = batchOf(raw);
    const summary: BackfillSummary = { objects: 0, skippedObjects: 0, refusedObjects: [], events: 0, outsidePeriod: 0, transitions: 0 };
    intake ??= deps.intake();
    pipeline ??= deps.pipeline();
    const { bucket } = batch.BatchInput;
    for (const { Key: key } of batch.Items) {
      if (!worthReading(key, since, until)) {
        summary.skippedObjects += 1;
        continue;
      }
      summary.objects += 1;
      try {
        const body = await deps.getObject(bucket, key);
        if (!body) {
          summary.refusedObjects.push({ key, reasons: ['no longer in the bucket'] });
          continue;
        }
        const reasons: string[] = [];
        for await (const item of deps.read(`s3://${bucket}/${key}`, () => body, intake)) {
          if (item.kind === 'rejected') {
            reasons.push(item.reason);
            continue;
          }
          const time = Date.parse(item.event.time);
          if (!(time >= since && time < until)) {
            summary.outsidePeriod += 1;
            continue;
          }
          const result = await pipeline.process(item.event);
          summary.events += 1;
          summary.transitions += result.changes.filter((change) => change.transition !== 'repeated').length;
        }
        if (reasons.length > 0) summary.refusedObjects.push({ key, reasons: reasons.slice(0, 10) });
      } catch (error) {
        throw new BackfillStoreError(`s3://${bucket}/${key}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    }
    try {
      await pipeline.flush();
    } catch (error) {
      throw new BackfillStoreError(`the batch's findings could not be written: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    return summary;
  };
}
