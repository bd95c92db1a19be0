import type { Control, Resolution } from '../../model/control';
import { asString, pathGet } from '../../kernel/values';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { IAM_USER_TYPE, accessKeyLabel, callerArnOf, callerEvidenceOf, madeByCloudFormation } from '../../kernel/principals';
import { accessKeyQualifier, accessKeyRevocationOf, iamCall, isSelfService, targetUserName } from './support';

const CONSOLE_PASSWORD = 'console password';
/**
 * Long-lived credentials created for an IAM user: CreateAccessKey for a user (root's own keys are
 * iam.root-access-key-created), CreateLoginProfile (a console password), and UpdateLoginProfile
 * setting another user's password without requiring a change at next sign-in. A user creating their
 * own key (rotating it) and an administrator creating a password the user must change at first
 * sign-in are compliant changes: INFORMATIONAL records, stored for auditors and notified to no one;
 * a key or a usable password created or set for another user — the usual way to plant a backdoor or
 * take over an account — is MEDIUM. Users changing their own password, password resets that force a
 * change at next sign-in, and a user's own key declared in a CloudFormation stack the user deployed
 * (as iam.user-created leaves out users declared in templates) are not reported; a key a stack
 * creates for somebody else is, like any other.
 */
export const userCredentialsCreated: Control = {
  id: 'iam.user-credentials-created',
  area: 'iam',
  title: 'Long-lived credentials created or reset for an IAM user',
  severity: 'MEDIUM',
  rationale:
    'Access keys and console passwords do not expire on their own; each one created is a credential that can leak, and one created for somebody else’s user is a common way to keep access to an account.',
  runbook: [
    'Confirm with the user and with whoever made the call (userIdentity, sourceIPAddress) that the credential is needed; if not, delete it and review the caller’s recent IAM activity.',
    'Delete an access key: IAM console → Users → <user> → Security credentials → Access keys → Actions → Delete; CLI `aws iam update-access-key --user-name <user> --access-key-id <key-id> --status Inactive` then `aws iam delete-access-key --user-name <user> --access-key-id <key-id>`.',
    'Remove a console password: IAM console → Users → <user> → Security credentials → Console sign-in → Disable console access; CLI `aws iam delete-login-profile --user-name <user>`.',
    'Prefer short-lived credentials: IAM roles for workloads (ECS task roles, IRSA / EKS Pod Identity) and IAM Identity Center for people.',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '1.11' },
    { framework: 'cis-aws', requirement: '1.13' },
    { framework: 'nist-800-53-r5', requirement: 'AC-2' },
    { framework: 'nist-800-53-r5', requirement: 'IA-5' },
  ],
  attack: ['T1098.001'],
  patterns: [iamCall(['CreateAccessKey', 'CreateLoginProfile', 'UpdateLoginProfile'])],
  evaluate(event) {
    const record = recordOf(event);
    const caller = callerArnOf(event) ?? 'an unknown caller';
    if (record.eventName === 'CreateAccessKey') {
      // Root creating its own key: no userName and no user in the response.
      const userName =
        asString(requestOf(event).userName) ?? asString(pathGet(responseOf(event), 'accessKey.userName')) ?? targetUserName(event);
      if (!userName) return [];
      const accessKeyId = asString(pathGet(responseOf(event), 'accessKey.accessKeyId'));
      const self = isSelfService(event, userName);
      // CloudFormation making the call for the stack's caller: the key is declared in a template
      // (AWS::IAM::AccessKey), reviewed and removed with it.
      if (self && madeByCloudFormation(event)) return [];
      const label = accessKeyId ? ` ${accessKeyLabel(accessKeyId)}` : '';
      return [
        {
          resourceId: userName,
          resourceType: IAM_USER_TYPE,
          ...(accessKeyId ? { qualifier: accessKeyQualifier(accessKeyId) } : {}),
          severity: self ? 'INFORMATIONAL' : 'MEDIUM',
          message: self
            ? `IAM user ${userName} created an access key${label} for themselves`
            : `An access key${label} was created for IAM user ${userName} by ${caller}`,
          evidence: {
            userName,
            accessKey: {
              status: pathGet(responseOf(event), 'accessKey.status') ?? null,
              createDate: pathGet(responseOf(event), 'accessKey.createDate') ?? null,
            },
            userIdentity: callerEvidenceOf(event),
          },
        },
      ];
    }
    const userName = targetUserName(event);
    if (!userName) return [];
    const request = requestOf(event);
    const resetRequired =
      request.passwordResetRequired === true || pathGet(responseOf(event), 'loginProfile.passwordResetRequired') === true;
    const self = isSelfService(event, userName);
    const updated = record.eventName === 'UpdateLoginProfile';
    if (updated && (self || resetRequired)) return [];
    return [
      {
        resourceId: userName,
        resourceType: IAM_USER_TYPE,
        qualifier: CONSOLE_PASSWORD,
        severity: self || resetRequired ? 'INFORMATIONAL' : 'MEDIUM',
        message: updated
          ? `The console password of IAM user ${userName} was set by ${caller} without requiring a change at next sign-in`
          : `A console password was created for IAM user ${userName} by ${caller}${resetRequired ? ' (change required at first sign-in)' : ''}`,
        evidence: {
          userName,
          eventName: record.eventName,
          passwordResetRequired: request.passwordResetRequired ?? null,
          userIdentity: callerEvidenceOf(event),
        },
      },
    ];
  },
  resolution: {
    description:
      'DeleteAccessKey or UpdateAccessKey to Inactive of the same key; DeleteLoginProfile of the user, or the user changing their own password (ChangePassword); DeleteUser',
    patterns: [iamCall(['DeleteAccessKey', 'UpdateAccessKey', 'DeleteLoginProfile', 'ChangePassword', 'DeleteUser'])],
    resolve(event): Resolution[] {
      const userName = targetUserName(event);
      if (!userName) return [];
      switch (recordOf(event).eventName) {
        case 'DeleteUser':
          return [{ resourceId: userName, message: `IAM user ${userName} was deleted` }];
        case 'DeleteLoginProfile':
          return [{ resourceId: userName, qualifier: CONSOLE_PASSWORD, message: `IAM user ${userName} no longer has a console password` }];
        case 'ChangePassword':
          // Only the user themselves can call ChangePassword: the password someone else set is gone.
          return [
            { resourceId: userName, qualifier: CONSOLE_PASSWORD, message: `IAM user ${userName} changed their own console password` },
          ];
        case 'UpdateAccessKey':
        case 'DeleteAccessKey':
          return accessKeyRevocationOf(event, userName);
        default:
          return [];
      }
    },
  },
};
