/**
 * Helpers shared by the data area's controls: resource ids built the same way from the violating
 * and the resolving event (ARNs of KMS keys, secrets, databases, snapshots and tables), who made a
 * call, and S3 request shapes (copy sources, ACL grants).
 */
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asRecord, asString, pathGet, stringsOf } from '../../kernel/values';
import { listedResourceArn, recordOf, requestOf, responseOf } from '../../kernel/records';
import { arnIn } from '../../kernel/arn';

/**
 * A KMS key's ARN from a key reference (key id, key ARN) as requests give it; CloudTrail's
 * resources list or a response's keyId ARN wins when present. Aliases cannot be resolved without
 * a lookup and are returned as given.
 */
export function kmsKeyArn(event: EventBridgeEvent, keyReference: string | undefined, responseKeyId?: unknown): string | undefined {
  const listed = listedResourceArn(event, 'AWS::KMS::Key');
  if (listed) return listed;
  const fromResponse = asString(responseKeyId);
  if (fromResponse?.startsWith('arn:')) return fromResponse;
  if (!keyReference) return undefined;
  if (keyReference.startsWith('arn:') || keyReference.startsWith('alias/')) return keyReference;
  return arnIn(event, 'kms', `key/${keyReference}`);
}

/** The KMS key a KMS API call acts on (requestParameters.keyId), as an ARN. */
export function kmsKeyOfCall(event: EventBridgeEvent): string | undefined {
  return kmsKeyArn(event, asString(requestOf(event).keyId), responseOf(event).keyId);
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

/** RDS stores identifiers in lower case; ARNs built from the violating and the resolving event must agree. */
export function dbInstanceArn(event: EventBridgeEvent, id: string): string {
  return arnIn(event, 'rds', `db:${id.toLowerCase()}`);
}

export function dbClusterArn(event: EventBridgeEvent, id: string): string {
  return arnIn(event, 'rds', `cluster:${id.toLowerCase()}`);
}

/** An RDS DB snapshot or cluster snapshot by identifier or ARN, as the snapshot's ARN (identifiers in lower case, as RDS stores them). */
export function dbSnapshotArn(event: EventBridgeEvent, id: string, cluster: boolean): string {
  return id.startsWith('arn:') ? id : arnIn(event, 'rds', `${cluster ? 'cluster-snapshot' : 'snapshot'}:${id.toLowerCase()}`);
}

/** The calls that change a DB instance's or cluster's settings. */
export const DATABASE_MODIFICATIONS = ['ModifyDBInstance', 'ModifyDBCluster'];

/** The database a ModifyDBInstance / ModifyDBCluster call changes. */
export interface ModifiedDatabase {
  kind: 'instance' | 'cluster';
  id: string;
  arn: string;
  resourceType: string;
}

export function modifiedDatabaseOf(event: EventBridgeEvent): ModifiedDatabase | undefined {
  const request = requestOf(event);
  if (recordOf(event).eventName === 'ModifyDBCluster') {
    const id = asString(request.dBClusterIdentifier);
    return id ? { kind: 'cluster', id, arn: dbClusterArn(event, id), resourceType: 'AWS::RDS::DBCluster' } : undefined;
  }
  const id = asString(request.dBInstanceIdentifier);
  return id ? { kind: 'instance', id, arn: dbInstanceArn(event, id), resourceType: 'AWS::RDS::DBInstance' } : undefined;
}

/** A DynamoDB table as requests name it (tableName is a name or an ARN): the table's ARN and its name. */
export function tableOf(event: EventBridgeEvent): { arn: string; name: string } | undefined {
  const table = asString(requestOf(event).tableName);
  if (!table) return undefined;
  if (table.startsWith('arn:')) return { arn: table, name: table.split('/').pop() ?? table };
  return { arn: arnIn(event, 'dynamodb', `table/${table}`), name: table };
}

/** A Secrets Manager secret's ARN: the response's `arn` (older records: `aRN`), else the requested secretId. */
export function secretArn(event: EventBridgeEvent): string | undefined {
  const response = responseOf(event);
  return asString(response.arn) ?? asString(response.aRN) ?? asString(requestOf(event).secretId);
}

/**
 * The source bucket of a CopyObject / UploadPartCopy: `x-amz-copy-source` is `<bucket>/<key>`, possibly
 * with a leading slash, URL-encoded, with ?versionId.
 */
export function copySourceBucket(request: Record<string, unknown>): string | undefined {
  const source = asString(request['x-amz-copy-source'])?.replace(/^\//, '');
  if (!source) return undefined;
  let decoded = source;
  try {
    decoded = decodeURIComponent(source);
  } catch {
    // a malformed escape: bucket names need none, so the raw text serves
  }
  return decoded.split('/')[0] || undefined;
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

const own = (table: object, key: string) => Object.hasOwn(table, key);

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
  for (const canned of stringsOf(request['x-amz-acl'])) {
    if (own(PUBLIC_CANNED_ACLS, canned))
      grants.push({ grantee: canned, permission: `canned ACL ${canned}`, write: PUBLIC_CANNED_ACLS[canned]! });
  }
  for (const [header, write] of Object.entries(GRANT_HEADERS)) {
    for (const value of stringsOf(request[header])) {
      for (const [uri, group] of Object.entries(PUBLIC_GROUPS)) {
        if (value.includes(uri)) grants.push({ grantee: group, permission: header.replace('x-amz-grant-', '').toUpperCase(), write });
      }
    }
  }
  return grants;
}
