/**
 * Snooze: an on-call engineer quiets one open finding for a bounded time, with a reason. Pure:
 * the request's validation and the finding changes (start, end); shared/app/snooze/snooze-service.ts runs
 * them over the store.
 *
 * - Only an `open` finding can be snoozed (a resolved one has nothing to quiet, a suppressed one
 *   is already accepted under an exemption): anything else is refused with the reason.
 * - While snoozed the finding stays `open` and is recorded as usual; an escalation below CRITICAL
 *   owes no notification (the lifecycle's `snoozeSilences`); an escalation to CRITICAL pages.
 * - The snooze ends at `until` (the sweep) or when cancelled: history `unsnoozed`, and the still
 *   open finding owes a `reopened` notification (the transition subscribers already handle: "this
 *   is open and needs you again"), carrying its severity at that time. A resolution or an
 *   exemption's suppression ends it without one (the finding is no longer open).
 */
import { futureDateTime, objectWithFields, type ValidationIssue } from '../model/validation';

/** The longest one snooze may run. */
export const MAX_SNOOZE_DAYS = 30;
export const MAX_SNOOZE_REASON_LENGTH = 2000;

/** Who the sweep acts as when a snooze runs out. */
export const SNOOZE_SWEEP_ACTOR = 'trailwarden (snooze sweep)';

export interface SnoozeRequest {
  /** ISO time (normalized to `toISOString`), in the future and at most MAX_SNOOZE_DAYS ahead. */
  until: string;
  reason: string;
}

const FIELDS = ['until', 'reason'] as const;

/**
 * Checks a snooze request (the API's POST body; the CLI builds the same): `until` an ISO-8601
 * date-time with a time zone, in the future, at most 30 days ahead; `reason` a non-empty string.
 * Unknown fields are refused. Returns the first issue, or the normalized request.
 */
export function validateSnoozeRequest(body: unknown, now: Date): { request: SnoozeRequest } | { issue: ValidationIssue } {
  const checked = objectWithFields(body, FIELDS);
  if ('issue' in checked) return checked;
  const { record } = checked;
  const until = futureDateTime('until', record.until, now, MAX_SNOOZE_DAYS, '2026-03-10T18:00:00Z');
  if ('issue' in until) return until;
  const reason = record.reason;
  if (typeof reason !== 'string') return { issue: { parameter: 'reason', reason: reason === undefined ? 'required' : 'must be a string' } };
  if (reason.trim() === '') return { issue: { parameter: 'reason', reason: 'must not be empty' } };
  if (reason.length > MAX_SNOOZE_REASON_LENGTH)
    return { issue: { parameter: 'reason', reason: `must be at most ${MAX_SNOOZE_REASON_LENGTH} characters` } };
  return { request: { until: until.value, reason: reason.trim() } };
}
