/**
 * Helpers shared by the host area's controls. EC2 instances, images and snapshots are named by
 * their ids (i-…, ami-…, snap-…) as CloudTrail records them; account-level EC2 settings by the
 * account id.
 */
import type { EventBridgeEvent } from '../../model/event';
import { ACCOUNT_RESOURCE_TYPE, accountOf as accountIdOf, asArray, asRecord, asString, pathGet, recordOf, requestOf, responseOf } from '../../kernel';

export const EC2_SOURCE = 'ec2.amazonaws.com';
export const INSTANCE_TYPE = 'AWS::EC2::Instance';

/**
 * Newer EC2 APIs are logged with the request wrapped in `<Action>Request` and PascalCase members
 * (e.g. `{"ModifyInstanceMetadataOptionsRequest": {"HttpTokens": "required", "InstanceId": "i-…"}}`),
 * older ones flat in camelCase. Reads a member either way.
 */
export function ec2RequestField(event: EventBridgeEvent, name: string): unknown {
  const request = requestOf(event);
  const wrapped = asRecord(request[`${recordOf(event).eventName ?? ''}Request`]);
  const pascal = name.charAt(0).toUpperCase() + name.slice(1);
  const camel = name.charAt(0).toLowerCase() + name.slice(1);
  return wrapped[pascal] ?? wrapped[camel] ?? request[camel] ?? request[pascal];
}

/** The same for responses (`<Action>Response`, camelCase members). */
export function ec2ResponseField(event: EventBridgeEvent, path: string): unknown {
  const response = responseOf(event);
  const wrapped = response[`${recordOf(event).eventName ?? ''}Response`];
  return pathGet(wrapped, path) ?? pathGet(response, path);
}

/** `{items: [...]}` lists (EC2's XML-derived shapes) or plain arrays → records. */
export function itemsOf(value: unknown): Array<Record<string, unknown>> {
  const items = Array.isArray(value) ? value : asArray(asRecord(value).items);
  return items.map(asRecord);
}

/** Instance ids a TerminateInstances call names (response first, request as fallback). */
export function terminatedInstanceIds(event: EventBridgeEvent): string[] {
  const fromResponse = itemsOf(pathGet(responseOf(event), 'instancesSet')).map((i) => asString(i.instanceId));
  const fromRequest = itemsOf(pathGet(requestOf(event), 'instancesSet')).map((i) => asString(i.instanceId));
  const ids = (fromResponse.length > 0 ? fromResponse : fromRequest).filter((id): id is string => id !== undefined);
  return [...new Set(ids)];
}

/** CloudFormation's types for the IAM principals a finding can name (Ref: the user or role name). */
export const IAM_USER_TYPE = 'AWS::IAM::User';
export const IAM_ROLE_TYPE = 'AWS::IAM::Role';

/** The principal behind a call, as a finding resource: the IAM user or role (by name), else the account. */
export interface CallingPrincipal {
  resourceId: string;
  resourceType: string;
  /** For people: "role PlatformAdmin (session alice@example.com)", "IAM user ci-deployer", "the root user". */
  label: string;
  /** The caller's ARN as CloudTrail records it (the session ARN for assumed roles). */
  arn?: string;
}

/**
 * Who made a call, named so that repeated calls aggregate: an assumed-role session by its role
 * (sessionContext.sessionIssuer, else the role name in the assumed-role ARN), an IAM user by name,
 * a federated session by the IAM user that federated it, the root user and other identities by the
 * account. Undefined for AWS services (userIdentity.type AWSService, or `invokedBy` set: the call
 * was made by a service on the principal's behalf).
 */
export function callingPrincipalOf(event: EventBridgeEvent): CallingPrincipal | undefined {
  const identity = recordOf(event).userIdentity;
  if (!identity || identity.type === 'AWSService' || asString(identity.invokedBy)) return undefined;
  const arn = asString(identity.arn);
  const issuer = identity.sessionContext?.sessionIssuer;
  switch (identity.type) {
    case 'AssumedRole': {
      const role = asString(issuer?.userName) ?? arn?.match(/:assumed-role\/([^/]+)\//)?.[1];
      const session = arn?.split('/').pop();
      if (role) return { resourceId: role, resourceType: IAM_ROLE_TYPE, label: `role ${role}${session ? ` (session ${session})` : ''}`, arn };
      break;
    }
    case 'IAMUser': {
      const user = asString(identity.userName) ?? arn?.match(/:user\/(?:.*\/)?([^/]+)$/)?.[1];
      if (user) return { resourceId: user, resourceType: IAM_USER_TYPE, label: `IAM user ${user}`, arn };
      break;
    }
    case 'FederatedUser': {
      const user = asString(issuer?.userName);
      if (user) return { resourceId: user, resourceType: IAM_USER_TYPE, label: `IAM user ${user} (federated session ${arn ?? 'unknown'})`, arn };
      break;
    }
    case 'Root':
      return { resourceId: accountIdOf(event), resourceType: ACCOUNT_RESOURCE_TYPE, label: 'the root user', arn };
    default:
      break;
  }
  return { resourceId: accountIdOf(event), resourceType: ACCOUNT_RESOURCE_TYPE, label: arn ?? `a ${identity.type ?? 'caller'} identity`, arn };
}
