/**
 * Helpers shared by the host area's controls. EC2 instances, images and snapshots are named by
 * their ids (i-…, ami-…, snap-…) as CloudTrail records them; account-level EC2 settings by the
 * account id.
 */
import type { EventBridgeEvent } from '../../model/event';
import { asString, pathGet } from '../../kernel/values';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { itemsOf } from '../../kernel/ec2';
import { callerOf } from '../../kernel/principals';

export const INSTANCE_TYPE = 'AWS::EC2::Instance';

/** Instance ids a TerminateInstances call names (response first, request as fallback). */
export function terminatedInstanceIds(event: EventBridgeEvent): string[] {
  const fromResponse = itemsOf(pathGet(responseOf(event), 'instancesSet')).map((i) => asString(i.instanceId));
  const fromRequest = itemsOf(pathGet(requestOf(event), 'instancesSet')).map((i) => asString(i.instanceId));
  const ids = (fromResponse.length > 0 ? fromResponse : fromRequest).filter((id): id is string => id !== undefined);
  return [...new Set(ids)];
}

/** The principal behind a call, as a finding resource (see the kernel's callerOf), with its label for messages. */
export interface CallingPrincipal {
  resourceId: string;
  resourceType: string;
  /** For people: "role PlatformAdmin (session alice@example.com)", "IAM user ci-deployer", "the root user". */
  label: string;
  /** The caller's ARN as CloudTrail records it (the session ARN for assumed roles). */
  arn?: string;
}

/**
 * Who made a call, named so that repeated calls aggregate (the kernel's callerOf), labelled for the
 * host controls' messages. Undefined for AWS services (userIdentity.type AWSService, or `invokedBy`
 * set: the call was made by a service on the principal's behalf).
 */
export function callingPrincipalOf(event: EventBridgeEvent): CallingPrincipal | undefined {
  const identity = recordOf(event).userIdentity;
  if (!identity || identity.type === 'AWSService' || asString(identity.invokedBy)) return undefined;
  const caller = callerOf(event);
  if (!caller) return undefined;
  const { resourceId, resourceType, arn } = caller;
  switch (caller.kind) {
    case 'role':
      return { resourceId, resourceType, label: `role ${resourceId}${caller.session ? ` (session ${caller.session})` : ''}`, arn };
    case 'iam-user':
      return { resourceId, resourceType, label: `IAM user ${resourceId}`, arn };
    case 'federated-user':
      return { resourceId, resourceType, label: `IAM user ${resourceId} (federated session ${arn ?? 'unknown'})`, arn };
    case 'root':
      return { resourceId, resourceType, label: 'the root user', arn };
    default:
      return { resourceId, resourceType, label: arn ?? `a ${identity.type ?? 'caller'} identity`, arn };
  }
}
