/**
 * Query-string validation for the findings API: every parameter checked against a known set or
 * shape, unknown and repeated parameters refused, each refusal naming the parameter and why.
 */
import { AREAS, isArea } from '../../core/model/area';
import { SEVERITIES, isSeverity } from '../../core/model/severity';
import { FRAMEWORKS, isFrameworkId } from '../../core/model/framework';
import { controlsOfFramework } from '../../core/model/control-metadata';
import type { Control } from '../../core/model/control';
import { FINDING_STATUSES, type FindingStatus } from '../../core/findings/finding';
import type { FindingQuery } from '../../core/findings/finding-query';
import { decodeCursor } from '../../core/findings/query';
import { aheadOfClock, DEFAULT_MAX_FUTURE_MS, readPersonTime } from '../../core/model/time';

/** A 400 answer: the parameter and the reason. */
export class InvalidParameter extends Error {
  override readonly name = 'InvalidParameter';
  constructor(
    readonly parameter: string,
    readonly reason: string,
  ) {
    super(`${parameter}: ${reason}`);
  }
}

export type QueryParameters = Record<string, string[]>;

/** Parses a raw query string (`a=1&b=2`, with or without `?`) keeping repeated names. */
export function parseQueryString(raw: string | undefined): QueryParameters {
  const parameters: QueryParameters = Object.create(null) as QueryParameters;
  for (const [name, value] of new URLSearchParams(raw ?? '')) {
    const given = parameters[name];
    if (given) given.push(value);
    else parameters[name] = [value];
  }
  return parameters;
}

export const PAGE_PARAMETERS = ['limit', 'cursor'] as const;
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const MAX_RESOURCE_LENGTH = 2048;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** Refuses parameters outside `allowed`, repeated ones and empty ones; returns the single values. */
export function singleValues(parameters: QueryParameters, allowed: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, given] of Object.entries(parameters)) {
    if (!allowed.includes(name)) {
      throw new InvalidParameter(
        name,
        allowed.length === 0 ? 'this endpoint takes no parameters' : `unknown parameter (expected one of ${allowed.join(', ')})`,
      );
    }
    if (given.length > 1) throw new InvalidParameter(name, 'given more than once');
    if (given[0] === '') throw new InvalidParameter(name, 'must not be empty');
    values[name] = given[0]!;
  }
  return values;
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[], is: (v: unknown) => v is T): T {
  if (!is(value)) throw new InvalidParameter(name, `must be one of ${allowed.join(', ')}`);
  return value;
}

const isStatus = (v: unknown): v is FindingStatus => typeof v === 'string' && (FINDING_STATUSES as readonly string[]).includes(v);

/** The clock `since` is checked against, and how far ahead of it a time may be (default DEFAULT_MAX_FUTURE_MS, 1 day). */
export interface ParameterClock {
  now: Date;
  maxFutureMs?: number;
}

/**
 * `since` or `until`, as the stores' ISO text (`toISOString`): a calendar date `YYYY-MM-DD` — a
 * whole UTC day: its first millisecond for `since`, its last for `until` (`endOfDay`) — or an RFC
 * 3339 date-time with seconds and a zone, on a real calendar date (`2025-02-30` is refused, not
 * read as 2 March; a time without a zone is refused, not read in the machine's zone).
 *
 * Times ahead of the clock (checked when `clock` is given): a `since` more than `maxFutureMs` ahead
 * of it is refused with the reason, as an event time that far ahead is. The times it is compared
 * with (last seen, resolved at) are event times, never further ahead than that bound, so such a
 * `since` cannot match anything: it is a mistake (a mistyped year) to report, not an empty page to
 * return. A calendar date is checked by its first millisecond. An `until` ahead of the clock is
 * accepted: it excludes nothing, and the dashboard's day filter sends the end of the chosen day in
 * UTC, which for someone east of UTC choosing today is up to two days ahead.
 */
export function isoTime(name: string, value: string, endOfDay: boolean, clock?: ParameterClock): string {
  const read = readPersonTime(value, { calendarDates: true, example: '2026-03-01T10:00:00Z' });
  if ('problem' in read) throw new InvalidParameter(name, read.problem);
  if (clock !== undefined && !endOfDay) {
    const ahead = aheadOfClock(value, read.ms, clock.now, clock.maxFutureMs ?? DEFAULT_MAX_FUTURE_MS);
    if (ahead !== undefined) throw new InvalidParameter(name, `${ahead}: no finding can be active after it`);
  }
  return new Date(read.calendarDate && endOfDay ? read.ms + 86_400_000 - 1 : read.ms).toISOString();
}

/** The findings filters of a query (no paging), validated; `clock` for the rule on a `since` ahead of it (isoTime). */
export function findingFilters(values: Record<string, string>, controls: readonly Control[], clock?: ParameterClock): FindingQuery {
  const query: FindingQuery = {};
  if (values.area !== undefined) query.area = oneOf('area', values.area, AREAS, isArea);
  if (values.status !== undefined) query.status = oneOf('status', values.status, FINDING_STATUSES, isStatus);
  if (values.severity !== undefined) query.severity = oneOf('severity', values.severity, SEVERITIES, isSeverity);
  if (values.minSeverity !== undefined) query.minSeverity = oneOf('minSeverity', values.minSeverity, SEVERITIES, isSeverity);
  if (values.controlId !== undefined) {
    if (!controls.some((c) => c.id === values.controlId))
      throw new InvalidParameter('controlId', 'not a known control id (see GET /api/controls)');
    query.controlId = values.controlId;
  }
  if (values.requirement !== undefined && values.framework === undefined) throw new InvalidParameter('requirement', 'needs framework');
  if (values.framework !== undefined) {
    if (!isFrameworkId(values.framework)) throw new InvalidParameter('framework', `must be one of ${Object.keys(FRAMEWORKS).join(', ')}`);
    const mapped = controlsOfFramework(controls, values.framework, values.requirement);
    if (values.requirement !== undefined && mapped.length === 0) {
      throw new InvalidParameter('requirement', `no control maps to this requirement of ${values.framework}`);
    }
    query.controlIds = mapped;
  }
  if (values.account !== undefined) {
    if (!ACCOUNT.test(values.account)) throw new InvalidParameter('account', 'must be a 12-digit account id');
    query.account = values.account;
  }
  if (values.region !== undefined) {
    if (!REGION.test(values.region)) throw new InvalidParameter('region', 'must be an AWS region name such as eu-west-1');
    query.region = values.region;
  }
  if (values.resource !== undefined) {
    if (values.resource.length > MAX_RESOURCE_LENGTH)
      throw new InvalidParameter('resource', `must be at most ${MAX_RESOURCE_LENGTH} characters`);
    if (CONTROL_CHARACTERS.test(values.resource)) throw new InvalidParameter('resource', 'must not contain control characters');
    query.resourceId = values.resource;
  }
  if (values.since !== undefined) query.since = isoTime('since', values.since, false, clock);
  if (values.until !== undefined) query.until = isoTime('until', values.until, true, clock);
  if (query.since !== undefined && query.until !== undefined && query.since > query.until)
    throw new InvalidParameter('since', 'must not be after until');
  return query;
}

/** `limit` (1..500, default 50) and `cursor` (as a page issued it). */
export function pageParameters(values: Record<string, string>): Pick<FindingQuery, 'limit' | 'cursor'> {
  let limit = DEFAULT_LIMIT;
  if (values.limit !== undefined) {
    if (!/^\d{1,4}$/.test(values.limit) || Number(values.limit) < 1 || Number(values.limit) > MAX_LIMIT) {
      throw new InvalidParameter('limit', `must be a whole number from 1 to ${MAX_LIMIT}`);
    }
    limit = Number(values.limit);
  }
  if (values.cursor === undefined) return { limit };
  try {
    decodeCursor(values.cursor);
  } catch {
    throw new InvalidParameter('cursor', 'not a cursor this API issued (use nextCursor of the previous page)');
  }
  return { limit, cursor: values.cursor };
}
