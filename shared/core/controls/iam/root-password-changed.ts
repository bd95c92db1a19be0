import type { Control } from '../../model/control';
import { CLOUDTRAIL_DETAIL_TYPES } from '../../model/event';
import { asString } from '../../kernel/values';
import { ACCOUNT_RESOURCE_TYPE, accountOf, recordOf, responseOf } from '../../kernel/records';
import { SIGNIN_SOURCE } from '../../kernel/sources';

/**
 * The root user's password changed: the console sign-in event PasswordUpdated (signin.amazonaws.com,
 * eventType AwsConsoleSignIn) with responseElements.PasswordUpdated "Success" and a Root identity.
 * Whoever sets the root password owns the account's recovery path; changing it is how an intruder
 * holding a root session locks the owner out. Failed attempts change nothing and are left out.
 */
export const rootPasswordChanged: Control = {
  id: 'iam.root-password-changed',
  area: 'iam',
  title: 'Root user password changed',
  severity: 'HIGH',
  rationale:
    'The root password, with the root MFA device, is the last line of control over an AWS account; a change nobody planned means someone else holds a root session and is taking the account over.',
  runbook: [
    'Confirm with the account owner (whoever holds the root credentials) that they changed the password, from this address (sourceIPAddress, userAgent).',
    'If not, recover the account at once: sign in with "Forgot password" through the root email address, set a new password, check the root MFA devices (account menu → Security credentials), delete any root access keys, and contact AWS Support if the email address was changed too.',
    'Review the root session’s other activity in CloudTrail (userIdentity.type = Root) and centralize root access with AWS Organizations (`aws iam enable-organizations-root-credentials-management`) so member accounts have no root password at all.',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '1.7' },
    { framework: 'nist-800-53-r5', requirement: 'AC-2' },
    { framework: 'nist-800-53-r5', requirement: 'IA-5' },
  ],
  patterns: [
    {
      source: ['aws.signin'],
      'detail-type': [CLOUDTRAIL_DETAIL_TYPES.AwsConsoleSignIn],
      detail: { eventSource: [SIGNIN_SOURCE], eventName: ['PasswordUpdated'], userIdentity: { type: ['Root'] } },
    },
  ],
  evaluate(event) {
    const record = recordOf(event);
    if (record.userIdentity?.type !== 'Root' || responseOf(event).PasswordUpdated !== 'Success') return [];
    const account = accountOf(event);
    return [
      {
        resourceId: account,
        resourceType: ACCOUNT_RESOURCE_TYPE,
        message: `The root user password of account ${account} was changed from ${asString(record.sourceIPAddress) ?? 'an unknown address'}`,
        evidence: {
          eventName: record.eventName,
          responseElements: { PasswordUpdated: 'Success' },
          sourceIPAddress: record.sourceIPAddress ?? null,
          userAgent: record.userAgent ?? null,
        },
      },
    ];
  },
};
