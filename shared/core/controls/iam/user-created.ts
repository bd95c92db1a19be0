import type { Control } from '../../model/control';
import { asString, pathGet } from '../../kernel/values';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { IAM_USER_TYPE, callerArnOf, callerEvidenceOf, madeByCloudFormation } from '../../kernel/principals';
import { iamCall } from './support';

/**
 * An IAM user created outside CloudFormation (CreateUser called by a person, a script or any tool
 * other than a stack). IAM users carry long-lived credentials; AWS and CIS recommend that people
 * sign in through identity federation (IAM Identity Center or an external IdP) and that the few
 * IAM users workloads still need are declared as code. An ad-hoc user is also the first step of the
 * "create a backdoor user" persistence technique. LOW: each one asks for a look. DeleteUser of the
 * same user resolves it.
 */
export const userCreated: Control = {
  id: 'iam.user-created',
  area: 'iam',
  title: 'IAM user created outside infrastructure as code',
  severity: 'LOW',
  rationale:
    'IAM users hold passwords and access keys that never expire on their own; people should sign in through federation, and the few IAM users workloads need should be declared in templates. A user created by hand is either drift from that practice or an attacker’s backdoor identity.',
  runbook: [
    'Ask the caller (userIdentity, sourceIPAddress) why the user exists; a person should get access through IAM Identity Center or the organization’s identity provider instead.',
    'If the user is not needed, delete it with its credentials: IAM console → Users → <user> → Delete (the console removes keys, password, MFA devices and group memberships first); CLI `aws iam delete-login-profile`, `aws iam delete-access-key`, `aws iam detach-user-policy`, `aws iam remove-user-from-group`, then `aws iam delete-user --user-name <user>`.',
    'If a workload really needs an IAM user, declare it in the account’s CloudFormation or Terraform code with least-privilege permissions and key rotation, and restrict iam:CreateUser to the deployment role with an SCP.',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '1.21' },
    { framework: 'nist-800-53-r5', requirement: 'AC-2' },
  ],
  attack: ['T1136.003'],
  patterns: [iamCall(['CreateUser'])],
  evaluate(event) {
    const record = recordOf(event);
    // CloudFormation creating a user on a stack's behalf: the user is declared, reviewed and removed with its template.
    if (madeByCloudFormation(event)) return [];
    const userName = asString(requestOf(event).userName) ?? asString(pathGet(responseOf(event), 'user.userName'));
    if (!userName) return [];
    return [
      {
        resourceId: userName,
        resourceType: IAM_USER_TYPE,
        message: `IAM user ${userName} was created by ${callerArnOf(event) ?? 'an unknown caller'} outside CloudFormation`,
        evidence: {
          userName,
          path: requestOf(event).path ?? pathGet(responseOf(event), 'user.path') ?? null,
          userIdentity: callerEvidenceOf(event),
          sourceIPAddress: record.sourceIPAddress ?? null,
          userAgent: record.userAgent ?? null,
        },
      },
    ];
  },
  resolution: {
    description: 'DeleteUser of the same user',
    patterns: [iamCall(['DeleteUser'])],
    resolve(event) {
      const userName = asString(requestOf(event).userName);
      return userName ? [{ resourceId: userName, message: `IAM user ${userName} was deleted` }] : [];
    },
  },
};
