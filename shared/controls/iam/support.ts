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
import { apiCallPattern, asString, recordOf, requestOf } from '../support';
export { ACCOUNT_RESOURCE_TYPE, accountOf } from '../support';

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
