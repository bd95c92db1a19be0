/** Snooze: an on-call engineer quiets one open finding for a bounded time; it notifies again if still open when the snooze ends. */
export * from './snooze';
export * from './service';
export * from './sweep-handler';
export { OWED_RETRY_AFTER_MS } from './owed-notifications';
