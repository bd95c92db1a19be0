/** What request validation shares: the strict date-time form (core/model/time.ts), and the issue it reports. */
import { readPersonTime } from './time';

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
 * A time in the future, at most `maxDays` ahead (an exemption's `expiresAt`, a snooze's `until`):
 * the time as `toISOString` writes it, or the issue. Written as an RFC 3339 date-time — seconds and
 * a zone (`Z` or an offset) required, `example` shows the form — on a real calendar date: a date
 * alone is refused (which zone's midnight?), and so is a time without a zone (it would be read in
 * the machine's zone) and 30 February (which `Date.parse` reads as 2 March). No leniency for a
 * missing seconds field: the dashboard sends `toISOString()`, and a person who leaves the seconds
 * out is told so. These times are meant to be ahead of the clock, so the bound on how far ahead is
 * `maxDays` (not DEFAULT_MAX_FUTURE_MS, the bound for times that happened).
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
  const read = readPersonTime(raw, { calendarDates: false, example });
  if ('problem' in read) return { issue: { parameter, reason: read.problem } };
  const time = read.ms;
  if (time <= now.getTime()) return { issue: { parameter, reason: 'must be in the future' } };
  if (time > now.getTime() + maxDays * DAY_MS) return { issue: { parameter, reason: `must be at most ${maxDays} days ahead` } };
  return { value: new Date(time).toISOString() };
}
