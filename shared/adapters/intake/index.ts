/** Event intake: reading CloudTrail and EventBridge events from files, directories and stdin. */
export type { IntakeItem, IntakeOptions, SourceLocation } from '../../core/intake/types';
export { DEFAULT_MAX_EVENT_BYTES, LEGACY_MAX_EVENT_BYTES } from '../../core/intake/types';
export { readEvents } from './read-events';
export { toEvent } from '../../core/intake/to-event';
export { wrapCloudTrailRecord, isCloudTrailRecord, isEventBridgeEnvelope, detailTypeOf } from '../../core/intake/envelope';
