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
import type { Finding, Snooze } from './finding';
import type { FindingUpdate } from './transitions';
import { actorNamed, ISO_DATE_TIME, type ValidationIssue } from '../exemptions/exemption';

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
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { issue: { parameter: 'body', reason: 'must be a JSON object' } };
  const record = body as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(FIELDS as readonly string[]).includes(key)) return { issue: { parameter: key, reason: `unknown field (expected ${FIELDS.join(', ')})` } };
  }
  const untilRaw = record.until;
  if (typeof untilRaw !== 'string') return { issue: { parameter: 'until', reason: untilRaw === undefined ? 'required' : 'must be an ISO-8601 date-time string' } };
  const until = Date.parse(untilRaw);
  if (!ISO_DATE_TIME.test(untilRaw) || Number.isNaN(until)) {
    return { issue: { parameter: 'until', reason: 'must be an ISO-8601 date-time with a time zone, e.g. 2026-03-10T18:00:00Z' } };
  }
  if (until <= now.getTime()) return { issue: { parameter: 'until', reason: 'must be in the future' } };
  if (until > now.getTime() + MAX_SNOOZE_DAYS * 86_400_000) return { issue: { parameter: 'until', reason: `must be at most ${MAX_SNOOZE_DAYS} days ahead` } };
  const reason = record.reason;
  if (typeof reason !== 'string') return { issue: { parameter: 'reason', reason: reason === undefined ? 'required' : 'must be a string' } };
  if (reason.trim() === '') return { issue: { parameter: 'reason', reason: 'must not be empty' } };
  if (reason.length > MAX_SNOOZE_REASON_LENGTH) return { issue: { parameter: 'reason', reason: `must be at most ${MAX_SNOOZE_REASON_LENGTH} characters` } };
  return { request: { until: new Date(until).toISOString(), reason: reason.trim() } };
}

/** Why a finding cannot be snoozed, if it cannot (the API answers 409 with it). */
export function snoozeRefusal(finding: Finding): string | undefined {
  if (finding.status === 'resolved') return 'the finding is resolved: there is nothing to snooze';
  if (finding.status === 'suppressed') return `the finding is suppressed under exemption ${finding.suppressedBy?.exemptionId ?? '(unknown)'}: there is nothing to snooze`;
  return undefined;
}

/** Snoozes an open finding (or moves the end of its snooze); undefined when it is not open. */
export function applySnooze(existing: Finding | undefined, snooze: Snooze): FindingUpdate | undefined {
  if (!existing || snoozeRefusal(existing) !== undefined) return undefined;
  const previous = existing.snooze;
  const finding: Finding = { ...existing, snooze: { ...snooze }, version: existing.version + 1 };
  return {
    finding,
    previous: existing,
    history: {
      findingId: finding.id,
      at: snooze.at,
      transition: 'snoozed',
      status: finding.status,
      severity: finding.severity,
      eventId: `snooze:${snooze.at}`,
      actor: actorNamed(snooze.by),
      note: `${previous ? `snooze moved from ${previous.until} to` : 'snoozed until'} ${snooze.until}: ${snooze.reason}`,
    },
  };
}

/** A snooze ending: it ran out (the sweep), or someone cancelled it. */
export interface SnoozeEnd {
  why: 'expired' | 'cancelled';
  /** When it ended: the sweep's or the cancellation's time. */
  at: string;
  /** Who ended it (the API caller, or SNOOZE_SWEEP_ACTOR). */
  by: string;
}

/** The pseudo event id a snooze's end is recorded and notified under: `snooze:<ended at>:<why>`. */
export function snoozeEndEventId(end: Pick<SnoozeEnd, 'why' | 'at'>): string {
  return `snooze:${end.at}:${end.why}`;
}

/** When a snooze end's notification became owed, read back from its event id; undefined for any other event id. */
export function snoozeEndedAt(eventId: string): string | undefined {
  const match = /^snooze:(.+):(expired|cancelled)$/.exec(eventId);
  return match?.[1];
}

/**
 * Ends the finding's snooze: history `unsnoozed`; a still open finding owes a `reopened`
 * notification. Undefined when it is not snoozed, or (`expired`) when its snooze does not end by
 * `end.at` (a concurrent writer moved it).
 */
export function applySnoozeEnd(existing: Finding | undefined, end: SnoozeEnd): FindingUpdate | undefined {
  const snooze = existing?.snooze;
  if (!existing || !snooze) return undefined;
  if (end.why === 'expired' && Date.parse(snooze.until) > Date.parse(end.at)) return undefined;
  const { snooze: _ended, ...rest } = existing;
  const eventId = snoozeEndEventId(end);
  const open = existing.status === 'open';
  const finding: Finding = { ...rest, ...(open ? { unnotified: { transition: 'reopened' as const, eventId } } : {}), version: existing.version + 1 };
  return {
    finding,
    previous: existing,
    history: {
      findingId: finding.id,
      at: end.at,
      transition: 'unsnoozed',
      status: finding.status,
      severity: finding.severity,
      eventId,
      actor: actorNamed(end.by),
      note:
        end.why === 'expired'
          ? `snooze until ${snooze.until} ended${open ? ': still open' : ''} (snoozed by ${snooze.by}: ${snooze.reason})`
          : `snooze until ${snooze.until} cancelled${open ? ': open again' : ''} (snoozed by ${snooze.by}: ${snooze.reason})`,
    },
  };
}
