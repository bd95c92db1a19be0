import type { Control } from '../../model/control';
import { asString, pathGet } from '../../kernel/values';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { IAM_ROLE_TYPE, callerArnOf, callerEvidenceOf } from '../../kernel/principals';
import type { EventBridgeEvent } from '../../model/event';
import { iamCall } from './support';

/**
 * CloudFormation or another AWS service creating the role on someone's behalf: userIdentity.invokedBy
 * names a service, or the source address is a service host name (cloudformation.amazonaws.com).
 * The "AWS Internal" user agent alone does not count: the IAM console's own calls carry it, with the
 * person's address as source.
 */
function createdByService(event: EventBridgeEvent): boolean {
  const record = recordOf(event);
  const invokedBy = asString(record.userIdentity?.invokedBy);
  if (invokedBy !== undefined && invokedBy !== '' && invokedBy !== 'signin.amazonaws.com') return true;
  return /\.amazonaws\.com$/.test(asString(record.sourceIPAddress) ?? '');
}

/**
 * An activity record of an IAM role created by a person or a script: CreateRole called with the
 * caller's own client. Roles are how workloads and federated people get permissions, so the set of
 * roles is part of the account's access inventory that auditors review (NIST AC-2(4) asks that
 * account creation be audited); a role nobody declared is also where a "backdoor role" begins.
 * Creating a role is routine, so the record is INFORMATIONAL: it is stored for the history and not
 * notified. Roles CloudFormation or another AWS service creates (invokedBy, a service host name as
 * source) are left out: they are declared in a template or owned by the service. Roles created with
 * other tools (Terraform, the CLI, the console) are recorded, since a user agent is the caller's to
 * choose and proves no review. A trust policy that admits outsiders is reported at its own severity
 * by iam.role-trust-policy-open. DeleteRole of the same role resolves the record.
 */
export const roleCreated: Control = {
  id: 'iam.role-created',
  area: 'iam',
  title: 'IAM role created outside CloudFormation (activity record)',
  severity: 'INFORMATIONAL',
  rationale:
    'Every role is a set of permissions someone can assume; auditors reviewing who can do what need to see roles created by hand beside those declared in templates, and an unexpected role is a common way to keep access to an account.',
  runbook: [
    'Check who created the role and from where (userIdentity, sourceIPAddress, userAgent), and whether a change request or a deployment explains it.',
    'Review what the role can do and who can assume it: IAM console → Roles → <role> → Permissions and Trust relationships; CLI `aws iam get-role --role-name <role>` and `aws iam list-attached-role-policies --role-name <role>`.',
    'If the role is not needed, remove it: IAM console → Roles → <role> → Delete; CLI `aws iam detach-role-policy` / `aws iam delete-role-policy` for each policy, then `aws iam delete-role --role-name <role>`. If it is needed, declare it in the account’s CloudFormation or Terraform code.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-2' },
    { framework: 'nist-800-53-r5', requirement: 'AC-2(4)' },
  ],
  patterns: [iamCall(['CreateRole'])],
  evaluate(event) {
    if (createdByService(event)) return [];
    const record = recordOf(event);
    const roleName = asString(requestOf(event).roleName) ?? asString(pathGet(responseOf(event), 'role.roleName'));
    if (!roleName) return [];
    return [
      {
        resourceId: roleName,
        resourceType: IAM_ROLE_TYPE,
        message: `IAM role ${roleName} was created by ${callerArnOf(event) ?? 'an unknown caller'} from ${asString(record.sourceIPAddress) ?? 'an unknown address'}`,
        evidence: {
          roleName,
          path: requestOf(event).path ?? pathGet(responseOf(event), 'role.path') ?? null,
          userIdentity: callerEvidenceOf(event),
          sourceIPAddress: record.sourceIPAddress ?? null,
          userAgent: record.userAgent ?? null,
        },
      },
    ];
  },
  resolution: {
    description: 'DeleteRole of the same role',
    patterns: [iamCall(['DeleteRole'])],
    resolve(event) {
      const roleName = asString(requestOf(event).roleName);
      return roleName ? [{ resourceId: roleName, message: `IAM role ${roleName} was deleted` }] : [];
    },
  },
};
