import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString } from '../../kernel/values';
import { ACCOUNT_RESOURCE_TYPE, accountOf, recordOf, requestOf } from '../../kernel/records';
import { callerEvidenceOf } from '../../kernel/principals';
import { ORGANIZATIONS_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

const POLICY_TYPE = 'AWS::Organizations::Policy';
/** The AWS managed SCP that allows everything: detaching it restricts, never widens, permissions. */
const FULL_AWS_ACCESS = 'p-FullAWSAccess';
/** Policy types that limit what principals may do; disabling one removes every policy of that type at once. */
const AUTHORIZATION_POLICY_TYPES = new Set(['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY']);

const detachedFrom = (targetId: string) => `detached from ${targetId}`;
const policyTypeDisabled = (rootId: string, policyType: string) => `${policyType} disabled on ${rootId}`;

/**
 * Organization guardrails removed: DetachPolicy of a policy from a root, OU or account (the record
 * does not say the policy's type; any detached organization policy is reported, except the AWS
 * managed FullAWSAccess SCP), DeletePolicy, DisablePolicyType of SCPs or RCPs on the root, and
 * LeaveOrganization by a member account (which leaves every organization control behind).
 */
export const organizationGuardrailRemoved: Control = {
  id: 'iam.organization-guardrail-removed',
  area: 'iam',
  title: 'AWS Organizations guardrail removed',
  severity: 'HIGH',
  rationale:
    'Service and resource control policies bound what every identity in the member accounts can do, including their administrators; detaching or disabling them, or taking an account out of the organization, silently lifts those limits for everything beneath.',
  runbook: [
    'Confirm with the organization administrators that the change was planned (userIdentity, sourceIPAddress); the management account’s CloudTrail holds every Organizations call.',
    'Re-attach the policy: Organizations console → Policies → Service control policies → <policy> → Targets → Attach; CLI `aws organizations attach-policy --policy-id <policy-id> --target-id <root-ou-or-account-id>`.',
    'Re-enable the policy type: Organizations console → Policies → Service control policies → Enable; CLI `aws organizations enable-policy-type --root-id <root-id> --policy-type SERVICE_CONTROL_POLICY` (then re-attach the policies, which disabling removed).',
    'A deleted policy must be recreated from its last version in source control (`aws organizations create-policy --type SERVICE_CONTROL_POLICY --name <name> --description <text> --content file://policy.json`) and attached again.',
    'An account that left the organization must be invited back (`aws organizations invite-account-to-organization --target Id=<account-id>,Type=ACCOUNT`); until then treat it as unmanaged. Prevent recurrence with an SCP denying organizations:LeaveOrganization.',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '4.15' },
    { framework: 'nist-800-53-r5', requirement: 'CM-3' },
  ],
  patterns: [apiCallPattern(ORGANIZATIONS_SOURCE, ['DetachPolicy', 'DeletePolicy', 'DisablePolicyType', 'LeaveOrganization'])],
  evaluate(event) {
    const request = requestOf(event);
    const record = recordOf(event);
    const evidence = (fields: Record<string, unknown>) => ({
      eventName: record.eventName,
      ...fields,
      userIdentity: callerEvidenceOf(event),
      sourceIPAddress: record.sourceIPAddress,
    });
    switch (record.eventName) {
      case 'DetachPolicy': {
        const policyId = asString(request.policyId);
        const targetId = asString(request.targetId);
        if (!policyId || !targetId || policyId === FULL_AWS_ACCESS) return [];
        return [
          {
            resourceId: policyId,
            resourceType: POLICY_TYPE,
            qualifier: detachedFrom(targetId),
            message: `Organizations policy ${policyId} was detached from ${targetId}`,
            evidence: evidence({ policyId, targetId }),
          },
        ];
      }
      case 'DeletePolicy': {
        const policyId = asString(request.policyId);
        if (!policyId) return [];
        return [
          {
            resourceId: policyId,
            resourceType: POLICY_TYPE,
            qualifier: 'deleted',
            severity: 'MEDIUM',
            message: `Organizations policy ${policyId} was deleted`,
            evidence: evidence({ policyId }),
          },
        ];
      }
      case 'DisablePolicyType':
        return disabledPolicyType(event, evidence);
      case 'LeaveOrganization': {
        const account = accountOf(event);
        return [
          {
            resourceId: account,
            resourceType: ACCOUNT_RESOURCE_TYPE,
            qualifier: 'left organization',
            message: `Account ${account} left its AWS organization and is no longer bound by its policies`,
            evidence: evidence({}),
          },
        ];
      }
      default:
        return [];
    }
  },
  resolution: {
    description: 'AttachPolicy of the same policy to the same target; EnablePolicyType of the same type on the same root',
    patterns: [apiCallPattern(ORGANIZATIONS_SOURCE, ['AttachPolicy', 'EnablePolicyType'])],
    resolve(event): Resolution[] {
      const request = requestOf(event);
      if (recordOf(event).eventName === 'AttachPolicy') {
        const policyId = asString(request.policyId);
        const targetId = asString(request.targetId);
        if (!policyId || !targetId) return [];
        return [
          {
            resourceId: policyId,
            qualifier: detachedFrom(targetId),
            message: `Organizations policy ${policyId} is attached to ${targetId} again`,
          },
        ];
      }
      const rootId = asString(request.rootId);
      const policyType = asString(request.policyType);
      if (!rootId || !policyType) return [];
      const account = accountOf(event);
      return [
        { resourceId: account, qualifier: policyTypeDisabled(rootId, policyType), message: `${policyType} is enabled again on ${rootId}` },
      ];
    },
  },
};

function disabledPolicyType(event: EventBridgeEvent, evidence: (fields: Record<string, unknown>) => Record<string, unknown>): Violation[] {
  const request = requestOf(event);
  const rootId = asString(request.rootId);
  const policyType = asString(request.policyType);
  if (!rootId || !policyType || !AUTHORIZATION_POLICY_TYPES.has(policyType)) return [];
  const account = accountOf(event);
  return [
    {
      resourceId: account,
      resourceType: ACCOUNT_RESOURCE_TYPE,
      qualifier: policyTypeDisabled(rootId, policyType),
      message: `${policyType} was disabled on root ${rootId} of the organization managed from account ${account}, detaching every policy of that type`,
      evidence: evidence({ rootId, policyType }),
    },
  ];
}
