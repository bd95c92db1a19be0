/**
 * Helpers shared by the iam area's controls.
 *
 * Resource ids follow what CloudFormation's Ref returns, so that the violating and the resolving
 * event name a resource the same way even when only one of them carries an ARN: IAM users, roles
 * and groups by name, managed policies by ARN, the account (root user, password policy) by its id.
 * IAM is global: its CloudTrail events are delivered in us-east-1, so findings on IAM resources
 * share one region.
 */
import type { EventPattern, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { CLOUDTRAIL_DETAIL_TYPES } from '../../model/event';
import { asString, pathGet } from '../../kernel/values';
import { ACCOUNT_RESOURCE_TYPE, accountOf, recordOf, requestOf } from '../../kernel/records';
import { IAM_ROLE_TYPE, IAM_USER_TYPE, accessKeyLabel, callerOf } from '../../kernel/principals';
import { IAM_SOURCE, SIGNIN_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

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
    detail: { eventSource: [SIGNIN_SOURCE], eventName: ['ConsoleLogin'], ...detail },
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
    return name ? { name, resourceType: IAM_USER_TYPE, kind: 'user' } : undefined;
  }
  if (/RolePolic/.test(eventName)) {
    const name = asString(request.roleName);
    return name ? { name, resourceType: IAM_ROLE_TYPE, kind: 'role' } : undefined;
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

/** The principal that made a call, as a finding resource: repeated calls by one principal aggregate on it. */
export interface Principal {
  resourceId: string;
  resourceType: string;
  /** "IAM user alice", "Role deploy (session ci-42)", "The root user of account 123456789012". */
  label: string;
}

/**
 * The principal behind the record's userIdentity (the kernel's callerOf), labelled for the iam
 * controls' messages: an IAM user, the role behind an assumed-role session, or the account for the
 * root user. Undefined for AWS services, federated users, Identity Center directory users and
 * identities the record leaves incomplete.
 */
function callerPrincipalOf(event: EventBridgeEvent): Principal | undefined {
  const caller = callerOf(event);
  if (!caller) return undefined;
  const { resourceId, resourceType, session } = caller;
  switch (caller.kind) {
    case 'iam-user':
      return { resourceId, resourceType, label: `IAM user ${resourceId}` };
    case 'role':
      return { resourceId, resourceType, label: `Role ${resourceId}${session ? ` (session ${session})` : ''}` };
    case 'root':
      return { resourceId, resourceType, label: `The root user of account ${resourceId}` };
    default:
      return undefined;
  }
}

/** A finding on the calling principal, but for the resource (the principal itself). */
export type CallerFinding = Omit<Violation, 'resourceId' | 'resourceType'>;

/**
 * The finding on the principal that made the call, so that its repeated calls aggregate on one
 * finding; none when the caller is not a principal the iam findings name (see callerPrincipalOf).
 */
export function findingOnCaller(event: EventBridgeEvent, describe: (principal: Principal) => CallerFinding): Violation[] {
  const principal = callerPrincipalOf(event);
  return principal ? [{ resourceId: principal.resourceId, resourceType: principal.resourceType, ...describe(principal) }] : [];
}

/**
 * Invokers that act for a person at the console and keep that person's identity: CloudTrail marks
 * some console actions (the root user's too) invokedBy signin.amazonaws.com. Any other invokedBy is
 * an AWS service acting on the principal's behalf (CloudFormation, Config, SQS, …).
 */
export const PERSON_FACING_INVOKERS: ReadonlySet<string> = new Set([SIGNIN_SOURCE]);

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

/** What CloudTrail writes as userName when the name typed at sign-in is not an IAM user of the account. */
export const HIDDEN_USER_NAME = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** Who a ConsoleLogin record is about: the root user, an IAM user, or a name that is not a user of the account. */
export interface SignInSubject {
  /** `root`, `user/<name>` or `unknown user name`: the per-user window's key within the account. */
  key: string;
  label: string;
  resourceId: string;
  resourceType: string;
  qualifier?: string;
  root: boolean;
}

export function signInSubjectOf(event: EventBridgeEvent): SignInSubject {
  const identity = recordOf(event).userIdentity;
  const account = accountOf(event);
  if (identity?.type === 'Root')
    return {
      key: 'root',
      label: `the root user of account ${account}`,
      resourceId: account,
      resourceType: ACCOUNT_RESOURCE_TYPE,
      qualifier: 'root user',
      root: true,
    };
  const userName = asString(identity?.userName);
  if (identity?.type === 'IAMUser' && userName && userName !== HIDDEN_USER_NAME)
    return { key: `user/${userName}`, label: `IAM user ${userName}`, resourceId: userName, resourceType: IAM_USER_TYPE, root: false };
  return {
    key: 'unknown user name',
    label: `names that are not IAM users of account ${account}`,
    resourceId: account,
    resourceType: ACCOUNT_RESOURCE_TYPE,
    qualifier: 'unknown user name',
    root: false,
  };
}

/** The sign-in's outcome: responseElements.ConsoleLogin, "Success" or "Failure" (sign-in records carry no errorCode). */
export function signInOutcomeOf(event: EventBridgeEvent): string | undefined {
  return asString(pathGet(recordOf(event), 'responseElements.ConsoleLogin'));
}

/** The qualifier of a finding about one access key: `access key ending in ABCD`. */
export const accessKeyQualifier = (accessKeyId: string) => `access key ${accessKeyLabel(accessKeyId)}`;

/** Whether the caller is the IAM user the call acts on (self-service), rather than someone acting on another user. */
export function isSelfService(event: EventBridgeEvent, userName: string): boolean {
  const identity = recordOf(event).userIdentity;
  return identity?.type === 'IAMUser' && asString(identity.userName) === userName;
}

/** DeleteAccessKey, or UpdateAccessKey to Inactive, of one key of the user: resolves the findings about that key. */
export function accessKeyRevocationOf(event: EventBridgeEvent, userName: string): Resolution[] {
  const request = requestOf(event);
  const accessKeyId = asString(request.accessKeyId);
  if (!accessKeyId) return [];
  if (recordOf(event).eventName === 'UpdateAccessKey' && request.status !== 'Inactive') return [];
  return [
    {
      resourceId: userName,
      qualifier: accessKeyQualifier(accessKeyId),
      message: `Access key ${accessKeyLabel(accessKeyId)} of IAM user ${userName} was ${request.status === 'Inactive' ? 'deactivated' : 'deleted'}`,
    },
  ];
}
