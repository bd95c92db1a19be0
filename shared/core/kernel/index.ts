/**
 * Small, total helpers for writing controls: safe field access (a missing field is a normal
 * case, never an exception) and builders for the common EventBridge patterns.
 */
import type { CloudTrailRecord, EventBridgeEvent } from '../model/event';
import { CLOUDTRAIL_DETAIL_TYPES } from '../model/event';
import type { EventPattern } from '../model/control';

/** The CloudTrail record of a CloudTrail-via-EventBridge event (the detail itself). */
export function recordOf(event: EventBridgeEvent): CloudTrailRecord {
  return (event.detail ?? {}) as CloudTrailRecord;
}

/** Reads a dotted path ("a.b.0.c") from any value; undefined where any step is missing. */
export function pathGet(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const step of path.split('.')) {
    if (current === null || current === undefined) return undefined;
    if (Array.isArray(current)) {
      const index = Number(step);
      if (!Number.isInteger(index)) return undefined;
      current = current[index];
    } else if (typeof current === 'object') {
      current = (current as Record<string, unknown>)[step];
    } else {
      return undefined;
    }
  }
  return current;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asArray(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value];
}

export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** requestParameters of the record, or {} when absent or null. */
export function requestOf(event: EventBridgeEvent): Record<string, unknown> {
  return asRecord(recordOf(event).requestParameters);
}

/** responseElements of the record, or {} when absent or null. */
export function responseOf(event: EventBridgeEvent): Record<string, unknown> {
  return asRecord(recordOf(event).responseElements);
}

/**
 * Some services put JSON documents (policies) in request fields as strings, sometimes
 * URL-encoded (IAM). Returns the parsed document, or undefined when it is not JSON.
 */
export function parseJsonDocument(value: unknown): unknown {
  if (value !== null && typeof value === 'object') return value;
  if (typeof value !== 'string') return undefined;
  for (const candidate of [value, safeDecodeURIComponent(value)]) {
    if (candidate === undefined) continue;
    try {
      return JSON.parse(candidate);
    } catch {
      // try the next form
    }
  }
  return undefined;
}

function safeDecodeURIComponent(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * The pattern for successful CloudTrail API calls of one service: source `aws.<service>`,
 * detail-type "AWS API Call via CloudTrail", the eventSource and eventNames given, and no errorCode
 * (a failed call changed nothing).
 */
export function apiCallPattern(eventSource: string, eventNames: string[], detail: Record<string, unknown> = {}): EventPattern {
  return {
    source: [sourceOf(eventSource)],
    'detail-type': [CLOUDTRAIL_DETAIL_TYPES.AwsApiCall],
    detail: { eventSource: [eventSource], eventName: eventNames, errorCode: [{ exists: false }], ...detail },
  };
}

/** `ec2.amazonaws.com` → `aws.ec2`, as EventBridge names the source of CloudTrail events. */
export function sourceOf(eventSource: string): string {
  return `aws.${eventSource.replace(/\.amazonaws\.com$/, '')}`;
}

/** The account the event belongs to: the envelope's, else the record's recipient or caller account. */
export function accountOf(event: EventBridgeEvent): string {
  const record = recordOf(event);
  return event.account || asString(record.recipientAccountId) || asString(record.userIdentity?.accountId) || 'unknown';
}

/** The event's region: the envelope's, else the record's awsRegion. */
export function regionOf(event: EventBridgeEvent): string {
  return event.region || asString(recordOf(event).awsRegion) || '';
}

/** The ARN partition of a region: aws-cn for China, aws-us-gov for GovCloud, aws otherwise. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * CloudFormation has no type for an AWS account itself; `AWS::Organizations::Account`, whose Ref
 * is the account id, is the nearest real type.
 */
export const ACCOUNT_RESOURCE_TYPE = 'AWS::Organizations::Account';

/** Who made the call, for messages: the principal's ARN, else its type. */
export function principalOf(event: EventBridgeEvent): string {
  const identity = recordOf(event).userIdentity;
  return asString(identity?.arn) ?? asString(identity?.type) ?? 'an unknown principal';
}

/** The caller's identity type and ARN, for the evidence of a finding (null where the record has none). */
export function callerEvidenceOf(event: EventBridgeEvent): { type: string | null; arn: string | null } {
  const identity = recordOf(event).userIdentity;
  return { type: asString(identity?.type) ?? null, arn: asString(identity?.arn) ?? null };
}
