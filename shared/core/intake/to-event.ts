/** Turns one parsed JSON value into an EventBridge event, or a rejection that says what is wrong and where. */
import { CLOUDTRAIL_DETAIL_TYPES, type CloudTrailRecord, type EventBridgeEvent } from '../model/event';
import { isGuardDutyFinding, wrapCloudTrailRecord, wrapGuardDutyFinding } from './envelope';
import { maxEventBytesOf, type IntakeItem, type IntakeOptions, type SourceLocation } from './types';

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

function requireDate(object: JsonObject, key: string, label: string, prefix = ''): Invalid | undefined {
  const problem = requireString(object, key, label, prefix);
  if (problem) return problem;
  const value = object[key] as string;
  if (Number.isNaN(Date.parse(value)))
    return new Invalid(prefix + key, `${label} key "${prefix}${key}" is not a valid date: ${JSON.stringify(value.slice(0, 40))}`);
  return undefined;
}

const ENVELOPE_STRINGS = ['id', 'source', 'detail-type', 'account', 'time', 'region'] as const;

function checkEnvelope(value: JsonObject): Invalid | undefined {
  const label = 'EventBridge event';
  for (const key of ENVELOPE_STRINGS) {
    const problem = key === 'time' ? requireDate(value, key, label) : requireString(value, key, label);
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
  if (CLOUDTRAIL_DETAIL_TYPE_VALUES.has(value['detail-type'] as string)) {
    const detail = value.detail;
    const label2 = `"${value['detail-type'] as string}" event`;
    return requireString(detail, 'eventSource', label2, 'detail.') ?? requireString(detail, 'eventName', label2, 'detail.');
  }
  return undefined;
}

function checkCloudTrailRecord(value: JsonObject): Invalid | undefined {
  const label = 'CloudTrail record';
  const problem =
    requireString(value, 'eventSource', label) ??
    requireString(value, 'eventName', label) ??
    requireDate(value, 'eventTime', label) ??
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

/**
 * Validates and normalizes one parsed value: an EventBridge event is passed through (with `version`
 * and `resources` filled in when absent), a bare CloudTrail record or GuardDuty finding is wrapped
 * as EventBridge would deliver it. Never throws.
 */
export function toEvent(value: unknown, where: SourceLocation, options?: IntakeOptions): IntakeItem {
  return toEventFromText(value, where, maxEventBytesOf(options));
}

/** toEvent with what is known of the JSON source, which often spares serializing the event to measure it. */
export function toEventFromText(value: unknown, where: SourceLocation, maxEventBytes: number, source?: SourceSize): IntakeItem {
  const reject = (reason: string, key?: string): IntakeItem => ({
    kind: 'rejected',
    where: key === undefined ? where : { ...where, path: join(where.path, key) },
    reason,
  });
  if (!isObject(value)) return reject(`expected a JSON object, got ${kindOf(value)}`);

  let event: EventBridgeEvent;
  if ('detail-type' in value || 'detail' in value) {
    const problem = checkEnvelope(value);
    if (problem) return reject(problem.reason, problem.key);
    event = value as unknown as EventBridgeEvent;
    if (event.version === undefined || event.resources === undefined) {
      event = { ...event, version: event.version ?? '0', resources: event.resources ?? [] };
    }
  } else if ('eventSource' in value || 'eventName' in value) {
    const problem = checkCloudTrailRecord(value);
    if (problem) return reject(problem.reason, problem.key);
    event = wrapCloudTrailRecord(value as CloudTrailRecord) as unknown as EventBridgeEvent;
  } else if (isGuardDutyFinding(value)) {
    const problem = requireString(value, 'region', 'GuardDuty finding') ?? requireDate(value, 'updatedAt', 'GuardDuty finding');
    if (problem) return reject(problem.reason, problem.key);
    event = wrapGuardDutyFinding(value);
  } else {
    return reject(UNKNOWN_SHAPE_REASON);
  }

  const size = oversizedBy(event, maxEventBytes, source);
  if (size > 0) {
    return reject(`event is ${size} bytes serialized, above the ${maxEventBytes}-byte EventBridge event size limit`);
  }
  return { kind: 'event', event, where };
}
