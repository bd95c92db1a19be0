import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asRecord, asString, isTrue } from '../../kernel/values';
import { recordOf, requestOf } from '../../kernel/records';
import { bucketArn } from '../../kernel/arn';
import { S3_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { type PolicyStatement, actionsOf, publicStatements } from '../../kernel/policy';
import { publicGrantsOf, type PublicGrant } from './support';

const POLICY = 'bucket policy';
const ACL = 'bucket ACL';

/** An action that changes or deletes data or permissions (or every action). */
function isWriteAction(action: string): boolean {
  return action === '*' || /^s3:(\*|Put|Delete|Replicate|Restore|Abort|Create|Update|Bypass)/i.test(action);
}

function policyViolation(event: EventBridgeEvent, bucket: string, statements: PolicyStatement[]): Violation {
  const write = statements.some((s) => actionsOf(s).some(isWriteAction));
  return {
    resourceId: bucketArn(event, bucket),
    resourceType: 'AWS::S3::Bucket',
    qualifier: POLICY,
    severity: write ? 'CRITICAL' : 'HIGH',
    message: `S3 bucket ${bucket} has a bucket policy granting ${write ? 'write' : 'read'} access to anyone (Principal "*" without a restricting condition)`,
    evidence: { bucketName: bucket, statements },
  };
}

function aclViolation(event: EventBridgeEvent, bucket: string, grants: PublicGrant[]): Violation {
  const write = grants.some((g) => g.write);
  const described = [...new Set(grants.map((g) => `${g.grantee} ${g.permission}`))].join(', ');
  return {
    resourceId: bucketArn(event, bucket),
    resourceType: 'AWS::S3::Bucket',
    qualifier: ACL,
    severity: write ? 'CRITICAL' : 'HIGH',
    message: `S3 bucket ${bucket} has an ACL granting public access: ${described}`,
    evidence: { bucketName: bucket, publicGrants: grants },
  };
}

/**
 * Buckets made public by their policy (an Allow to Principal "*" with no condition pinning the
 * caller's account, organization, VPC or IP range) or by their ACL (grants to the AllUsers or
 * AuthenticatedUsers groups, by ACL body, canned ACL or grant header). Public write is CRITICAL.
 * Block Public Access, when on, makes such calls fail; a successful call means the grant stands.
 */
export const s3BucketPublic: Control = {
  id: 'data.s3-bucket-public',
  area: 'data',
  title: 'S3 bucket made public by its policy or ACL',
  severity: 'HIGH',
  rationale:
    'A public bucket policy or ACL lets anyone on the internet read (or write) the bucket’s objects; public buckets are the most common cause of large cloud data leaks.',
  runbook: [
    'Confirm whether the bucket is meant to serve public content; if not, block public access at once: S3 console → <bucket> → Permissions → Block public access → Edit → turn on all four settings.',
    'CLI: `aws s3api put-public-access-block --bucket <bucket> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`.',
    'Then remove the grant itself: `aws s3api delete-bucket-policy --bucket <bucket>` (or put a policy naming specific principals) and `aws s3api put-bucket-acl --bucket <bucket> --acl private`; prefer Object Ownership "Bucket owner enforced" to disable ACLs.',
    'For public websites, serve through CloudFront with origin access control instead of a public bucket.',
    'Review S3 server access logs or CloudTrail data events for reads by unknown principals while the bucket was public.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'S3.2' },
    { framework: 'fsbp', requirement: 'S3.3' },
    { framework: 'cis-aws', requirement: '4.8' },
    { framework: 'nist-800-53-r5', requirement: 'AC-3' },
    { framework: 'nist-800-53-r5', requirement: 'AC-21' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7' },
    { framework: 'hipaa', requirement: '164.312(a)(1)' },
    { framework: 'gdpr', requirement: 'Art. 32(1)(b)' },
  ],
  patterns: [apiCallPattern(S3_SOURCE, ['PutBucketPolicy', 'PutBucketAcl'])],
  evaluate(event) {
    const request = requestOf(event);
    const bucket = asString(request.bucketName);
    if (!bucket) return [];
    if (recordOf(event).eventName === 'PutBucketPolicy') {
      const statements = publicStatements(request.bucketPolicy);
      return statements.length > 0 ? [policyViolation(event, bucket, statements)] : [];
    }
    const grants = publicGrantsOf(request);
    return grants.length > 0 ? [aclViolation(event, bucket, grants)] : [];
  },
  resolution: {
    description:
      'DeleteBucketPolicy or a non-public PutBucketPolicy (policy); a non-public PutBucketAcl (ACL); PutBucketPublicAccessBlock with RestrictPublicBuckets (policy) or IgnorePublicAcls (ACL); DeleteBucket',
    patterns: [
      apiCallPattern(S3_SOURCE, ['DeleteBucketPolicy', 'PutBucketPolicy', 'PutBucketAcl', 'PutBucketPublicAccessBlock', 'DeleteBucket']),
    ],
    resolve(event) {
      const request = requestOf(event);
      const bucket = asString(request.bucketName);
      if (!bucket) return [];
      const resourceId = bucketArn(event, bucket);
      const policyFixed = (message: string): Resolution => ({ resourceId, qualifier: POLICY, message });
      const aclFixed = (message: string): Resolution => ({ resourceId, qualifier: ACL, message });
      switch (recordOf(event).eventName) {
        case 'DeleteBucket':
          return [{ resourceId, message: `S3 bucket ${bucket} was deleted` }];
        case 'DeleteBucketPolicy':
          return [policyFixed(`The bucket policy of S3 bucket ${bucket} was deleted`)];
        case 'PutBucketPolicy':
          return publicStatements(request.bucketPolicy).length === 0
            ? [policyFixed(`S3 bucket ${bucket} has a non-public bucket policy`)]
            : [];
        case 'PutBucketAcl':
          return publicGrantsOf(request).length === 0 ? [aclFixed(`S3 bucket ${bucket} has a non-public ACL`)] : [];
        case 'PutBucketPublicAccessBlock': {
          const config = asRecord(request.PublicAccessBlockConfiguration);
          const resolutions: Resolution[] = [];
          if (isTrue(config.RestrictPublicBuckets))
            resolutions.push(policyFixed(`Block Public Access now restricts S3 bucket ${bucket}'s public policy`));
          if (isTrue(config.IgnorePublicAcls))
            resolutions.push(aclFixed(`Block Public Access now ignores S3 bucket ${bucket}'s public ACL`));
          return resolutions;
        }
        default:
          return [];
      }
    },
  },
};
