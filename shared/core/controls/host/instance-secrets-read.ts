import type { Control, EventPattern, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { CLOUDTRAIL_DETAIL_TYPES } from '../../model/event';
import { asString } from '../../kernel/values';
import { recordOf, requestOf } from '../../kernel/records';
import { EC2_SOURCE, sourceOf } from '../../kernel/sources';
import { callingPrincipalOf } from './support';

/**
 * The calls, successful or not (no errorCode condition: a denied attempt is the signal too):
 * - GetPasswordData: request `instanceId`; the response (the Windows Administrator password,
 *   encrypted with the launch key pair) is not logged;
 * - DescribeInstanceAttribute with request `attribute` "userData" and `instanceId`; the user data
 *   itself is not logged either (read-only calls carry no responseElements).
 */
const PATTERNS: EventPattern[] = [
  {
    source: [sourceOf(EC2_SOURCE)],
    'detail-type': [CLOUDTRAIL_DETAIL_TYPES.AwsApiCall],
    detail: { eventSource: [EC2_SOURCE], eventName: ['GetPasswordData'] },
  },
  {
    source: [sourceOf(EC2_SOURCE)],
    'detail-type': [CLOUDTRAIL_DETAIL_TYPES.AwsApiCall],
    detail: {
      eventSource: [EC2_SOURCE],
      eventName: ['DescribeInstanceAttribute'],
      requestParameters: { attribute: [{ 'equals-ignore-case': 'userData' }] },
    },
  },
];

/**
 * Infrastructure-as-code tools refresh every managed instance's user data on each plan (the
 * Terraform AWS provider calls DescribeInstanceAttribute userData per aws_instance). Their
 * successful reads are skipped; the user agent is client-supplied, so denied attempts are reported
 * whatever agent they carry.
 */
const IAC_USER_AGENT = /terraform-provider-aws|pulumi/i;

interface SecretRead {
  what: string;
  qualifier: string;
  instanceId?: string;
}

function readOf(event: EventBridgeEvent): SecretRead | undefined {
  const request = requestOf(event);
  const instanceId = asString(request.instanceId);
  switch (recordOf(event).eventName) {
    case 'GetPasswordData':
      return { what: 'the Windows administrator password data', qualifier: 'GetPasswordData', instanceId };
    case 'DescribeInstanceAttribute':
      if (asString(request.attribute)?.toLowerCase() !== 'userdata') return undefined;
      return { what: 'the user data', qualifier: 'DescribeInstanceAttribute userData', instanceId };
    default:
      return undefined;
  }
}

/**
 * A person or workload read — or tried to read — what an instance keeps for its own start-up: the
 * Windows administrator password (GetPasswordData) or the user data (DescribeInstanceAttribute
 * userData), where bootstrap scripts often carry database passwords, tokens and keys. Calls made by
 * AWS services (invokedBy) are skipped, and so are successful user data reads by
 * infrastructure-as-code tools. The finding is on the calling principal, one per API, so that a
 * sweep over many instances aggregates into one finding (the count of observations shows the
 * volume); denied attempts (Client.UnauthorizedOperation) are reported as such.
 */
export const instanceSecretsRead: Control = {
  id: 'host.instance-secrets-read',
  area: 'host',
  title: 'Instance Windows password or user data read by a principal',
  severity: 'LOW',
  rationale:
    'Reading the Windows administrator password or the user data of instances is a known credential-access and discovery step (bootstrap scripts often hold secrets); one read is often routine, so this is LOW and aggregated per principal — a principal sweeping many instances, or being denied, stands out by its count. Volume thresholds and allow-lists of expected readers come later.',
  runbook: [
    'Check who it was (the finding names the role or user; the evidence holds the session ARN, source IP and user agent) and whether they had a reason: a Windows administrator fetching a password for a known instance, or an automation reading its own user data.',
    'If unexpected — especially many instances, or denied attempts (errorCode Client.UnauthorizedOperation) — treat the credentials as compromised: revoke the role sessions (IAM console → Roles → <role> → Revoke active sessions) or deactivate the user access key (`aws iam update-access-key --user-name <user> --access-key-id <key> --status Inactive`), and review its other calls in CloudTrail.',
    'If a read succeeded, rotate what the instance kept: the Windows administrator password, and any secret embedded in user data; move secrets out of user data into Secrets Manager or SSM Parameter Store SecureString, fetched at start-up with the instance role.',
    'Limit ec2:GetPasswordData and ec2:DescribeInstanceAttribute to the roles that need them (IAM condition on ec2:ResourceTag), e.g. remove them from broad read-only policies.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'SI-4' },
    { framework: 'nist-800-53-r5', requirement: 'AU-6' },
    { framework: 'pci-dss-4.0', requirement: '10.2.1.4' },
    { framework: 'hipaa', requirement: '164.308(a)(1)(ii)(D)' },
  ],
  patterns: PATTERNS,
  evaluate(event): Violation[] {
    const read = readOf(event);
    if (!read) return [];
    const record = recordOf(event);
    const errorCode = asString(record.errorCode);
    const userAgent = asString(record.userAgent);
    if (!errorCode && read.qualifier !== 'GetPasswordData' && userAgent && IAC_USER_AGENT.test(userAgent)) return [];
    const principal = callingPrincipalOf(event);
    if (!principal) return [];
    const { resourceId, resourceType, label, arn } = principal;
    const instance = read.instanceId ? `instance ${read.instanceId}` : 'an instance';
    const message = errorCode
      ? `${label} tried to read ${read.what} of ${instance} and was denied (${errorCode})`
      : `${label} read ${read.what} of ${instance}`;
    return [
      {
        resourceId,
        resourceType,
        qualifier: read.qualifier,
        message,
        evidence: {
          eventName: record.eventName,
          instanceId: read.instanceId,
          ...(read.qualifier === 'GetPasswordData' ? {} : { attribute: requestOf(event).attribute }),
          errorCode: errorCode ?? null,
          principalArn: arn ?? null,
          sourceIPAddress: record.sourceIPAddress,
          userAgent,
        },
      },
    ];
  },
};
