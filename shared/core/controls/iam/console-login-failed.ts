import type { Control } from '../../model/control';
import { asString, pathGet } from '../../kernel/values';
import { ACCOUNT_RESOURCE_TYPE, accountOf, recordOf } from '../../kernel/records';
import { IAM_USER_TYPE } from '../../kernel/principals';
import { consoleLoginPattern } from './support';

/** What CloudTrail writes as userName when the name typed at sign-in is not an IAM user of the account. */
const HIDDEN_USER_NAME = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/**
 * A ConsoleLogin whose responseElements.ConsoleLogin is "Failure" (errorMessage "Failed authentication";
 * sign-in records carry no errorCode). One failure is LOW — people mistype passwords — but each is
 * reported so that repeated failures on one user or account show up as a pattern; a failed root
 * sign-in is MEDIUM. Failures for names that are not users of the account (CloudTrail hides the
 * name typed) are reported on the account.
 */
export const consoleLoginFailed: Control = {
  id: 'iam.console-login-failed',
  area: 'iam',
  title: 'Failed console sign-in',
  severity: 'LOW',
  rationale:
    'Failed console sign-ins are how password guessing and credential-stuffing show themselves; one is usually a typo, several for one user or from one address are an attack on the account’s passwords.',
  runbook: [
    'Look at the other failures for the same user, account and sourceIPAddress in the findings; a single failure followed by a success from the user’s usual address needs no action.',
    'If the failures repeat or come from an unfamiliar address, contact the user, reset the password (IAM console → Users → <user> → Security credentials → Manage console access, or `aws iam update-login-profile --user-name <user> --password-reset-required`), and make sure an MFA device is assigned.',
    'For the root user: confirm that the account owner was signing in; if not, check the root MFA device and the root email account’s security, and consider centralized root access (`aws organizations enable-aws-service-access --service-principal iam.amazonaws.com` then `aws iam enable-organizations-root-credentials-management`) to remove root passwords from member accounts.',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '4.6' },
    { framework: 'nist-800-53-r5', requirement: 'AC-7' },
  ],
  patterns: [consoleLoginPattern({ responseElements: { ConsoleLogin: ['Failure'] } })],
  evaluate(event) {
    const record = recordOf(event);
    if (pathGet(record, 'responseElements.ConsoleLogin') !== 'Failure') return [];
    const identity = record.userIdentity;
    const account = accountOf(event);
    const sourceIp = asString(record.sourceIPAddress) ?? 'an unknown address';
    const evidence = {
      userIdentity: { type: identity?.type ?? null, userName: identity?.userName ?? null, arn: identity?.arn ?? null },
      errorMessage: record.errorMessage ?? null,
      MFAUsed: pathGet(record, 'additionalEventData.MFAUsed') ?? null,
      sourceIPAddress: record.sourceIPAddress,
      userAgent: record.userAgent,
    };
    if (identity?.type === 'Root') {
      return [
        {
          resourceId: account,
          resourceType: ACCOUNT_RESOURCE_TYPE,
          qualifier: 'root user',
          severity: 'MEDIUM',
          message: `A console sign-in as the root user of account ${account} failed from ${sourceIp}`,
          evidence,
        },
      ];
    }
    const userName = asString(identity?.userName);
    if (identity?.type === 'IAMUser' && userName && userName !== HIDDEN_USER_NAME) {
      return [
        {
          resourceId: userName,
          resourceType: IAM_USER_TYPE,
          message: `A console sign-in as IAM user ${userName} failed from ${sourceIp}`,
          evidence,
        },
      ];
    }
    return [
      {
        resourceId: account,
        resourceType: ACCOUNT_RESOURCE_TYPE,
        qualifier: 'unknown user name',
        message: `A console sign-in to account ${account} with a name that is not one of its IAM users failed from ${sourceIp}`,
        evidence,
      },
    ];
  },
};
