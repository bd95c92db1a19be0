/** Event intake: reading CloudTrail and EventBridge events from files, directories and stdin (the records become events in core/intake). */
export { readEvents, readStream } from './read-events';
export { readJsonLines, type JsonLinesItem, type LineEnd } from './read-json-lines';
