/**
 * EC2's query API as CloudTrail logs it: newer calls wrap the request in `<Action>Request` with
 * PascalCase members and the response in `<Action>Response`, older ones are flat and camelCase;
 * lists are XML-derived `{items: [...]}` objects or plain arrays. Readers that accept every form.
 */
import type { EventBridgeEvent } from '../model/event';
import { recordOf, requestOf, responseOf } from './records';
import { asArray, asRecord, pathGet } from './values';

/**
 * A request member, wrapped (`{"ModifyInstanceMetadataOptionsRequest": {"HttpTokens": "required"}}`)
 * or flat (`{"httpTokens": "required"}`); `name` in either case.
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
