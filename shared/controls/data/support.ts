/**
 * Helpers shared by the data area's controls: resource ids built the same way from the violating
 * and the resolving event (ARNs for buckets, keys, queues, topics, secrets, databases and
 * snapshots; the account id for account-level settings).
 */
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asRecord, asString, recordOf } from '../support';
export { ACCOUNT_RESOURCE_TYPE, accountOf, regionOf, partitionOf } from '../support';
import { accountOf, regionOf, partitionOf } from '../support';


export function bucketArn(event: EventBridgeEvent, bucketName: string): string {
  return `arn:${partitionOf(regionOf(event))}:s3:::${bucketName}`;
}

/** An ARN in the event's partition, region and account. */
export function regionalArn(event: EventBridgeEvent, service: string, resource: string): string {
  return `arn:${partitionOf(regionOf(event))}:${service}:${regionOf(event)}:${accountOf(event)}:${resource}`;
}

/** The ARN of the first entry of the record's `resources` with this type, when CloudTrail lists one. */
export function resourceArnOfType(event: EventBridgeEvent, type: string): string | undefined {
  for (const entry of asArray(recordOf(event).resources)) {
    const resource = asRecord(entry);
    const arn = asString(resource.ARN) ?? asString(resource.arn);
    if (resource.type === type && arn) return arn;
  }
  return undefined;
}

/**
 * A KMS key's ARN from a key reference (key id, key ARN) as requests give it; CloudTrail's
 * resources list or a response's keyId ARN wins when present. Aliases cannot be resolved without
 * a lookup and are returned as given.
 */
export function kmsKeyArn(event: EventBridgeEvent, keyReference: string | undefined, responseKeyId?: unknown): string | undefined {
  const listed = resourceArnOfType(event, 'AWS::KMS::Key');
  if (listed) return listed;
  const fromResponse = asString(responseKeyId);
  if (fromResponse?.startsWith('arn:')) return fromResponse;
  if (!keyReference) return undefined;
  if (keyReference.startsWith('arn:') || keyReference.startsWith('alias/')) return keyReference;
  return regionalArn(event, 'kms', `key/${keyReference}`);
}

/** Boolean request fields sometimes arrive as strings. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}
