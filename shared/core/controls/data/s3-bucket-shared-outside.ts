import type { Control, ControlSettings, Resolution } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString } from '../../kernel/values';
import { accountOf, recordOf, requestOf } from '../../kernel/records';
import { bucketArn } from '../../kernel/arn';
import { callerEvidenceOf, principalOf } from '../../kernel/principals';
import { S3_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { actionsOf, statementsOf, untrustedAccounts } from '../../kernel/policy';

/** The accounts outside this one and settings.trustedAccounts a bucket policy grants to, with the actions. */
function outsideGrantsOf(event: EventBridgeEvent, settings: ControlSettings): Array<{ account: string; actions: string[] }> {
  return statementsOf(requestOf(event).bucketPolicy).flatMap((statement) =>
    untrustedAccounts(statement, accountOf(event), settings.trustedAccounts).map((account) => ({ account, actions: actionsOf(statement) })),
  );
}

/**
 * A bucket policy (PutBucketPolicy) granting access to an AWS account that is neither the bucket's
 * own nor in settings.trustedAccounts. Unlike a public policy (data.s3-bucket-public) it names one
 * account, which makes it look deliberate: it is how an attacker backdoors a bucket to read its
 * data from their own account, with no trace in this account's CloudTrail but the data events.
 * DeleteBucketPolicy, or a policy without such a grant, resolves it.
 */
export const s3BucketSharedOutside: Control = {
  id: 'data.s3-bucket-shared-outside',
  area: 'data',
  title: 'S3 bucket policy grants access to an untrusted account',
  severity: 'HIGH',
  rationale:
    'A bucket policy that names another AWS account lets that account read or change the data with its own credentials; granted to an account outside the organization’s trusted list, it is a way to exfiltrate data that no credential rotation in this account stops.',
  runbook: [
    'Identify the account the policy grants (evidence) and whether it belongs to a partner the organization approved; if it does, add it to settings.trustedAccounts.',
    'If not, remove the grant: S3 console → <bucket> → Permissions → Bucket policy → Edit; CLI `aws s3api put-bucket-policy --bucket <bucket> --policy file://policy.json` with the statement removed, or `aws s3api delete-bucket-policy --bucket <bucket>`.',
    'Review S3 data events or server access logs for requests from the granted account since the change, and the caller’s other activity (userIdentity).',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'S3.6' },
    { framework: 'nist-800-53-r5', requirement: 'AC-3' },
    { framework: 'nist-800-53-r5', requirement: 'AC-21' },
  ],
  attack: ['T1537'],
  patterns: [apiCallPattern(S3_SOURCE, ['PutBucketPolicy'])],
  evaluate(event, { settings }) {
    const bucket = asString(requestOf(event).bucketName);
    if (!bucket) return [];
    const grants = outsideGrantsOf(event, settings);
    if (grants.length === 0) return [];
    const accounts = [...new Set(grants.map((grant) => grant.account))];
    return [
      {
        resourceId: bucketArn(event, bucket),
        resourceType: 'AWS::S3::Bucket',
        message: `S3 bucket ${bucket} has a bucket policy granting access to account${accounts.length > 1 ? 's' : ''} ${accounts.join(', ')}, outside this account and the trusted accounts (${principalOf(event)})`,
        evidence: {
          bucketName: bucket,
          grants,
          userIdentity: callerEvidenceOf(event),
          sourceIPAddress: recordOf(event).sourceIPAddress ?? null,
        },
      },
    ];
  },
  resolution: {
    description: 'DeleteBucketPolicy, or a PutBucketPolicy that grants no untrusted account',
    patterns: [apiCallPattern(S3_SOURCE, ['DeleteBucketPolicy', 'PutBucketPolicy'])],
    resolve(event, { settings }): Resolution[] {
      const bucket = asString(requestOf(event).bucketName);
      if (!bucket) return [];
      if (recordOf(event).eventName === 'PutBucketPolicy' && outsideGrantsOf(event, settings).length > 0) return [];
      return [{ resourceId: bucketArn(event, bucket), message: `The policy of S3 bucket ${bucket} no longer grants an untrusted account` }];
    },
  },
};
