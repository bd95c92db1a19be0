/**
 * The findings API over real HTTP, against `trailwarden serve`'s server on port 0 with the
 * bundled sample events replayed into SQLite: authorization, every filter, pagination, refusals,
 * injection attempts, the static files.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request as httpRequest } from 'node:http';
import { runCli } from '../support/cli';
import { openSqliteStorage } from '../../shared/adapters/store/sqlite';
import type { Application } from '../../shared/app/compose';
import { FINDING_FILTERS } from '../../shared/core/model/finding-filters';
import { ALL_CONTROLS } from '../../shared/core/controls';
import type { Finding, HistoryEntry } from '../../shared/core/findings/finding';
import { severityRank, SEVERITIES } from '../../shared/core/model/severity';
import { AREAS } from '../../shared/core/model/area';
import { activityOf } from '../../shared/core/findings/finding';
import { testApplication } from '../support/application';
import { testClock } from '../support/clock';
import { violation } from '../support/observations';
import { serve, TOKEN, type ApiClient } from './server';

const EVENTS = resolve(__dirname, '../../events');
/** The server's clock: after the newest sample event (December 2025). */
const clock = testClock('2026-03-10T12:00:00.000Z');
let dir: string;
let app: Application;
let api: ApiClient;
let all: Finding[];

interface Page {
  findings: Finding[];
  nextCursor?: string;
}

/** Every finding the query selects, walking all pages. */
async function walk(query: string, limit: number): Promise<{ ids: string[]; pages: number; findings: Finding[] }> {
  const findings: Finding[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const separator = query ? '&' : '';
    const answer = await api.get<Page>(`/api/findings?${query}${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(answer.status).toBe(200);
    expect(answer.body.findings.length).toBeLessThanOrEqual(limit);
    findings.push(...answer.body.findings);
    cursor = answer.body.nextCursor;
    pages += 1;
  } while (cursor && pages < 1000);
  return { ids: findings.map((f) => f.id), pages, findings };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-api-'));
  const db = join(dir, 'findings.db');
  const replayed = await runCli(['replay', EVENTS, '--db', db]);
  expect(replayed.code).toBe(0);
  // `trailwarden serve` without --notify: what the sweeps owe stays owed.
  app = testApplication({ storage: openSqliteStorage(db), notifier: 'deferred', now: clock.now });
  api = await serve({ app, staticDir: join(dir, 'no-dashboard') });
  all = (await walk('', 500)).findings;
}, 60_000);

afterAll(async () => {
  await api?.running.stop();
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('authorization', () => {
  it('answers 401 without a token, with a wrong one, or in another scheme', async () => {
    for (const token of [null, 'wrong', `${TOKEN}x`, TOKEN.slice(0, -1), '']) {
      const answer = await api.get('/api/findings', token);
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ error: 'unauthorized' });
    }
    const basic = await api.request('GET', '/api/summary', { token: null, headers: { authorization: `Basic ${TOKEN}` } });
    expect(basic.status).toBe(401);
    expect((await api.get(`/api/findings?token=${TOKEN}`, null)).status).toBe(401);
    for (const path of ['/api/controls', '/api/summary', '/api/exemptions', '/api/exemptions/audit', '/api/nothing-here']) {
      expect((await api.get(path, null)).status).toBe(401);
    }
    expect((await api.request('POST', '/api/exemptions', { token: 'wrong', body: {} })).status).toBe(401);
  });
});

describe('GET /api/findings', () => {
  it('lists every finding newest activity first, 50 by default', async () => {
    expect(all.length).toBeGreaterThan(100);
    const sorted = [...all].sort((a, b) =>
      activityOf(a) === activityOf(b) ? (a.id < b.id ? -1 : 1) : activityOf(a) < activityOf(b) ? 1 : -1,
    );
    expect(all.map((f) => f.id)).toEqual(sorted.map((f) => f.id));
    const first = await api.get<Page>('/api/findings');
    expect(first.body.findings).toHaveLength(50);
    expect(first.body.findings).toEqual(all.slice(0, 50));
    expect(first.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('walks all pages with no duplicates and no gaps, at any page size', async () => {
    for (const limit of [1, 7, 50, 499]) {
      const { ids, pages } = await walk('', limit);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(all.map((f) => f.id));
      expect(pages).toBe(Math.ceil(all.length / limit));
    }
  });

  it('applies each filter exactly, alone and with pagination', async () => {
    const sample = all.find((f) => f.status === 'open' && f.qualifier === undefined) ?? all[0]!;
    const resolved = all.find((f) => f.status === 'resolved')!;
    const middle = activityOf(all[Math.floor(all.length / 2)]!);
    const cisControls = new Set(ALL_CONTROLS.filter((c) => c.frameworks.some((f) => f.framework === 'cis-aws')).map((c) => c.id));
    const pciRequirement = ALL_CONTROLS.flatMap((c) => c.frameworks).find((f) => f.framework === 'pci-dss-4.0')!.requirement;
    const pciControls = new Set(
      ALL_CONTROLS.filter((c) => c.frameworks.some((f) => f.framework === 'pci-dss-4.0' && f.requirement === pciRequirement)).map(
        (c) => c.id,
      ),
    );
    const cases: Array<[string, (f: Finding) => boolean]> = [
      ...AREAS.map((area): [string, (f: Finding) => boolean] => [`area=${area}`, (f) => f.area === area]),
      ['status=open', (f) => f.status === 'open'],
      ['status=resolved', (f) => f.status === 'resolved'],
      ['status=suppressed', (f) => f.status === 'suppressed'],
      ...SEVERITIES.map((s): [string, (f: Finding) => boolean] => [`severity=${s}`, (f) => f.severity === s]),
      ['minSeverity=HIGH', (f) => severityRank(f.severity) >= severityRank('HIGH')],
      [`controlId=${sample.controlId}`, (f) => f.controlId === sample.controlId],
      ['framework=cis-aws', (f) => cisControls.has(f.controlId)],
      [`framework=pci-dss-4.0&requirement=${encodeURIComponent(pciRequirement)}`, (f) => pciControls.has(f.controlId)],
      [`account=${sample.account}`, (f) => f.account === sample.account],
      [`region=${sample.region}`, (f) => f.region === sample.region],
      [`resource=${encodeURIComponent(sample.resourceId)}`, (f) => f.resourceId === sample.resourceId],
      [`since=${middle}`, (f) => activityOf(f) >= middle],
      [`until=${middle}`, (f) => activityOf(f) <= middle],
      [
        `since=${resolved.resolvedAt!.slice(0, 10)}&until=${resolved.resolvedAt!.slice(0, 10)}`,
        (f) => activityOf(f).slice(0, 10) === resolved.resolvedAt!.slice(0, 10),
      ],
      [
        `area=${sample.area}&status=open&minSeverity=LOW&account=${sample.account}`,
        (f) => f.area === sample.area && f.status === 'open' && f.severity !== 'INFORMATIONAL' && f.account === sample.account,
      ],
      [`framework=cis-aws&controlId=${sample.controlId}`, (f) => cisControls.has(f.controlId) && f.controlId === sample.controlId],
    ];
    for (const [query, predicate] of cases) {
      const expected = all.filter(predicate).map((f) => f.id);
      const { ids } = await walk(query, 13);
      expect({ query, ids }).toEqual({ query, ids: expected });
    }
    // The filters select something: the checks above are not all vacuous.
    expect(all.filter((f) => f.account === sample.account).length).toBeGreaterThan(0);
    expect(all.filter((f) => cisControls.has(f.controlId)).length).toBeGreaterThan(0);
  });

  it('refuses each bad value with 400 naming the parameter', async () => {
    const bad: Array<[string, string]> = [
      ['area=compute', 'area'],
      ['status=closed', 'status'],
      ['status=OPEN', 'status'],
      ['severity=SEVERE', 'severity'],
      ['minSeverity=high%20', 'minSeverity'],
      ['controlId=network.nope', 'controlId'],
      ['framework=iso-27001', 'framework'],
      ['requirement=3.1', 'requirement'],
      ['framework=cis-aws&requirement=99.99', 'requirement'],
      ['account=12345', 'account'],
      ['account=1111222233334', 'account'],
      ['region=EU-WEST-1', 'region'],
      ['region=eu_west_1', 'region'],
      ['resource=a%00b', 'resource'],
      [`resource=${'x'.repeat(2049)}`, 'resource'],
      ['since=yesterday', 'since'],
      ['since=2026-13-01', 'since'],
      ['until=2026-03-01T10:00:00', 'until'],
      ['since=2025-02-30', 'since'],
      ['until=2025-02-29', 'until'],
      ['until=2025-04-31T10:00:00Z', 'until'],
      ['until=2026-03-01T10:00Z', 'until'],
      ['since=2026-03-02&until=2026-03-01', 'since'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=ten', 'limit'],
      ['limit=1.5', 'limit'],
      ['limit=-1', 'limit'],
      ['cursor=abc', 'cursor'],
      ['cursor=%3D%3D', 'cursor'],
      [`cursor=${Buffer.from('{"a":"2026-01-01T00:00:00.000Z"}').toString('base64url')}`, 'cursor'],
      ['sort=asc', 'sort'],
      ['area=iam&area=data', 'area'],
      ['area=', 'area'],
      ['AREA=iam', 'AREA'],
    ];
    for (const [query, parameter] of bad) {
      const answer = await api.get(`/api/findings?${query}`);
      expect({ query, status: answer.status }).toEqual({ query, status: 400 });
      expect(answer.body).toMatchObject({ error: 'invalid parameter', parameter, reason: expect.any(String) });
    }
  });

  it('says what is wrong with a date parameter, in the list and the export alike', async () => {
    const cases: Array<[string, string, string | RegExp]> = [
      ['since=2025-02-30', 'since', '2025-02-30 is not a calendar date'],
      ['until=2025-02-30T23:59:59Z', 'until', '2025-02-30 is not a calendar date'],
      ['until=2026-03-01T10:00:00', 'until', /^2026-03-01T10:00:00 has no time zone \(Z for UTC, or an offset such as -05:00\): must be/],
      ['since=2026-03-01T10:00%2B01:00', 'since', /^2026-03-01T10:00\+01:00 has no seconds: must be/],
    ];
    for (const [query, parameter, reason] of cases) {
      for (const path of ['/api/findings', '/api/export?format=json&']) {
        const answer = await api.get(`${path}${path.endsWith('&') ? '' : '?'}${query}`);
        expect({ query, path, status: answer.status, body: answer.body }).toEqual({
          query,
          path,
          status: 400,
          body: { error: 'invalid parameter', parameter, reason: typeof reason === 'string' ? reason : expect.stringMatching(reason) },
        });
      }
    }
    // A real leap day, and an offset read as the instant it names.
    const leap = await api.get<Page>('/api/findings?since=2024-02-29&until=2025-12-31T19:00:00-05:00');
    expect(leap.status).toBe(200);
  });

  it('never returns more rows for an injection attempt in any filter: 400, or nothing', async () => {
    const attempts = ["' OR 1=1 --", '%', '*', '{"$ne":null}', '" OR ""="', '1; DROP TABLE findings', '.*', 'sg-%', '\\'];
    // Every filter (a requirement is refused on its own: it needs its framework) and the page parameters.
    const filters = [...FINDING_FILTERS.filter((name) => name !== 'requirement'), 'limit', 'cursor'];
    for (const filter of filters) {
      for (const attempt of attempts) {
        const answer = await api.get<Page>(`/api/findings?${filter}=${encodeURIComponent(attempt)}`);
        if (answer.status === 200) expect({ filter, attempt, found: answer.body.findings.length }).toEqual({ filter, attempt, found: 0 });
        else
          expect({
            filter,
            attempt,
            status: answer.status,
            parameter: (answer.body as unknown as { parameter: string }).parameter,
          }).toEqual({ filter, attempt, status: 400, parameter: filter });
      }
    }
    const requirement = await api.get<Page>(`/api/findings?framework=cis-aws&requirement=${encodeURIComponent("' OR 1=1 --")}`);
    expect(requirement.status).toBe(400);
    // Still all there, nothing dropped.
    expect((await walk('', 500)).ids).toHaveLength(all.length);
  });
});

describe('GET /api/findings/{id}', () => {
  it('gives the finding, its history and its control', async () => {
    const resolved = all.find((f) => f.status === 'resolved')!;
    const answer = await api.get<{ finding: Finding; history: HistoryEntry[]; control: Record<string, unknown> }>(
      `/api/findings/${resolved.id}`,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.finding).toEqual(resolved);
    expect(answer.body.history.map((h) => h.transition)).toEqual(expect.arrayContaining(['opened', 'resolved']));
    // The detail's control is the catalogue's entry for it, less what resolves it.
    const catalogue = await api.get<{ controls: Array<Record<string, unknown>> }>('/api/controls');
    const { resolves, ...listed } = catalogue.body.controls.find((c) => c.id === resolved.controlId)!;
    expect(resolves).toEqual(ALL_CONTROLS.find((c) => c.id === resolved.controlId)!.resolution?.description);
    expect(answer.body.control).toEqual(listed);
    const mapsAttack = (ALL_CONTROLS.find((c) => c.id === resolved.controlId)!.attack?.length ?? 0) > 0;
    expect(Object.keys(listed).sort()).toEqual(
      [...(mapsAttack ? ['attack'] : []), 'area', 'frameworks', 'id', 'rationale', 'runbook', 'severity', 'title'].sort(),
    );
  });

  it('answers 404 for an unknown or malformed id, 400 for parameters, 405 for other methods', async () => {
    expect((await api.get(`/api/findings/${'0'.repeat(32)}`)).status).toBe(404);
    expect((await api.get(`/api/findings/${encodeURIComponent("' OR 1=1 --")}`)).status).toBe(404);
    expect((await api.get(`/api/findings/${all[0]!.id}?verbose=1`)).status).toBe(400);
    const deleted = await api.request('DELETE', `/api/findings/${all[0]!.id}`);
    expect(deleted.status).toBe(405);
    expect(deleted.headers.get('allow')).toBe('GET');
    expect((await api.request('POST', '/api/findings', { body: {} })).status).toBe(405);
    expect((await api.get('/api/nothing')).status).toBe(404);
    expect((await api.get('/api/nothing')).body).toEqual({ error: 'not found' });
  });
});

describe('GET /api/controls and /api/summary', () => {
  it('lists the catalogue with what resolves each control', async () => {
    const answer = await api.get<{ controls: Array<Record<string, unknown>> }>('/api/controls');
    expect(answer.body.controls).toHaveLength(ALL_CONTROLS.length);
    const withResolution = ALL_CONTROLS.find((c) => c.resolution)!;
    expect(answer.body.controls.find((c) => c.id === withResolution.id)).toMatchObject({
      resolves: withResolution.resolution!.description,
      runbook: withResolution.runbook,
    });
    expect((await api.get('/api/controls?area=iam')).status).toBe(400);
  });

  it('counts by status, area and open severity, with 30 days of trend ending today', async () => {
    const answer = await api.get<{
      total: number;
      byStatus: Record<string, number>;
      byArea: Record<string, Record<string, number>>;
      bySeverity: Record<string, number>;
      trend: Array<{ day: string }>;
    }>('/api/summary');
    expect(answer.status).toBe(200);
    expect(answer.body.total).toBe(all.length);
    expect(answer.body.byStatus).toEqual({
      open: all.filter((f) => f.status === 'open').length,
      resolved: all.filter((f) => f.status === 'resolved').length,
      suppressed: all.filter((f) => f.status === 'suppressed').length,
    });
    for (const area of AREAS) expect(answer.body.byArea[area]!.open).toBe(all.filter((f) => f.area === area && f.status === 'open').length);
    for (const severity of SEVERITIES)
      expect(answer.body.bySeverity[severity]).toBe(all.filter((f) => f.severity === severity && f.status === 'open').length);
    expect(answer.body.trend).toHaveLength(30);
    expect(answer.body.trend[29]!.day).toBe(clock.now().toISOString().slice(0, 10));
    expect((await api.get('/api/summary?days=7')).status).toBe(400);
  });
});

describe('reports and exports', () => {
  it('serves the framework report as JSON and exports in every format', async () => {
    const report = await api.get<{ framework: { id: string } }>('/api/reports/cis-aws');
    expect(report.status).toBe(200);
    expect(report.body.framework.id).toBe('cis-aws');
    expect((await api.get('/api/reports/iso-27001')).status).toBe(404);
    const csv = await api.get('/api/export?format=csv&status=open');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.text.trim().split(/\r\n/)).toHaveLength(all.filter((f) => f.status === 'open').length + 1);
    for (const format of ['json', 'ocsf', 'asff']) {
      const answer = await api.get<unknown[]>(`/api/export?format=${format}&area=iam`);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect(answer.body).toHaveLength(all.filter((f) => f.area === 'iam').length);
    }
    expect((await api.get('/api/export')).body).toMatchObject({ parameter: 'format' });
    expect((await api.get('/api/export?format=xml')).body).toMatchObject({ parameter: 'format' });
    expect((await api.get('/api/export?format=csv&limit=5')).body).toMatchObject({ parameter: 'limit' });
    expect((await api.get('/api/export?format=csv&account=%27%20OR%201%3D1')).status).toBe(400);
  });
});

describe('static files', () => {
  function raw(
    base: string,
    path: string,
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
    const url = new URL(base);
    return new Promise((resolveAnswer, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolveAnswer({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('says how to build the dashboard when it is not built', async () => {
    const answer = await raw(api.baseUrl, '/');
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('npm run build');
    expect(answer.headers['content-security-policy']).toBe("default-src 'self'; frame-ancestors 'none'");
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect((await raw(api.baseUrl, '/app.js')).status).toBe(404);
  });

  it('serves the dashboard files with their content types, and nothing outside them', async () => {
    const site = join(dir, 'site');
    mkdirSync(join(site, 'assets'), { recursive: true });
    writeFileSync(join(site, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(join(site, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(site, 'assets', 'app.css'), 'body{}');
    writeFileSync(join(site, '.env'), 'SECRET=1');
    writeFileSync(join(dir, 'outside.txt'), 'outside');
    symlinkSync(join(dir, 'outside.txt'), join(site, 'link.txt'));
    const empty = testApplication({ storage: openSqliteStorage(':memory:'), notifier: 'deferred', now: clock.now });
    const served = await serve({ app: empty, staticDir: site });
    try {
      const index = await raw(served.baseUrl, '/');
      expect(index).toMatchObject({ status: 200, body: '<!doctype html><title>t</title>' });
      expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(index.headers['content-security-policy']).toBe("default-src 'self'; frame-ancestors 'none'");
      expect(index.headers['x-content-type-options']).toBe('nosniff');
      expect((await raw(served.baseUrl, '/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect((await raw(served.baseUrl, '/assets/app.css')).headers['content-type']).toBe('text/css; charset=utf-8');
      for (const path of [
        '/../outside.txt',
        '/assets/../../outside.txt',
        '/%2e%2e/outside.txt',
        '/assets/%2e%2e%2f%2e%2e%2foutside.txt',
        '/..%5coutside.txt',
        '/.env',
        '/link.txt',
        '/assets',
        '/%00',
        '/%zz',
      ]) {
        const answer = await raw(served.baseUrl, path);
        expect({ path, status: answer.status }).toEqual({ path, status: 404 });
        expect(answer.body).not.toContain('outside');
      }
      expect((await served.request('POST', '/', { token: null })).status).toBe(405);
    } finally {
      await served.running.stop();
      await empty.close();
    }
  });
});

describe('pagination under equal activity times', () => {
  it('orders equal times by id and pages through them without duplicates or gaps', async () => {
    const storage = openSqliteStorage(join(dir, 'ties.db'));
    const store = storage.findings;
    for (let i = 0; i < 37; i += 1) {
      await store.recordViolation(
        violation({ eventId: `e${i}`, eventTime: i < 30 ? '2026-03-01T10:00:00.000Z' : '2026-03-02T10:00:00.000Z', resourceId: `sg-${i}` }),
      );
    }
    await storage.flush();
    const ties = testApplication({ storage, notifier: 'deferred', now: clock.now });
    const served = await serve({ app: ties, staticDir: join(dir, 'none') });
    try {
      const previous = api;
      api = served;
      try {
        const expected = (await store.listFindings()).map((f) => f.id);
        for (const limit of [1, 4, 10, 29, 30, 36]) {
          const { ids } = await walk('', limit);
          expect(ids).toEqual(expected);
        }
        // A finding whose activity moves between pages is not shown twice nor skipped for the rest.
        const first = await served.get<Page>('/api/findings?limit=10');
        await store.recordViolation(violation({ eventId: 'late', eventTime: '2026-03-03T10:00:00.000Z', resourceId: 'sg-36' }));
        const rest = await walk(`cursor=${first.body.nextCursor}`, 100);
        expect(new Set([...first.body.findings.map((f) => f.id), ...rest.ids]).size).toBe(first.body.findings.length + rest.ids.length);
      } finally {
        api = previous;
      }
    } finally {
      await served.running.stop();
      await ties.close();
    }
  });
});
