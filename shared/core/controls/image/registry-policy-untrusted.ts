import type { Control, ControlSettings, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { ECR_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { type PolicyStatement, actionsOf, isPublicAllow, statementsOf, untrustedAccounts } from '../../kernel/policy';
import { registryOf } from './support';

/** CloudFormation's type for a private registry's permissions policy (Ref: the registry id). */
const REGISTRY_POLICY_TYPE = 'AWS::ECR::RegistryPolicy';

interface Grant {
  qualifier: string;
  who: string;
  statement: PolicyStatement;
  actions: string[];
}

/**
 * The registry permissions policy of PutRegistryPolicy (request and response `policyText`,
 * response `registryId`) grants registry-level actions — ecr:ReplicateImage and ecr:CreateRepository
 * (cross-account replication into this registry), ecr:BatchImportUpstreamImage (pull through
 * cache) — to its principals. Reported: Allow statements for anyone (Principal "*" without a
 * narrowing condition) and for accounts that are neither this one nor in settings.trustedAccounts.
 */
function grantsOf(event: EventBridgeEvent, settings: ControlSettings): Grant[] {
  const document = requestOf(event).policyText ?? responseOf(event).policyText;
  const registry = registryOf(event);
  const grants = new Map<string, Grant>();
  for (const statement of statementsOf(document)) {
    const actions = statement.NotAction !== undefined ? ['NotAction'] : actionsOf(statement);
    if (isPublicAllow(statement)) {
      grants.set('public', { qualifier: 'public', who: 'anyone', statement, actions });
      continue;
    }
    for (const account of untrustedAccounts(statement, registry, settings.trustedAccounts)) {
      grants.set(`account ${account}`, { qualifier: `account ${account}`, who: `account ${account}`, statement, actions });
    }
  }
  return [...grants.values()];
}

/**
 * ECR registry permissions policies (PutRegistryPolicy) that let anyone or an untrusted account
 * replicate images into the registry or create repositories in it: images that clusters pull
 * from "our own" registry can then come from someone else. CRITICAL when open to anyone, HIGH
 * for an untrusted account.
 */
export const registryPolicyUntrusted: Control = {
  id: 'image.registry-policy-untrusted',
  area: 'image',
  title: 'ECR registry policy lets an untrusted account push images into the registry',
  severity: 'HIGH',
  rationale:
    'The registry permissions policy decides who may replicate images into the private registry and create repositories there; granting it to an unknown account lets that account place images under names production trusts, a supply-chain compromise that registry allow-lists do not catch.',
  runbook: [
    'Review the policy: ECR console → Private registry → Settings → Permissions, or `aws ecr get-registry-policy`.',
    'If the account is part of the organization and should replicate here, add it to settings.trustedAccounts; otherwise remove the statement with `aws ecr put-registry-policy --policy-text file://policy.json` or drop the policy with `aws ecr delete-registry-policy`.',
    'List repositories and images replicated meanwhile (CloudTrail ReplicateImage / CreateRepository events by other accounts) and delete those not built by you.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-3' },
    { framework: 'nist-800-53-r5', requirement: 'AC-6' },
    { framework: 'nist-800-53-r5', requirement: 'SR-3' },
  ],
  patterns: [apiCallPattern(ECR_SOURCE, ['PutRegistryPolicy'])],
  evaluate(event, context): Violation[] {
    const registry = registryOf(event);
    return grantsOf(event, context.settings).map((grant) => ({
      resourceId: registry,
      resourceType: REGISTRY_POLICY_TYPE,
      qualifier: grant.qualifier,
      severity: grant.qualifier === 'public' ? 'CRITICAL' : 'HIGH',
      message: `The ECR registry policy of ${registry} grants ${grant.who} ${grant.actions.join(', ') || 'registry actions'}`,
      evidence: { statement: grant.statement },
    }));
  },
  resolution: {
    description:
      'DeleteRegistryPolicy; PutRegistryPolicy without public grants (resolves the public finding) or without untrusted grants (resolves all)',
    patterns: [apiCallPattern(ECR_SOURCE, ['PutRegistryPolicy', 'DeleteRegistryPolicy'])],
    resolve(event, context): Resolution[] {
      const registry = registryOf(event);
      if (recordOf(event).eventName === 'DeleteRegistryPolicy')
        return [{ resourceId: registry, message: `The ECR registry policy of ${registry} was deleted` }];
      const grants = grantsOf(event, context.settings);
      if (grants.length === 0)
        return [{ resourceId: registry, message: `The ECR registry policy of ${registry} grants only this account and trusted accounts` }];
      return grants.some((g) => g.qualifier === 'public')
        ? []
        : [{ resourceId: registry, qualifier: 'public', message: `The ECR registry policy of ${registry} is no longer open to anyone` }];
    },
  },
};
