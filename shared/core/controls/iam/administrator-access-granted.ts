import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString, isTrue, pathGet } from '../../kernel/values';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { isAdministratorStatement, statementsOf } from '../../kernel/policy';
import { MANAGED_POLICY_TYPE, iamCall, isAdministratorAccessArn, policyHolderOf } from './support';

const ATTACH = ['AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy'];
const PUT_INLINE = ['PutUserPolicy', 'PutRolePolicy', 'PutGroupPolicy'];
const DETACH = ['DetachUserPolicy', 'DetachRolePolicy', 'DetachGroupPolicy'];
const DELETE_INLINE = ['DeleteUserPolicy', 'DeleteRolePolicy', 'DeleteGroupPolicy'];

const inlineQualifier = (policyName: string) => `inline policy ${policyName}`;

/** setAsDefault arrives as a boolean; tolerate the string form. */
function setsAsDefault(event: EventBridgeEvent): boolean {
  return isTrue(requestOf(event).setAsDefault);
}

/** The Allow-"*"-on-"*" statements of the request's policy document. */
function adminStatements(event: EventBridgeEvent) {
  return statementsOf(requestOf(event).policyDocument).filter(isAdministratorStatement);
}

/**
 * Grants of full administrator access: the AWS managed AdministratorAccess policy attached to a
 * user, role or group, or a policy document with an Allow of Action "*" on Resource "*" — put
 * inline, created as a managed policy, or made the default version of one. A version created
 * without setAsDefault is not in force and is not reported (SetDefaultPolicyVersion names no document).
 */
export const administratorAccessGranted: Control = {
  id: 'iam.administrator-access-granted',
  area: 'iam',
  title: 'Full administrator access granted',
  severity: 'HIGH',
  rationale:
    'A principal with Action "*" on Resource "*" can do anything in the account, including erasing its audit trail and granting itself more; least privilege means no workload or person holds it by default.',
  runbook: [
    'Confirm the grant was approved; if not, remove it and review what the principal did since (CloudTrail, filter by the user or role).',
    'Attached AdministratorAccess: IAM console → Users/Roles/Groups → <name> → Permissions → Remove; or `aws iam detach-role-policy --role-name <role> --policy-arn arn:aws:iam::aws:policy/AdministratorAccess` (detach-user-policy / detach-group-policy alike).',
    'Inline policy: `aws iam delete-role-policy --role-name <role> --policy-name <policy>` (delete-user-policy / delete-group-policy alike), or replace it with a scoped document via put-role-policy.',
    'Customer managed policy: create a scoped version and make it the default (`aws iam create-policy-version --policy-arn <arn> --policy-document file://scoped.json --set-as-default`), or `aws iam delete-policy --policy-arn <arn>` once it is detached.',
    'Grant the actions the principal needs instead (IAM Access Analyzer policy generation helps), and keep break-glass admin roles behind MFA.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'IAM.1' },
    { framework: 'cis-aws', requirement: '1.16' },
    { framework: 'cis-aws', requirement: '4.4' },
    { framework: 'nist-800-53-r5', requirement: 'AC-6' },
    { framework: 'nist-800-53-r5', requirement: 'AC-6(10)' },
  ],
  attack: ['T1098.003'],
  patterns: [iamCall([...ATTACH, ...PUT_INLINE, 'CreatePolicy', 'CreatePolicyVersion'])],
  evaluate(event) {
    const eventName = asString(recordOf(event).eventName) ?? '';
    const request = requestOf(event);

    if (ATTACH.includes(eventName)) {
      const holder = policyHolderOf(event);
      const policyArn = asString(request.policyArn);
      if (!holder || !isAdministratorAccessArn(policyArn)) return [];
      return [
        {
          resourceId: holder.name,
          resourceType: holder.resourceType,
          qualifier: policyArn,
          message: `IAM ${holder.kind} ${holder.name} was given the AdministratorAccess managed policy`,
          evidence: { [`${holder.kind}Name`]: holder.name, policyArn },
        },
      ];
    }

    if (PUT_INLINE.includes(eventName)) {
      const holder = policyHolderOf(event);
      const policyName = asString(request.policyName);
      const statements = adminStatements(event);
      if (!holder || !policyName || statements.length === 0) return [];
      return [
        {
          resourceId: holder.name,
          resourceType: holder.resourceType,
          qualifier: inlineQualifier(policyName),
          message: `Inline policy ${policyName} on IAM ${holder.kind} ${holder.name} allows every action on every resource`,
          evidence: { [`${holder.kind}Name`]: holder.name, policyName, statements },
        },
      ];
    }

    const statements = adminStatements(event);
    if (statements.length === 0) return [];
    let policyArn: string | undefined;
    let violation: Pick<Violation, 'message' | 'evidence'>;
    if (eventName === 'CreatePolicy') {
      policyArn = asString(pathGet(responseOf(event), 'policy.arn'));
      violation = {
        message: `Managed policy ${asString(request.policyName) ?? policyArn} was created allowing every action on every resource`,
        evidence: { policyName: request.policyName, statements },
      };
    } else {
      policyArn = asString(request.policyArn);
      if (!setsAsDefault(event)) return [];
      violation = {
        message: `Managed policy ${policyArn} has a new default version allowing every action on every resource`,
        evidence: { policyArn, setAsDefault: true, statements },
      };
    }
    if (!policyArn) return [];
    return [{ resourceId: policyArn, resourceType: MANAGED_POLICY_TYPE, ...violation }];
  },
  resolution: {
    description:
      'Detach*Policy of AdministratorAccess, Delete*Policy or a non-admin Put*Policy of the same inline policy, DeletePolicy, or a non-admin default CreatePolicyVersion',
    patterns: [iamCall([...DETACH, ...DELETE_INLINE, ...PUT_INLINE, 'DeletePolicy', 'CreatePolicyVersion'])],
    resolve(event) {
      const eventName = asString(recordOf(event).eventName) ?? '';
      const request = requestOf(event);
      const holder = policyHolderOf(event);
      const resolutions: Resolution[] = [];
      if (DETACH.includes(eventName) && holder && isAdministratorAccessArn(asString(request.policyArn))) {
        resolutions.push({
          resourceId: holder.name,
          qualifier: asString(request.policyArn),
          message: `AdministratorAccess was detached from IAM ${holder.kind} ${holder.name}`,
        });
      }
      const policyName = asString(request.policyName);
      if (
        holder &&
        policyName &&
        (DELETE_INLINE.includes(eventName) || (PUT_INLINE.includes(eventName) && adminStatements(event).length === 0))
      ) {
        resolutions.push({
          resourceId: holder.name,
          qualifier: inlineQualifier(policyName),
          message: `Inline policy ${policyName} on IAM ${holder.kind} ${holder.name} no longer grants administrator access`,
        });
      }
      const policyArn = asString(request.policyArn);
      if (
        policyArn &&
        (eventName === 'DeletePolicy' ||
          (eventName === 'CreatePolicyVersion' && setsAsDefault(event) && adminStatements(event).length === 0))
      ) {
        resolutions.push({ resourceId: policyArn, message: `Managed policy ${policyArn} no longer grants administrator access` });
      }
      return resolutions;
    },
  },
};
