import type { Control } from '../../model/control';
import { asString } from '../../kernel/values';
import { recordOf, requestOf } from '../../kernel/records';
import { bucketArn } from '../../kernel/arn';
import { callerEvidenceOf, principalOf } from '../../kernel/principals';
import { S3_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { madeByAwsService } from './support';

/**
 * Activity record: DeleteBucket succeeded. S3 deletes only empty buckets, so the data itself went
 * earlier (object deletions or a lifecycle rule); what this records is that the bucket, its
 * policy, logging and replication settings, and its name are gone, and the name may now be
 * claimed by any other account. INFORMATIONAL: recorded for auditors, not notified by default.
 */
export const s3BucketDeleted: Control = {
  id: 'data.s3-bucket-deleted',
  area: 'data',
  title: 'S3 bucket deleted (activity record)',
  severity: 'INFORMATIONAL',
  rationale:
    'Deleting a bucket is usually housekeeping, but auditors need the record of who removed which data store and when; and once deleted, the bucket name is free for anyone to register, so applications, DNS records or policies that still name it can end up writing to or trusting another account’s bucket.',
  runbook: [
    'Confirm with the caller (userIdentity) that the bucket was retired on purpose, e.g. through a change ticket or a CloudFormation stack deletion (userAgent, invokedBy).',
    'Search code, DNS (CNAMEs to <bucket>.s3.amazonaws.com), CloudFront origins and bucket policies for references to the name; remove them or re-create the bucket to hold the name (`aws s3api create-bucket --bucket <bucket> --region <region> --create-bucket-configuration LocationConstraint=<region>`).',
    'Unexpected: look for the object deletions that emptied it (DeleteObject / DeleteObjects data events, PutBucketLifecycleConfiguration) by the same principal, and recover from replicas or AWS Backup if any.',
  ],
  frameworks: [
    { framework: 'pci-dss-4.0', requirement: '10.2.1.7' },
    { framework: 'nist-800-53-r5', requirement: 'CM-3' },
  ],
  attack: ['T1485'],
  patterns: [apiCallPattern(S3_SOURCE, ['DeleteBucket'])],
  evaluate(event) {
    if (madeByAwsService(event)) return [];
    const bucket = asString(requestOf(event).bucketName);
    if (!bucket) return [];
    return [
      {
        resourceId: bucketArn(event, bucket),
        resourceType: 'AWS::S3::Bucket',
        message: `S3 bucket ${bucket} was deleted by ${principalOf(event)}`,
        evidence: {
          bucketName: bucket,
          userIdentity: callerEvidenceOf(event),
          sourceIPAddress: recordOf(event).sourceIPAddress ?? null,
          userAgent: recordOf(event).userAgent ?? null,
        },
      },
    ];
  },
};
