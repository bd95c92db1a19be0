import type { Control, EventPattern, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asString, isTrue } from '../../kernel/values';
import { ACCOUNT_RESOURCE_TYPE, accountOf, recordOf, requestOf } from '../../kernel/records';
import { accessKeyLabel } from '../../kernel/principals';
import { SECRETS_MANAGER_SOURCE, SSM_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

const SECRET_READS = ['GetSecretValue', 'BatchGetSecretValue'];
/** Parameter Store reads that return SecureString values in clear text when withDecryption is true. */
const PARAMETER_READS = ['GetParameter', 'GetParameters', 'GetParametersByPath', 'GetParameterHistory'];
/** Long-lived credentials: IAM users' access keys and passwords, and the root user. */
const LONG_LIVED_IDENTITIES = ['IAMUser', 'Root'];

/**
 * IAM Identity Center (SSO) permission sets are provisioned as roles under this path; their
 * sessions are always a person signed in through the access portal, never a workload.
 */
const IDENTITY_CENTER_ROLE_PATH = ':role/aws-reserved/sso.amazonaws.com/';

/** Successful calls by an IAM user or the root user, and by IAM Identity Center users. */
function readPatterns(eventSource: string, eventNames: string[]): EventPattern[] {
  return [
    apiCallPattern(eventSource, eventNames, { userIdentity: { type: LONG_LIVED_IDENTITIES } }),
    apiCallPattern(eventSource, eventNames, {
      userIdentity: {
        type: ['AssumedRole'],
        sessionContext: { sessionIssuer: { arn: [{ wildcard: `arn:*${IDENTITY_CENTER_ROLE_PATH}*` }] } },
      },
    }),
  ];
}

/** The Identity Center session behind an AssumedRole identity: its permission-set role and the user's session name. */
function identityCenterSession(event: EventBridgeEvent): { roleArn: string; user: string } | undefined {
  const identity = recordOf(event).userIdentity;
  const roleArn = asString(identity?.sessionContext?.sessionIssuer?.arn);
  if (identity?.type !== 'AssumedRole' || !roleArn?.includes(IDENTITY_CENTER_ROLE_PATH)) return undefined;
  const user = asString(identity.arn)?.split('/').pop() ?? asString(identity.principalId)?.split(':').pop();
  return user ? { roleArn, user } : undefined;
}

/** What was read, from the request only: names and ids, never values (CloudTrail does not log the response of these calls). */
function targetsOf(event: EventBridgeEvent): Record<string, unknown> | undefined {
  const request = requestOf(event);
  switch (recordOf(event).eventName) {
    case 'GetSecretValue':
      return { secretId: request.secretId ?? null };
    case 'BatchGetSecretValue':
      return request.secretIdList !== undefined ? { secretIdList: asArray(request.secretIdList) } : { filters: request.filters ?? null };
    case 'GetParameter':
    case 'GetParameterHistory':
      return isTrue(request.withDecryption) ? { name: request.name ?? null, withDecryption: true } : undefined;
    case 'GetParameters':
      return isTrue(request.withDecryption) ? { names: asArray(request.names), withDecryption: true } : undefined;
    case 'GetParametersByPath':
      return isTrue(request.withDecryption)
        ? { path: request.path ?? null, recursive: request.recursive ?? false, withDecryption: true }
        : undefined;
    default:
      return undefined;
  }
}

/**
 * Secret values read by a person or with long-lived credentials: GetSecretValue /
 * BatchGetSecretValue (Secrets Manager), and GetParameter(s) / GetParametersByPath /
 * GetParameterHistory with withDecryption (Parameter Store SecureStrings) called successfully by
 * an IAM user, the root user, or an IAM Identity Center user (a session of a permission-set role
 * under aws-reserved/sso.amazonaws.com/).
 *
 * Workloads read secrets through roles (instance profiles, task roles, Lambda execution roles),
 * which are never reported, nor are calls an AWS service makes on a user's behalf (invokedBy).
 * Other federated roles (SAML, web identity) cannot be told apart from workload roles in the
 * record and are not reported.
 * One finding per principal and API: repeated reads aggregate instead of producing a storm.
 * This is a single-event signal: a threshold (many secrets, a new source address) comes later.
 */
export const secretReadByIamUser: Control = {
  id: 'data.secret-read-by-iam-user',
  area: 'data',
  title: 'Secret values read by an IAM user, the root user or an IAM Identity Center user',
  severity: 'LOW',
  rationale:
    'Applications read secrets through roles; an IAM user, the root user or an IAM Identity Center user reading secret values means long-lived access keys or a person are pulling production credentials, which is what an attacker with leaked keys or a hijacked sign-in does first. Thresholds on volume come later; each read is reported once per user and API.',
  runbook: [
    'Ask the user (userIdentity.userName) whether they read these secrets, from this sourceIPAddress and userAgent; an unknown address or tool means the access key is compromised.',
    'Compromised key: deactivate it at once (IAM console → Users → <user> → Security credentials → Access keys → Actions → Deactivate; CLI `aws iam update-access-key --user-name <user> --access-key-id <key> --status Inactive`), then rotate every secret and parameter named in the evidence (`aws secretsmanager rotate-secret --secret-id <id>`; `aws ssm put-parameter --name <name> --type SecureString --overwrite --value …`).',
    'Legitimate but routine: move the workload or person to a role (IAM Identity Center for people, instance/task roles for software) and remove secretsmanager:GetSecretValue, ssm:GetParameter* and kms:Decrypt from the user’s policies.',
    'Root user: no one should read secrets as root; review the root user’s other activity and secure its credentials (MFA, no access keys).',
    'IAM Identity Center user: ask the user (the session name in userIdentity.arn) about the read; if they did not make it, end their sessions (IAM Identity Center console → Users → <user> → Active sessions → Delete session), reset their password and MFA, and rotate the secrets read. Routine: grant secret reads through a break-glass permission set rather than everyday ones.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-6(9)' },
    { framework: 'nist-800-53-r5', requirement: 'AU-6' },
    { framework: 'nist-800-53-r5', requirement: 'IA-5' },
    { framework: 'pci-dss-4.0', requirement: '8.6.3' },
    { framework: 'hipaa', requirement: '164.312(b)' },
  ],
  attack: ['T1555.006'],
  patterns: [...readPatterns(SECRETS_MANAGER_SOURCE, SECRET_READS), ...readPatterns(SSM_SOURCE, PARAMETER_READS)],
  evaluate(event) {
    const record = recordOf(event);
    const identity = record.userIdentity;
    if (!identity) return [];
    const session = identityCenterSession(event);
    if (!session && !LONG_LIVED_IDENTITIES.includes(asString(identity.type) ?? '')) return [];
    // An AWS service calling with the user's credentials on their behalf (e.g. CloudFormation) is not the user reading.
    if (identity.invokedBy) return [];
    const api = asString(record.eventName) ?? '';
    const targets = targetsOf(event);
    if (!targets) return [];
    const source = asString(record.sourceIPAddress) ?? 'an unknown address';
    const accessKeyId = asString(identity.accessKeyId);
    const evidence = {
      eventSource: record.eventSource,
      ...targets,
      userIdentity: {
        type: identity.type,
        userName: identity.userName ?? null,
        arn: identity.arn ?? null,
        accessKey: accessKeyId ? accessKeyLabel(accessKeyId) : null,
      },
      sourceIPAddress: record.sourceIPAddress ?? null,
      userAgent: record.userAgent ?? null,
    };
    const what = record.eventSource === SSM_SOURCE ? 'decrypted SecureString parameter values' : 'secret values';
    if (session) {
      return [
        {
          resourceId: session.roleArn,
          resourceType: 'AWS::IAM::Role',
          qualifier: `${api} by ${session.user}`,
          message: `IAM Identity Center user ${session.user} read ${what} (${api}) through permission-set role ${session.roleArn.split('/').pop()} from ${source}`,
          evidence,
        },
      ];
    }
    if (identity.type === 'Root') {
      const account = accountOf(event);
      const violation: Violation = {
        resourceId: account,
        resourceType: ACCOUNT_RESOURCE_TYPE,
        qualifier: `root user ${api}`,
        severity: 'MEDIUM',
        message: `The root user of account ${account} read ${what} (${api}) from ${source}`,
        evidence,
      };
      return [violation];
    }
    const userName = asString(identity.userName);
    if (!userName) return [];
    return [
      {
        resourceId: userName,
        resourceType: 'AWS::IAM::User',
        qualifier: api,
        message: `IAM user ${userName} read ${what} (${api}) with long-lived credentials from ${source}`,
        evidence,
      },
    ];
  },
};
