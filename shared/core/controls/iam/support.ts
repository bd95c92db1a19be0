/**
 * Helpers shared by the iam area's controls.
 *
 * Resource ids follow what CloudFormation's Ref returns, so that the violating and the resolving
 * event name a resource the same way even when only one of them carries an ARN: IAM users, roles
 * and groups by name, managed policies by ARN, the account (root user, password policy) by its id.
 * IAM is global: its CloudTrail events are delivered in us-east-1, so findings on IAM resources
 * share one region.
 */
import type { EventPattern } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { CLOUDTRAIL_DETAIL_TYPES } from '../../model/event';
import { ACCOUNT_RESOURCE_TYPE, accountOf, apiCallPattern, asString, recordOf, requestOf } from '../../kernel';
export { ACCOUNT_RESOURCE_TYPE, accountOf } from '../../kernel';

export const IAM_SOURCE = 'iam.amazonaws.com';


export const USER_TYPE = 'AWS::IAM::User';
export const ROLE_TYPE = 'AWS::IAM::Role';
export const GROUP_TYPE = 'AWS::IAM::Group';
export const MANAGED_POLICY_TYPE = 'AWS::IAM::ManagedPolicy';

/** Successful IAM API calls with these names. */
export function iamCall(eventNames: string[], detail: Record<string, unknown> = {}): EventPattern {
  return apiCallPattern(IAM_SOURCE, eventNames, detail);
}

/** Successful console sign-ins (ConsoleLogin records carry no errorCode: the outcome is in responseElements). */
export function consoleLoginPattern(detail: Record<string, unknown> = {}): EventPattern {
  return {
    source: ['aws.signin'],
    'detail-type': [CLOUDTRAIL_DETAIL_TYPES.AwsConsoleSignIn],
    detail: { eventSource: ['signin.amazonaws.com'], eventName: ['ConsoleLogin'], ...detail },
  };
}

export function isRootIdentity(event: EventBridgeEvent): boolean {
  return recordOf(event).userIdentity?.type === 'Root';
}

/**
 * The IAM user an IAM user-management call acts on: requestParameters.userName, or — where the API
 * lets the caller omit it to mean themselves — the calling IAM user. Undefined when the caller is
 * the root user acting on its own credentials.
 */
export function targetUserName(event: EventBridgeEvent): string | undefined {
  const requested = asString(requestOf(event).userName);
  if (requested) return requested;
  const identity = recordOf(event).userIdentity;
  return identity?.type === 'IAMUser' ? asString(identity.userName) : undefined;
}

/** The principal an Attach/Detach/Put/Delete{User,Role,Group}Policy call targets. */
export interface PolicyHolder {
  name: string;
  resourceType: string;
  kind: 'user' | 'role' | 'group';
}

export function policyHolderOf(event: EventBridgeEvent): PolicyHolder | undefined {
  const request = requestOf(event);
  const eventName = asString(recordOf(event).eventName) ?? '';
  if (/UserPolic/.test(eventName)) {
    const name = asString(request.userName);
    return name ? { name, resourceType: USER_TYPE, kind: 'user' } : undefined;
  }
  if (/RolePolic/.test(eventName)) {
    const name = asString(request.roleName);
    return name ? { name, resourceType: ROLE_TYPE, kind: 'role' } : undefined;
  }
  if (/GroupPolic/.test(eventName)) {
    const name = asString(request.groupName);
    return name ? { name, resourceType: GROUP_TYPE, kind: 'group' } : undefined;
  }
  return undefined;
}

/** The AWS managed AdministratorAccess policy, in any partition (aws, aws-cn, aws-us-gov). */
export function isAdministratorAccessArn(policyArn: string | undefined): boolean {
  return policyArn !== undefined && /^arn:aws[a-z-]*:iam::aws:policy\/AdministratorAccess$/.test(policyArn);
}

/**
 * How an access key id is shown in findings: its last four characters. trailwarden treats access
 * key ids as secret-shaped (they pair with a secret), so ids, messages and qualifiers never hold one whole.
 */
export function accessKeyLabel(accessKeyId: string): string {
  return `ending in ${accessKeyId.slice(-4)}`;
}

/** The principal that made a call, as a finding resource: repeated calls by one principal aggregate on it. */
export interface Principal {
  resourceId: string;
  resourceType: string;
  /** "IAM user alice", "Role deploy (session ci-42)", "The root user of account 123456789012". */
  label: string;
}

/**
 * The principal behind the record's userIdentity: an IAM user by name, the role behind an
 * assumed-role session by name, or the account for the root user. Undefined for AWS services,
 * federated users, Identity Center directory users and identities the record leaves incomplete.
 */
export function principalOf(event: EventBridgeEvent): Principal | undefined {
  const identity = recordOf(event).userIdentity;
  switch (identity?.type) {
    case 'IAMUser': {
      const name = asString(identity.userName) ?? userNameFromArn(asString(identity.arn));
      return name ? { resourceId: name, resourceType: USER_TYPE, label: `IAM user ${name}` } : undefined;
    }
    case 'AssumedRole': {
      const issuer = identity.sessionContext?.sessionIssuer;
      const name = issuer?.type === 'Role' ? asString(issuer.userName) : roleNameFromSessionArn(asString(identity.arn));
      if (!name) return undefined;
      const session = sessionNameFromArn(asString(identity.arn));
      return { resourceId: name, resourceType: ROLE_TYPE, label: `Role ${name}${session ? ` (session ${session})` : ''}` };
    }
    case 'Root': {
      const account = accountOf(event);
      return { resourceId: account, resourceType: ACCOUNT_RESOURCE_TYPE, label: `The root user of account ${account}` };
    }
    default:
      return undefined;
  }
}

/** arn:aws:iam::123456789012:user/path/alice → alice. */
function userNameFromArn(arn: string | undefined): string | undefined {
  const match = arn ? /^arn:aws[a-z-]*:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(arn) : null;
  return match?.[1];
}

/** arn:aws:sts::123456789012:assumed-role/deploy/ci-42 → deploy. */
function roleNameFromSessionArn(arn: string | undefined): string | undefined {
  const match = arn ? /^arn:aws[a-z-]*:sts::\d{12}:assumed-role\/([^/]+)\/[^/]+$/.exec(arn) : null;
  return match?.[1];
}

/** arn:aws:sts::123456789012:assumed-role/deploy/ci-42 → ci-42. */
function sessionNameFromArn(arn: string | undefined): string | undefined {
  const match = arn ? /^arn:aws[a-z-]*:sts::\d{12}:assumed-role\/[^/]+\/([^/]+)$/.exec(arn) : null;
  return match?.[1];
}

/**
 * Invokers that act for a person at the console and keep that person's identity: CloudTrail marks
 * some console actions invokedBy signin.amazonaws.com. Any other invokedBy is an AWS service acting
 * on the principal's behalf (CloudFormation, Config, SQS, …).
 */
const PERSON_FACING_INVOKERS = new Set(['signin.amazonaws.com']);

/**
 * True when an AWS service, not the principal's own client, made the call: userIdentity.invokedBy
 * names a service, sourceIPAddress is a service host name (sqs.amazonaws.com) or "AWS Internal", or
 * the user agent is AWS's internal one (`aws-internal/…`, "AWS Internal").
 */
export function isMadeByAwsService(event: EventBridgeEvent): boolean {
  const record = recordOf(event);
  const invokedBy = asString(record.userIdentity?.invokedBy);
  if (invokedBy !== undefined && invokedBy !== '' && !PERSON_FACING_INVOKERS.has(invokedBy)) return true;
  const sourceIp = asString(record.sourceIPAddress) ?? '';
  if (/\.amazonaws\.com$/.test(sourceIp) || sourceIp === 'AWS Internal') return true;
  const userAgent = asString(record.userAgent) ?? '';
  return /^aws-internal\//.test(userAgent) || userAgent === 'AWS Internal';
}

/** The API a record is about as `<service>:<eventName>` (iam:GetRole, s3:ListBuckets). */
export function apiNameOf(event: EventBridgeEvent): string {
  const record = recordOf(event);
  const service = (asString(record.eventSource) ?? 'unknown').replace(/\.amazonaws\.com$/, '');
  return `${service}:${asString(record.eventName) ?? 'unknown'}`;
}

/**
 * EventBridge sources (aws.<service>) of the AWS services whose API calls cross-service controls
 * watch (refused calls, offensive-tool user agents, VPC endpoint network activity): identity,
 * compute, storage, data, networking, security and deployment services. A pattern naming its sources
 * is routed by source instead of being tried on every event; services missing here are not watched
 * by those controls.
 */
export const WATCHED_SERVICE_SOURCES: readonly string[] = [
  'aws.iam',
  'aws.sts',
  'aws.signin',
  'aws.sso',
  'aws.identitystore',
  'aws.organizations',
  'aws.account',
  'aws.rolesanywhere',
  'aws.ec2',
  'aws.ecs',
  'aws.eks',
  'aws.ecr',
  'aws.lambda',
  'aws.autoscaling',
  'aws.elasticloadbalancing',
  'aws.ssm',
  'aws.s3',
  'aws.elasticfilesystem',
  'aws.backup',
  'aws.rds',
  'aws.dynamodb',
  'aws.redshift',
  'aws.elasticache',
  'aws.es',
  'aws.glue',
  'aws.athena',
  'aws.kinesis',
  'aws.firehose',
  'aws.sqs',
  'aws.sns',
  'aws.events',
  'aws.states',
  'aws.apigateway',
  'aws.cloudfront',
  'aws.route53',
  'aws.kms',
  'aws.secretsmanager',
  'aws.acm',
  'aws.cloudtrail',
  'aws.logs',
  'aws.monitoring',
  'aws.config',
  'aws.guardduty',
  'aws.securityhub',
  'aws.access-analyzer',
  'aws.macie2',
  'aws.inspector2',
  'aws.wafv2',
  'aws.cloudformation',
  'aws.codebuild',
  'aws.codepipeline',
  'aws.ram',
  'aws.bedrock',
  'aws.sagemaker',
];
