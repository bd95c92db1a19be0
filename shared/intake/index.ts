/** Event intake: reading CloudTrail and EventBridge events from files, directories and stdin. */
export type { IntakeItem, IntakeOptions, SourceLocation } from './types';
export { DEFAULT_MAX_EVENT_BYTES, LEGACY_MAX_EVENT_BYTES } from './types';
export { readEvents } from './read-events';
export { toEvent } from './to-event';
export { wrapCloudTrailRecord, isCloudTrailRecord, isEventBridgeEnvelope, detailTypeOf } from './envelope';
