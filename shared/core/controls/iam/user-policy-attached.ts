import type { Control, Resolution } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString } from '../../kernel/values';
import { recordOf, requestOf } from '../../kernel/records';
import { IAM_USER_TYPE, callerArnOf, callerEvidenceOf } from '../../kernel/principals';
import { iamCall } from './support';

/** The policy a user-policy call names: a managed policy by ARN, an inline policy by name. */
function policyOf(event: EventBridgeEvent): { qualifier: string; label: string } | undefined {
  const request = requestOf(event);
  const policyArn = asString(request.policyArn);
  if (policyArn) return { qualifier: `managed policy ${policyArn}`, label: `managed policy ${policyArn}` };
  const policyName = asString(request.policyName);
  return policyName ? { qualifier: `inline policy ${policyName}`, label: `inline policy ${policyName}` } : undefined;
}

/**
 * A policy given to an IAM user directly: a managed policy attached (AttachUserPolicy) or an inline
 * policy written (PutUserPolicy). CIS asks that users receive permissions only through groups, where
 * they are granted by role and reviewed in one place; a policy on one user is drift from that, and
 * a quiet way to give one identity — often a backdoor user — more than its group does. The finding
 * is on the user, one per policy; AdministratorAccess is also reported by
 * iam.administrator-access-granted. Detaching or deleting the policy, or deleting the user,
 * resolves it.
 */
export const userPolicyAttached: Control = {
  id: 'iam.user-policy-attached',
  area: 'iam',
  title: 'IAM policy attached directly to a user',
  severity: 'LOW',
  rationale:
    'Permissions granted to individual users instead of groups escape the group-based review CIS asks for; each one is a grant nobody sees when reviewing groups, and attaching a policy to a single user is how an attacker widens a foothold without touching shared roles.',
  runbook: [
    'Ask the caller (userIdentity, sourceIPAddress) why the user needs the policy; grant it through a group that holds the permissions of the user’s job instead.',
    'Move the permissions: IAM console → User groups → <group> → Permissions → Add permissions, and Users → <user> → Add to groups; CLI `aws iam attach-group-policy --group-name <group> --policy-arn <arn>` and `aws iam add-user-to-group --group-name <group> --user-name <user>`.',
    'Then remove the direct grant: IAM console → Users → <user> → Permissions → Remove; CLI `aws iam detach-user-policy --user-name <user> --policy-arn <arn>` or `aws iam delete-user-policy --user-name <user> --policy-name <name>`.',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '1.15' },
    { framework: 'cis-aws', requirement: '4.4' },
    { framework: 'fsbp', requirement: 'IAM.2' },
    { framework: 'nist-800-53-r5', requirement: 'AC-2' },
    { framework: 'nist-800-53-r5', requirement: 'AC-6' },
  ],
  attack: ['T1098'],
  patterns: [iamCall(['AttachUserPolicy', 'PutUserPolicy'])],
  evaluate(event) {
    const userName = asString(requestOf(event).userName);
    const policy = policyOf(event);
    if (!userName || !policy) return [];
    const record = recordOf(event);
    return [
      {
        resourceId: userName,
        resourceType: IAM_USER_TYPE,
        qualifier: policy.qualifier,
        message: `IAM user ${userName} was given the ${policy.label} directly by ${callerArnOf(event) ?? 'an unknown caller'}, not through a group`,
        evidence: {
          userName,
          eventName: record.eventName,
          ...(requestOf(event).policyArn !== undefined
            ? { policyArn: requestOf(event).policyArn }
            : { policyName: requestOf(event).policyName }),
          userIdentity: callerEvidenceOf(event),
          sourceIPAddress: record.sourceIPAddress ?? null,
        },
      },
    ];
  },
  resolution: {
    description: 'DetachUserPolicy of the same managed policy, DeleteUserPolicy of the same inline policy, or DeleteUser',
    patterns: [iamCall(['DetachUserPolicy', 'DeleteUserPolicy', 'DeleteUser'])],
    resolve(event): Resolution[] {
      const userName = asString(requestOf(event).userName);
      if (!userName) return [];
      if (recordOf(event).eventName === 'DeleteUser') return [{ resourceId: userName, message: `IAM user ${userName} was deleted` }];
      const policy = policyOf(event);
      return policy
        ? [
            {
              resourceId: userName,
              qualifier: policy.qualifier,
              message: `The ${policy.label} no longer applies to IAM user ${userName} directly`,
            },
          ]
        : [];
    },
  },
};
