/**
 * Turns one parsed JSON value into an EventBridge event, or a rejection that says what is wrong and
 * where. A rejection names keys and limits, never the input's own text: a secret could sit in it.
 */
import { CLOUDTRAIL_DETAIL_TYPES, type CloudTrailRecord, type EventBridgeEvent } from '../model/event';
import { aheadOfClock, parseRfc3339, rfc3339Problem } from '../model/time';
import { guardDutyTimeOf, isGuardDutyFinding, wrapCloudTrailRecord, wrapGuardDutyFinding } from './envelope';
import { nestsDeeperThan } from './nesting';
import { MAX_NESTING_DEPTH, intakeLimitsOf, type IntakeItem, type IntakeLimits, type IntakeOptions, type SourceLocation } from './types';

type JsonObject = Record<string, unknown>;

const CLOUDTRAIL_DETAIL_TYPE_VALUES = new Set<string>(Object.values(CLOUDTRAIL_DETAIL_TYPES));

export const UNKNOWN_SHAPE_REASON = 'not a CloudTrail record or EventBridge event (no eventSource/eventName, no detail-type)';

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "array", "string", "number", "boolean", "null", "object". */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function join(base: string | undefined, key: string): string {
  if (!base) return key;
  return key.startsWith('[') ? `${base}${key}` : `${base}.${key}`;
}

class Invalid {
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {}
}

/** A required, non-empty string property; `label` names the thing for the reason. */
function requireString(object: JsonObject, key: string, label: string, prefix = ''): Invalid | undefined {
  const value = object[key];
  if (value === undefined) return new Invalid(prefix + key, `${label} is missing required key "${prefix}${key}"`);
  if (typeof value !== 'string') return new Invalid(prefix + key, `${label} key "${prefix}${key}" must be a string, got ${kindOf(value)}`);
  if (value === '') return new Invalid(prefix + key, `${label} key "${prefix}${key}" must not be empty`);
  return undefined;
}

/** A property that may be absent, but when present is a string. */
function optionalString(object: JsonObject, key: string, label: string): Invalid | undefined {
  const value = object[key];
  if (value === undefined || typeof value === 'string') return undefined;
  return new Invalid(key, `${label} key "${key}" must be a string, got ${kindOf(value)}`);
}

/** What event times are checked against: the clock read once for the value, and how far ahead of it a time may be. */
interface TimeBound {
  /** Absent: the form of times is checked, not how far ahead they are. */
  now?: number;
  maxAheadMs: number;
}

/**
 * Why `text`, the time under `keyPath`, is refused: not an RFC 3339 date-time with a zone, not a real
 * calendar date or time of day, or more than the bound ahead of the clock. The reason quotes no input
 * but the validated digits of a date or time that does not exist.
 */
function timeProblem(text: string, keyPath: string, label: string, bound: TimeBound): Invalid | undefined {
  const problem = rfc3339Problem(text);
  if (problem !== undefined) {
    const why = problem.startsWith('not ') ? `is ${problem}` : `is not a real time: ${problem}`;
    return new Invalid(keyPath, `${label} key "${keyPath}" ${why}`);
  }
  if (bound.now === undefined) return undefined;
  const ahead = aheadOfClock(`${label} key "${keyPath}"`, parseRfc3339(text) as number, new Date(bound.now), bound.maxAheadMs);
  return ahead === undefined ? undefined : new Invalid(keyPath, ahead);
}

/** A required time: a non-empty string that is an RFC 3339 date-time with a zone, on a real date, not too far ahead. */
function requireTime(object: JsonObject, key: string, label: string, bound: TimeBound): Invalid | undefined {
  return requireString(object, key, label) ?? timeProblem(object[key] as string, key, label, bound);
}

const ENVELOPE_STRINGS = ['id', 'source', 'detail-type', 'account', 'time', 'region'] as const;

function checkEnvelope(value: JsonObject, bound: TimeBound): Invalid | undefined {
  const label = 'EventBridge event';
  for (const key of ENVELOPE_STRINGS) {
    const problem = key === 'time' ? requireTime(value, key, label, bound) : requireString(value, key, label);
    if (problem) return problem;
  }
  if (value.version !== undefined && typeof value.version !== 'string') {
    return new Invalid('version', `${label} key "version" must be a string, got ${kindOf(value.version)}`);
  }
  if (value.detail === undefined) return new Invalid('detail', `${label} is missing required key "detail"`);
  if (!isObject(value.detail)) return new Invalid('detail', `${label} key "detail" must be an object, got ${kindOf(value.detail)}`);
  const resources = value.resources;
  if (resources !== undefined) {
    if (!Array.isArray(resources)) return new Invalid('resources', `${label} key "resources" must be an array, got ${kindOf(resources)}`);
    for (let i = 0; i < resources.length; i += 1) {
      if (typeof resources[i] !== 'string') {
        return new Invalid(`resources[${i}]`, `${label} key "resources[${i}]" must be a string, got ${kindOf(resources[i])}`);
      }
    }
  }
  const detail = value.detail;
  if (CLOUDTRAIL_DETAIL_TYPE_VALUES.has(value['detail-type'] as string)) {
    const label2 = `"${value['detail-type'] as string}" event`;
    const problem = requireString(detail, 'eventSource', label2, 'detail.') ?? requireString(detail, 'eventName', label2, 'detail.');
    if (problem) return problem;
  }
  // A detail's eventTime, when it is a string, is the event's time (findings/observation.ts eventTimeOf): as strict as `time`.
  if (typeof detail.eventTime === 'string') return timeProblem(detail.eventTime, 'detail.eventTime', label, bound);
  return undefined;
}

function checkCloudTrailRecord(value: JsonObject, bound: TimeBound): Invalid | undefined {
  const label = 'CloudTrail record';
  const problem =
    requireString(value, 'eventSource', label) ??
    requireString(value, 'eventName', label) ??
    requireTime(value, 'eventTime', label, bound) ??
    optionalString(value, 'eventID', label) ??
    requireString(value, 'awsRegion', label);
  if (problem) return problem;
  const recipient = value.recipientAccountId;
  if (typeof recipient === 'string' && recipient !== '') return undefined;
  const identity = value.userIdentity;
  const accountId = isObject(identity) ? identity.accountId : undefined;
  if (typeof accountId === 'string' && accountId !== '') return undefined;
  if (recipient !== undefined && typeof recipient !== 'string') {
    return new Invalid('recipientAccountId', `${label} key "recipientAccountId" must be a string, got ${kindOf(recipient)}`);
  }
  return new Invalid(
    'recipientAccountId',
    `${label} has no account: neither "recipientAccountId" nor "userIdentity.accountId" is a non-empty string`,
  );
}

/** What is known of the JSON source of a value: its text, or an upper bound of its UTF-8 size. */
export interface SourceSize {
  text?: string;
  bytes?: number;
}

/** UTF-8 size of the serialized event when above `limit`; 0 when it is within. */
function oversizedBy(event: EventBridgeEvent, limit: number, source: SourceSize | undefined): number {
  // JSON.stringify never makes a string longer than its JSON source (escapes only shrink; raw control
  // characters are not valid JSON); only numbers grow (1e20 -> 100000000000000000000, at most ~5.3x).
  // The envelope fields copy values of the record. So 12x the source plus 1 KiB bounds the serialized
  // event, and most events are proven small enough without serializing them.
  if (source !== undefined) {
    const fits = (bytes: number) => bytes * 12 + 1024 <= limit;
    if (source.bytes !== undefined && fits(source.bytes)) return 0;
    if (source.text !== undefined) {
      if (fits(source.text.length * 3)) return 0; // a UTF-16 code unit is at most 3 UTF-8 bytes
      if (fits(Buffer.byteLength(source.text, 'utf8'))) return 0;
    }
  }
  const size = Buffer.byteLength(JSON.stringify(event), 'utf8');
  return size > limit ? size : 0;
}

/** Why a record or event is refused for its nesting. */
export const TOO_DEEP_REASON = `nested more than ${MAX_NESTING_DEPTH} levels deep (objects and arrays); no CloudTrail record or EventBridge event nests that deep`;

/**
 * Validates and normalizes one parsed value: an EventBridge event is passed through (with `version`
 * and `resources` filled in when absent), a bare CloudTrail record or GuardDuty finding is wrapped
 * as EventBridge would deliver it. Its times must be RFC 3339 with a zone on a real calendar date, and
 * (given `options.now`) not more than `options.maxEventAheadMs` ahead of the clock; it may nest at most
 * MAX_NESTING_DEPTH levels and weigh at most `options.maxEventBytes`. Never throws: an event that passes
 * is safe to serialize, mask and store.
 */
export function toEvent(value: unknown, where: SourceLocation, options?: IntakeOptions): IntakeItem {
  return toEventFromText(value, where, intakeLimitsOf(options));
}

/** toEvent with what is known of the JSON source, which often spares serializing the event to measure it. */
export function toEventFromText(value: unknown, where: SourceLocation, limits: IntakeLimits, source?: SourceSize): IntakeItem {
  try {
    return checkedEvent(value, where, limits, source);
  } catch (error) {
    // Nothing above throws on a JSON value; this keeps the promise for anything else a caller passes.
    return { kind: 'rejected', where, reason: `could not be read (${error instanceof Error ? error.name : 'error'})` };
  }
}

/** An EventBridge event as intake passes it on: `version` and `resources` filled in when absent. */
function normalizedEnvelope(value: Record<string, unknown>): EventBridgeEvent {
  const event = value as unknown as EventBridgeEvent;
  if (event.version !== undefined && event.resources !== undefined) return event;
  return { ...event, version: event.version ?? '0', resources: event.resources ?? [] };
}

/**
 * The event intake made of a value it accepted before (toEvent said `event`): the same wrapping, none of
 * the checks. A parallel replay's writer rebuilds an event from the JSON text a worker thread read it from,
 * only when it needs the event itself (a stateful signal's finding is made from it).
 */
export function eventOfAcceptedValue(value: unknown): EventBridgeEvent {
  if (!isObject(value)) throw new Error(`expected a JSON object, got ${kindOf(value)}`);
  if ('detail-type' in value || 'detail' in value) return normalizedEnvelope(value);
  if ('eventSource' in value || 'eventName' in value) return wrapCloudTrailRecord(value as CloudTrailRecord) as unknown as EventBridgeEvent;
  if (isGuardDutyFinding(value)) return wrapGuardDutyFinding(value);
  throw new Error(UNKNOWN_SHAPE_REASON);
}

const UTF8 = new TextDecoder();

/** eventOfAcceptedValue of a JSON text, given as a string or as its UTF-8 bytes. */
export function eventOfAcceptedText(text: string | Uint8Array): EventBridgeEvent {
  return eventOfAcceptedValue(JSON.parse(typeof text === 'string' ? text : UTF8.decode(text)));
}

function checkedEvent(value: unknown, where: SourceLocation, limits: IntakeLimits, source: SourceSize | undefined): IntakeItem {
  const reject = (reason: string, key?: string): IntakeItem => ({
    kind: 'rejected',
    where: key === undefined ? where : { ...where, path: join(where.path, key) },
    reason,
  });
  if (!isObject(value)) return reject(`expected a JSON object, got ${kindOf(value)}`);
  const bound: TimeBound = { maxAheadMs: limits.maxEventAheadMs };
  if (limits.now !== undefined) bound.now = limits.now().getTime();

  let wrap: (() => EventBridgeEvent) | undefined;
  if ('detail-type' in value || 'detail' in value) {
    const problem = checkEnvelope(value, bound);
    if (problem) return reject(problem.reason, problem.key);
  } else if ('eventSource' in value || 'eventName' in value) {
    const problem = checkCloudTrailRecord(value, bound);
    if (problem) return reject(problem.reason, problem.key);
    wrap = () => wrapCloudTrailRecord(value as CloudTrailRecord) as unknown as EventBridgeEvent;
  } else if (isGuardDutyFinding(value)) {
    const label = 'GuardDuty finding';
    const problem =
      requireString(value, 'region', label) ??
      requireString(value, 'updatedAt', label) ??
      timeProblem(guardDutyTimeOf(value.updatedAt as string), 'updatedAt', label, bound);
    if (problem) return reject(problem.reason, problem.key);
    wrap = () => wrapGuardDutyFinding(value);
  } else {
    return reject(UNKNOWN_SHAPE_REASON);
  }
  // Before anything walks the value recursively (the derived id and the size below serialize it).
  if (nestsDeeperThan(value, MAX_NESTING_DEPTH)) return reject(TOO_DEEP_REASON);

  const event = wrap !== undefined ? wrap() : normalizedEnvelope(value);

  const size = oversizedBy(event, limits.maxEventBytes, source);
  if (size > 0) {
    return reject(`event is ${size} bytes serialized, above the ${limits.maxEventBytes}-byte EventBridge event size limit`);
  }
  return { kind: 'event', event, where };
}
