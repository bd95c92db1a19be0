/**
 * The findings API's `since` and `until` (shared/app/api/validate.ts): a calendar date (a whole UTC
 * day) or an RFC 3339 date-time with seconds and a zone, on a real calendar date; a `since` more
 * than a day ahead of the clock refused; the same reading in every time zone the suites run in.
 */
import { findingFilters, InvalidParameter, isoTime } from '../../shared/app/api/validate';
import { ALL_CONTROLS } from '../../shared/core/controls';
import { DAY, HOUR } from '../support/clock';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const clock = { now: NOW };
const filters = (values: Record<string, string>) => findingFilters(values, ALL_CONTROLS, clock);

/** The refusal's parameter and reason, or the filters when there is none. */
function refusalOf(values: Record<string, string>): { parameter: string; reason: string } | object {
  try {
    return filters(values);
  } catch (error) {
    if (!(error instanceof InvalidParameter)) throw error;
    return { parameter: error.parameter, reason: error.reason };
  }
}

describe('since and until', () => {
  it('read a calendar date as a whole UTC day and a date-time in its own zone', () => {
    expect(filters({ since: '2025-03-04', until: '2025-03-04' })).toEqual({
      since: '2025-03-04T00:00:00.000Z',
      until: '2025-03-04T23:59:59.999Z',
    });
    expect(filters({ since: '2025-03-04T22:30:00-05:00', until: '2025-03-05T10:00:00.5+01:00' })).toEqual({
      since: '2025-03-05T03:30:00.000Z',
      until: '2025-03-05T09:00:00.500Z',
    });
    expect(filters({ since: '2024-02-29', until: '2024-02-29T23:59:59Z' })).toEqual({
      since: '2024-02-29T00:00:00.000Z',
      until: '2024-02-29T23:59:59.000Z',
    });
  });

  it.each<[Record<string, string>, string, string | RegExp]>([
    [{ since: '2025-02-30' }, 'since', '2025-02-30 is not a calendar date'],
    [{ until: '2025-02-29' }, 'until', '2025-02-29 is not a calendar date'],
    [{ since: '2025-02-30T00:00:00Z' }, 'since', '2025-02-30 is not a calendar date'],
    [{ until: '2025-04-31T12:00:00+02:00' }, 'until', '2025-04-31 is not a calendar date'],
    [{ until: '2026-03-01T10:00:00' }, 'until', /^2026-03-01T10:00:00 has no time zone .*: must be a calendar date/],
    [{ since: '2026-03-01T10:00' }, 'since', /^2026-03-01T10:00 has no seconds and no time zone/],
    [{ until: '2026-03-01T10:00Z' }, 'until', /^2026-03-01T10:00Z has no seconds: must be/],
    [{ since: '2026-03-01T25:00:00Z' }, 'since', '25:00:00 is not a time of day'],
    [{ since: 'yesterday' }, 'since', /^must be a calendar date \(2026-03-01\) or an ISO-8601 date-time with seconds and a time zone/],
  ])('refuses %j naming %s and why', (values, parameter, reason) => {
    expect(refusalOf(values)).toEqual({ parameter, reason: typeof reason === 'string' ? reason : expect.stringMatching(reason) });
  });

  it('refuse a since more than a day ahead of the clock (it cannot match anything), and accept any until', () => {
    expect(refusalOf({ since: '2062-03-10' })).toEqual({
      parameter: 'since',
      reason: '2062-03-10 is more than 1 day ahead of the clock: no finding can be active after it',
    });
    expect(refusalOf({ since: '2026-03-11T12:00:01Z' })).toEqual({
      parameter: 'since',
      reason: '2026-03-11T12:00:01Z is more than 1 day ahead of the clock: no finding can be active after it',
    });
    // Up to a day ahead, as an event time may be; a calendar date by its first millisecond.
    expect(filters({ since: '2026-03-11T12:00:00Z' })).toEqual({ since: '2026-03-11T12:00:00.000Z' });
    expect(filters({ since: '2026-03-11' })).toEqual({ since: '2026-03-11T00:00:00.000Z' });
    expect(refusalOf({ since: '2026-03-12' })).toMatchObject({ parameter: 'since' });
    // An until ahead of the clock excludes nothing: the end of someone's today east of UTC, or a year ahead.
    expect(filters({ until: '2026-03-11T23:59:59.999Z' })).toEqual({ until: '2026-03-11T23:59:59.999Z' });
    expect(filters({ until: '2027-03-10' })).toEqual({ until: '2027-03-10T23:59:59.999Z' });
    // The bound is a setting; without a clock (a caller that gives none) it is not checked.
    expect(() => findingFilters({ since: '2026-03-10T13:00:01Z' }, ALL_CONTROLS, { now: NOW, maxFutureMs: HOUR })).toThrow(
      'since: 2026-03-10T13:00:01Z is more than 1 hour ahead of the clock',
    );
    expect(findingFilters({ since: '2062-03-10' }, ALL_CONTROLS)).toEqual({ since: '2062-03-10T00:00:00.000Z' });
  });

  it('still refuses a since after the until', () => {
    expect(refusalOf({ since: '2026-03-02', until: '2026-03-01' })).toEqual({ parameter: 'since', reason: 'must not be after until' });
    expect(filters({ since: '2026-03-01', until: '2026-03-01' })).toEqual({
      since: '2026-03-01T00:00:00.000Z',
      until: '2026-03-01T23:59:59.999Z',
    });
  });

  it('give the same instants whatever the machine’s zone (the suites run in UTC and New York)', () => {
    // Late evening in New York is the next day in UTC: a local reading would move these by a day.
    expect(isoTime('since', '2025-03-04', false)).toBe('2025-03-04T00:00:00.000Z');
    expect(isoTime('until', '2025-03-04', true)).toBe('2025-03-04T23:59:59.999Z');
    expect(Date.parse(isoTime('until', '2025-03-04', true)) - Date.parse(isoTime('since', '2025-03-04', false))).toBe(DAY - 1);
    expect(isoTime('since', '2025-11-02T01:30:00-04:00', false)).toBe('2025-11-02T05:30:00.000Z');
  });
});
