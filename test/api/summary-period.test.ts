/** GET /api/summary?period=: the trend of the last 30 or 90 days, a year, or the whole recorded activity. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openSqliteStorage } from '../../shared/adapters/store/sqlite';
import { apiDepsOf } from '../../shared/app/api/documents';
import { activityRange, handleApiRequest } from '../../shared/app/api/router';
import type { Application } from '../../shared/app/compose';
import { testApplication } from '../support/application';
import { runCli } from '../support/cli';
import { testClock } from '../support/clock';

interface SummaryBody {
  period: string;
  trend: Array<{ day: string; opened: number; resolved: number }>;
}

const clock = testClock('2026-03-10T12:00:00.000Z');
let dir: string;
let app: Application;

async function summary(query: Record<string, string[]>): Promise<{ status: number; body: SummaryBody & Record<string, unknown> }> {
  const answer = await handleApiRequest({ method: 'GET', path: '/api/summary', query, headers: {} }, apiDepsOf(app));
  return { status: answer.status, body: JSON.parse(answer.body as string) };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-summary-'));
  const db = join(dir, 'samples.db');
  expect((await runCli(['replay', resolve(__dirname, '../../events'), '--db', db])).code).toBe(0);
  app = testApplication({ storage: openSqliteStorage(db), notifier: 'deferred', now: clock.now });
});
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /api/summary?period=', () => {
  it.each([
    [undefined, '30d', 30],
    ['30d', '30d', 30],
    ['90d', '90d', 90],
    ['1y', '1y', 365],
  ] as const)('period %s: every day of the period, ending today', async (given, period, days) => {
    const { status, body } = await summary(given === undefined ? {} : { period: [given] });
    expect(status).toBe(200);
    expect(body.period).toBe(period);
    expect(body.trend).toHaveLength(days);
    expect(body.trend[days - 1]!.day).toBe('2026-03-10');
  });

  it('all: from the first to the last day a finding opened or resolved, every day between', async () => {
    const { body } = await summary({ period: ['all'] });
    const year = (await summary({ period: ['1y'] })).body;
    expect(body.period).toBe('all');
    const active = (day: SummaryBody['trend'][number]) => day.opened + day.resolved > 0;
    expect(active(body.trend[0]!)).toBe(true);
    expect(active(body.trend[body.trend.length - 1]!)).toBe(true);
    expect(body.trend.length).toBeGreaterThan(365);
    for (let i = 1; i < body.trend.length; i += 1)
      expect(Date.parse(body.trend[i]!.day) - Date.parse(body.trend[i - 1]!.day)).toBe(86_400_000);
    // The year's activity is the end of it, day for day.
    const inYear = new Map(body.trend.map((day) => [day.day, day]));
    for (const day of year.trend.filter(active)) expect(inYear.get(day.day)).toEqual(day);
    expect(body.total).toBe(year.total);
  });

  it('refuses another period or a repeated one with a 400 naming it', async () => {
    const queries: Array<Record<string, string[]>> = [{ period: ['7d'] }, { period: ['30d', '90d'] }, { days: ['30'] }];
    for (const query of queries) {
      const answer = await summary(query);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'invalid parameter' });
    }
  });

  it('activityRange: trims the days without activity at both ends; none at all: the last 30 days', () => {
    const day = (n: number, opened = 0, resolved = 0) => ({ day: `2026-01-${String(n).padStart(2, '0')}`, opened, resolved });
    const trend = [day(1), day(2, 1), day(3), day(4, 0, 2), day(5)];
    expect(activityRange(trend)).toEqual([day(2, 1), day(3), day(4, 0, 2)]);
    const quiet = Array.from({ length: 40 }, (_, i) => ({ day: `d${i}`, opened: 0, resolved: 0 }));
    expect(activityRange(quiet)).toEqual(quiet.slice(-30));
  });
});
