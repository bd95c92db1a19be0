/**
 * How long to wait before trying a call to a service again: "full jitter", a random time up to a cap
 * that doubles with each attempt (1 the first retry), bounded by `maxMs`. Retries of many writers,
 * regions or processes then spread out instead of arriving together. The DynamoDB stores, the
 * LookupEvents reader and the EventBridge notifier retry with it, each with its own base and bound.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  return Math.random() * Math.min(maxMs, baseMs * 2 ** (attempt - 1));
}
