/** The shapes readEvents and toEvent hand out. */
import type { EventBridgeEvent } from '../model/event';

/**
 * Where an item came from. `file` is '-' for stdin; `line` is 1-based (the line where the record
 * starts; 0 when the problem concerns the file as a whole, such as a missing file or a corrupt gzip);
 * `path` is the key path inside the file, e.g. "Records[12]" or "Records[12].detail.eventName".
 */
export interface SourceLocation {
  file: string;
  line: number;
  path?: string;
}

export type IntakeItem =
  | { kind: 'event'; event: EventBridgeEvent; where: SourceLocation }
  | { kind: 'rejected'; where: SourceLocation; reason: string };

/**
 * The EventBridge event size limit, 1 MiB.
 *
 * EventBridge accepted PutEvents entries below 256 KB until 29 January 2026, when AWS raised the
 * limit for event buses (with SQS and asynchronous Lambda invocations) to 1 MB:
 *   https://aws.amazon.com/blogs/compute/more-room-to-build-serverless-services-now-support-payloads-up-to-1-mb
 * How an entry's size is counted (UTF-8 bytes of Source, DetailType, Detail and Resources, 14 for Time):
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html
 *   (older copies of that page still say "must be less than 256KB").
 * We compare the UTF-8 size of the whole serialized event, which is slightly larger than the entry
 * size, so an event that passes here also fits a PutEvents entry. Pass
 * `maxEventBytes: LEGACY_MAX_EVENT_BYTES` to enforce the old 256 KB limit.
 */
export const DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;

/** The PutEvents entry limit before January 2026 (256 KB). */
export const LEGACY_MAX_EVENT_BYTES = 256 * 1024;

export interface IntakeOptions {
  /** Events whose serialized size in UTF-8 bytes is above this are rejected. Default: DEFAULT_MAX_EVENT_BYTES (1 MiB). */
  maxEventBytes?: number;
  /** Bytes read from a file per chunk (the read stream's highWaterMark). Default 256 KiB. */
  highWaterMark?: number;
}

/** The effective size limit for these options. */
export function maxEventBytesOf(options: IntakeOptions | undefined): number {
  const value = options?.maxEventBytes;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : DEFAULT_MAX_EVENT_BYTES;
}
