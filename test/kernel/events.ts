/** Builds the CloudTrail-via-EventBridge events the kernel tests read. */
import type { EventBridgeEvent } from '../../shared/core/model/event';

export function cloudTrailEvent(detail: Record<string, unknown>, envelope: Partial<EventBridgeEvent> = {}): EventBridgeEvent {
  return {
    version: '0',
    id: 'e-1',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.ec2',
    account: '111122223333',
    time: '2026-03-01T10:00:00Z',
    region: 'eu-west-1',
    resources: [],
    detail,
    ...envelope,
  };
}
