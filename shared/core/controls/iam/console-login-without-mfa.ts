import type { Control } from '../../model/control';
import { asString, pathGet } from '../../kernel/values';
import { recordOf } from '../../kernel/records';
import { IAM_USER_TYPE } from '../../kernel/principals';
import { consoleLoginPattern, iamCall, targetUserName } from './support';

/**
 * Successful ConsoleLogin of an IAM user with additionalEventData.MFAUsed "No". Federated sign-ins
 * (IAM Identity Center, SAML) are AssumedRole/SAMLUser identities — MFA is enforced at the identity
 * provider and not visible here — so only IAMUser identities are selected; a SamlProviderArn marks a
 * federated sign-in even when the identity looks like a user. Root sign-ins are iam.root-account-used.
 */
export const consoleLoginWithoutMfa: Control = {
  id: 'iam.console-login-without-mfa',
  area: 'iam',
  title: 'IAM user signed in to the console without MFA',
  severity: 'HIGH',
  rationale:
    'A console password alone can be phished, guessed or reused from another breach; without a second factor, whoever has it gets the user’s full console access.',
  runbook: [
    'Confirm with the user that the sign-in was theirs (sourceIPAddress, userAgent, time); if not, disable the password at once: `aws iam delete-login-profile --user-name <user>` and review the session in CloudTrail.',
    'Assign an MFA device to the user: IAM console → Users → <user> → Security credentials → Multi-factor authentication (MFA) → Assign MFA device; or `aws iam create-virtual-mfa-device --virtual-mfa-device-name <user>` then `aws iam enable-mfa-device --user-name <user> --serial-number <arn> --authentication-code1 <code> --authentication-code2 <code>`.',
    'Require MFA for everyone who signs in with a password: an IAM policy denying all but MFA self-management when aws:MultiFactorAuthPresent is false, or move people to IAM Identity Center.',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '1.10' },
    { framework: 'cis-aws', requirement: '4.2' },
    { framework: 'fsbp', requirement: 'IAM.5' },
    { framework: 'pci-dss-4.0', requirement: '8.4.2' },
    { framework: 'nist-800-53-r5', requirement: 'IA-2(1)' },
  ],
  attack: ['T1078.004'],
  patterns: [
    consoleLoginPattern({
      userIdentity: { type: ['IAMUser'] },
      responseElements: { ConsoleLogin: ['Success'] },
      additionalEventData: { MFAUsed: ['No'] },
    }),
  ],
  evaluate(event) {
    const record = recordOf(event);
    const identity = record.userIdentity;
    if (identity?.type !== 'IAMUser') return [];
    if (pathGet(record, 'responseElements.ConsoleLogin') !== 'Success') return [];
    if (pathGet(record, 'additionalEventData.MFAUsed') !== 'No') return [];
    if (pathGet(record, 'additionalEventData.SamlProviderArn') !== undefined) return [];
    const userName = asString(identity.userName) ?? asString(identity.arn)?.split('/').pop();
    if (!userName) return [];
    return [
      {
        resourceId: userName,
        resourceType: IAM_USER_TYPE,
        message: `IAM user ${userName} signed in to the console without MFA from ${asString(record.sourceIPAddress) ?? 'an unknown address'}`,
        evidence: {
          userIdentity: { type: identity.type, arn: identity.arn, userName: identity.userName },
          additionalEventData: record.additionalEventData,
          sourceIPAddress: record.sourceIPAddress,
          userAgent: record.userAgent,
        },
      },
    ];
  },
  resolution: {
    description:
      'EnableMFADevice for the user (later sign-ins require the device), or DeleteLoginProfile / DeleteUser removing the console password',
    patterns: [iamCall(['EnableMFADevice', 'DeleteLoginProfile', 'DeleteUser'])],
    resolve(event) {
      const userName = targetUserName(event);
      if (!userName) return [];
      const eventName = asString(recordOf(event).eventName);
      const how =
        eventName === 'EnableMFADevice'
          ? 'now has an MFA device'
          : eventName === 'DeleteLoginProfile'
            ? 'no longer has a console password'
            : 'was deleted';
      return [{ resourceId: userName, message: `IAM user ${userName} ${how}` }];
    },
  },
};
