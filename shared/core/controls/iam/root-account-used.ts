import type { Control, Violation } from '../../model/control';
import { CLOUDTRAIL_DETAIL_TYPES, type CloudTrailRecord } from '../../model/event';
import { asString, pathGet } from '../../kernel/values';
import { ACCOUNT_RESOURCE_TYPE, accountOf, recordOf, requestOf, responseOf } from '../../kernel/records';
import { IAM_SOURCE } from '../../kernel/sources';
import { PERSON_FACING_INVOKERS, consoleLoginPattern, iamCall } from './support';

/** The finding a root sign-in without MFA raises beside the usage itself; enabling root MFA resolves it. */
const WITHOUT_MFA = 'sign-in without MFA';

/**
 * The root user's own MFA devices: enabled by the root user with no userName (with one, root is
 * enabling a device for an IAM user), or named as root devices (`mfa/root-account-mfa-device`, `u2f/root/…`).
 */
function isRootMfaDevice(request: Record<string, unknown>): boolean {
  const serialNumber = asString(request.serialNumber) ?? '';
  return !asString(request.userName) || /:mfa\/root-account-mfa-device$|:u2f\/root\//.test(serialNumber);
}

/**
 * Reads of the root user's own credentials (IAM calls that act on the caller when userName is
 * omitted): what the console's Security credentials page does when the root user checks its MFA
 * device and access keys, as CIS 1.4 and 1.5 ask. Managing the root user's own credentials is one of
 * the tasks that require the root user; the sign-in that began the session is reported, and changes
 * to root credentials have their own controls (iam.root-access-key-created, iam.root-password-changed,
 * iam.mfa-device-deactivated).
 */
const OWN_CREDENTIAL_READS = new Set(['ListAccessKeys', 'GetAccessKeyLastUsed', 'ListMFADevices', 'ListSigningCertificates']);

/**
 * The root user reviewing its own credentials from a session (console or other temporary
 * credentials). A call signed with a long-term root access key (AKIA…) is always reported: such a
 * key should not exist (CIS 1.4).
 */
function isOwnCredentialReview(record: CloudTrailRecord, request: Record<string, unknown>): boolean {
  if (record.eventSource !== IAM_SOURCE || !OWN_CREDENTIAL_READS.has(asString(record.eventName) ?? '')) return false;
  if (asString(request.userName)) return false;
  return !(asString(record.userIdentity?.accessKeyId) ?? '').startsWith('AKIA');
}

export const rootAccountUsed: Control = {
  id: 'iam.root-account-used',
  area: 'iam',
  title: 'Root user signed in or called an AWS API',
  severity: 'HIGH',
  rationale:
    "The root user has unrestricted access to every resource and setting of the account and cannot be limited by IAM policies. Its use outside the few tasks that require it means a person holds the account's master credentials, or someone else does.",
  runbook: [
    'Confirm with the account owner who used the root user, from where (sourceIPAddress, userAgent) and why; treat an unexplained use as a compromise: change the root password and review CloudTrail for the session.',
    'If the root user has access keys, delete them: console → account menu → Security credentials → Access keys → Delete.',
    'Make sure the root user has MFA: console → account menu → Security credentials → Multi-factor authentication (MFA) → Assign MFA device.',
    'In AWS Organizations, centralize root access (`aws iam enable-organizations-root-credentials-management` and `aws iam enable-organizations-root-sessions` from the management account), then remove member-account root credentials through a privileged session: `aws sts assume-root --target-principal <account-id> --task-policy-arn arn=arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials`, and with those credentials `aws iam delete-login-profile`.',
    'Use IAM Identity Center or IAM roles for daily administration; keep root for the tasks listed under "Tasks that require root user credentials".',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '1.7' },
    { framework: 'cis-aws', requirement: '4.3' },
    { framework: 'cis-aws', requirement: '1.5' },
    { framework: 'fsbp', requirement: 'IAM.9' },
    { framework: 'nist-800-53-r5', requirement: 'AC-6(2)' },
  ],
  attack: ['T1078.004'],
  patterns: [
    // Failed calls count too (CIS 4.3's filter keeps them): they show the root credentials in use.
    {
      'detail-type': [CLOUDTRAIL_DETAIL_TYPES.AwsApiCall, CLOUDTRAIL_DETAIL_TYPES.AwsConsoleAction],
      detail: { userIdentity: { type: ['Root'] } },
    },
    consoleLoginPattern({ userIdentity: { type: ['Root'] }, responseElements: { ConsoleLogin: ['Success'] } }),
  ],
  evaluate(event) {
    const record = recordOf(event);
    const identity = record.userIdentity;
    if (identity?.type !== 'Root') return [];
    const invokedBy = asString(identity.invokedBy);
    // A service acting on the account's behalf with root credentials is not a person using them.
    if (invokedBy !== undefined && !PERSON_FACING_INVOKERS.has(invokedBy)) return [];
    const account = accountOf(event);
    const eventName = asString(record.eventName) ?? 'an API';
    const sourceIp = asString(record.sourceIPAddress) ?? 'an unknown address';

    if (eventName === 'ConsoleLogin') {
      if (responseOf(event).ConsoleLogin !== 'Success') return [];
      const mfaUsed = asString(pathGet(record, 'additionalEventData.MFAUsed'));
      const evidence = { eventName, sourceIPAddress: record.sourceIPAddress, userAgent: record.userAgent, MFAUsed: mfaUsed ?? null };
      const signedIn: Violation = {
        resourceId: account,
        resourceType: ACCOUNT_RESOURCE_TYPE,
        message: `The root user of account ${account} signed in to the console from ${sourceIp}`,
        evidence,
      };
      if (mfaUsed === 'Yes') return [signedIn];
      return [
        signedIn,
        {
          resourceId: account,
          resourceType: ACCOUNT_RESOURCE_TYPE,
          qualifier: WITHOUT_MFA,
          severity: 'CRITICAL',
          message: `The root user of account ${account} signed in to the console from ${sourceIp} without MFA`,
          evidence,
        },
      ];
    }

    if (isOwnCredentialReview(record, requestOf(event))) return [];
    const service = (asString(record.eventSource) ?? '').replace(/\.amazonaws\.com$/, '');
    return [
      {
        resourceId: account,
        resourceType: ACCOUNT_RESOURCE_TYPE,
        // Read-only calls change nothing, but still mean someone holds the root credentials.
        ...(record.readOnly === true ? { severity: 'MEDIUM' as const } : {}),
        message: `The root user of account ${account} called ${service}:${eventName} from ${sourceIp}`,
        evidence: {
          eventSource: record.eventSource,
          eventName,
          sourceIPAddress: record.sourceIPAddress,
          userAgent: record.userAgent,
          mfaAuthenticated: pathGet(identity, 'sessionContext.attributes.mfaAuthenticated') ?? null,
          errorCode: record.errorCode ?? null,
        },
      },
    ];
  },
  resolution: {
    description:
      'EnableMFADevice by the root user for its own device resolves the sign-in-without-MFA finding (root use itself cannot be undone)',
    patterns: [iamCall(['EnableMFADevice'], { userIdentity: { type: ['Root'] } })],
    resolve(event) {
      if (recordOf(event).userIdentity?.type !== 'Root' || !isRootMfaDevice(requestOf(event))) return [];
      const account = accountOf(event);
      return [{ resourceId: account, qualifier: WITHOUT_MFA, message: `The root user of account ${account} now has an MFA device` }];
    },
  },
};
