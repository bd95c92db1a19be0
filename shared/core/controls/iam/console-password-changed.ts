import type { Control } from '../../model/control';
import { asString } from '../../kernel/values';
import { recordOf } from '../../kernel/records';
import { IAM_USER_TYPE } from '../../kernel/principals';
import { iamCall, targetUserName } from './support';

/**
 * An activity record of an IAM user changing their own console password (ChangePassword, which only
 * acts on the caller's own password). A password change is an authenticator change auditors expect to
 * find in the account's history (NIST AC-2(4), IA-5); it is also what someone who took over a user's
 * console session does to lock the owner out. Changing one's password is routine — it is what a
 * forced reset asks for — so the record is INFORMATIONAL: stored, not notified. Passwords set for a
 * user by someone else are reported by iam.user-credentials-created.
 */
export const consolePasswordChanged: Control = {
  id: 'iam.console-password-changed',
  area: 'iam',
  title: 'IAM user changed their console password (activity record)',
  severity: 'INFORMATIONAL',
  rationale:
    'Password changes belong in the account’s access history: they follow a forced reset or a rotation, and an unexpected one can be an intruder locking the real owner out of a user they took over.',
  runbook: [
    'If the change was not expected, ask the user whether they made it (sourceIPAddress, userAgent, eventTime); a user who did not must be treated as compromised.',
    'For a compromised user: reset the password and require a change at next sign-in (IAM console → Users → <user> → Security credentials → Manage console access; CLI `aws iam update-login-profile --user-name <user> --password-reset-required`), deactivate their access keys (`aws iam update-access-key --status Inactive`) and review their recent CloudTrail activity.',
    'Make sure the user has an MFA device (IAM console → Users → <user> → Security credentials → Assign MFA device), and prefer IAM Identity Center for people signing in to the console.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-2(4)' },
    { framework: 'nist-800-53-r5', requirement: 'IA-5' },
  ],
  patterns: [iamCall(['ChangePassword'])],
  evaluate(event) {
    const record = recordOf(event);
    if (record.userIdentity?.type !== 'IAMUser') return [];
    const userName = targetUserName(event);
    if (!userName) return [];
    return [
      {
        resourceId: userName,
        resourceType: IAM_USER_TYPE,
        message: `IAM user ${userName} changed their console password from ${asString(record.sourceIPAddress) ?? 'an unknown address'}`,
        evidence: {
          userName,
          sourceIPAddress: record.sourceIPAddress ?? null,
          userAgent: record.userAgent ?? null,
          invokedBy: record.userIdentity?.invokedBy ?? null,
          sessionCredentialFromConsole: record.sessionCredentialFromConsole ?? null,
        },
      },
    ];
  },
};
