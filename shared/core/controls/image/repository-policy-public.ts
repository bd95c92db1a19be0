import type { Control, ControlSettings, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString } from '../../kernel/values';
import { accountOf, recordOf, requestOf, responseOf } from '../../kernel/records';
import { ECR_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { type PolicyStatement, actionsOf, isPublicAllow, statementsOf, untrustedAccounts } from '../../kernel/policy';
import { REPOSITORY_TYPE, repositoryOfCall } from './support';

/** ECR actions that change a repository's content or its policy (ECR API reference, IAM actions for ECR). */
const WRITE_ACTIONS = [
  'ecr:putimage',
  'ecr:initiatelayerupload',
  'ecr:uploadlayerpart',
  'ecr:completelayerupload',
  'ecr:batchdeleteimage',
  'ecr:deleterepository',
  'ecr:setrepositorypolicy',
  'ecr:deleterepositorypolicy',
  'ecr:putimagetagmutability',
  'ecr:replicateimage',
];

/** IAM action matching: case-insensitive, `*` and `?` wildcards. */
function actionMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .toLowerCase()
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return regex.test(action);
}

/** True when the statement grants any action that writes to the repository (NotAction counts as everything). */
function grantsWrite(statement: PolicyStatement): boolean {
  if (statement.NotAction !== undefined) return true;
  return actionsOf(statement).some((pattern) => WRITE_ACTIONS.some((action) => actionMatches(pattern, action)));
}

interface Exposure {
  qualifier: string;
  write: boolean;
  statement: PolicyStatement;
  who: string;
}

/** What a SetRepositoryPolicy document opens: to anyone, and to accounts neither this one nor trusted. */
function exposuresOf(event: EventBridgeEvent, settings: ControlSettings): Exposure[] {
  const document = requestOf(event).policyText ?? responseOf(event).policyText;
  const registry = asString(responseOf(event).registryId) ?? asString(requestOf(event).registryId) ?? accountOf(event);
  const exposures: Exposure[] = [];
  for (const statement of statementsOf(document)) {
    if (isPublicAllow(statement)) {
      exposures.push({ qualifier: 'public', write: grantsWrite(statement), statement, who: 'anyone' });
      continue;
    }
    for (const account of untrustedAccounts(statement, registry, settings.trustedAccounts)) {
      exposures.push({ qualifier: `account ${account}`, write: grantsWrite(statement), statement, who: `account ${account}` });
    }
  }
  // One violation per grantee: keep the broadest statement for each.
  const byQualifier = new Map<string, Exposure>();
  for (const exposure of exposures) {
    const known = byQualifier.get(exposure.qualifier);
    if (!known || (exposure.write && !known.write)) byQualifier.set(exposure.qualifier, exposure);
  }
  return [...byQualifier.values()];
}

/**
 * ECR repository policies (SetRepositoryPolicy) that let anyone — Principal "*" without a
 * condition that narrows it to known accounts, organizations or networks — or an account outside
 * this one and settings.trustedAccounts pull from or push to the repository. Push rights are
 * worse than pull rights: whoever can push can replace the images clusters run.
 */
export const repositoryPolicyPublic: Control = {
  id: 'image.repository-policy-public',
  area: 'image',
  title: 'ECR repository policy open to anyone or to an untrusted account',
  severity: 'HIGH',
  rationale:
    'A repository policy open to "*" publishes private images (and the secrets and code baked into them) to every AWS account; push rights for an untrusted principal let it replace images that production pulls, a direct supply-chain compromise.',
  runbook: [
    'Review the statement at fault: ECR console → Repositories → <repository> → Permissions, or `aws ecr get-repository-policy --repository-name <name>`.',
    'Remove the grant: `aws ecr delete-repository-policy --repository-name <name>`, or set a policy naming only the organization (`aws:PrincipalOrgID` condition) or specific accounts: `aws ecr set-repository-policy --repository-name <name> --policy-text file://policy.json`.',
    'If push rights were open, list recent pushes (`aws ecr describe-images --repository-name <name>` and CloudTrail PutImage events from other accounts) and redeploy from digests you built.',
    'Add accounts that may legitimately pull to settings.trustedAccounts.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-3' },
    { framework: 'nist-800-53-r5', requirement: 'AC-6' },
    { framework: 'nist-800-53-r5', requirement: 'AC-21' },
    { framework: 'hipaa', requirement: '164.312(a)(1)' },
  ],
  patterns: [apiCallPattern(ECR_SOURCE, ['SetRepositoryPolicy'])],
  evaluate(event, context): Violation[] {
    const repository = repositoryOfCall(event);
    if (!repository) return [];
    return exposuresOf(event, context.settings).map((exposure) => ({
      resourceId: repository.arn,
      resourceType: REPOSITORY_TYPE,
      qualifier: exposure.qualifier,
      severity: exposure.qualifier === 'public' ? (exposure.write ? 'CRITICAL' : 'HIGH') : exposure.write ? 'HIGH' : 'MEDIUM',
      message: `ECR repository ${repository.name} policy lets ${exposure.who} ${exposure.write ? 'push to and modify' : 'pull from'} the repository`,
      evidence: { repositoryName: repository.name, statement: exposure.statement },
    }));
  },
  resolution: {
    description:
      'DeleteRepositoryPolicy or DeleteRepository; SetRepositoryPolicy with no public grant (resolves the public finding) or with no untrusted grant either (resolves all)',
    patterns: [apiCallPattern(ECR_SOURCE, ['SetRepositoryPolicy', 'DeleteRepositoryPolicy', 'DeleteRepository'])],
    resolve(event, context): Resolution[] {
      const repository = repositoryOfCall(event);
      if (!repository) return [];
      const eventName = recordOf(event).eventName;
      if (eventName === 'DeleteRepositoryPolicy')
        return [{ resourceId: repository.arn, message: `ECR repository ${repository.name} no longer has a repository policy` }];
      if (eventName === 'DeleteRepository')
        return [{ resourceId: repository.arn, message: `ECR repository ${repository.name} was deleted` }];
      const exposures = exposuresOf(event, context.settings);
      if (exposures.length === 0)
        return [
          { resourceId: repository.arn, message: `ECR repository ${repository.name} policy grants only this account and trusted accounts` },
        ];
      return exposures.some((e) => e.qualifier === 'public')
        ? []
        : [
            {
              resourceId: repository.arn,
              qualifier: 'public',
              message: `ECR repository ${repository.name} policy is no longer open to anyone`,
            },
          ];
    },
  },
};
