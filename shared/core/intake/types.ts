/** The shapes readEvents and toEvent hand out. */
import type { EventBridgeEvent } from '../model/event';
import { DEFAULT_MAX_FUTURE_MS } from '../model/time';
import type { Settings } from '../settings/settings';

/**
 * Where an item came from. `file` is '-' for stdin; `line` is 1-based (the line where the record
 * starts; 0 when the problem concerns the file as a whole, such as a missing file, a corrupt gzip or
 * a file that is not text);
 * `path` is the key path inside the file, e.g. "Records[12]" or "Records[12].detail.eventName".
 */
export interface SourceLocation {
  file: string;
  line: number;
  path?: string;
}

/** `FILE:LINE Records[i]`: a location as rejection messages name it. */
export function locationText(where: SourceLocation): string {
  return `${where.file}:${where.line}${where.path ? ` ${where.path}` : ''}`;
}

export type IntakeItem =
  | {
      kind: 'event';
      event: EventBridgeEvent;
      where: SourceLocation;
      /**
       * The JSON text the event was read from, when it was that one record's or event's own text and the
       * reader was asked to keep it (`keepText`): what a replay worker thread sends in place of serializing
       * the event again (`eventOfAcceptedValue(JSON.parse(text))` gives the event back).
       */
      text?: string;
    }
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

/**
 * How deep a record or event may nest objects and arrays, counting itself as level 1: 32.
 *
 * Deeper values are refused at intake, so that nothing after it (JSON.stringify, secret masking,
 * pattern matching, the stores) ever recurses without bound: a record 20,000 levels deep inside
 * requestParameters overflowed the stack in the size check. The number:
 * - EventBridge itself documents a bound only far above it: "PutEvents will only process nested JSON
 *   up to 1000 levels deep" (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html);
 * - DynamoDB, where the Lambda stack stores findings with evidence copied from the event, supports
 *   nested attributes up to 32 levels deep
 *   (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-attributes);
 * - real records nest far less: at most 10 levels in the bundled samples, 12 in the 3,538 records of the
 *   external corpus (an AuthorizeSecurityGroupIngress record, down to
 *   requestParameters.ipPermissions.items[0].ipRanges.items[0], is 8 levels deep).
 */
export const MAX_NESTING_DEPTH = 32;

export interface IntakeOptions {
  /** Events whose serialized size in UTF-8 bytes is above this are rejected. Default: DEFAULT_MAX_EVENT_BYTES (1 MiB). */
  maxEventBytes?: number;
  /** Bytes read from a file per chunk (the read stream's highWaterMark). Default 256 KiB. */
  highWaterMark?: number;
  /**
   * The clock event times are checked against: an eventTime (or envelope time) more than
   * `maxEventAheadMs` ahead of it is refused. Shells pass theirs (the CLI's `io.now`, the Lambda
   * composition's clock), so a test's clock judges events as it judges everything else.
   *
   * Absent, core has no clock to read (it is pure), so `toEvent` checks the form of times only
   * (RFC 3339 with a zone, a real calendar date) and cannot refuse year 9999; `readEvents`, an adapter,
   * uses the system clock instead — the real time, which is what a caller without a clock means.
   */
  now?: () => Date;
  /** How far ahead of `now` an event's time may be, in milliseconds. Default DEFAULT_MAX_FUTURE_MS (1 day; the `maxEventAheadMinutes` setting). */
  maxEventAheadMs?: number;
  /** Event items keep the JSON text of their record (IntakeItem `text`), where it was read as one piece of text. */
  keepText?: boolean;
}

/** The effective size limit for these options. */
export function maxEventBytesOf(options: IntakeOptions | undefined): number {
  const value = options?.maxEventBytes;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : DEFAULT_MAX_EVENT_BYTES;
}

/** The effective bound on how far ahead of the clock an event's time may be, for these options. */
export function maxEventAheadMsOf(options: IntakeOptions | undefined): number {
  const value = options?.maxEventAheadMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : DEFAULT_MAX_FUTURE_MS;
}

/** The options toEvent works with, their defaults filled in. */
export interface IntakeLimits {
  maxEventBytes: number;
  maxEventAheadMs: number;
  /** Absent: times are checked for their form only (see IntakeOptions.now). */
  now?: () => Date;
}

/** The effective limits for these options. */
export function intakeLimitsOf(options: IntakeOptions | undefined): IntakeLimits {
  const limits: IntakeLimits = { maxEventBytes: maxEventBytesOf(options), maxEventAheadMs: maxEventAheadMsOf(options) };
  if (options?.now !== undefined) limits.now = options.now;
  return limits;
}

/**
 * The intake options a shell derives from the organization's settings and its clock: the time bound
 * is the `maxEventAheadMinutes` setting. `readEvents(paths, intakeOptionsOf(app.settings, app.clock))`.
 */
export function intakeOptionsOf(settings: Pick<Settings, 'maxEventAheadMinutes'>, now: () => Date): IntakeOptions {
  return { now, maxEventAheadMs: settings.maxEventAheadMinutes * 60_000 };
}
