import type { Control } from '../../model/control';
import { asString } from '../../kernel/values';
import { recordOf, requestOf } from '../../kernel/records';
import { bucketArn } from '../../kernel/arn';
import { S3_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { publicGrantsOf } from './support';

const objectQualifier = (key: string) => `object ${key}`;

/**
 * An object made public by its ACL: PutObjectAcl, or PutObject / CopyObject with a canned or
 * explicit ACL, granting to AllUsers or AuthenticatedUsers. These are S3 data events — CloudTrail
 * records them only when the trail logs S3 data events. The finding is on the bucket, qualified by
 * the object key (CloudFormation has no type for an object). Block Public Access with
 * IgnorePublicAcls would neutralise the grant; the event cannot tell, so the finding stands until
 * the ACL is replaced.
 */
export const s3ObjectPublic: Control = {
  id: 'data.s3-object-public',
  area: 'data',
  title: 'S3 object made public by its ACL',
  severity: 'HIGH',
  rationale:
    'An object ACL granting AllUsers or AuthenticatedUsers lets anyone on the internet (or any AWS account) read the object, whatever the bucket policy says; one public object is enough to leak a database export or a credentials file.',
  runbook: [
    'Check whether the object is meant to be public (a website asset) or holds data that must not be (exports, backups, configuration); if the latter, treat it as exposed and look for GetObject calls from outside the organization in the S3 data events or server access logs.',
    'Make the object private: S3 console → <bucket> → <object> → Permissions → Access control list → Edit → clear Everyone / Authenticated users; CLI `aws s3api put-object-acl --bucket <bucket> --key <key> --acl private`.',
    'Prevent it bucket-wide: `aws s3api put-public-access-block --bucket <bucket> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`, or disable ACLs altogether with `aws s3api put-bucket-ownership-controls --bucket <bucket> --ownership-controls Rules=[{ObjectOwnership=BucketOwnerEnforced}]`.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-3' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7' },
    { framework: 'hipaa', requirement: '164.312(a)(1)' },
    { framework: 'gdpr', requirement: 'Art. 32(1)(b)' },
  ],
  patterns: [apiCallPattern(S3_SOURCE, ['PutObjectAcl', 'PutObject', 'CopyObject'])],
  evaluate(event) {
    const request = requestOf(event);
    const bucket = asString(request.bucketName);
    const key = asString(request.key);
    if (!bucket || !key) return [];
    const grants = publicGrantsOf(request);
    if (grants.length === 0) return [];
    const write = grants.some((g) => g.write);
    const described = [...new Set(grants.map((g) => `${g.grantee} ${g.permission}`))].join(', ');
    return [
      {
        resourceId: bucketArn(event, bucket),
        resourceType: 'AWS::S3::Bucket',
        qualifier: objectQualifier(key),
        severity: write ? 'CRITICAL' : 'HIGH',
        message: `Object ${key} in S3 bucket ${bucket} was given an ACL granting public access: ${described}`,
        evidence: { eventName: recordOf(event).eventName, bucketName: bucket, key, publicGrants: grants },
      },
    ];
  },
  resolution: {
    description: 'PutObjectAcl on the same object with an ACL that grants nothing to AllUsers or AuthenticatedUsers',
    patterns: [apiCallPattern(S3_SOURCE, ['PutObjectAcl'])],
    resolve(event) {
      const request = requestOf(event);
      const bucket = asString(request.bucketName);
      const key = asString(request.key);
      if (!bucket || !key || publicGrantsOf(request).length > 0) return [];
      return [
        {
          resourceId: bucketArn(event, bucket),
          qualifier: objectQualifier(key),
          message: `Object ${key} in S3 bucket ${bucket} no longer has a public ACL`,
        },
      ];
    },
  },
};
