/**
 * The event shapes trailwarden evaluates. Every input, local or in AWS, becomes an
 * EventBridge event before it reaches a control, so local and cloud runs see identical input.
 */

/** An event as EventBridge delivers it to a rule target. */
export interface EventBridgeEvent<TDetail = Record<string, unknown>> {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: TDetail;
}

/** The identity block of a CloudTrail record (fields per the CloudTrail userIdentity reference). */
export interface CloudTrailUserIdentity {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  invokedBy?: string;
  sessionContext?: {
    attributes?: { mfaAuthenticated?: string; creationDate?: string };
    sessionIssuer?: { type?: string; principalId?: string; arn?: string; accountId?: string; userName?: string };
    sourceIdentity?: string;
  };
  [key: string]: unknown;
}

/** A CloudTrail record, as written to S3 and as the `detail` of a CloudTrail-via-EventBridge event. */
export interface CloudTrailRecord {
  eventVersion?: string;
  userIdentity?: CloudTrailUserIdentity;
  eventTime?: string;
  eventSource?: string;
  eventName?: string;
  awsRegion?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  requestID?: string;
  eventID?: string;
  readOnly?: boolean;
  resources?: Array<{ ARN?: string; accountId?: string; type?: string }>;
  eventType?: string;
  managementEvent?: boolean;
  recipientAccountId?: string;
  serviceEventDetails?: Record<string, unknown>;
  sharedEventID?: string;
  eventCategory?: string;
  [key: string]: unknown;
}

/** EventBridge `detail-type` values CloudTrail uses, keyed by the record's `eventType`. */
export const CLOUDTRAIL_DETAIL_TYPES = {
  AwsApiCall: 'AWS API Call via CloudTrail',
  AwsConsoleSignIn: 'AWS Console Sign In via CloudTrail',
  AwsConsoleAction: 'AWS Console Action via CloudTrail',
  AwsServiceEvent: 'AWS Service Event via CloudTrail',
  AwsCloudTrailInsight: 'AWS Insight via CloudTrail',
} as const;

const CLOUDTRAIL_DETAIL_TYPE_VALUES = new Set<string>(Object.values(CLOUDTRAIL_DETAIL_TYPES));

/** True when the event carries a CloudTrail record in its detail. */
export function isCloudTrailEvent(event: EventBridgeEvent): event is EventBridgeEvent<CloudTrailRecord> {
  return CLOUDTRAIL_DETAIL_TYPE_VALUES.has(event['detail-type']);
}

/**
 * What identifies an event wherever it is read: a CloudTrail record's own `eventID` (the same in the
 * trail bucket, in LookupEvents and inside the EventBridge event that delivers it live, whose envelope
 * `id` is EventBridge's), else the envelope's `id`. Findings apply an event once by this id, so live
 * processing, a replay and a backfill of the same record never count it twice.
 */
export function eventIdOf(event: EventBridgeEvent): string {
  if (isCloudTrailEvent(event)) {
    const recorded = event.detail.eventID;
    if (typeof recorded === 'string' && recorded !== '') return recorded;
  }
  return event.id;
}
