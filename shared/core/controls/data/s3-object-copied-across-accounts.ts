import type { Control, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString } from '../../kernel/values';
import { accountOf, listedResourcesOf, requestOf } from '../../kernel/records';
import { bucketArn } from '../../kernel/arn';
import { callerEvidenceOf, principalOf } from '../../kernel/principals';
import { S3_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { copySourceBucket } from './support';

/** Buckets in the record's resources whose owner (the entry's accountId) is another account. */
function foreignBuckets(event: EventBridgeEvent, trusted: readonly string[]): Array<{ name: string; owner: string }> {
  const own = accountOf(event);
  return listedResourcesOf(event).flatMap((resource) => {
    const owner = resource.accountId;
    if (resource.type !== 'AWS::S3::Bucket' || !resource.arn || !owner || !/^\d{12}$/.test(owner)) return [];
    if (owner === own || trusted.includes(owner)) return [];
    return [{ name: resource.arn.replace(/^arn:[^:]+:s3:::/, ''), owner }];
  });
}

/**
 * An object copy (CopyObject, UploadPartCopy) that crosses the account boundary: CloudTrail's
 * resources list names a bucket owned by an account that is neither the one the event belongs to
 * nor in settings.trustedAccounts. Copying into another account's bucket is a one-call
 * exfiltration path that never downloads the data (MEDIUM); copying out of an untrusted account's
 * bucket brings in data or tools from outside (LOW). Needs S3 data events.
 */
export const s3ObjectCopiedAcrossAccounts: Control = {
  id: 'data.s3-object-copied-across-accounts',
  area: 'data',
  title: 'S3 object copied to or from a bucket of an untrusted account',
  severity: 'MEDIUM',
  rationale:
    'A server-side copy moves data between buckets without it ever leaving AWS, so network controls never see it; a copy into a bucket that another account owns puts the data under that account’s control, and data perimeters (only trusted resources for your identities) exist to stop exactly that.',
  runbook: [
    'Identify the caller (userIdentity) and the other account (bucketOwner in the evidence); ask whether a data exchange with that account is agreed. If it is a partner, add its account id to settings.trustedAccounts.',
    'Unagreed copy out: deactivate the caller’s access key or revoke the role’s sessions (`aws iam update-access-key --user-name <user> --access-key-id <key> --status Inactive`), list what else it copied (CopyObject / UploadPartCopy data events with the same bucket), and start the data-breach procedure for the objects copied.',
    'Prevent it: add a data perimeter, e.g. an SCP or VPC endpoint policy that denies s3:PutObject unless aws:ResourceOrgID (or aws:ResourceAccount) is yours.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-4' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7(10)' },
  ],
  attack: ['T1537'],
  patterns: [apiCallPattern(S3_SOURCE, ['CopyObject', 'UploadPartCopy'])],
  evaluate(event, context) {
    const request = requestOf(event);
    const destination = asString(request.bucketName);
    const source = copySourceBucket(request);
    const violations: Violation[] = [];
    for (const bucket of foreignBuckets(event, context.settings.trustedAccounts)) {
      const inbound = bucket.name === source && bucket.name !== destination;
      const side = bucket.name === destination ? 'into' : inbound ? 'out of' : 'involving';
      violations.push({
        resourceId: bucketArn(event, bucket.name),
        resourceType: 'AWS::S3::Bucket',
        qualifier: `copy ${inbound ? 'from' : 'to'} account ${bucket.owner}`,
        severity: inbound ? 'LOW' : 'MEDIUM',
        message: `An object was copied ${side} S3 bucket ${bucket.name} of account ${bucket.owner}, which is not trusted, by ${principalOf(event)}`,
        evidence: {
          bucketName: destination ?? null,
          key: request.key ?? null,
          'x-amz-copy-source': request['x-amz-copy-source'] ?? null,
          foreignBucket: bucket.name,
          bucketOwner: bucket.owner,
          userIdentity: callerEvidenceOf(event),
        },
      });
    }
    return violations;
  },
};
