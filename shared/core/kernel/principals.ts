/**
 * Who made a call, from the record's userIdentity (fields per the CloudTrail userIdentity
 * reference): its name for messages, its identity for evidence, and the principal a finding about
 * the caller is kept on, so that repeated calls by one principal aggregate.
 */
import type { EventBridgeEvent } from '../model/event';
import { ACCOUNT_RESOURCE_TYPE, accountOf, recordOf } from './records';
import { asString } from './values';

/** CloudFormation's types for the IAM principals a finding can name (Ref: the user or role name). */
export const IAM_USER_TYPE = 'AWS::IAM::User';
export const IAM_ROLE_TYPE = 'AWS::IAM::Role';

/** Who made the call, for messages: the principal's ARN, else its identity type, else "an unknown principal". */
export function principalOf(event: EventBridgeEvent): string {
  const identity = recordOf(event).userIdentity;
  return asString(identity?.arn) ?? asString(identity?.type) ?? 'an unknown principal';
}

/** The caller's ARN as the record gives it (the session ARN for assumed roles). */
export function callerArnOf(event: EventBridgeEvent): string | undefined {
  return asString(recordOf(event).userIdentity?.arn);
}

/** The caller's identity type and ARN, for the evidence of a finding (null where the record has none). */
export function callerEvidenceOf(event: EventBridgeEvent): { type: string | null; arn: string | null } {
  const identity = recordOf(event).userIdentity;
  return { type: asString(identity?.type) ?? null, arn: asString(identity?.arn) ?? null };
}

/** What kind of principal made a call, as far as the record names it. */
export type CallerKind = 'iam-user' | 'role' | 'federated-user' | 'root' | 'other';

/**
 * The principal behind a call, as a finding resource: an IAM user by name (else the name in its
 * ARN), an assumed-role session by its role (the sessionIssuer's name when the issuer is a role,
 * else the role in the assumed-role ARN), a federated session by the IAM user that federated it,
 * the root user and every other identity (AWS services, Identity Center directory users, records
 * that leave the name out) by the account.
 */
export interface Caller {
  kind: CallerKind;
  /** The user or role name for IAM users, roles and federated users; the account id otherwise. */
  resourceId: string;
  resourceType: string;
  /** The role session name of an assumed role, when its ARN has one. */
  session?: string;
  /** The caller's ARN as CloudTrail records it (the session ARN for assumed roles). */
  arn?: string;
  /** userIdentity.type as recorded. */
  type?: string;
}

/** arn:aws:iam::123456789012:user/path/alice → alice. */
function userNameFromArn(arn: string | undefined): string | undefined {
  return arn ? /^arn:aws[a-z-]*:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1] : undefined;
}

/** arn:aws:sts::123456789012:assumed-role/deploy/ci-42 → deploy and ci-42. */
function assumedRoleOf(arn: string | undefined): { role?: string; session?: string } {
  const match = arn ? /^arn:aws[a-z-]*:sts::\d{12}:assumed-role\/([^/]+)\/([^/]+)$/.exec(arn) : null;
  return { role: match?.[1], session: match?.[2] };
}

/** The principal behind the record's userIdentity (see Caller); undefined when the record has no userIdentity. */
export function callerOf(event: EventBridgeEvent): Caller | undefined {
  const identity = recordOf(event).userIdentity;
  if (!identity) return undefined;
  const arn = asString(identity.arn);
  const type = asString(identity.type);
  const issuer = identity.sessionContext?.sessionIssuer;
  const seen = { ...(arn !== undefined ? { arn } : {}), ...(type !== undefined ? { type } : {}) };
  switch (identity.type) {
    case 'IAMUser': {
      const user = asString(identity.userName) ?? userNameFromArn(arn);
      if (user) return { kind: 'iam-user', resourceId: user, resourceType: IAM_USER_TYPE, ...seen };
      break;
    }
    case 'AssumedRole': {
      const { role, session } = assumedRoleOf(arn);
      const name = issuer?.type === 'Role' ? asString(issuer.userName) : role;
      if (name)
        return { kind: 'role', resourceId: name, resourceType: IAM_ROLE_TYPE, ...(session === undefined ? {} : { session }), ...seen };
      break;
    }
    case 'FederatedUser': {
      const user = asString(issuer?.userName);
      if (user) return { kind: 'federated-user', resourceId: user, resourceType: IAM_USER_TYPE, ...seen };
      break;
    }
    case 'Root':
      return { kind: 'root', resourceId: accountOf(event), resourceType: ACCOUNT_RESOURCE_TYPE, ...seen };
    default:
      break;
  }
  return { kind: 'other', resourceId: accountOf(event), resourceType: ACCOUNT_RESOURCE_TYPE, ...seen };
}

/** True when the call was made by CloudFormation on a stack's behalf (invokedBy, or CloudFormation's own source address). */
export function madeByCloudFormation(event: EventBridgeEvent): boolean {
  const record = recordOf(event);
  return record.userIdentity?.invokedBy === 'cloudformation.amazonaws.com' || record.sourceIPAddress === 'cloudformation.amazonaws.com';
}

/**
 * How an access key id is shown in findings: its last four characters. Access key ids are treated as
 * secret-shaped (they pair with a secret), so ids, messages and qualifiers never hold one whole.
 */
export function accessKeyLabel(accessKeyId: string): string {
  return `ending in ${accessKeyId.slice(-4)}`;
}
