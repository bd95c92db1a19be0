import type { Control, DetectionSignal } from '../../model/control';
import { asString } from '../../kernel/values';
import { ACCOUNT_RESOURCE_TYPE, accountOf, recordOf } from '../../kernel/records';
import { consoleLoginPattern, signInOutcomeOf, signInSubjectOf } from './support';

const WINDOW = 'usersPerAddress';

/**
 * Password spraying: failed console sign-ins from one source address to one account are counted by the
 * distinct users they tried (its IAM users and its root user), so a few guesses on
 * each of many users — which stays under any per-user lockout or brute-force threshold — shows up as one
 * burst. `usersPerAddress` distinct users within its window is HIGH, one finding per account and address.
 * Names that are not users of the account count one each (CloudTrail hides the name typed).
 */
export const consolePasswordSpraying: Control = {
  id: 'iam.console-password-spraying',
  area: 'iam',
  title: 'Failed console sign-ins across many users from one address (password spraying)',
  severity: 'HIGH',
  rationale:
    'Spraying tries a few common passwords on many users from one place, staying under per-user thresholds; the spread across users from one source address is the signal, and a weak password anywhere in the organization is enough.',
  runbook: [
    'Identify the source address (evidence: sourceIPAddress, userAgent) and the users it tried (evidence: detection.values); block it where you can (WAF, network ACL, an IAM policy condition on aws:SourceIp).',
    'Look for a successful sign-in from the same address (trailwarden raises iam.console-login-failed "signed in after failures" for a user whose burst ended in a success); review and revoke any such session.',
    'Require MFA for every console user (IAM console → Users → <user> → Security credentials → Assign MFA device) and enforce a strong password policy (`aws iam update-account-password-policy --minimum-password-length 14 --require-symbols --require-numbers`).',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '4.6' },
    { framework: 'nist-800-53-r5', requirement: 'AC-7' },
    { framework: 'nist-800-53-r5', requirement: 'SI-4' },
  ],
  attack: ['T1110.003'],
  patterns: [consoleLoginPattern({ responseElements: { ConsoleLogin: ['Failure'] } })],
  detection: {
    windows: { [WINDOW]: { minutes: 60, threshold: 5, counts: 'distinct users failing to sign in from the address' } },
    detect(event): DetectionSignal[] {
      if (signInOutcomeOf(event) !== 'Failure') return [];
      const record = recordOf(event);
      const sourceIp = asString(record.sourceIPAddress);
      if (!sourceIp) return [];
      const account = accountOf(event);
      const subject = signInSubjectOf(event);
      const eventId = asString(record.eventID) ?? event.id;
      const user = subject.key === 'unknown user name' ? `unknown/${eventId}` : subject.key;
      return [
        {
          kind: 'distinct',
          window: WINDOW,
          key: `${account}/${sourceIp}`,
          value: user,
          raises: () => ({
            resourceId: account,
            resourceType: ACCOUNT_RESOURCE_TYPE,
            qualifier: `from ${sourceIp}`,
            message: `Console sign-ins to account ${account} failed for many different users from ${sourceIp}`,
            evidence: {
              userIdentity: { type: record.userIdentity?.type ?? null, userName: record.userIdentity?.userName ?? null },
              sourceIPAddress: sourceIp,
              userAgent: record.userAgent ?? null,
            },
          }),
        },
      ];
    },
  },
};
