import type { Control, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asString, pathGet } from '../../kernel/values';
import { accountOf, listedResourceArn, listedResourcesOf, recordOf, requestOf, responseOf } from '../../kernel/records';
import { accountOfArn, bucketArn } from '../../kernel/arn';
import { S3_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { copySourceBucket } from './support';

/** Calls that write object data and may name the key it is encrypted with (multipart uploads name it when they start). */
const OBJECT_WRITES = ['PutObject', 'CopyObject', 'CreateMultipartUpload'];
const KMS_KEY_HEADER = 'x-amz-server-side-encryption-aws-kms-key-id';
const SSE_C_HEADER = 'x-amz-server-side-encryption-customer-algorithm';
const DEFAULT_ENCRYPTION = 'default encryption key';

/**
 * The bucket's owner: CloudTrail's resources entry for the bucket carries the owner's account id;
 * without it, the account the event was delivered to. A requester's copy of a cross-account write
 * is delivered to the requester, so the resources entry is what keeps another account's own key on
 * its own bucket from being reported.
 */
function bucketOwner(event: EventBridgeEvent, bucket: string): string {
  const listed = listedResourcesOf(event).find(
    (entry) => entry.type === 'AWS::S3::Bucket' && entry.arn?.endsWith(`:::${bucket}`) && entry.accountId,
  );
  return listed?.accountId ?? accountOf(event);
}

/** A KMS key of an account that neither owns the bucket nor is trusted, with both accounts. */
interface ForeignKey {
  key: string;
  owner: string;
  keyAccount: string;
}

/**
 * The key a write names, when it is foreign: its ARN (key or alias) names an account that neither
 * owns the bucket nor is trusted. Bare key ids and aliases name keys of the bucket owner.
 */
function foreignKeyOf(
  event: EventBridgeEvent,
  bucket: string,
  key: string | undefined,
  trusted: readonly string[],
): ForeignKey | undefined {
  const keyAccount = accountOfArn(key, 'kms');
  if (!key || !keyAccount) return undefined;
  const owner = bucketOwner(event, bucket);
  return keyAccount !== owner && !trusted.includes(keyAccount) ? { key, owner, keyAccount } : undefined;
}

/** The KMS key an object write names: request header, else the response's header, else CloudTrail's resources list. */
function objectKmsKey(event: EventBridgeEvent): string | undefined {
  return (
    asString(requestOf(event)[KMS_KEY_HEADER]) ?? asString(responseOf(event)[KMS_KEY_HEADER]) ?? listedResourceArn(event, 'AWS::KMS::Key')
  );
}

function usesSseC(event: EventBridgeEvent): boolean {
  const record = recordOf(event);
  return (
    pathGet(record, 'additionalEventData.SSEApplied') === 'SSE_C' ||
    asString(requestOf(event)[SSE_C_HEADER]) !== undefined ||
    asString(responseOf(event)[SSE_C_HEADER]) !== undefined
  );
}

/** The KMS key a PutBucketEncryption request sets as the bucket default; the configuration's Rule may be one object or a list. */
function defaultEncryptionKey(request: Record<string, unknown>): string | undefined {
  for (const rule of asArray(pathGet(request, 'ServerSideEncryptionConfiguration.Rule'))) {
    const key = asString(pathGet(rule, 'ApplyServerSideEncryptionByDefault.KMSMasterKeyID'));
    if (key) return key;
  }
  return undefined;
}

function evaluateObjectWrite(event: EventBridgeEvent, trustedAccounts: readonly string[]): Violation[] {
  const request = requestOf(event);
  const bucket = asString(request.bucketName);
  if (!bucket) return [];
  const eventName = asString(recordOf(event).eventName) ?? '';
  const objectKey = asString(request.key) ?? null;
  const sourceBucket = copySourceBucket(request);
  // Rewriting objects inside their own bucket is how S3 ransomware re-encrypts data it then holds the key to.
  const rewrite = eventName === 'CopyObject' && sourceBucket === bucket;
  const base = {
    bucketName: bucket,
    key: objectKey,
    eventName,
    ...(sourceBucket ? { 'x-amz-copy-source': request['x-amz-copy-source'] } : {}),
  };
  if (usesSseC(event)) {
    return [
      {
        resourceId: bucketArn(event, bucket),
        resourceType: 'AWS::S3::Bucket',
        qualifier: 'objects encrypted with SSE-C',
        severity: rewrite ? 'HIGH' : 'MEDIUM',
        message: rewrite
          ? `Objects in S3 bucket ${bucket} were rewritten in place with a customer-provided key (SSE-C); without that key they cannot be read`
          : `An object was written to S3 bucket ${bucket} with a customer-provided key (SSE-C) that AWS does not keep`,
        evidence: {
          ...base,
          SSEApplied: pathGet(recordOf(event), 'additionalEventData.SSEApplied') ?? null,
          [SSE_C_HEADER]: request[SSE_C_HEADER] ?? responseOf(event)[SSE_C_HEADER] ?? null,
        },
      },
    ];
  }
  const foreign = foreignKeyOf(event, bucket, objectKmsKey(event), trustedAccounts);
  if (!foreign) return [];
  const { key, owner, keyAccount } = foreign;
  return [
    {
      resourceId: bucketArn(event, bucket),
      resourceType: 'AWS::S3::Bucket',
      qualifier: `objects encrypted with KMS key ${key}`,
      severity: 'HIGH',
      message: `${rewrite ? 'Objects in' : 'An object was written to'} S3 bucket ${bucket} ${rewrite ? 'were rewritten ' : ''}encrypted with KMS key ${key} of account ${keyAccount}, which neither owns the bucket nor is trusted`,
      evidence: {
        ...base,
        'x-amz-server-side-encryption': request['x-amz-server-side-encryption'] ?? null,
        [KMS_KEY_HEADER]: key,
        bucketOwner: owner,
        kmsKeyAccount: keyAccount,
      },
    },
  ];
}

function evaluateDefaultEncryption(event: EventBridgeEvent, trustedAccounts: readonly string[]): Violation[] {
  const request = requestOf(event);
  const bucket = asString(request.bucketName);
  const foreign = bucket ? foreignKeyOf(event, bucket, defaultEncryptionKey(request), trustedAccounts) : undefined;
  if (!bucket || !foreign) return [];
  return [
    {
      resourceId: bucketArn(event, bucket),
      resourceType: 'AWS::S3::Bucket',
      qualifier: DEFAULT_ENCRYPTION,
      severity: 'HIGH',
      message: `S3 bucket ${bucket} now encrypts new objects by default with KMS key ${foreign.key} of account ${foreign.keyAccount}, which neither owns the bucket nor is trusted`,
      evidence: {
        bucketName: bucket,
        ServerSideEncryptionConfiguration: request.ServerSideEncryptionConfiguration ?? null,
        bucketOwner: foreign.owner,
        kmsKeyAccount: foreign.keyAccount,
      },
    },
  ];
}

/**
 * S3 data encrypted with a key the bucket owner does not control: objects written (PutObject,
 * CopyObject, CreateMultipartUpload) with SSE-C, a customer-provided key AWS does not store
 * (additionalEventData.SSEApplied "SSE_C" or the customer-algorithm header), or with a KMS key of
 * an account that neither owns the bucket nor is in settings.trustedAccounts; and a bucket's
 * default encryption set to such a KMS key (PutBucketEncryption). Copies within one bucket — the
 * ransomware pattern of rewriting data under the attacker's key — are HIGH; other SSE-C writes are
 * MEDIUM, as some applications use SSE-C on purpose. Needs S3 data events for object writes.
 */
export const s3EncryptedWithForeignKey: Control = {
  id: 'data.s3-encrypted-with-foreign-key',
  area: 'data',
  title: 'S3 data encrypted with a key the account does not control',
  severity: 'HIGH',
  rationale:
    'Whoever holds the key holds the data: objects rewritten with a customer-provided key (SSE-C) or another account’s KMS key cannot be read by the owner once that key is withheld or revoked, which is how S3 ransomware (e.g. the 2025 Codefinger campaign) locks data without downloading it.',
  runbook: [
    'Treat an unexpected event as an incident: identify the principal and access key (userIdentity), deactivate it (`aws iam update-access-key --user-name <user> --access-key-id <key> --status Inactive`, or revoke role sessions), and look for other CopyObject / PutObject calls and lifecycle rules (PutBucketLifecycleConfiguration) from it.',
    'Recover from earlier object versions if versioning is on: S3 console → <bucket> → Objects → Show versions → restore the version before the rewrite; CLI `aws s3api list-object-versions --bucket <bucket> --prefix <key>` then `aws s3api copy-object --bucket <bucket> --key <key> --copy-source <bucket>/<key>?versionId=<previous-version>`.',
    'Block SSE-C where it is not used: add a bucket-policy statement {"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::<bucket>/*","Condition":{"Null":{"s3:x-amz-server-side-encryption-customer-algorithm":"false"}}} (console: S3 → <bucket> → Permissions → Bucket policy → Edit).',
    'Pin KMS keys: deny s3:PutObject unless s3:x-amz-server-side-encryption-aws-kms-key-id is one of your key ARNs, and set default encryption back to your key (`aws s3api put-bucket-encryption --bucket <bucket> --server-side-encryption-configuration \'{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"<your-key-arn>"},"BucketKeyEnabled":true}]}\'`).',
    'If the key account is a partner you trust, add it to settings.trustedAccounts.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'SC-12' },
    { framework: 'nist-800-53-r5', requirement: 'SC-28' },
    { framework: 'nist-800-53-r5', requirement: 'CP-9' },
    { framework: 'gdpr', requirement: 'Art. 32(1)(c)' },
  ],
  attack: ['T1486'],
  patterns: [apiCallPattern(S3_SOURCE, OBJECT_WRITES), apiCallPattern(S3_SOURCE, ['PutBucketEncryption'])],
  evaluate(event, context) {
    return recordOf(event).eventName === 'PutBucketEncryption'
      ? evaluateDefaultEncryption(event, context.settings.trustedAccounts)
      : evaluateObjectWrite(event, context.settings.trustedAccounts);
  },
  resolution: {
    description:
      'PutBucketEncryption with a key of the bucket owner or a trusted account, or DeleteBucketEncryption (back to SSE-S3), for the default encryption key; objects already written are fixed only by rewriting them',
    patterns: [apiCallPattern(S3_SOURCE, ['PutBucketEncryption', 'DeleteBucketEncryption'])],
    resolve(event, context) {
      const request = requestOf(event);
      const bucket = asString(request.bucketName);
      if (!bucket) return [];
      if (
        recordOf(event).eventName === 'PutBucketEncryption' &&
        foreignKeyOf(event, bucket, defaultEncryptionKey(request), context.settings.trustedAccounts)
      ) {
        return [];
      }
      return [
        {
          resourceId: bucketArn(event, bucket),
          qualifier: DEFAULT_ENCRYPTION,
          message: `S3 bucket ${bucket} no longer encrypts by default with another account’s key`,
        },
      ];
    },
  },
};
