/**
 * Helpers shared by the audit controls: ARNs of trails, log groups, the Security Hub hub and
 * trailwarden's own resources, built from the event's account and region so that violation and
 * resolution agree, and Security Hub's request shapes.
 */
import type { EventBridgeEvent } from '../../model/event';
import { asRecord, asString } from '../../kernel/values';
import { requestOf, responseOf } from '../../kernel/records';
import { arnIn } from '../../kernel/arn';

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
  return name.startsWith('arn:') ? name : arnIn(event, 'cloudtrail', `trail/${name}`);
}

/** "arn:…:trail/org-trail" → "org-trail". */
export function trailNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** CloudWatch Logs log group ARN (without the trailing :*). */
export function logGroupArn(event: EventBridgeEvent, logGroupName: string): string {
  return arnIn(event, 'logs', `log-group:${logGroupName}`);
}

/** The Security Hub hub of the event's account and region (one per account and region, named `default`). */
export function hubArnOf(event: EventBridgeEvent): string {
  return arnIn(event, 'securityhub', 'hub/default');
}

/** A member of a Security Hub request or response: CloudTrail logs some in PascalCase, as the API names them, and some in camelCase. */
export function hubField(value: unknown, name: string): unknown {
  const record = asRecord(value);
  return record[name] ?? record[name.charAt(0).toLowerCase() + name.slice(1)];
}

/** Every trailwarden resource (EventBridge rules, Lambda functions, DynamoDB table, SNS topic) is named with this prefix. */
export const TRAILWARDEN_PREFIX = 'trailwarden-';

export function isTrailwardenName(name: string | undefined): name is string {
  return typeof name === 'string' && name.startsWith(TRAILWARDEN_PREFIX);
}
