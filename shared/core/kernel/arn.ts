/**
 * ARNs: built once, in the event's partition, so that a violating and a resolving event name a
 * resource the same way whichever of them carries the ARN; and read (account, region, last path
 * segment). Format per the IAM user guide, "Amazon Resource Names":
 * `arn:<partition>:<service>:<region>:<account>:<resource>`, region empty for global services
 * (IAM, CloudFront), region and account empty for S3 buckets.
 */
import type { EventBridgeEvent } from '../model/event';
import { accountOf, regionOf } from './records';

/** The ARN partition of a region: aws-cn for China, aws-us-gov for GovCloud, aws otherwise. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** Where a resource lives when it is not the event's own account and region: '' for global services (region) and S3 (both). */
export interface ArnScope {
  region?: string;
  account?: string;
}

/**
 * The ARN of `resource` of `service` in the event's partition; region and account are the event's
 * unless `scope` names others.
 */
export function arnIn(event: EventBridgeEvent, service: string, resource: string, scope: ArnScope = {}): string {
  const region = regionOf(event);
  return `arn:${partitionOf(region)}:${service}:${scope.region ?? region}:${scope.account ?? accountOf(event)}:${resource}`;
}

/** An S3 bucket's ARN (`arn:<partition>:s3:::<bucket>`: no region, no account). */
export function bucketArn(event: EventBridgeEvent, bucket: string): string {
  return arnIn(event, 's3', bucket, { region: '', account: '' });
}

/** The 12-digit account of an ARN (`arn:<partition>:<service>:<region>:<account>:…`), optionally of one service only. */
export function accountOfArn(arn: string | undefined, service?: string): string | undefined {
  const match = arn ? /^arn:aws[a-z-]*:([a-z0-9-]+):[^:]*:(\d{12}):/.exec(arn) : null;
  return match && (service === undefined || match[1] === service) ? match[2] : undefined;
}

/** The region in an ARN (arn:<partition>:<service>:<region>:…), when it has one. */
export function regionOfArn(arn: string | undefined): string | undefined {
  const region = arn?.startsWith('arn:') ? arn.split(':')[3] : undefined;
  return region ? region : undefined;
}

/** The last path segment of an ARN ("arn:aws:ecs:…:cluster/prod" → "prod"), or the value itself when it is a name. */
export function resourceNameOf(value: string): string {
  return value.startsWith('arn:') ? value.slice(value.lastIndexOf('/') + 1) : value;
}
