/** What request validation shares: the strict date-time form, and the issue it reports. */

/** ISO-8601 date-time with an explicit offset (or Z); dates alone are ambiguous for an expiry. */
export const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** One problem with a request: the parameter (body field or query parameter) and why. */
export interface ValidationIssue {
  parameter: string;
  reason: string;
}

const DAY_MS = 86_400_000;

/** A request body: a JSON object with no field outside `fields`; the first unknown field is the issue. */
export function objectWithFields(
  body: unknown,
  fields: readonly string[],
): { record: Record<string, unknown> } | { issue: ValidationIssue } {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { issue: { parameter: 'body', reason: 'must be a JSON object' } };
  const record = body as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!fields.includes(key)) return { issue: { parameter: key, reason: `unknown field (expected ${fields.join(', ')})` } };
  }
  return { record };
}

/**
 * A time in the future, at most `maxDays` ahead, written as an ISO-8601 date-time with its zone
 * (`example` shows the form): the time as `toISOString` writes it, or the issue.
 */
export function futureDateTime(
  parameter: string,
  raw: unknown,
  now: Date,
  maxDays: number,
  example: string,
): { value: string } | { issue: ValidationIssue } {
  if (typeof raw !== 'string')
    return { issue: { parameter, reason: raw === undefined ? 'required' : 'must be an ISO-8601 date-time string' } };
  const time = Date.parse(raw);
  if (!ISO_DATE_TIME.test(raw) || Number.isNaN(time)) {
    return { issue: { parameter, reason: `must be an ISO-8601 date-time with a time zone, e.g. ${example}` } };
  }
  if (time <= now.getTime()) return { issue: { parameter, reason: 'must be in the future' } };
  if (time > now.getTime() + maxDays * DAY_MS) return { issue: { parameter, reason: `must be at most ${maxDays} days ahead` } };
  return { value: new Date(time).toISOString() };
}
