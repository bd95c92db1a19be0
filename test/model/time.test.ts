/** Strict time: RFC 3339 with a zone on a real calendar date, whatever the machine's time zone. */
import {
  aheadOfClock,
  describeDuration,
  parseCalendarDate,
  parseRfc3339,
  readPersonTime,
  rfc3339Problem,
} from '../../shared/core/model/time';

const NOW = new Date('2026-03-10T12:00:00.000Z');

describe('RFC 3339 date-times', () => {
  it.each([
    ['2025-03-04T10:12:41Z', Date.UTC(2025, 2, 4, 10, 12, 41)],
    ['2025-03-04T10:12:41.123Z', Date.UTC(2025, 2, 4, 10, 12, 41, 123)],
    ['2025-03-04T10:12:41.123456789Z', Date.UTC(2025, 2, 4, 10, 12, 41, 123)],
    ['2025-03-04T10:12:41+02:00', Date.UTC(2025, 2, 4, 8, 12, 41)],
    ['2025-03-04T10:12:41-05:30', Date.UTC(2025, 2, 4, 15, 42, 41)],
    ['2025-03-04t10:12:41z', Date.UTC(2025, 2, 4, 10, 12, 41)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['2000-02-29T23:59:59Z', Date.UTC(2000, 1, 29, 23, 59, 59)],
  ])('reads %s', (text, ms) => {
    expect(rfc3339Problem(text)).toBeUndefined();
    expect(parseRfc3339(text)).toBe(ms);
  });

  it.each([
    ['1', /not an RFC 3339 date-time/],
    ['March 7', /not an RFC 3339 date-time/],
    ['2025-03-04', /not an RFC 3339 date-time/],
    ['2025-03-04T10:12:41', /not an RFC 3339 date-time/], // no zone: it would depend on the machine's
    ['2025-03-04T10:12Z', /not an RFC 3339 date-time/], // no seconds
    ['2025-03-04 10:12:41Z', /not an RFC 3339 date-time/],
    ['+010000-01-01T00:00:00Z', /not an RFC 3339 date-time/],
    ['2025-02-30T10:00:00Z', /2025-02-30 is not a calendar date/],
    ['2025-02-29T10:00:00Z', /2025-02-29 is not a calendar date/],
    ['1900-02-29T10:00:00Z', /1900-02-29 is not a calendar date/],
    ['2025-04-31T10:00:00Z', /2025-04-31 is not a calendar date/],
    ['2025-13-01T10:00:00Z', /2025-13-01 is not a calendar date/],
    ['2025-03-04T24:00:00Z', /24:00:00 is not a time of day/],
    ['2025-03-04T10:60:00Z', /is not a time of day/],
    ['2025-03-04T10:00:00+24:00', /\+24:00 is not a time-zone offset/],
    [' 2025-03-04T10:12:41Z', /not an RFC 3339 date-time/],
  ])('refuses %j: %s', (text, reason) => {
    expect(rfc3339Problem(text)).toMatch(reason);
    expect(parseRfc3339(text)).toBeUndefined();
  });
});

describe('calendar dates', () => {
  it('reads a real date as the start of its UTC day, and refuses anything else', () => {
    expect(parseCalendarDate('2025-03-04')).toBe(Date.UTC(2025, 2, 4));
    expect(parseCalendarDate('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    for (const text of ['2025-02-30', '2025-2-3', '2025-03-04T00:00:00Z', 'yesterday', '']) expect(parseCalendarDate(text)).toBeUndefined();
  });

  it('reads the years 1 to 99 as themselves, not as 1901 to 1999', () => {
    expect(new Date(parseCalendarDate('0050-06-01')!).toISOString()).toBe('0050-06-01T00:00:00.000Z');
    expect(parseCalendarDate('0000-01-01')).toBeUndefined();
  });
});

describe('times people give', () => {
  const EXAMPLE = '2026-03-01T10:00:00Z';
  const withDates = (text: string) => readPersonTime(text, { calendarDates: true, example: EXAMPLE });
  const timesOnly = (text: string) => readPersonTime(text, { calendarDates: false, example: EXAMPLE });

  it('reads a date-time with seconds and a zone, and a calendar date where one is allowed', () => {
    expect(withDates('2025-03-04T10:12:41+02:00')).toEqual({ ms: Date.UTC(2025, 2, 4, 8, 12, 41), calendarDate: false });
    expect(withDates('2024-02-29')).toEqual({ ms: Date.UTC(2024, 1, 29), calendarDate: true });
    expect(timesOnly('2026-12-31T23:59:59Z')).toEqual({ ms: Date.UTC(2026, 11, 31, 23, 59, 59), calendarDate: false });
  });

  it.each([
    ['2025-02-30', '2025-02-30 is not a calendar date'],
    ['2025-02-30T10:00:00Z', '2025-02-30 is not a calendar date'],
    ['2025-04-31T00:00:00+01:00', '2025-04-31 is not a calendar date'],
    ['2025-03-04T24:00:00Z', '24:00:00 is not a time of day'],
    [
      '2025-03-04T10:12:41',
      '2025-03-04T10:12:41 has no time zone (Z for UTC, or an offset such as -05:00): must be a calendar date (2026-03-01) or an ISO-8601 date-time with seconds and a time zone (RFC 3339), e.g. 2026-03-01T10:00:00Z',
    ],
    [
      '2025-03-04T10:12Z',
      '2025-03-04T10:12Z has no seconds: must be a calendar date (2026-03-01) or an ISO-8601 date-time with seconds and a time zone (RFC 3339), e.g. 2026-03-01T10:00:00Z',
    ],
    ['2025-03-04 10:12', expect.stringMatching(/^2025-03-04 10:12 has a space instead of T, no seconds and no time zone .*: must be/)],
    ['yesterday', expect.stringMatching(/^must be a calendar date \(2026-03-01\) or an ISO-8601 date-time/)],
    ['<script>2025-03-04T10:12</script>', expect.stringMatching(/^must be /)],
  ])('refuses %j with the reason', (text, problem) => {
    expect(withDates(text)).toEqual({ problem });
  });

  it('refuses a date alone where a time is needed, and says why', () => {
    expect(timesOnly('2026-04-01')).toEqual({
      problem:
        '2026-04-01 is a date without a time: must be an ISO-8601 date-time with seconds and a time zone (RFC 3339), e.g. 2026-03-01T10:00:00Z',
    });
    expect(timesOnly('2026-02-30')).toHaveProperty('problem', expect.stringContaining('is a date without a time'));
    expect(timesOnly('friday')).toEqual({
      problem: 'must be an ISO-8601 date-time with seconds and a time zone (RFC 3339), e.g. 2026-03-01T10:00:00Z',
    });
  });
});

describe('times checked against the clock', () => {
  it('accepts the past and up to one day ahead, refuses beyond with the reason', () => {
    const checked = (text: string, maxFutureMs?: number) => {
      const problem = rfc3339Problem(text);
      if (problem !== undefined) return { problem };
      const ms = parseRfc3339(text)!;
      const ahead = aheadOfClock(text, ms, NOW, maxFutureMs);
      return ahead === undefined ? { ms } : { problem: ahead };
    };
    expect(checked('2025-03-04T10:12:41Z')).toEqual({ ms: Date.UTC(2025, 2, 4, 10, 12, 41) });
    expect(checked('2026-03-11T12:00:00Z')).toEqual({ ms: Date.UTC(2026, 2, 11, 12) });
    expect(checked('2026-03-11T12:00:01Z')).toEqual({ problem: '2026-03-11T12:00:01Z is more than 1 day ahead of the clock' });
    expect(checked('9999-12-31T23:59:59Z')).toMatchObject({ problem: expect.stringContaining('ahead of the clock') });
    expect(checked('2026-03-10T13:00:01Z', 3_600_000)).toEqual({
      problem: '2026-03-10T13:00:01Z is more than 1 hour ahead of the clock',
    });
    expect(checked('2025-02-30T10:00:00Z')).toEqual({ problem: '2025-02-30 is not a calendar date' });
  });

  it('says when a time is too far ahead, for any form of time', () => {
    expect(aheadOfClock('2026-03-11', Date.UTC(2026, 2, 11), NOW)).toBeUndefined();
    expect(aheadOfClock('2026-03-12', Date.UTC(2026, 2, 12), NOW)).toBe('2026-03-12 is more than 1 day ahead of the clock');
    expect(aheadOfClock('x', NOW.getTime() + 1, NOW, 0)).toBe('x is more than 0 ms ahead of the clock');
  });

  it('describes durations in whole units', () => {
    expect([describeDuration(86_400_000), describeDuration(2 * 86_400_000), describeDuration(5_400_000), describeDuration(1500)]).toEqual([
      '1 day',
      '2 days',
      '90 minutes',
      '1500 ms',
    ]);
  });
});
