import type { Control, DetectionSignal, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString, pathGet } from '../../kernel/values';
import { accountOf, recordOf } from '../../kernel/records';
import { consoleLoginPattern, signInOutcomeOf, signInSubjectOf } from './support';

function evidenceOf(event: EventBridgeEvent): Record<string, unknown> {
  const record = recordOf(event);
  const identity = record.userIdentity;
  return {
    userIdentity: { type: identity?.type ?? null, userName: identity?.userName ?? null, arn: identity?.arn ?? null },
    ConsoleLogin: signInOutcomeOf(event) ?? null,
    errorMessage: record.errorMessage ?? null,
    MFAUsed: pathGet(record, 'additionalEventData.MFAUsed') ?? null,
    sourceIPAddress: record.sourceIPAddress ?? null,
    userAgent: record.userAgent ?? null,
  };
}

const WINDOW = 'failuresPerUser';

/**
 * Brute force on one sign-in: ConsoleLogin records whose responseElements.ConsoleLogin is "Failure"
 * (errorMessage "Failed authentication") are counted per account and user — the root user, an IAM user, or
 * every name that is not a user of the account together (CloudTrail hides the name typed). One failure is a
 * typo and raises nothing; `failuresPerUser` failures within its window are MEDIUM (HIGH for the root user),
 * one finding per user that repeats while the burst lasts. A successful sign-in of the same user while the
 * window still holds a burst is HIGH: the guessing may have worked.
 */
export const consoleLoginFailed: Control = {
  id: 'iam.console-login-failed',
  area: 'iam',
  title: 'Repeated failed console sign-ins (brute force)',
  severity: 'MEDIUM',
  rationale:
    'Failed console sign-ins are how password guessing shows itself: one is usually a typo, a burst on one user is an attack on that password, and a success right after the burst may mean the attacker is in.',
  runbook: [
    'Look at the evidence: the failures counted, the source addresses and user agents. A burst from the user’s usual address that ends in a success the user confirms needs no further action.',
    'Otherwise contact the user, reset the password (IAM console → Users → <user> → Security credentials → Manage console access, or `aws iam update-login-profile --user-name <user> --password-reset-required`), make sure an MFA device is assigned, and block the source address where you can (WAF, network ACL, IAM condition aws:SourceIp).',
    'After a success following the burst, treat the session as hostile until the user confirms it: review what it did (CloudTrail, userIdentity.arn and sourceIPAddress) and revoke it if not theirs.',
    'For the root user: confirm that the account owner was signing in; if not, check the root MFA device and the root email account’s security, and consider centralized root access (`aws organizations enable-aws-service-access --service-principal iam.amazonaws.com` then `aws iam enable-organizations-root-credentials-management`) to remove root passwords from member accounts.',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '4.6' },
    { framework: 'nist-800-53-r5', requirement: 'AC-7' },
  ],
  attack: ['T1110.001', 'T1078.004'],
  patterns: [consoleLoginPattern({ responseElements: { ConsoleLogin: ['Failure', 'Success'] } })],
  detection: {
    windows: { [WINDOW]: { minutes: 10, threshold: 5, counts: 'failed sign-ins' } },
    detect(event): DetectionSignal[] {
      const outcome = signInOutcomeOf(event);
      const subject = signInSubjectOf(event);
      const key = `${accountOf(event)}/${subject.key}`;
      const sourceIp = asString(recordOf(event).sourceIPAddress) ?? 'an unknown address';
      const finding = (violation: Pick<Violation, 'message' | 'severity'> & { qualifier?: string }): Violation => ({
        resourceId: subject.resourceId,
        resourceType: subject.resourceType,
        evidence: evidenceOf(event),
        ...violation,
      });
      if (outcome === 'Failure') {
        return [
          {
            kind: 'count',
            window: WINDOW,
            key,
            raises: () =>
              finding({
                ...(subject.qualifier ? { qualifier: subject.qualifier } : {}),
                severity: subject.root ? 'HIGH' : 'MEDIUM',
                message: `Console sign-ins as ${subject.label} keep failing, latest from ${sourceIp}`,
              }),
          },
        ];
      }
      if (outcome === 'Success' && subject.key !== 'unknown user name') {
        return [
          {
            kind: 'follows',
            window: WINDOW,
            key,
            raises: () =>
              finding({
                qualifier: subject.root ? 'root user signed in after failures' : 'signed in after failures',
                severity: 'HIGH',
                message: `A console sign-in as ${subject.label} succeeded from ${sourceIp} right after a burst of failures`,
              }),
          },
        ];
      }
      return [];
    },
  },
};
