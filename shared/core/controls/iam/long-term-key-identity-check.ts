import type { Control, Resolution } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString } from '../../kernel/values';
import { accountOf, recordOf, requestOf } from '../../kernel/records';
import { accessKeyLabel, callerEvidenceOf } from '../../kernel/principals';
import { IAM_SOURCE, STS_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { findingOnCaller, isMadeByAwsService, targetUserName } from './support';

/** Access key ids of long-term credentials (an IAM user's or the root user's keys) begin with AKIA; temporary STS credentials with ASIA. */
const LONG_TERM_KEY_PREFIX = 'AKIA';

const keyQualifier = (accessKeyId: string) => `access key ${accessKeyLabel(accessKeyId)}`;

function longTermKeyOf(event: EventBridgeEvent): string | undefined {
  const accessKeyId = asString(recordOf(event).userIdentity?.accessKeyId);
  return accessKeyId?.startsWith(LONG_TERM_KEY_PREFIX) ? accessKeyId : undefined;
}

/**
 * An activity record of a long-term access key (AKIA…) being checked with sts:GetCallerIdentity, the
 * "who am I" call that needs no permission. It is the first call made with a key someone has just
 * found — secret scanners, and attackers with a leaked key, use it to learn whose key it is and in
 * which account — and also what a developer runs after configuring the CLI. On its own it says little,
 * so the record is INFORMATIONAL (stored, not notified), keyed on the key's owner with the key as
 * qualifier: it shows which long-lived keys are in use and from where, beside the leaked-key and
 * offensive-tool findings it corroborates. Calls with temporary credentials (ASIA…, role sessions,
 * console sessions) are not recorded. Deactivating or deleting the key resolves the record.
 */
export const longTermKeyIdentityCheck: Control = {
  id: 'iam.long-term-key-identity-check',
  area: 'iam',
  title: 'Long-term access key checked with sts:GetCallerIdentity (activity record)',
  severity: 'INFORMATIONAL',
  rationale:
    'GetCallerIdentity is how a leaked long-term key is validated before it is used; keeping a record of which long-lived keys answer it, and from where, lets an investigator tell the owner’s routine use from a stranger testing a key.',
  runbook: [
    'Check that the source address and user agent belong to the key’s owner (a known workstation, CI runner or server); an unfamiliar address, a hosting provider or a scanner’s user agent means the key is in someone else’s hands.',
    'If the use is not the owner’s: deactivate the key (IAM console → Users → <user> → Security credentials → Access keys → Deactivate; CLI `aws iam update-access-key --user-name <user> --access-key-id <key-id> --status Inactive`), find where it leaked, and review every call made with it (CloudTrail Lake or Athena query on userIdentity.accessKeyId).',
    'Prefer temporary credentials: IAM Identity Center (`aws configure sso`) for people and IAM roles for workloads, so that no long-lived key exists to leak.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-2(12)' },
    { framework: 'nist-800-53-r5', requirement: 'SI-4' },
  ],
  attack: ['T1087.004'],
  patterns: [apiCallPattern(STS_SOURCE, ['GetCallerIdentity'], { userIdentity: { accessKeyId: [{ prefix: LONG_TERM_KEY_PREFIX }] } })],
  evaluate(event) {
    const accessKeyId = longTermKeyOf(event);
    if (!accessKeyId || isMadeByAwsService(event)) return [];
    const record = recordOf(event);
    return findingOnCaller(event, (principal) => ({
      qualifier: keyQualifier(accessKeyId),
      message: `${principal.label}'s long-term access key ${accessKeyLabel(accessKeyId)} was checked with sts:GetCallerIdentity from ${asString(record.sourceIPAddress) ?? 'an unknown address'}`,
      evidence: {
        userIdentity: callerEvidenceOf(event),
        sourceIPAddress: record.sourceIPAddress ?? null,
        userAgent: record.userAgent ?? null,
      },
    }));
  },
  resolution: {
    description: 'DeleteAccessKey, or UpdateAccessKey to Inactive, of the same key',
    patterns: [apiCallPattern(IAM_SOURCE, ['DeleteAccessKey', 'UpdateAccessKey'])],
    resolve(event): Resolution[] {
      const request = requestOf(event);
      const accessKeyId = asString(request.accessKeyId);
      if (!accessKeyId) return [];
      if (recordOf(event).eventName === 'UpdateAccessKey' && request.status !== 'Inactive') return [];
      // Without userName the caller acts on its own keys: an IAM user's, or the root user's (the account).
      const userName = targetUserName(event);
      const resourceId = userName ?? (recordOf(event).userIdentity?.type === 'Root' ? accountOf(event) : undefined);
      if (!resourceId) return [];
      const owner = userName ? `IAM user ${userName}` : `the root user of account ${resourceId}`;
      return [
        {
          resourceId,
          qualifier: keyQualifier(accessKeyId),
          message: `Access key ${accessKeyLabel(accessKeyId)} of ${owner} was ${request.status === 'Inactive' ? 'deactivated' : 'deleted'}`,
        },
      ];
    },
  },
};
