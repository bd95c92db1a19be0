/**
 * The suites run in two time zones (jest.config.js projects, test/support/time-zone-environment.ts):
 * this checks the zone is really in force in the worker — its local clock, Intl and child processes —
 * and that strict time reads the same instant whatever the zone.
 */
import { execFileSync } from 'node:child_process';
import { parseCalendarDate, parseRfc3339, readPersonTime } from '../../shared/core/model/time';

/** Minutes behind UTC (getTimezoneOffset) on 4 March and on 1 July 2025, by zone. */
const OFFSETS: Record<string, [number, number]> = {
  UTC: [0, 0],
  'America/New_York': [300, 240],
};

const zone = process.env.TZ ?? '';

describe(`the time zone (${zone || 'unset'})`, () => {
  it('is one of the projects’ zones, and the worker’s local clock, Intl and child processes are in it', () => {
    expect(Object.keys(OFFSETS)).toContain(zone);
    const [winter, summer] = OFFSETS[zone]!;
    expect([new Date(2025, 2, 4).getTimezoneOffset(), new Date(2025, 6, 1).getTimezoneOffset()]).toEqual([winter, summer]);
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(zone);
    const child = execFileSync(process.execPath, ['-e', 'process.stdout.write(String(new Date(2025, 2, 4).getTimezoneOffset()))'], {
      encoding: 'utf8',
    });
    expect(Number(child)).toBe(winter);
  });

  it('does not change what a strict time means', () => {
    expect(parseRfc3339('2025-03-04T23:30:00Z')).toBe(Date.UTC(2025, 2, 4, 23, 30));
    expect(parseRfc3339('2025-03-04T23:30:00-05:00')).toBe(Date.UTC(2025, 2, 5, 4, 30));
    expect(parseCalendarDate('2025-03-04')).toBe(Date.UTC(2025, 2, 4));
    expect(readPersonTime('2025-03-04', { calendarDates: true, example: '' })).toEqual({ ms: Date.UTC(2025, 2, 4), calendarDate: true });
    // What Date would read in the machine's zone is refused, in any zone.
    expect(readPersonTime('2025-03-04T23:30:00', { calendarDates: true, example: '' })).toHaveProperty('problem');
  });
});
