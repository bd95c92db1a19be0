/**
 * The auditors' dashboard in a real browser: headless Debian Chromium (scripts/ensure-chromium.sh
 * installs it) driven by playwright-core, against the real `trailwarden serve` server on 127.0.0.1
 * over a SQLite database filled by replaying the bundled sample events. The server and the browser
 * read one test clock (the browser's through Playwright's fixed time).
 *
 * The screenshot is taken on every run into the temporary directory; TRAILWARDEN_SCREENSHOT=1
 * also copies it to docs/dashboard.png (shown in the README), so a plain test run leaves the
 * repository untouched.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { openSqliteStorage } from '../../shared/adapters/store/sqlite';
import type { Application } from '../../shared/app/compose';
import { startServer, type RunningServer } from '../../shared/shells/cli/serve-command';
import { testApplication } from '../support/application';
import { runCli } from '../support/cli';
import { DAY, HOUR, testClock } from '../support/clock';

const ROOT = resolve(__dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const TOKEN = 'dashboard-test-token-0f3a9c51e7';
const WAIT_MS = 10_000;
/** The time of the server and of the browser: after the newest sample event (December 2025). */
const clock = testClock('2026-03-10T12:00:00.000Z');

interface WireFinding {
  id: string;
  area: string;
  status: string;
  controlId: string;
  account: string;
  resourceId: string;
  suppressedBy?: { exemptionId: string; expiresAt: string };
  snooze?: { until: string; reason: string; by: string; at: string };
  deadlineEscalation?: { deadline: string; at: string; from: string; to: string };
}

interface TrendDay {
  day: string;
  opened: number;
  resolved: number;
}

interface WireHistoryEntry {
  transition: string;
  note?: string;
}

let dir: string;
let app: Application;
let server: RunningServer;
let context: BrowserContext;
let page: Page;
const requested: string[] = [];
const problems: string[] = [];
/** Console errors a test provokes on purpose: the browser logs every refused request (401, and the 400/409 of the snooze test). */
const expectedConsoleErrors = ['401 (Unauthorized)'];

async function api<T>(path: string, method = 'GET', body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.baseUrl}/api${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (response.status !== 200) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Retries an assertion until it holds (the page renders asynchronously), then once more to report. */
async function eventually(assertion: () => Promise<void>, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
  }
}

async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent({ timeout: WAIT_MS })) ?? '').trim();
}

function watch(target: Page): void {
  target.on('request', (request) => requested.push(request.url()));
  target.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  target.on('console', (message) => {
    // The browser logs the refused requests tests provoke; anything else is a problem (CSP violations included).
    if (message.type() === 'error' && !expectedConsoleErrors.some((expected) => message.text().includes(expected)))
      problems.push(`console: ${message.text()}`);
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-dashboard-'));
  // Built from the sources under test into the temporary directory: dist/ is left alone.
  const staticDir = join(dir, 'dashboard');
  execFileSync(process.execPath, ['scripts/build.mjs', 'dashboard', staticDir], { cwd: ROOT, stdio: 'pipe' });
  const db = join(dir, 'findings.db');
  const replayed = await runCli(['replay', join(ROOT, 'events'), '--db', db]);
  expect(replayed.code).toBe(0);

  // `trailwarden serve` without --notify: what the sweeps owe stays owed.
  app = testApplication({ storage: openSqliteStorage(db), notifier: 'deferred', now: clock.now });
  server = await startServer({ app, token: TOKEN, port: 0, host: '127.0.0.1', staticDir, actor: 'local:dashboard-test' });

  context = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
  });
  // The page reads the same time as the server (its timers keep running).
  await context.clock.setFixedTime(clock.now());
  page = context.pages()[0] ?? (await context.newPage());
  watch(page);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await server?.stop();
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('dashboard against trailwarden serve', () => {
  let exempted: WireFinding;

  test('loads: counts by status, severity and area, the trend of the recorded activity and the findings table', async () => {
    const summary = await api<{
      total: number;
      byStatus: { open: number };
      byArea: Record<string, { open: number }>;
      bySeverity: Record<string, number>;
    }>('/summary');
    expect(summary.total).toBeGreaterThan(0);

    await page.goto(`${server.baseUrl}/#token=${TOKEN}`);

    await eventually(async () => expect(await textOf(page.getByTestId('card-total').locator('.card-value'))).toBe(String(summary.total)));
    expect(await textOf(page.getByTestId('card-open').locator('.card-value'))).toBe(String(summary.byStatus.open));
    expect(await textOf(page.getByTestId('card-area-network').locator('.card-value'))).toBe(String(summary.byArea.network?.open ?? 0));
    expect(await textOf(page.getByTestId('card-severity-CRITICAL').locator('.card-value'))).toBe(String(summary.bySeverity.CRITICAL ?? 0));
    // The samples are older than the last 30 days of the clock: the trend shows the range of the recorded activity.
    const all = await api<{ period: string; trend: TrendDay[] }>('/summary?period=all');
    expect(all.period).toBe('all');
    await eventually(async () => expect(await page.locator('#trend svg').getAttribute('data-period')).toBe('all'));
    expect(await page.locator('#trend-period').inputValue()).toBe('all');
    expect(Number(await page.locator('#trend svg').getAttribute('data-days'))).toBe(all.trend.length);
    expect(all.trend.length).toBeGreaterThan(30);
    const drawn = await page
      .locator('#trend svg rect.bar')
      .evaluateAll((bars) => bars.filter((bar) => Number(bar.getAttribute('height')) > 0).map((bar) => bar.getAttribute('data-day')));
    const active = all.trend.filter((day) => day.opened > 0 || day.resolved > 0).map((day) => day.day);
    expect(active.length).toBeGreaterThan(0);
    expect(new Set(drawn)).toEqual(new Set(active));
    expect(await page.locator('#trend .trend-empty').count()).toBe(0);
    const opened = all.trend.reduce((sum, day) => sum + day.opened, 0);
    expect(await textOf(page.locator('#trend .legend-opened'))).toBe(`Opened (${opened})`);
    const axisTitles = await page.locator('#trend svg .axis-title').allTextContents();
    expect(axisTitles).toEqual(['findings per day', 'day (UTC)']);
    expect(await page.locator('#trend svg .axis-x').count()).toBeGreaterThanOrEqual(3);
    await page.locator('#findings-body tr[data-finding-id]').first().waitFor({ timeout: WAIT_MS });
    expect(await page.locator('#findings-body tr[data-finding-id]').count()).toBe(Math.min(50, summary.total));
    expect(await page.locator('#load-more').isVisible()).toBe(summary.total > 50);
    // The token left the address bar (it stays in this tab's sessionStorage).
    expect(page.url()).not.toContain(TOKEN);

    const screenshot = join(dir, 'dashboard.png');
    await page.screenshot({ path: screenshot });
    if (process.env.TRAILWARDEN_SCREENSHOT === '1') copyFileSync(screenshot, join(ROOT, 'docs', 'dashboard.png'));
  });

  test("the trend's tooltip shows the day's counts under the pointer and the keyboard's focus", async () => {
    const { trend } = await api<{ trend: TrendDay[] }>('/summary?period=all');
    const byDay = new Map(trend.map((day) => [day.day, day]));
    const busiest = trend.reduce((best, day, index) => (day.opened > trend[best]!.opened ? index : best), 0);
    const chart = page.locator('#trend svg');
    const box = (await chart.boundingBox())!;
    // The chart's viewBox is 720 wide with 52 on the left and 12 on the right around the days.
    const x = box.x + ((52 + ((busiest + 0.5) * (720 - 64)) / trend.length) / 720) * box.width;
    await page.mouse.move(x, box.y + box.height / 2);
    const tooltip = page.getByTestId('trend-tooltip');
    await eventually(async () => expect(await tooltip.isVisible()).toBe(true));
    const [, day, openedCount, resolvedCount] = /^(\d{4}-\d{2}-\d{2}): (\d+) opened, (\d+) resolved$/.exec(await textOf(tooltip))!;
    expect(byDay.get(day!)).toEqual({ day, opened: Number(openedCount), resolved: Number(resolvedCount) });
    expect(Math.abs(trend.findIndex((entry) => entry.day === day) - busiest)).toBeLessThanOrEqual(3);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height + 200);
    await eventually(async () => expect(await tooltip.isHidden()).toBe(true));

    await chart.focus();
    const last = trend[trend.length - 1]!;
    await eventually(async () => expect(await textOf(tooltip)).toBe(`${last.day}: ${last.opened} opened, ${last.resolved} resolved`));
    await page.keyboard.press('ArrowLeft');
    const before = trend[trend.length - 2]!;
    await eventually(async () => expect(await textOf(tooltip)).toBe(`${before.day}: ${before.opened} opened, ${before.resolved} resolved`));
    await chart.blur();
  });

  test('the period selector shows the last 30 days, 90 days, a year or all the recorded activity', async () => {
    const select = page.locator('#trend-period');
    expect(await select.locator('option').allTextContents()).toEqual([
      'Last 30 days',
      'Last 90 days',
      'Last year',
      'All recorded activity',
    ]);
    for (const [period, days] of [
      ['30d', 30],
      ['1y', 365],
    ] as const) {
      await Promise.all([
        page.waitForResponse((response) => response.url().endsWith(`/api/summary?period=${period}`)),
        select.selectOption(period),
      ]);
      await eventually(async () => expect(await page.locator('#trend svg').getAttribute('data-period')).toBe(period));
      expect(Number(await page.locator('#trend svg').getAttribute('data-days'))).toBe(days);
      const { trend } = await api<{ trend: TrendDay[] }>(`/summary?period=${period}`);
      expect(trend).toHaveLength(days);
      expect(trend[days - 1]!.day).toBe(clock.now().toISOString().slice(0, 10));
    }
    // The last 30 days of the clock hold nothing: said in words.
    await select.selectOption('30d');
    await eventually(async () =>
      expect(await textOf(page.locator('#trend .trend-empty'))).toMatch(/^No finding opened or resolved between/),
    );
    await select.selectOption('all');
    await eventually(async () => expect(await page.locator('#trend .trend-empty').count()).toBe(0));
  });

  test('"load more" appends the next page by cursor', async () => {
    const total = (await api<{ total: number }>('/summary')).total;
    if (total <= 50) return;
    await page.locator('#load-more').click();
    await eventually(async () => expect(await page.locator('#findings-body tr[data-finding-id]').count()).toBe(Math.min(100, total)));
    const ids = await page
      .locator('#findings-body tr[data-finding-id]')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-finding-id')));
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('filtering by area shows only findings of that area', async () => {
    const expected = await api<{ findings: WireFinding[] }>('/findings?area=network&limit=500');
    expect(expected.findings.length).toBeGreaterThan(0);

    await page.locator('#f-area').selectOption('network');
    await Promise.all([
      page.waitForResponse((response) => response.url().includes('/api/findings?') && response.url().includes('area=network')),
      page.getByRole('button', { name: 'Apply filters' }).click(),
    ]);
    const rows = page.locator('#findings-body tr[data-finding-id]');
    await eventually(async () => expect(await rows.count()).toBe(Math.min(50, expected.findings.length)));
    const areas = await rows.evaluateAll((elements) => elements.map((row) => row.getAttribute('data-area')));
    expect(new Set(areas)).toEqual(new Set(['network']));
    const shownAreas = (await rows.locator('.col-area').allTextContents()).map((text) => text.trim());
    expect(new Set(shownAreas)).toEqual(new Set(['network']));
  });

  test("a finding's detail shows its evidence, history and the control's rationale and runbook", async () => {
    const row = page.locator('#findings-body tr[data-finding-id][data-status="open"]').first();
    const id = await row.getAttribute('data-finding-id');
    expect(id).toBeTruthy();
    exempted = (await api<{ finding: WireFinding }>(`/findings/${id}`)).finding;

    await row.locator('.col-finding button').click();
    const dialog = page.locator('#detail');
    await dialog.waitFor({ state: 'visible', timeout: WAIT_MS });
    expect(await textOf(dialog.getByTestId('detail-status'))).toBe('open');
    const evidence = dialog.locator('.detail-evidence');
    expect(await textOf(evidence)).toContain('Event id');
    expect(await evidence.locator('.evidence-fields tbody tr').count()).toBeGreaterThan(0);
    const history = dialog.locator('.timeline-entry');
    expect(await history.count()).toBeGreaterThan(0);
    expect(await textOf(history.first())).toContain('opened');
    expect(await textOf(history.first())).toContain('Who');
    expect(await dialog.locator('.rationale').count()).toBe(1);
    expect(await dialog.locator('.runbook li').count()).toBeGreaterThan(0);
  });

  test('creating an exemption from the detail suppresses the finding', async () => {
    const dialog = page.locator('#detail');
    await dialog.getByText('Exempt this finding').click();
    const form = dialog.locator('form.exemption-form');
    expect(await form.getByLabel('Control').inputValue()).toBe(exempted.controlId);
    expect(await form.getByLabel('Accounts').inputValue()).toBe(exempted.account);
    expect(await form.getByLabel('Resource pattern').inputValue()).toBe(exempted.resourceId);
    await form
      .getByLabel('Reason')
      .fill('Compensating control: the workload sits behind the corporate VPN until the migration (CHG-1234).');
    await form.getByLabel('Approver').fill('Dana Auditor');
    const expiry = new Date(clock.now().getTime() + 30 * DAY).toISOString().slice(0, 10);
    await form.getByLabel('Expires on').fill(expiry);
    await Promise.all([
      page.waitForResponse(
        (response) => response.url().endsWith('/api/exemptions') && response.request().method() === 'POST' && response.status() === 201,
      ),
      form.getByRole('button', { name: 'Create exemption' }).click(),
    ]);

    await eventually(async () => expect(await textOf(dialog.getByTestId('detail-status'))).toBe('suppressed'));
    expect(await textOf(dialog.getByTestId('suppressed-note'))).toContain(expiry);
    await eventually(async () => expect(await textOf(dialog.locator('.timeline-entry').last())).toContain('suppressed'));

    const stored = (await api<{ finding: WireFinding }>(`/findings/${exempted.id}`)).finding;
    expect(stored.status).toBe('suppressed');
    expect(stored.suppressedBy?.expiresAt.slice(0, 10)).toBe(expiry);

    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: WAIT_MS });
    const row = page.locator(`#findings-body tr[data-finding-id="${exempted.id}"]`);
    await eventually(async () => expect(await row.getAttribute('data-status', { timeout: WAIT_MS })).toBe('suppressed'));
    expect(await textOf(row.locator('.col-status'))).toBe('suppressed');
    await eventually(async () =>
      expect(Number(await textOf(page.getByTestId('card-suppressed').locator('.card-value')))).toBeGreaterThanOrEqual(1),
    );
  });

  describe('snooze', () => {
    let snoozed: WireFinding;
    const reason = 'Fix ships in the morning deploy (CHG-2077).';
    const dialog = () => page.locator('#detail');
    const row = () => page.locator(`#findings-body tr[data-finding-id="${snoozed.id}"]`);
    const lastHistory = () => dialog().locator('.timeline-entry').last();

    async function openDetail(): Promise<void> {
      await row().locator('.col-finding button').click();
      await dialog().waitFor({ state: 'visible', timeout: WAIT_MS });
      await eventually(async () => expect(await textOf(dialog().locator('#detail-title'))).not.toBe(''));
    }

    async function closeDetail(): Promise<void> {
      await dialog().getByRole('button', { name: 'Close' }).click();
      await dialog().waitFor({ state: 'hidden', timeout: WAIT_MS });
    }

    test('snoozing an open finding from its detail shows its state, the table badge and the history entry', async () => {
      const candidate = page.locator('#findings-body tr[data-finding-id][data-status="open"]:not([data-snoozed])').first();
      snoozed = (await api<{ finding: WireFinding }>(`/findings/${await candidate.getAttribute('data-finding-id')}`)).finding;
      expect(snoozed.snooze).toBeUndefined();
      await openDetail();
      expect(await dialog().getByTestId('snooze-note').count()).toBe(0);

      await dialog().getByText('Snooze this finding').click();
      const form = dialog().locator('form.snooze-form');
      await form.getByLabel('8 hours').check();
      expect(await form.getByLabel('Snooze until').isVisible()).toBe(false);
      await form.getByLabel('Reason').fill(reason);
      const before = clock.now().getTime();
      await Promise.all([
        page.waitForResponse(
          (response) =>
            response.url().endsWith(`/api/findings/${snoozed.id}/snooze`) &&
            response.request().method() === 'POST' &&
            response.status() === 200,
        ),
        form.getByRole('button', { name: 'Snooze' }).click(),
      ]);

      const note = dialog().getByTestId('snooze-note');
      await eventually(async () => expect(await textOf(note)).toContain(reason));
      expect(await textOf(note)).toContain('local:dashboard-test');
      expect(await textOf(dialog().getByTestId('snooze-result'))).toContain('Snoozed until');
      expect(await textOf(dialog().getByTestId('detail-status'))).toBe('open');
      expect(await textOf(lastHistory())).toContain('snoozed');
      expect(await textOf(lastHistory())).toContain(reason);

      const stored = (await api<{ finding: WireFinding }>(`/findings/${snoozed.id}`)).finding;
      expect(stored.snooze?.reason).toBe(reason);
      const until = Date.parse(stored.snooze?.until ?? '');
      expect(until).toBeGreaterThanOrEqual(before + 8 * HOUR - 5_000);
      expect(until).toBeLessThanOrEqual(clock.now().getTime() + 8 * HOUR + 5_000);

      await closeDetail();
      const badge = row().getByTestId('snoozed-badge');
      await eventually(async () =>
        expect(await textOf(badge)).toBe(`snoozed until ${new Date(until).toISOString().slice(0, 16).replace('T', ' ')} UTC`),
      );
      expect(await textOf(row().locator('.col-status .badge'))).toBe('open');
    });

    test('cancelling the snooze from the detail ends it: history "unsnoozed", the badge gone', async () => {
      await openDetail();
      await Promise.all([
        page.waitForResponse(
          (response) =>
            response.url().endsWith(`/api/findings/${snoozed.id}/snooze`) &&
            response.request().method() === 'DELETE' &&
            response.status() === 200,
        ),
        dialog().getByRole('button', { name: 'Cancel snooze' }).click(),
      ]);
      await eventually(async () => expect(await dialog().getByTestId('snooze-note').count()).toBe(0));
      expect(await textOf(dialog().getByTestId('snooze-result'))).toContain('Snooze cancelled');
      expect(await textOf(lastHistory())).toContain('unsnoozed');
      expect(await textOf(lastHistory())).toContain('cancelled');
      expect((await api<{ finding: WireFinding }>(`/findings/${snoozed.id}`)).finding.snooze).toBeUndefined();

      await closeDetail();
      await eventually(async () => expect(await row().getAttribute('data-snoozed', { timeout: WAIT_MS })).toBeNull());
      expect(await row().getByTestId('snoozed-badge').count()).toBe(0);
    });

    test('until a date and time; a 400 and a stale 409 are shown in words', async () => {
      expectedConsoleErrors.push('400 (Bad Request)', '409 (Conflict)');
      await openDetail();
      await dialog().getByText('Snooze this finding').click();
      const form = dialog().locator('form.snooze-form');
      const end = new Date(clock.now().getTime() + 2 * DAY);
      end.setSeconds(0, 0);
      const local = await page.evaluate((iso) => {
        const time = new Date(iso);
        const pad = (n: number) => String(n).padStart(2, '0');
        return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}T${pad(time.getHours())}:${pad(time.getMinutes())}`;
      }, end.toISOString());
      await form.getByLabel('until a date and time').check();
      expect(await form.getByLabel('Snooze until').isVisible()).toBe(true);
      await form.getByLabel('Snooze until').fill(local);
      // Blank but not empty: the browser lets it through and the server refuses it (400).
      await form.getByLabel('Reason').fill('   ');
      await form.getByRole('button', { name: 'Snooze' }).click();
      await eventually(async () =>
        expect(await textOf(dialog().getByTestId('snooze-error'))).toBe('Not snoozed: the reason must not be empty.'),
      );
      expect(await dialog().getByTestId('snooze-error').getAttribute('aria-live')).toBe('assertive');

      await form.getByLabel('Reason').fill(reason);
      await form.getByRole('button', { name: 'Snooze' }).click();
      await eventually(async () => expect(await dialog().getByTestId('snooze-note').count()).toBe(1));
      expect((await api<{ finding: WireFinding }>(`/findings/${snoozed.id}`)).finding.snooze?.until).toBe(end.toISOString());

      // Someone else cancels it meanwhile: this detail is stale, and its cancel is refused (409).
      await api(`/findings/${snoozed.id}/snooze`, 'DELETE');
      await dialog().getByRole('button', { name: 'Cancel snooze' }).click();
      await eventually(async () =>
        expect(await textOf(dialog().getByTestId('snooze-error'))).toContain('Snooze not cancelled: the finding is not snoozed.'),
      );
      expect(await dialog().getByTestId('snooze-note').count()).toBe(0);
      const history = (await api<{ history: WireHistoryEntry[] }>(`/findings/${snoozed.id}`)).history;
      expect(history.map((entry) => entry.transition).filter((transition) => transition.endsWith('snoozed'))).toEqual([
        'snoozed',
        'unsnoozed',
        'snoozed',
        'unsnoozed',
      ]);
      await closeDetail();
    });

    test('a finding past its remediation deadline is marked as escalated', async () => {
      // The sample events are from 2025: the server's deadline sweep at start escalated the open ones past their deadline.
      const escalated = (await api<{ findings: WireFinding[] }>('/findings?status=open&limit=500')).findings.find(
        (finding) => finding.deadlineEscalation,
      );
      expect(escalated?.deadlineEscalation).toBeDefined();
      if (!escalated?.deadlineEscalation) return;
      await page.locator('#f-area').selectOption(escalated.area);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      const escalatedRow = page.locator(`#findings-body tr[data-finding-id="${escalated.id}"]`);
      await escalatedRow.waitFor({ timeout: WAIT_MS });
      expect(await textOf(escalatedRow.getByTestId('deadline-badge'))).toBe('past deadline');
      await escalatedRow.locator('.col-finding button').click();
      const note = dialog().getByTestId('deadline-note');
      await eventually(async () =>
        expect(await textOf(note)).toContain(
          `Past deadline — escalated from ${escalated.deadlineEscalation!.from} to ${escalated.deadlineEscalation!.to}`,
        ),
      );
      await closeDetail();
    });
  });

  test('the exemptions view lists the new exemption as active', async () => {
    await page.getByRole('button', { name: 'Exemptions' }).click();
    const row = page.locator('#exemptions-body tr[data-exemption-id]').first();
    await row.waitFor({ timeout: WAIT_MS });
    expect(await textOf(row)).toContain('active');
    expect(await textOf(row)).toContain(exempted.controlId);
    expect(await textOf(row)).toContain('Dana Auditor');
  });

  test('the framework view shows verdicts per requirement', async () => {
    await page.getByRole('button', { name: 'Frameworks' }).click();
    await page.locator('#framework-select').selectOption('cis-aws');
    const rows = page.locator('#framework-report tr[data-requirement]');
    await rows.first().waitFor({ timeout: WAIT_MS });
    expect(await rows.count()).toBeGreaterThan(0);
    const verdicts = new Set((await rows.locator('.badge').allTextContents()).map((text) => text.trim()));
    for (const verdict of verdicts) expect(['failing', 'passing', 'not evaluated', 'not available']).toContain(verdict);
  });

  test('every request the page made went to 127.0.0.1, with no errors or CSP violations', () => {
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.some((url) => url.includes('/api/findings'))).toBe(true);
    const elsewhere = requested.filter((url) => new URL(url).hostname !== '127.0.0.1');
    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
  });

  test('a wrong token shows the 401 state', async () => {
    const other = await context.newPage();
    watch(other);
    try {
      await other.goto(`${server.baseUrl}/#token=not-the-token`);
      await other.locator('#sign-in').waitFor({ state: 'visible', timeout: WAIT_MS });
      expect(await textOf(other.getByTestId('sign-in-reason'))).toContain('401');
      expect(await textOf(other.locator('#errors'))).toContain('Unauthorized');
      expect(await other.locator('#app').isHidden()).toBe(true);
      expect(await other.getByLabel('API token').isVisible()).toBe(true);
      expect(requested.filter((url) => new URL(url).hostname !== '127.0.0.1')).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
