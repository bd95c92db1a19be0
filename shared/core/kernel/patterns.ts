/**
 * EventBridge patterns for CloudTrail events, built one way for the whole catalogue.
 *
 * A successful call carries no error code: CloudTrail leaves `errorCode` out of the record of a
 * call that succeeded and writes it (AccessDenied, Client.UnauthorizedOperation, …) for one that
 * failed. Some log pipelines flatten records to a fixed schema and write an empty errorCode for every
 * successful call; a failed call never has an empty one, so an empty errorCode counts as success too.
 */
import type { EventPattern } from '../model/control';
import { CLOUDTRAIL_DETAIL_TYPES } from '../model/event';
import { sourceOf } from './sources';

/**
 * The pattern for successful CloudTrail API calls of one service: source `aws.<service>`,
 * detail-type "AWS API Call via CloudTrail", the eventSource and eventNames given, no error code
 * (a failed call changed nothing), and any further detail conditions.
 */
export function apiCallPattern(eventSource: string, eventNames: string[], detail: Record<string, unknown> = {}): EventPattern {
  return {
    source: [sourceOf(eventSource)],
    'detail-type': [CLOUDTRAIL_DETAIL_TYPES.AwsApiCall],
    detail: { eventSource: [eventSource], eventName: eventNames, errorCode: [{ exists: false }, ''], ...detail },
  };
}
