import type { Control, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asRecord, asString, isTrue } from '../../kernel/values';
import { ACCOUNT_RESOURCE_TYPE, accountOf, recordOf, requestOf } from '../../kernel/records';
import { bucketArn } from '../../kernel/arn';
import { S3_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

const SETTINGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;
const BUCKET_EVENTS = ['PutBucketPublicAccessBlock', 'DeleteBucketPublicAccessBlock'];
/** Account-level Block Public Access is an S3 Control API; CloudTrail logs it with eventSource s3.amazonaws.com. */
const ACCOUNT_EVENTS = ['PutAccountPublicAccessBlock', 'DeleteAccountPublicAccessBlock'];

/**
 * The settings a Put…PublicAccessBlock leaves off (an omitted setting is false); undefined when
 * the record carries no configuration at all, which says nothing either way.
 */
function settingsOff(event: EventBridgeEvent): string[] | undefined {
  const raw = requestOf(event).PublicAccessBlockConfiguration;
  if (raw === null || typeof raw !== 'object') return undefined;
  const config = asRecord(raw);
  return SETTINGS.filter((setting) => !isTrue(config[setting]));
}

interface Scope {
  resourceId: string;
  resourceType: string;
  label: string;
}

function scopeOf(event: EventBridgeEvent): Scope | undefined {
  const eventName = asString(recordOf(event).eventName) ?? '';
  if (ACCOUNT_EVENTS.includes(eventName)) {
    const account = accountOf(event);
    return { resourceId: account, resourceType: ACCOUNT_RESOURCE_TYPE, label: `account ${account}` };
  }
  const bucket = asString(requestOf(event).bucketName);
  return bucket ? { resourceId: bucketArn(event, bucket), resourceType: 'AWS::S3::Bucket', label: `S3 bucket ${bucket}` } : undefined;
}

/**
 * S3 Block Public Access removed or partly turned off, for one bucket or for the whole account:
 * Delete…PublicAccessBlock, or Put…PublicAccessBlock leaving any of the four settings false.
 */
export const s3BlockPublicAccessDisabled: Control = {
  id: 'data.s3-block-public-access-disabled',
  area: 'data',
  title: 'S3 Block Public Access removed or weakened',
  severity: 'HIGH',
  rationale:
    'Block Public Access is the guard that keeps a mistaken bucket policy or ACL from exposing data; with it off, a single later policy change makes a bucket, or at account level every bucket, public.',
  runbook: [
    'Confirm the change was approved (only buckets that must serve public content should lack Block Public Access, and never at account level unless such buckets exist).',
    'Bucket: S3 console → <bucket> → Permissions → Block public access (bucket settings) → Edit → turn on all four; CLI `aws s3api put-public-access-block --bucket <bucket> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`.',
    'Account: S3 console → Block Public Access settings for this account → Edit → turn on all four; CLI `aws s3control put-public-access-block --account-id <account-id> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`.',
    'In AWS Organizations, prevent the change with an SCP denying s3:PutBucketPublicAccessBlock and s3:PutAccountPublicAccessBlock outside a break-glass role.',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '2.1.4' },
    { framework: 'fsbp', requirement: 'S3.1' },
    { framework: 'fsbp', requirement: 'S3.8' },
    { framework: 'pci-dss-4.0', requirement: '1.4.4' },
    { framework: 'nist-800-53-r5', requirement: 'AC-3' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7' },
  ],
  patterns: [apiCallPattern(S3_SOURCE, [...BUCKET_EVENTS, ...ACCOUNT_EVENTS])],
  evaluate(event) {
    const scope = scopeOf(event);
    if (!scope) return [];
    const eventName = asString(recordOf(event).eventName) ?? '';
    const base: Pick<Violation, 'resourceId' | 'resourceType'> = { resourceId: scope.resourceId, resourceType: scope.resourceType };
    if (eventName.startsWith('Delete')) {
      return [
        {
          ...base,
          message: `S3 Block Public Access was removed from ${scope.label}`,
          evidence: { eventName, ...(scope.resourceType === 'AWS::S3::Bucket' ? { bucketName: requestOf(event).bucketName } : {}) },
        },
      ];
    }
    const off = settingsOff(event);
    if (!off || off.length === 0) return [];
    return [
      {
        ...base,
        message: `S3 Block Public Access on ${scope.label} now leaves ${off.join(', ')} off`,
        evidence: {
          PublicAccessBlockConfiguration: requestOf(event).PublicAccessBlockConfiguration ?? null,
          ...(scope.resourceType === 'AWS::S3::Bucket' ? { bucketName: requestOf(event).bucketName } : {}),
        },
      },
    ];
  },
  resolution: {
    description: 'Put…PublicAccessBlock with all four settings true at the same level (bucket or account)',
    patterns: [apiCallPattern(S3_SOURCE, ['PutBucketPublicAccessBlock', 'PutAccountPublicAccessBlock'])],
    resolve(event) {
      const scope = scopeOf(event);
      if (!scope || settingsOff(event)?.length !== 0) return [];
      return [{ resourceId: scope.resourceId, message: `S3 Block Public Access is fully on again for ${scope.label}` }];
    },
  },
};
