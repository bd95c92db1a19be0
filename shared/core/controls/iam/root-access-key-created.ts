import type { Control } from '../../model/control';
import { asString, pathGet } from '../../kernel/values';
import { ACCOUNT_RESOURCE_TYPE, accountOf, recordOf, requestOf, responseOf } from '../../kernel/records';
import { accessKeyLabel } from '../../kernel/principals';
import { iamCall } from './support';

/**
 * A root access key is created by CreateAccessKey called by the root user without a userName
 * (with a userName, root is creating a key for an IAM user).
 */
export const rootAccessKeyCreated: Control = {
  id: 'iam.root-access-key-created',
  area: 'iam',
  title: 'Access key created for the root user',
  severity: 'CRITICAL',
  rationale:
    'A root access key is a long-lived credential with unrestricted, unrestrictable access to the whole account; whoever obtains it owns the account. No workload needs one.',
  runbook: [
    'Ask the account owner whether the key was created on purpose; if not, treat the account as compromised: change the root password, check MFA, and review the CloudTrail activity of the new key.',
    'Delete the key: sign in as root → account menu → Security credentials → Access keys → Actions → Delete (deactivate first if a workload must be moved off it).',
    'CLI, with root credentials or a privileged root session (`aws sts assume-root --target-principal <account-id> --task-policy-arn arn=arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials`): `aws iam delete-access-key --access-key-id <key-id>`.',
    'Give the workload an IAM role (or IAM Identity Center for people) instead.',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '1.4' },
    { framework: 'fsbp', requirement: 'IAM.4' },
    { framework: 'nist-800-53-r5', requirement: 'AC-6(2)' },
    { framework: 'nist-800-53-r5', requirement: 'AC-6(10)' },
  ],
  attack: ['T1098.001'],
  patterns: [iamCall(['CreateAccessKey'], { userIdentity: { type: ['Root'] } })],
  evaluate(event) {
    if (recordOf(event).userIdentity?.type !== 'Root') return [];
    if (asString(requestOf(event).userName) || asString(pathGet(responseOf(event), 'accessKey.userName'))) return [];
    const account = accountOf(event);
    const accessKeyId = asString(pathGet(responseOf(event), 'accessKey.accessKeyId'));
    const label = accessKeyId ? accessKeyLabel(accessKeyId) : undefined;
    return [
      {
        resourceId: account,
        resourceType: ACCOUNT_RESOURCE_TYPE,
        ...(label ? { qualifier: `access key ${label}` } : {}),
        message: `An access key${label ? ` ${label}` : ''} was created for the root user of account ${account}`,
        evidence: {
          accessKey: pathGet(responseOf(event), 'accessKey') ?? null,
          sourceIPAddress: recordOf(event).sourceIPAddress,
        },
      },
    ];
  },
  resolution: {
    description: 'DeleteAccessKey by the root user of the same key',
    patterns: [iamCall(['DeleteAccessKey'], { userIdentity: { type: ['Root'] } })],
    resolve(event) {
      if (recordOf(event).userIdentity?.type !== 'Root' || asString(requestOf(event).userName)) return [];
      const accessKeyId = asString(requestOf(event).accessKeyId);
      if (!accessKeyId) return [];
      const account = accountOf(event);
      const label = accessKeyLabel(accessKeyId);
      return [
        {
          resourceId: account,
          qualifier: `access key ${label}`,
          message: `The root access key ${label} of account ${account} was deleted`,
        },
      ];
    },
  },
};
