import type { Control, EvaluationContext, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asRecord, asString, pathGet } from '../../kernel/values';
import { accountOf, requestOf, responseOf } from '../../kernel/records';
import { ECR_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

/** CloudFormation's type for a registry's replication configuration (Ref: the registry id). */
const REPLICATION_TYPE = 'AWS::ECR::ReplicationConfiguration';

interface Destination {
  registryId: string;
  region?: string;
  repositoryFilters: unknown[];
}

/**
 * The destinations of a PutReplicationConfiguration (ECR API reference: replicationConfiguration.rules[]
 * with destinations[] of {region, registryId} and optional repositoryFilters[] of {filter,
 * filterType}). The response echoes the configuration; the request is read when it does not.
 */
function destinationsOf(event: EventBridgeEvent): Destination[] {
  const configuration =
    pathGet(responseOf(event), 'replicationConfiguration.rules') !== undefined
      ? asRecord(responseOf(event).replicationConfiguration)
      : asRecord(requestOf(event).replicationConfiguration);
  return asArray(configuration.rules)
    .map(asRecord)
    .flatMap((rule) =>
      asArray(rule.destinations)
        .map(asRecord)
        .flatMap((d) => {
          const registryId = asString(d.registryId);
          return registryId ? [{ registryId, region: asString(d.region), repositoryFilters: asArray(rule.repositoryFilters) }] : [];
        }),
    );
}

/** Destinations in accounts that are neither the registry's own nor listed in settings.trustedAccounts. */
function untrustedDestinations(event: EventBridgeEvent, context: EvaluationContext): Map<string, Destination[]> {
  const own = accountOf(event);
  const byAccount = new Map<string, Destination[]>();
  for (const destination of destinationsOf(event)) {
    if (destination.registryId === own || context.settings.trustedAccounts.includes(destination.registryId)) continue;
    byAccount.set(destination.registryId, [...(byAccount.get(destination.registryId) ?? []), destination]);
  }
  return byAccount;
}

const qualifierOf = (account: string) => `replication to ${account}`;

/**
 * ECR registry replication to an account outside the organization's trust: every image pushed to
 * the replicated repositories (all of them when a rule has no repository filter) is copied into a
 * registry someone else controls. Same-account cross-region replication and accounts listed in
 * settings.trustedAccounts are compliant. One finding per untrusted destination account.
 */
export const replicationToUntrustedAccount: Control = {
  id: 'image.replication-to-untrusted-account',
  area: 'image',
  title: 'ECR images replicated to an untrusted account',
  severity: 'HIGH',
  rationale:
    'Cross-account replication copies every matching image, with the code, configuration and any secrets baked into its layers, to a registry outside your control; an attacker with registry access uses it to exfiltrate images silently.',
  runbook: [
    'Confirm whether the destination account belongs to the organization; if it does, add it to settings.trustedAccounts.',
    'Otherwise remove the rule: ECR console → Private registry → Settings → Replication → Edit, or `aws ecr put-replication-configuration --replication-configuration \'{"rules":[]}\'` (or with only the trusted rules).',
    "Ask the destination account's owner to delete the replicated images, and review which images (and secrets baked into them) were exposed; rotate those secrets.",
    'Remove the registry permissions policy statement that let the other account receive replication if it was added for this: `aws ecr get-registry-policy`, then `aws ecr put-registry-policy` or `aws ecr delete-registry-policy`.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-4' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7' },
  ],
  patterns: [apiCallPattern(ECR_SOURCE, ['PutReplicationConfiguration'])],
  evaluate(event, context): Violation[] {
    const registry = accountOf(event);
    return [...untrustedDestinations(event, context)].map(([account, destinations]) => ({
      resourceId: registry,
      resourceType: REPLICATION_TYPE,
      qualifier: qualifierOf(account),
      message: `ECR registry ${registry} replicates images to account ${account}, which is not a trusted account`,
      evidence: {
        destinations: destinations.map((d) => ({ region: d.region, registryId: d.registryId })),
        repositoryFilters: destinations.flatMap((d) => d.repositoryFilters),
      },
    }));
  },
  resolution: {
    description: 'PutReplicationConfiguration whose rules no longer name an untrusted account (an empty rule list turns replication off)',
    patterns: [apiCallPattern(ECR_SOURCE, ['PutReplicationConfiguration'])],
    resolve(event, context): Resolution[] {
      if (untrustedDestinations(event, context).size > 0) return [];
      const registry = accountOf(event);
      return [{ resourceId: registry, message: `ECR registry ${registry} no longer replicates images to untrusted accounts` }];
    },
  },
};
