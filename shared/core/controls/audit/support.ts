/**
 * Helpers shared by the audit controls: ARNs of trails, log groups and trailwarden's own
 * resources, built from the event's account and region so that violation and resolution agree.
 */
import type { EventBridgeEvent } from '../../model/event';
import { asString, recordOf, requestOf, responseOf } from '../../kernel';
import { arnFor } from '../network/support';

export { accountOf, arnFor, asNumber, isFalse, isTrue, partitionOf, regionOf } from '../network/support';

/**
 * The trail a CloudTrail call is about: `name` or `trailName` may be a name or an ARN; the response's
 * trailARN wins when present. A name is resolved in the event's account and region (CloudTrail
 * management calls for a trail are made in its home region).
 */
export function trailArnOf(event: EventBridgeEvent): string | undefined {
  const fromResponse = asString(responseOf(event).trailARN);
  if (fromResponse) return fromResponse;
  const request = requestOf(event);
  const name = asString(request.name) ?? asString(request.trailName);
  if (!name) return undefined;
  return name.startsWith('arn:') ? name : arnFor(event, 'cloudtrail', `trail/${name}`);
}

/** "arn:…:trail/org-trail" → "org-trail". */
export function trailNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** CloudWatch Logs log group ARN (without the trailing :*). */
export function logGroupArn(event: EventBridgeEvent, logGroupName: string): string {
  return arnFor(event, 'logs', `log-group:${logGroupName}`);
}

/** True when the call was made by CloudFormation on a stack's behalf (how trailwarden itself is deployed). */
export function madeByCloudFormation(event: EventBridgeEvent): boolean {
  const record = recordOf(event);
  return record.userIdentity?.invokedBy === 'cloudformation.amazonaws.com' || record.sourceIPAddress === 'cloudformation.amazonaws.com';
}

/** Every trailwarden resource (EventBridge rules, Lambda functions, DynamoDB table, SNS topic) is named with this prefix. */
export const TRAILWARDEN_PREFIX = 'trailwarden-';

/** The last path segment of an ARN ("arn:aws:dynamodb:…:table/trailwarden-findings" → "trailwarden-findings"), or the name itself. */
export function resourceNameOf(value: string): string {
  return value.startsWith('arn:') ? value.slice(value.lastIndexOf('/') + 1) : value;
}

export function isTrailwardenName(name: string | undefined): name is string {
  return typeof name === 'string' && name.startsWith(TRAILWARDEN_PREFIX);
}
