import type { Control, DetectionSignal } from '../../model/control';
import { CLOUDTRAIL_DETAIL_TYPES } from '../../model/event';
import { asString } from '../../kernel/values';
import { ACCOUNT_RESOURCE_TYPE, accountOf, apiNameOf, recordOf, regionOf } from '../../kernel/records';
import { callerEvidenceOf, principalOf } from '../../kernel/principals';
import { WATCHED_SERVICE_SOURCES } from '../../kernel/sources';
import { isMadeByAwsService } from './support';

const WINDOW = 'regionsOfAccount';

/**
 * Global services, left out: their events are delivered in us-east-1 whichever region the caller works in
 * (IAM, STS's global endpoint, sign-in, Identity Center, Organizations, CloudFront, Route 53).
 */
const GLOBAL_SOURCES: ReadonlySet<string> = new Set([
  'aws.iam',
  'aws.sts',
  'aws.signin',
  'aws.sso',
  'aws.identitystore',
  'aws.organizations',
  'aws.account',
  'aws.cloudfront',
  'aws.route53',
]);

/** The watched services whose writes place work in a region. */
const REGIONAL_SOURCES = WATCHED_SERVICE_SOURCES.filter((source) => !GLOBAL_SOURCES.has(source));

/**
 * A region the account never used: every successful write call of a regional service, by a principal's own
 * client, adds its region to the account's first-seen set (written at most once a day per region). Once the
 * account has been observed for `regionsOfAccount` (its learning period, 14 days by default), a write in a
 * region not in the set is MEDIUM: one finding per account and region. Attackers mine and hide in regions
 * nobody watches; an organization's own new region is a planned, reviewable change.
 */
export const principalInNewRegion: Control = {
  id: 'iam.principal-in-new-region',
  area: 'iam',
  title: 'Activity in a region the account has not used before',
  severity: 'MEDIUM',
  rationale:
    'Stolen credentials are often used in regions their account never uses — to mine cryptocurrency or stage resources where no one looks. The first write in a new region, after weeks of observing the account, deserves a look.',
  runbook: [
    'Check whether the region was planned (a new deployment, a disaster-recovery test) with the account’s owners; the evidence names the principal, the call and its source address.',
    'If it was not: list what was created there (EC2 console in that region, or `aws resourcegroupstaggingapi get-resources --region <region>`), stop and remove it, and revoke the principal’s credentials (IAM console → Roles → <role> → Revoke active sessions, or deactivate the user’s access key).',
    'Deny regions the organization does not use with a service control policy on aws:RequestedRegion (`aws organizations create-policy --type SERVICE_CONTROL_POLICY`).',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'SI-4' },
    { framework: 'nist-800-53-r5', requirement: 'AC-2' },
  ],
  attack: ['T1535'],
  patterns: [
    {
      source: REGIONAL_SOURCES,
      'detail-type': [CLOUDTRAIL_DETAIL_TYPES.AwsApiCall],
      detail: { readOnly: [false], errorCode: [{ exists: false }], userIdentity: { invokedBy: [{ exists: false }] } },
    },
  ],
  detection: {
    windows: { [WINDOW]: { minutes: 14 * 1440, threshold: 1, counts: 'regions the account has used' } },
    detect(event): DetectionSignal[] {
      const record = recordOf(event);
      if (record.readOnly !== false || asString(record.errorCode) || isMadeByAwsService(event)) return [];
      const account = accountOf(event);
      const region = regionOf(event);
      return [
        {
          kind: 'first-seen',
          window: WINDOW,
          key: account,
          value: region,
          raises: () => ({
            resourceId: account,
            resourceType: ACCOUNT_RESOURCE_TYPE,
            qualifier: `region ${region}`,
            message: `${principalOf(event)} called ${apiNameOf(event)} in ${region}, a region account ${account} has not used before`,
            evidence: {
              eventSource: record.eventSource,
              eventName: record.eventName,
              awsRegion: region,
              userIdentity: callerEvidenceOf(event),
              sourceIPAddress: record.sourceIPAddress ?? null,
              userAgent: record.userAgent ?? null,
            },
          }),
        },
      ];
    },
  },
};
