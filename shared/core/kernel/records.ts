/**
 * The CloudTrail record of an event and where it happened: request and response, the account and
 * region it belongs to, the API it names and the resources CloudTrail lists for it.
 */
import type { CloudTrailRecord, EventBridgeEvent } from '../model/event';
import { asArray, asRecord, asString } from './values';

/**
 * CloudFormation has no type for an AWS account itself; `AWS::Organizations::Account`, whose Ref
 * is the account id, is the nearest real type. Account-level settings and the root user are
 * findings on this resource.
 */
export const ACCOUNT_RESOURCE_TYPE = 'AWS::Organizations::Account';

/** The CloudTrail record of a CloudTrail-via-EventBridge event (the detail itself). */
export function recordOf(event: EventBridgeEvent): CloudTrailRecord {
  return (event.detail ?? {}) as CloudTrailRecord;
}

/** requestParameters of the record, or {} when absent or null. */
export function requestOf(event: EventBridgeEvent): Record<string, unknown> {
  return asRecord(recordOf(event).requestParameters);
}

/** responseElements of the record, or {} when absent or null. */
export function responseOf(event: EventBridgeEvent): Record<string, unknown> {
  return asRecord(recordOf(event).responseElements);
}

/** The account the event belongs to: the envelope's, else the record's recipient or caller account. */
export function accountOf(event: EventBridgeEvent): string {
  const record = recordOf(event);
  return event.account || asString(record.recipientAccountId) || asString(record.userIdentity?.accountId) || 'unknown';
}

/** The event's region: the envelope's, else the record's awsRegion ('' when neither says). */
export function regionOf(event: EventBridgeEvent): string {
  return event.region || asString(recordOf(event).awsRegion) || '';
}

/** The API a record is about as `<service>:<eventName>` (iam:GetRole, s3:ListBuckets). */
export function apiNameOf(event: EventBridgeEvent): string {
  const record = recordOf(event);
  const service = (asString(record.eventSource) ?? 'unknown').replace(/\.amazonaws\.com$/, '');
  return `${service}:${asString(record.eventName) ?? 'unknown'}`;
}

/** One entry of the record's `resources` list: the ARN, the CloudFormation type and the owning account, as far as CloudTrail gives them. */
export interface ListedResource {
  arn?: string;
  type?: unknown;
  accountId?: string;
}

/** The record's `resources` list (CloudTrail writes `ARN`; some exports `arn`). */
export function listedResourcesOf(event: EventBridgeEvent): ListedResource[] {
  return asArray(recordOf(event).resources).map((entry) => {
    const resource = asRecord(entry);
    return { arn: asString(resource.ARN) ?? asString(resource.arn), type: resource.type, accountId: asString(resource.accountId) };
  });
}

/** The ARN of the first entry of the record's `resources` with this type, when CloudTrail lists one. */
export function listedResourceArn(event: EventBridgeEvent, type: string): string | undefined {
  return listedResourcesOf(event).find((resource) => resource.type === type && resource.arn)?.arn;
}
