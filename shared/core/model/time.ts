/**
 * Strict time: what trailwarden accepts as a point in time, from events (eventTime, the envelope's
 * time) and from people (API and CLI dates). RFC 3339 date-times only — `2025-03-04T10:12:41Z`,
 * with seconds, an optional fraction and a zone (`Z` or `±HH:MM`) — on a real calendar date, so a
 * time never depends on the machine's time zone and "2025-02-30" is refused instead of becoming
 * 2 March. Pure: the clock is passed in.
 */

/** RFC 3339 `date-time` (section 5.6): full-date "T" partial-time time-offset. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|([+-])(\d{2}):(\d{2}))$/;

/** A calendar date `YYYY-MM-DD` (a whole UTC day where an API accepts one). */
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** How far ahead of the clock an event may be before it is refused: clocks drift, but not by days. Default 1 day. */
export const DEFAULT_MAX_FUTURE_MS = 86_400_000;

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function realDate(year: number, month: number, day: number): boolean {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
}

/** The value of the two ASCII digits at `at`, or -1. */
function twoDigits(text: string, at: number): number {
  const high = text.charCodeAt(at) - 48;
  const low = text.charCodeAt(at + 1) - 48;
  return high >= 0 && high <= 9 && low >= 0 && low <= 9 ? high * 10 + low : -1;
}

/**
 * The epoch milliseconds of the form nearly every event time has, `YYYY-MM-DDTHH:MM:SSZ` (CloudTrail's
 * eventTime, EventBridge's time), read without a regular expression: undefined for any other form,
 * and for a date or time that does not exist (the full check then says why). Years below 100 are left
 * to the full check (Date.UTC reads them as 1900–1999).
 */
function plainUtcTime(text: string): number | undefined {
  if (text.length !== 20 || text.charCodeAt(19) !== 90 /* Z */) return undefined;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 /* T */) return undefined;
  if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  const century = twoDigits(text, 0);
  const yearOf = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  if (century < 1 || yearOf < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  const year = century * 100 + yearOf;
  if (!realDate(year, month, day)) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** Why `text` is not an RFC 3339 date-time with a zone on a real calendar date; undefined when it is one. */
export function rfc3339Problem(text: string): string | undefined {
  if (plainUtcTime(text) !== undefined) return undefined;
  const match = RFC3339.exec(text);
  if (!match) return 'not an RFC 3339 date-time with a time zone (e.g. 2025-03-04T10:12:41Z)';
  const [, y, mo, d, h, mi, s, , zone, , oh, om] = match;
  if (!realDate(Number(y), Number(mo), Number(d))) return `${y}-${mo}-${d} is not a calendar date`;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return `${h}:${mi}:${s} is not a time of day`;
  if (zone !== 'Z' && zone !== 'z' && (Number(oh) > 23 || Number(om) > 59)) return `${zone} is not a time-zone offset`;
  return undefined;
}

/** The epoch milliseconds of an RFC 3339 date-time with a zone on a real calendar date; undefined otherwise. */
export function parseRfc3339(text: string): number | undefined {
  const plain = plainUtcTime(text);
  if (plain !== undefined) return plain;
  if (rfc3339Problem(text) !== undefined) return undefined;
  const ms = Date.parse(text.toUpperCase());
  return Number.isNaN(ms) ? undefined : ms;
}

/** The start (00:00:00.000 UTC) of a calendar date `YYYY-MM-DD`; undefined when it is not a real date in that form. */
export function parseCalendarDate(text: string): number | undefined {
  const match = CALENDAR_DATE.exec(text);
  if (!match || !realDate(Number(match[1]), Number(match[2]), Number(match[3]))) return undefined;
  // Not Date.UTC: it reads the years 0–99 as 1900–1999. A date-only ISO form is UTC by definition.
  return Date.parse(`${text}T00:00:00.000Z`);
}

/**
 * `<subject> is more than 1 day ahead of the clock` when `ms` is more than `maxFutureMs` after `now`;
 * undefined otherwise. The subject is what a message names: the value a person gave, or an event's key.
 */
export function aheadOfClock(subject: string, ms: number, now: Date, maxFutureMs = DEFAULT_MAX_FUTURE_MS): string | undefined {
  return ms > now.getTime() + maxFutureMs ? `${subject} is more than ${describeDuration(maxFutureMs)} ahead of the clock` : undefined;
}

/** A time a person gave (an API or CLI parameter), read: its epoch milliseconds, or why it is refused. */
export type PersonTime = { ms: number; calendarDate: boolean } | { problem: string };

/** Almost a date-time: what a person may leave out or write differently (a space for the T, no seconds, no zone). */
const ALMOST_DATE_TIME = /^(\d{4}-\d{2}-\d{2})([Tt ])(\d{2}:\d{2})(:\d{2}(?:\.\d{1,9})?)?([Zz]|[+-]\d{2}:\d{2})?$/;

/** What is missing from an almost date-time (`2026-03-01 10:00`), in words; undefined when it is not one or lacks nothing. */
function missingParts(text: string): string | undefined {
  const match = ALMOST_DATE_TIME.exec(text);
  if (!match) return undefined;
  const [, , separator, , seconds, zone] = match;
  const missing = [
    separator === ' ' ? 'a space instead of T' : undefined,
    seconds === undefined ? 'no seconds' : undefined,
    zone === undefined ? 'no time zone (Z for UTC, or an offset such as -05:00)' : undefined,
  ].filter((part) => part !== undefined);
  if (missing.length === 0) return undefined;
  const last = missing.pop()!;
  return `${text} has ${missing.length > 0 ? `${missing.join(', ')} and ${last}` : last}`;
}

/**
 * Reads a time a person gave, strictly: an RFC 3339 date-time with seconds and a zone, or — where
 * `calendarDates` allows one — a calendar date `YYYY-MM-DD` (read as the start of that UTC day;
 * `calendarDate` tells the caller, which may want the day's end). Both on a real calendar date, so
 * `2025-02-30` is refused rather than read as 2 March, and never in the machine's time zone. The
 * problem is written for the person: what the value must be (with `example`), and what this one
 * lacks when it is almost right (no zone, no seconds), or which part does not exist.
 */
export function readPersonTime(text: string, options: { calendarDates: boolean; example: string }): PersonTime {
  const form = `${options.calendarDates ? 'a calendar date (2026-03-01) or ' : ''}an ISO-8601 date-time with seconds and a time zone (RFC 3339), e.g. ${options.example}`;
  if (CALENDAR_DATE.test(text)) {
    if (!options.calendarDates) return { problem: `${text} is a date without a time: must be ${form}` };
    const ms = parseCalendarDate(text);
    return ms === undefined ? { problem: `${text} is not a calendar date` } : { ms, calendarDate: true };
  }
  if (RFC3339.test(text)) {
    const problem = rfc3339Problem(text);
    return problem === undefined ? { ms: parseRfc3339(text)!, calendarDate: false } : { problem };
  }
  const missing = missingParts(text);
  return { problem: missing === undefined ? `must be ${form}` : `${missing}: must be ${form}` };
}

/** `1 day`, `2 hours`, `90 minutes`: for messages. */
export function describeDuration(ms: number): string {
  const units: Array<[number, string]> = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${name}${ms === size ? '' : 's'}`;
  }
  return `${ms} ms`;
}
