import type { Control, ControlSettings, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString } from '../../kernel/values';
import { accountOf, recordOf, requestOf, responseOf } from '../../kernel/records';
import { ECR_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { isTrustedEcrRegistry, repositoryArn } from './support';

const RULE_TYPE = 'AWS::ECR::PullThroughCacheRule';

/**
 * A pull through cache rule as Create/DeletePullThroughCacheRule carry it (ECR API reference):
 * `ecrRepositoryPrefix` (the namespace the cached repositories get; `ROOT` for the registry root),
 * `upstreamRegistryUrl` (registry-1.docker.io, public.ecr.aws, ghcr.io, quay.io, registry.k8s.io,
 * registry.gitlab.com, <name>.azurecr.io, <account>.dkr.ecr.<region>.amazonaws.com),
 * `upstreamRepositoryPrefix`, `registryId`. The response echoes them; it is read first.
 */
interface Rule {
  prefix: string;
  registryId: string;
  upstreamUrl?: string;
  upstreamPrefix?: string;
  /** The repositories the rule populates, as a repository ARN (`…:repository/<prefix>`); the rule's id here. */
  id: string;
}

function field(event: EventBridgeEvent, name: string): string | undefined {
  return asString(responseOf(event)[name]) ?? asString(requestOf(event)[name]);
}

function ruleOf(event: EventBridgeEvent): Rule | undefined {
  const prefix = field(event, 'ecrRepositoryPrefix');
  if (!prefix) return undefined;
  const registryId = field(event, 'registryId') ?? accountOf(event);
  return {
    prefix,
    registryId,
    upstreamUrl: field(event, 'upstreamRegistryUrl'),
    upstreamPrefix: field(event, 'upstreamRepositoryPrefix'),
    id: repositoryArn(event, prefix.replace(/\/+$/, ''), registryId),
  };
}

/** Docker Hub's registry endpoint is how image references name it: docker.io. */
function upstreamHost(url: string): string {
  const host = url
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '');
  return host === 'registry-1.docker.io' || host === 'index.docker.io' ? 'docker.io' : host;
}

/**
 * The same approval rule as image references in task definitions: an entry of
 * settings.approvedRegistries equal to the upstream host or a prefix of `host/upstreamRepositoryPrefix`,
 * or a private ECR registry of this account or a trusted account.
 */
function isApprovedUpstream(rule: Rule, event: EventBridgeEvent, settings: ControlSettings): boolean {
  if (!rule.upstreamUrl) return true;
  const host = upstreamHost(rule.upstreamUrl);
  const scoped = rule.upstreamPrefix && rule.upstreamPrefix !== 'ROOT' ? `${host}/${rule.upstreamPrefix.replace(/\/+$/, '')}` : host;
  const approvedByList = settings.approvedRegistries.some((entry) => {
    const prefix = upstreamHost(entry);
    return prefix.length > 0 && (host === prefix || scoped === prefix || scoped.startsWith(`${prefix}/`));
  });
  if (approvedByList) return true;
  return isTrustedEcrRegistry(host, event, settings.trustedAccounts);
}

/**
 * A pull through cache rule whose upstream registry is not approved (CreatePullThroughCacheRule):
 * any image of that upstream can then be pulled as `<account>.dkr.ecr.<region>.amazonaws.com/<prefix>/…`,
 * which looks like an internal image and passes registry allow-lists that trust the account's own
 * ECR registry. Approved: upstreams in settings.approvedRegistries, and ECR registries of this or
 * a trusted account.
 */
export const pullThroughCacheUntrustedUpstream: Control = {
  id: 'image.pull-through-cache-untrusted-upstream',
  area: 'image',
  title: 'ECR pull through cache from an unapproved upstream registry',
  severity: 'MEDIUM',
  rationale:
    'A pull through cache rule lets anyone with pull access bring any image from the upstream registry into the private registry under an internal-looking name, bypassing the approved-registry policy and laundering the provenance of public images.',
  runbook: [
    'If the upstream registry is approved, add it (or the upstream repository path) to settings.approvedRegistries.',
    'Otherwise delete the rule: ECR console → Private registry → Settings → Pull through cache → select the rule → Delete, or `aws ecr delete-pull-through-cache-rule --ecr-repository-prefix <prefix>`.',
    'Review the repositories the cache already created under the prefix (`aws ecr describe-repositories --query "repositories[?starts_with(repositoryName, \'<prefix>/\')]"`) and the tasks that run their images; delete those not approved.',
    'Limit ecr:CreatePullThroughCacheRule to the platform team and, for approved upstreams, use upstreamRepositoryPrefix to cache only the repositories you vetted.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'CM-7(5)' },
    { framework: 'nist-800-53-r5', requirement: 'SR-3' },
  ],
  patterns: [apiCallPattern(ECR_SOURCE, ['CreatePullThroughCacheRule'])],
  evaluate(event, context): Violation[] {
    const rule = ruleOf(event);
    if (!rule || isApprovedUpstream(rule, event, context.settings)) return [];
    return [
      {
        resourceId: rule.id,
        resourceType: RULE_TYPE,
        message: `ECR pull through cache rule ${rule.prefix} caches images from ${rule.upstreamUrl}${rule.upstreamPrefix ? `/${rule.upstreamPrefix}` : ''}, which is not an approved registry`,
        evidence: {
          ecrRepositoryPrefix: rule.prefix,
          upstreamRegistryUrl: rule.upstreamUrl,
          ...(rule.upstreamPrefix ? { upstreamRepositoryPrefix: rule.upstreamPrefix } : {}),
          registryId: rule.registryId,
        },
      },
    ];
  },
  resolution: {
    description: 'DeletePullThroughCacheRule of the same prefix',
    patterns: [apiCallPattern(ECR_SOURCE, ['DeletePullThroughCacheRule'])],
    resolve(event): Resolution[] {
      if (recordOf(event).eventName !== 'DeletePullThroughCacheRule') return [];
      const rule = ruleOf(event);
      return rule ? [{ resourceId: rule.id, message: `ECR pull through cache rule ${rule.prefix} was deleted` }] : [];
    },
  },
};
