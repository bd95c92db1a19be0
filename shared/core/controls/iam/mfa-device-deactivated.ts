import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString } from '../../kernel/values';
import { ACCOUNT_RESOURCE_TYPE, accountOf, recordOf, requestOf } from '../../kernel/records';
import { IAM_USER_TYPE, callerArnOf } from '../../kernel/principals';
import { iamCall, isRootIdentity, targetUserName } from './support';

/**
 * DeactivateMFADevice takes an MFA device away from an IAM user (userName) or, called by the root
 * user without a userName, from the root user. DeleteVirtualMFADevice is not selected: IAM refuses to
 * delete a virtual device that is still assigned, so a deletion always follows the deactivation this
 * control reports, or concerns a device nobody used.
 */
export const mfaDeviceDeactivated: Control = {
  id: 'iam.mfa-device-deactivated',
  area: 'iam',
  title: 'MFA device deactivated for an IAM user or the root user',
  severity: 'HIGH',
  rationale:
    'Deactivating an MFA device leaves the user’s console password as the only factor; attackers who hold a password or a session do this to keep access, and for the root user it exposes the whole account.',
  runbook: [
    'Confirm with the user (and whoever made the call: userIdentity, sourceIPAddress) that the change was planned, e.g. a lost phone being replaced; if not, treat the credentials as compromised: reset the password and review the caller’s recent CloudTrail activity.',
    'Assign a new MFA device: IAM console → Users → <user> → Security credentials → Multi-factor authentication (MFA) → Assign MFA device (root: account menu → Security credentials → Assign MFA device).',
    'CLI: `aws iam create-virtual-mfa-device --virtual-mfa-device-name <user> --outfile qr.png --bootstrap-method QRCodePNG`, then `aws iam enable-mfa-device --user-name <user> --serial-number <device-arn> --authentication-code1 <code> --authentication-code2 <code>`.',
    'Restrict iam:DeactivateMFADevice to the user themselves with MFA present (aws:MultiFactorAuthPresent) and to a break-glass administrator role.',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '1.5' },
    { framework: 'cis-aws', requirement: '1.10' },
    { framework: 'fsbp', requirement: 'IAM.5' },
    { framework: 'fsbp', requirement: 'IAM.9' },
    { framework: 'pci-dss-4.0', requirement: '8.4.2' },
    { framework: 'nist-800-53-r5', requirement: 'IA-2(1)' },
  ],
  patterns: [iamCall(['DeactivateMFADevice'])],
  evaluate(event) {
    const subject = subjectOf(event);
    if (!subject) return [];
    const request = requestOf(event);
    const serialNumber = asString(request.serialNumber);
    const record = recordOf(event);
    const caller = callerArnOf(event) ?? 'an unknown caller';
    return [
      {
        resourceId: subject.resourceId,
        resourceType: subject.resourceType,
        ...(serialNumber ? { qualifier: serialNumber } : {}),
        message: `${subject.label} had MFA device ${serialNumber ?? '(unnamed)'} deactivated by ${caller}`,
        evidence: {
          requestParameters: { userName: request.userName ?? null, serialNumber: serialNumber ?? null },
          userIdentity: { type: record.userIdentity?.type, arn: record.userIdentity?.arn },
          sourceIPAddress: record.sourceIPAddress,
        },
        ...(subject.root ? { severity: 'CRITICAL' as const } : {}),
      },
    ];
  },
  resolution: {
    description: 'EnableMFADevice assigning an MFA device to the same user (or, by the root user, to the root user)',
    patterns: [iamCall(['EnableMFADevice'])],
    resolve(event) {
      const subject = subjectOf(event);
      if (!subject) return [];
      return [{ resourceId: subject.resourceId, message: `${subject.label} has an MFA device again` }];
    },
  },
};

interface Subject {
  resourceId: string;
  resourceType: string;
  label: string;
  root: boolean;
}

/** The IAM user whose device the call concerns, or the account when the root user acts on itself. */
function subjectOf(event: EventBridgeEvent): Subject | undefined {
  const userName = targetUserName(event);
  if (userName) return { resourceId: userName, resourceType: IAM_USER_TYPE, label: `IAM user ${userName}`, root: false };
  if (!isRootIdentity(event)) return undefined;
  const account = accountOf(event);
  return { resourceId: account, resourceType: ACCOUNT_RESOURCE_TYPE, label: `The root user of account ${account}`, root: true };
}
