import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import type { Severity } from '../../model/severity';
import { asArray, asString, pathGet } from '../../kernel/values';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { STS_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { isAdministratorStatement, statementsOf } from '../../kernel/policy';
import { findingOnCaller, isAdministratorAccessArn } from './support';

interface Minting {
  severity: Severity;
  what: string;
}

/** Whether GetFederationToken's session policies pass on full administrator access. */
function passesAdministratorAccess(request: Record<string, unknown>): boolean {
  if (statementsOf(request.policy).some(isAdministratorStatement)) return true;
  return asArray(request.policyArns).some((p) => isAdministratorAccessArn(asString(pathGet(p, 'arn'))));
}

function mintingOf(event: EventBridgeEvent): Minting | undefined {
  const record = recordOf(event);
  const type = record.userIdentity?.type;
  // Only long-term credentials mint these: IAM users' access keys and the root user's.
  if (type !== 'IAMUser' && type !== 'Root') return undefined;
  const request = requestOf(event);
  if (record.eventName === 'GetFederationToken') {
    const federatedUser = asString(pathGet(responseOf(event), 'federatedUser.arn')) ?? asString(request.name) ?? 'a federated user';
    return passesAdministratorAccess(request)
      ? { severity: 'HIGH', what: `federation token for ${federatedUser} with a session policy allowing every action on every resource` }
      : { severity: 'MEDIUM', what: `federation token for ${federatedUser}` };
  }
  // GetSessionToken with an MFA code is the standard way to use MFA from the CLI; without one it only launders the key.
  if (asString(request.serialNumber)) return undefined;
  return { severity: 'LOW', what: 'session token without MFA' };
}

/**
 * Temporary credentials minted from an IAM user's (or the root user's) long-term access key:
 * GetFederationToken, and GetSessionToken without an MFA device. Credentials STS has issued stay
 * valid until they expire (federation tokens up to 36 hours) and cannot be revoked; deactivating or
 * deleting the access key that minted them does not end them, which makes minting them a known way
 * to keep access once a leaked key is discovered. A federation token whose session policy allows
 * everything is HIGH, another federation token MEDIUM, a session token without MFA LOW.
 * GetSessionToken with SerialNumber (the MFA CLI workflow) is not reported. The finding is keyed on
 * the principal with the API as qualifier.
 */
export const sessionCredentialsMinted: Control = {
  id: 'iam.session-credentials-minted',
  area: 'iam',
  title: 'Temporary credentials minted from a long-term access key',
  severity: 'MEDIUM',
  rationale:
    'Session credentials minted from an access key outlive the key: revoking or deleting the key after a leak does not end them, so attackers mint federation or session tokens first. Workloads rarely need GetFederationToken, and GetSessionToken without MFA adds no protection.',
  runbook: [
    'Ask the IAM user’s owner whether the call (sourceIPAddress, userAgent) was theirs; identity brokers that use GetFederationToken should be known and documented.',
    'If not, disable the user’s access keys (IAM console → Users → <user> → Security credentials → Access keys → Deactivate) and, because the minted credentials survive that, attach an inline deny to the user for sessions issued before now: condition `DateLessThan` on `aws:TokenIssueTime` (IAM console → Users → <user> → Permissions → Add inline policy; or `aws iam put-user-policy`), since federated and session credentials carry the user’s permissions.',
    'Review what the federated user or session did (CloudTrail userIdentity.type FederatedUser, or the temporary accessKeyId from responseElements.credentials).',
    'Replace the IAM user with a role (IAM Identity Center for people, instance, task or IRSA roles for workloads) so no long-term key exists.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-2' },
    { framework: 'nist-800-53-r5', requirement: 'IA-5' },
    { framework: 'nist-800-53-r5', requirement: 'AC-12' },
  ],
  attack: ['T1550.001'],
  patterns: [apiCallPattern(STS_SOURCE, ['GetFederationToken', 'GetSessionToken'])],
  evaluate(event) {
    const minting = mintingOf(event);
    if (!minting) return [];
    const record = recordOf(event);
    const request = requestOf(event);
    return findingOnCaller(event, (principal) => ({
      qualifier: `sts:${record.eventName}`,
      severity: minting.severity,
      message: `${principal.label} minted a ${minting.what} from ${asString(record.sourceIPAddress) ?? 'an unknown address'}`,
      evidence: {
        eventName: record.eventName,
        durationSeconds: request.durationSeconds ?? null,
        name: request.name ?? null,
        policy: request.policy ?? null,
        policyArns: request.policyArns ?? null,
        federatedUser: pathGet(responseOf(event), 'federatedUser.arn') ?? null,
        sourceIPAddress: record.sourceIPAddress ?? null,
        userAgent: record.userAgent ?? null,
      },
    }));
  },
};
