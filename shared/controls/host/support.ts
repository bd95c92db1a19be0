/**
 * Helpers shared by the host area's controls. EC2 instances, images and snapshots are named by
 * their ids (i-…, ami-…, snap-…) as CloudTrail records them; account-level EC2 settings by the
 * account id.
 */
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asRecord, asString, pathGet, recordOf, requestOf, responseOf } from '../support';

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
