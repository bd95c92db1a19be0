/**
 * Helpers shared by the data area's controls: resource ids built the same way from the violating
 * and the resolving event (ARNs for buckets, keys, queues, topics, secrets, databases and
 * snapshots; the account id for account-level settings).
 */
import type { EventPattern } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { apiCallPattern, asArray, asRecord, asString, pathGet, recordOf } from '../../kernel';
export { ACCOUNT_RESOURCE_TYPE, accountOf, regionOf, partitionOf } from '../../kernel';
import { accountOf, regionOf, partitionOf } from '../../kernel';
export { principalOf } from '../../kernel';


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

/**
 * Successful calls, as apiCallPattern selects them, where an empty errorCode (which some log
 * pipelines write for every successful call) also counts as no error.
 */
export function succeededCallPattern(eventSource: string, eventNames: string[], detail: Record<string, unknown> = {}): EventPattern {
  return apiCallPattern(eventSource, eventNames, { errorCode: [{ exists: false }, ''], ...detail });
}

/**
 * A call an AWS service made on its own schedule rather than a principal's decision: the service's
 * own identity (type AWSService), or, when a service is named, a call it made through its
 * service-linked role (invokedBy), e.g. AWS Backup expiring the RDS snapshots it created.
 */
export function madeByAwsService(event: EventBridgeEvent, service?: string): boolean {
  const identity = recordOf(event).userIdentity;
  if (identity?.type === 'AWSService') return true;
  return service !== undefined && identity?.invokedBy === service;
}


/** The region in an ARN (arn:<partition>:<service>:<region>:…), when it has one. */
export function regionOfArn(arn: string | undefined): string | undefined {
  const region = arn?.startsWith('arn:') ? arn.split(':')[3] : undefined;
  return region ? region : undefined;
}

/** Boolean request fields sometimes arrive as strings. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** Boolean request fields sometimes arrive as strings; false only when explicitly false (absent is not false). */
export function isFalse(value: unknown): boolean {
  return value === false || value === 'false';
}

/** RDS stores identifiers in lower case; ARNs built from the violating and the resolving event must agree. */
export function dbInstanceArn(event: EventBridgeEvent, id: string): string {
  return regionalArn(event, 'rds', `db:${id.toLowerCase()}`);
}

export function dbClusterArn(event: EventBridgeEvent, id: string): string {
  return regionalArn(event, 'rds', `cluster:${id.toLowerCase()}`);
}

/** A Secrets Manager secret's ARN: the response's `arn` (older records: `aRN`), else the requested secretId. */
export function secretArn(event: EventBridgeEvent): string | undefined {
  const response = asRecord(recordOf(event).responseElements);
  return asString(response.arn) ?? asString(response.aRN) ?? asString(asRecord(recordOf(event).requestParameters).secretId);
}

/* S3 ACL grants (bucket and object ACLs). */

const PUBLIC_GROUPS: Record<string, string> = {
  'http://acs.amazonaws.com/groups/global/AllUsers': 'AllUsers',
  'http://acs.amazonaws.com/groups/global/AuthenticatedUsers': 'AuthenticatedUsers',
};
/** Canned ACLs that grant to AllUsers or AuthenticatedUsers, with whether they grant write. */
const PUBLIC_CANNED_ACLS: Record<string, boolean> = { 'public-read': false, 'public-read-write': true, 'authenticated-read': false };
/** x-amz-grant-* headers, with whether the permission lets the grantee write or take over the bucket. */
const GRANT_HEADERS: Record<string, boolean> = {
  'x-amz-grant-read': false,
  'x-amz-grant-read-acp': false,
  'x-amz-grant-write': true,
  'x-amz-grant-write-acp': true,
  'x-amz-grant-full-control': true,
};
const WRITE_PERMISSIONS = new Set(['WRITE', 'WRITE_ACP', 'FULL_CONTROL']);

const own = (table: object, key: string) => Object.prototype.hasOwnProperty.call(table, key);

function strings(value: unknown): string[] {
  return asArray(value).filter((v): v is string => typeof v === 'string');
}

export interface PublicGrant {
  grantee: string;
  permission: string;
  write: boolean;
}

/** Grants to AllUsers / AuthenticatedUsers in a PutBucketAcl / PutObjectAcl / PutObject request: ACL body, canned ACL header or grant headers. */
export function publicGrantsOf(request: Record<string, unknown>): PublicGrant[] {
  const grants: PublicGrant[] = [];
  for (const entry of asArray(pathGet(request, 'AccessControlPolicy.AccessControlList.Grant'))) {
    const grant = asRecord(entry);
    const uri = asString(pathGet(grant, 'Grantee.URI')) ?? '';
    const group = own(PUBLIC_GROUPS, uri) ? PUBLIC_GROUPS[uri] : undefined;
    const permission = asString(grant.Permission) ?? 'UNKNOWN';
    if (group) grants.push({ grantee: group, permission, write: WRITE_PERMISSIONS.has(permission) });
  }
  for (const canned of strings(request['x-amz-acl'])) {
    if (own(PUBLIC_CANNED_ACLS, canned)) grants.push({ grantee: canned, permission: `canned ACL ${canned}`, write: PUBLIC_CANNED_ACLS[canned]! });
  }
  for (const [header, write] of Object.entries(GRANT_HEADERS)) {
    for (const value of strings(request[header])) {
      for (const [uri, group] of Object.entries(PUBLIC_GROUPS)) {
        if (value.includes(uri)) grants.push({ grantee: group, permission: header.replace('x-amz-grant-', '').toUpperCase(), write });
      }
    }
  }
  return grants;
}
