import type { Control } from '../../model/control';
import type { Severity } from '../../model/severity';
import { maxSeverity } from '../../model/severity';
import { asString } from '../../kernel/values';
import { accountOf, recordOf, requestOf } from '../../kernel/records';
import { IAM_ROLE_TYPE } from '../../kernel/principals';
import {
  type PolicyStatement,
  conditionsOf,
  isAllow,
  isPublicAllow,
  principalsOf,
  statementsOf,
  untrustedAccounts,
} from '../../kernel/policy';
import { iamCall } from './support';

const GITHUB_OIDC = 'token.actions.githubusercontent.com';

/**
 * A trust on GitHub's OIDC provider without a condition on the token's `sub` claim lets a
 * workflow in any GitHub repository assume the role (AWS and GitHub both require pinning `sub`).
 */
function isUnpinnedGithubTrust(statement: PolicyStatement): boolean {
  if (!isAllow(statement)) return false;
  const trustsGithub = principalsOf(statement).federated.some((p) => p.endsWith(`oidc-provider/${GITHUB_OIDC}`));
  if (!trustsGithub) return false;
  const pinsSubject = conditionsOf(statement).some(
    (c) =>
      c.key === `${GITHUB_OIDC}:sub` &&
      !/Not/i.test(c.operator) &&
      c.values.length > 0 &&
      c.values.every((v) => v !== '*' && v.trim() !== ''),
  );
  return !pinsSubject;
}

interface TrustProblem {
  severity: Severity;
  what: string;
  statement: PolicyStatement;
}

function trustProblems(document: unknown, ownAccount: string, trustedAccounts: readonly string[]): TrustProblem[] {
  const problems: TrustProblem[] = [];
  for (const statement of statementsOf(document)) {
    if (isPublicAllow(statement)) {
      problems.push({ severity: 'CRITICAL', what: 'any AWS principal', statement });
      continue;
    }
    if (isUnpinnedGithubTrust(statement)) {
      problems.push({ severity: 'CRITICAL', what: 'any GitHub Actions workflow (no sub condition)', statement });
      continue;
    }
    const accounts = untrustedAccounts(statement, ownAccount, trustedAccounts);
    if (accounts.length > 0) problems.push({ severity: 'HIGH', what: `untrusted account ${accounts.join(', ')}`, statement });
  }
  return problems;
}

/** CreateRole carries the trust policy as assumeRolePolicyDocument, UpdateAssumeRolePolicy as policyDocument. */
function trustDocumentOf(request: Record<string, unknown>): unknown {
  return request.assumeRolePolicyDocument ?? request.policyDocument;
}

/**
 * Role trust policies (CreateRole, UpdateAssumeRolePolicy) that let outsiders assume the role:
 * Principal "*" without a condition pinning the caller's account or organization (an ExternalId
 * alone is a shared value, not an identity), GitHub's OIDC provider without a `sub` condition, or
 * AWS principals in accounts that are neither this account nor in settings.trustedAccounts.
 */
export const roleTrustPolicyOpen: Control = {
  id: 'iam.role-trust-policy-open',
  area: 'iam',
  title: 'Role trust policy lets outsiders assume the role',
  severity: 'HIGH',
  rationale:
    'Whoever a trust policy admits can take on the role and all its permissions; a trust open to everyone, to any GitHub workflow, or to an unknown account is a standing backdoor into this account.',
  runbook: [
    'Check who added the trust and whether the outside party is known; if not, revoke active sessions (IAM console → Roles → <role> → Revoke sessions) and review what the role did.',
    'Narrow the trust: IAM console → Roles → <role> → Trust relationships → Edit trust policy; or `aws iam update-assume-role-policy --role-name <role> --policy-document file://trust.json` naming exact account or role ARNs, with aws:PrincipalOrgID or aws:SourceAccount conditions where a service is trusted.',
    'For GitHub Actions, add a StringEquals/StringLike condition on token.actions.githubusercontent.com:sub (repo:<org>/<repo>:ref:refs/heads/<branch>) and on :aud (sts.amazonaws.com).',
    'If the outside account is a legitimate partner, add it to trustedAccounts in the trailwarden settings.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-3' },
    { framework: 'nist-800-53-r5', requirement: 'AC-6' },
  ],
  patterns: [iamCall(['CreateRole', 'UpdateAssumeRolePolicy'])],
  evaluate(event, context) {
    const request = requestOf(event);
    const roleName = asString(request.roleName);
    if (!roleName) return [];
    const problems = trustProblems(trustDocumentOf(request), accountOf(event), context.settings.trustedAccounts);
    if (problems.length === 0) return [];
    const severity = problems.map((p) => p.severity).reduce(maxSeverity);
    const verb = recordOf(event).eventName === 'CreateRole' ? 'was created with a trust policy' : 'now has a trust policy';
    return [
      {
        resourceId: roleName,
        resourceType: IAM_ROLE_TYPE,
        severity,
        message: `IAM role ${roleName} ${verb} that lets ${[...new Set(problems.map((p) => p.what))].join(' and ')} assume it`,
        evidence: { roleName, statements: problems.map((p) => p.statement) },
      },
    ];
  },
  resolution: {
    description:
      'UpdateAssumeRolePolicy with a trust policy limited to this account, trusted accounts and pinned identity providers, or DeleteRole',
    patterns: [iamCall(['UpdateAssumeRolePolicy', 'DeleteRole'])],
    resolve(event, context) {
      const request = requestOf(event);
      const roleName = asString(request.roleName);
      if (!roleName) return [];
      if (recordOf(event).eventName === 'DeleteRole') return [{ resourceId: roleName, message: `IAM role ${roleName} was deleted` }];
      if (trustProblems(trustDocumentOf(request), accountOf(event), context.settings.trustedAccounts).length > 0) return [];
      return [{ resourceId: roleName, message: `IAM role ${roleName} trusts only known principals again` }];
    },
  },
};
