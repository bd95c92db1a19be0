/**
 * Wraps a bare CloudTrail record in the envelope EventBridge would deliver for it, so a local
 * replay and a Lambda invocation hand identical events to the controls.
 */
import { createHash } from 'node:crypto';
import { CLOUDTRAIL_DETAIL_TYPES, type CloudTrailRecord, type EventBridgeEvent } from '../model/event';
import { parseRfc3339 } from '../model/time';

/** True for an object that looks like a CloudTrail record (not an EventBridge envelope). */
export function isCloudTrailRecord(value: Record<string, unknown>): boolean {
  return typeof value.eventSource === 'string' && typeof value.eventName === 'string' && !('detail-type' in value);
}

/** True for an object that looks like an EventBridge envelope. */
export function isEventBridgeEnvelope(value: Record<string, unknown>): boolean {
  return 'detail-type' in value && 'source' in value && 'detail' in value;
}

/** The EventBridge detail-type CloudTrail uses for a record of this eventType. */
export function detailTypeOf(record: CloudTrailRecord): string {
  const eventType = record.eventType;
  if (typeof eventType === 'string' && Object.hasOwn(CLOUDTRAIL_DETAIL_TYPES, eventType)) {
    return CLOUDTRAIL_DETAIL_TYPES[eventType as keyof typeof CLOUDTRAIL_DETAIL_TYPES];
  }
  // Sign-in records predating eventType, and console sign-in events in general, come from signin.amazonaws.com.
  if (record.eventSource === 'signin.amazonaws.com' && record.eventName === 'ConsoleLogin') {
    return CLOUDTRAIL_DETAIL_TYPES.AwsConsoleSignIn;
  }
  return CLOUDTRAIL_DETAIL_TYPES.AwsApiCall;
}

const CANONICAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/**
 * EventBridge drops the fractional seconds CloudTrail sometimes writes: time is `YYYY-MM-DDThh:mm:ssZ`,
 * in UTC. Read with the strict parser (RFC 3339 with a zone, a real calendar date), so the instant never
 * depends on the machine's time zone; a time it cannot read (only from callers that skip intake, which
 * refuses it) is kept as written.
 */
function envelopeTime(eventTime: unknown): string {
  if (typeof eventTime !== 'string') return '';
  if (eventTime.length === 20 && CANONICAL_TIME.test(eventTime)) return eventTime; // the usual case (intake has checked it)
  const parsed = parseRfc3339(eventTime);
  if (parsed === undefined) return eventTime;
  return new Date(parsed).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const sourceCache = new Map<string, string>();

/** `aws.<service>` for `<service>.amazonaws.com`. */
function sourceOf(eventSource: string): string {
  let source = sourceCache.get(eventSource);
  if (source === undefined) {
    source = `aws.${eventSource.replace(/\.amazonaws\.com$/, '')}`;
    if (sourceCache.size < 1000) sourceCache.set(eventSource, source);
  }
  return source;
}

/**
 * An id for a record that lost its eventID (hand-written, or exported by a tool that trims fields):
 * derived from the content, so replaying the same record twice still counts as one event.
 */
export function derivedEventId(record: unknown): string {
  return `derived-${createHash('sha256').update(JSON.stringify(record)).digest('hex').slice(0, 32)}`;
}

/**
 * The envelope for a CloudTrail record: source `aws.<service>` from eventSource, account from
 * recipientAccountId (the account whose trail logged it; userIdentity.accountId as fallback),
 * region from awsRegion, time from eventTime, id from eventID (derived from the content when absent).
 */
export function wrapCloudTrailRecord(record: CloudTrailRecord): EventBridgeEvent<CloudTrailRecord> {
  const eventSource = String(record.eventSource ?? '');
  const account = nonEmpty(record.recipientAccountId) ?? nonEmpty(record.userIdentity?.accountId) ?? '';
  return {
    version: '0',
    id: nonEmpty(record.eventID) ?? derivedEventId(record),
    'detail-type': detailTypeOf(record),
    source: sourceOf(eventSource),
    account,
    time: envelopeTime(record.eventTime),
    region: String(record.awsRegion ?? ''),
    resources: [],
    detail: record,
  };
}

/** GuardDuty's detail-type on EventBridge. */
export const GUARDDUTY_FINDING_DETAIL_TYPE = 'GuardDuty Finding';

/**
 * The RFC 3339 time of a GuardDuty finding's `updatedAt`: as written when it has a `T`; the form
 * `2025-02-25 20:40:06.721` some exports print (GuardDuty's times are UTC) gets its `T` and `Z`.
 */
export function guardDutyTimeOf(updatedAt: string): string {
  return updatedAt.includes('T') ? updatedAt : `${updatedAt.replace(' ', 'T')}Z`;
}

/**
 * True for a GuardDuty finding object on its own, as GuardDuty exports findings to S3 and as
 * `aws guardduty get-findings` prints them: the `detail` of a "GuardDuty Finding" event.
 */
export function isGuardDutyFinding(value: Record<string, unknown>): boolean {
  return (
    typeof value.schemaVersion === 'string' &&
    typeof value.type === 'string' &&
    typeof value.accountId === 'string' &&
    typeof value.arn === 'string' &&
    value.arn.startsWith('arn:') &&
    value.arn.includes(':guardduty:') &&
    !('detail-type' in value)
  );
}

/**
 * The envelope EventBridge delivers a GuardDuty finding in: source `aws.guardduty`, account and
 * region from the finding, time from updatedAt. The id names the finding and its update, so
 * replaying the same export twice is one event and a later update of the finding is another.
 */
export function wrapGuardDutyFinding(finding: Record<string, unknown>): EventBridgeEvent {
  const updatedAt = nonEmpty(finding.updatedAt) ?? nonEmpty(finding.createdAt) ?? '';
  return {
    version: '0',
    id: `${String(finding.id ?? derivedEventId(finding))}@${updatedAt}`,
    'detail-type': GUARDDUTY_FINDING_DETAIL_TYPE,
    source: 'aws.guardduty',
    account: String(finding.accountId),
    time: envelopeTime(guardDutyTimeOf(updatedAt)),
    region: String(finding.region ?? ''),
    resources: [],
    detail: finding,
  };
}
