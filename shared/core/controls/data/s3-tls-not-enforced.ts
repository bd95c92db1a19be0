import type { Control } from '../../model/control';
import { asString } from '../../kernel/values';
import { recordOf, requestOf } from '../../kernel/records';
import { bucketArn } from '../../kernel/arn';
import { S3_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { deniesInsecureTransport } from '../../kernel/policy';

/**
 * A bucket policy that does not deny plain-HTTP requests — PutBucketPolicy without a Deny for
 * every principal on `aws:SecureTransport` "false" — or the deletion of the bucket policy, after
 * which nothing enforces TLS (CIS 2.1.1, FSBP S3.5).
 */
export const s3TlsNotEnforced: Control = {
  id: 'data.s3-tls-not-enforced',
  area: 'data',
  title: 'S3 bucket policy does not require TLS',
  severity: 'MEDIUM',
  rationale:
    'Without a policy denying requests where aws:SecureTransport is false, clients can read and write the bucket over plain HTTP, exposing data and request signatures to anyone on the network path.',
  runbook: [
    'Add a statement to the bucket policy: {"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::<bucket>","arn:aws:s3:::<bucket>/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}.',
    'Console: S3 → <bucket> → Permissions → Bucket policy → Edit; CLI: `aws s3api put-bucket-policy --bucket <bucket> --policy file://policy.json` with the existing statements plus the one above.',
    'Optionally also deny old TLS versions with a NumericLessThan condition on s3:TlsVersion 1.2.',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '2.1.1' },
    { framework: 'fsbp', requirement: 'S3.5' },
    { framework: 'pci-dss-4.0', requirement: '4.2.1' },
    { framework: 'nist-800-53-r5', requirement: 'SC-8' },
    { framework: 'nist-800-53-r5', requirement: 'SC-8(1)' },
    { framework: 'hipaa', requirement: '164.312(e)(1)' },
  ],
  patterns: [apiCallPattern(S3_SOURCE, ['PutBucketPolicy', 'DeleteBucketPolicy'])],
  evaluate(event) {
    const request = requestOf(event);
    const bucket = asString(request.bucketName);
    if (!bucket) return [];
    const deleted = recordOf(event).eventName === 'DeleteBucketPolicy';
    if (!deleted && deniesInsecureTransport(request.bucketPolicy)) return [];
    return [
      {
        resourceId: bucketArn(event, bucket),
        resourceType: 'AWS::S3::Bucket',
        message: deleted
          ? `The bucket policy of S3 bucket ${bucket} was deleted, so requests over plain HTTP are no longer denied`
          : `The bucket policy of S3 bucket ${bucket} does not deny requests over plain HTTP (aws:SecureTransport false)`,
        evidence: deleted
          ? { bucketName: bucket, eventName: 'DeleteBucketPolicy' }
          : { bucketName: bucket, bucketPolicy: request.bucketPolicy ?? null },
      },
    ];
  },
  resolution: {
    description: 'PutBucketPolicy with a Deny on aws:SecureTransport "false" for every principal, or DeleteBucket',
    patterns: [apiCallPattern(S3_SOURCE, ['PutBucketPolicy', 'DeleteBucket'])],
    resolve(event) {
      const request = requestOf(event);
      const bucket = asString(request.bucketName);
      if (!bucket) return [];
      const resourceId = bucketArn(event, bucket);
      if (recordOf(event).eventName === 'DeleteBucket') return [{ resourceId, message: `S3 bucket ${bucket} was deleted` }];
      return deniesInsecureTransport(request.bucketPolicy) ? [{ resourceId, message: `S3 bucket ${bucket} requires TLS again` }] : [];
    },
  },
};
