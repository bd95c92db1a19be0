/**
 * The local API under load and abuse: `npm run bench:api`'s measurements against its targets, then
 * requests an attacker or a careless script would send, against `serve` over the same database.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteStorage } from '../../../shared/adapters/store/sqlite';
import { startServer } from '../../../shared/shells/cli/serve-command';
import { testApplication } from '../../support/application';
import { ROOT } from '../../support/cli-process';
import { section, type Section } from './cases';
import { measuredRun } from './processes';

interface BenchResult {
  findings: number;
  idle_rss_mb: number;
  pages?: { requests: number; errors: number; p50_ms: number; p99_ms: number; peak_rss_mb: number };
  controls_during_export?: { max_ms: number; p50_ms: number; probes: number; export_ms: number; export_first_byte_ms: number };
  exports_in_flight?: { exports: number; statuses: number[]; peak_rss_mb: number; max_ms: number; controls_max_ms: number };
  others?: { summary_p50_ms: number; report_ms: number };
  server_peak_rss_mb: number;
}

export async function apiSection({ dir }: { cli: string; dir: string }): Promise<Section> {
  const result = section(
    'The API under load and abuse',
    '`npm run bench:api -- --json` (test/bench/api-bench.ts: `serve` as a child process over a generated database of 160,000 findings, its ' +
      'memory read from /proc) against the issue’s targets; then abusive requests to `serve` over the same database.',
  );
  const bench = join(ROOT, 'dist/bench-api.js');
  if (!existsSync(bench)) throw new Error(`${bench} not found: run through npm run reliability (it builds first)`);
  const db = join(dir, 'api.db');
  const run = await measuredRun(bench, ['--json', '--db', db], {});
  let figures: BenchResult | undefined;
  try {
    figures = JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as BenchResult;
  } catch {
    // Reported as a failed case below.
  }
  if (!figures?.pages || !figures.controls_during_export || !figures.exports_in_flight) {
    result.cases.push({
      name: '`npm run bench:api`',
      input: '--json',
      expected: 'a JSON result',
      observed: `exit ${run.code}: ${(run.stderr || run.stdout).slice(0, 300)}`,
      passed: false,
    });
    return result;
  }
  const { pages, controls_during_export: controls, exports_in_flight: exports } = figures;
  result.cases.push(
    {
      name: 'pages under load',
      input: `${pages.requests} GET /api/findings (20 filter sets, first, second and deep pages), 20 in parallel, ${figures.findings.toLocaleString('en-US')} findings`,
      expected: 'no error; p99 < 1 s',
      observed: `${pages.errors} errors; p50 ${pages.p50_ms} ms, p99 ${pages.p99_ms} ms; peak RSS ${pages.peak_rss_mb} MB`,
      passed: pages.errors === 0 && pages.p99_ms < 1000,
    },
    {
      name: '`/api/controls` during a full export',
      input: `GET /api/controls every 100 ms while GET /api/export?format=json streams every finding`,
      expected: 'every answer < 200 ms (long work does not block other requests)',
      observed: `${controls.probes} probes, p50 ${controls.p50_ms} ms, max ${controls.max_ms} ms; the export's first byte after ${controls.export_first_byte_ms} ms, end after ${(controls.export_ms / 1000).toFixed(1)} s`,
      passed: controls.probes > 0 && controls.max_ms < 200,
    },
    {
      name: `${exports.exports} full exports in flight`,
      input: `json, csv, ocsf, asff, json at once (serve --max-exports ${exports.exports})`,
      expected: 'all 200; server peak RSS < 500 MB (streamed: memory flat whatever the table size)',
      observed: `statuses ${exports.statuses.join(', ')}; peak RSS ${exports.peak_rss_mb} MB (idle ${figures.idle_rss_mb} MB); slowest ${(exports.max_ms / 1000).toFixed(1)} s; /api/controls meanwhile max ${exports.controls_max_ms} ms`,
      passed: exports.statuses.every((status) => status === 200) && exports.peak_rss_mb < 500,
    },
  );
  result.figures.push(
    ['findings in the database', figures.findings.toLocaleString('en-US')],
    ['server idle RSS / peak over the whole run', `${figures.idle_rss_mb} MB / ${figures.server_peak_rss_mb} MB`],
    ['pages p50 / p99', `${pages.p50_ms} ms / ${pages.p99_ms} ms`],
    ['/api/controls during one export, max', `${controls.max_ms} ms`],
    ['peak RSS with 5 exports in flight', `${exports.peak_rss_mb} MB`],
    ...(figures.others
      ? ([['/api/summary p50; /api/reports/cis-aws', `${figures.others.summary_p50_ms} ms; ${figures.others.report_ms} ms`]] as Array<
          [string, string]
        >)
      : []),
  );

  // Abuse, against serve over the same database (2 exports at once, the default bound).
  const app = testApplication({ storage: openSqliteStorage(db), notifier: 'deferred', now: () => new Date() });
  const token = 'campaign-token-0123456789';
  const running = await startServer({ app, token, port: 0, staticDir: join(ROOT, 'dist/dashboard'), sweepIntervalMs: 3_600_000 });
  const call = async (path: string, init: RequestInit = {}, auth: string | null = `Bearer ${token}`) => {
    const headers = new Headers(init.headers);
    if (auth !== null) headers.set('authorization', auth);
    const response = await fetch(`${running.baseUrl}${path}`, { ...init, headers });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
  const check = (name: string, input: string, expected: string, observed: string, passed: boolean) =>
    result.cases.push({ name, input, expected, observed, passed });
  try {
    const address = running.server.address();
    const host = typeof address === 'object' && address !== null ? address.address : String(address);
    check('where it listens', '`serve` without --host', 'bound to 127.0.0.1 only', host, host === '127.0.0.1');

    const none = await call('/api/findings', {}, null);
    const wrong = await call('/api/findings', {}, 'Bearer not-the-token');
    const inQuery = await call(`/api/findings?token=${token}`, {}, null);
    const lower = await call('/api/findings?limit=1', {}, `bearer ${token}`);
    const basic = await call('/api/findings', {}, `Basic ${Buffer.from(`x:${token}`).toString('base64')}`);
    check(
      'tokens',
      'no token; a wrong one; the token in the query string; Basic with the token; `bearer` in lower case',
      '401, 401, 401, 401 (with WWW-Authenticate: Bearer); 200 for lower case (RFC 7235: the scheme is case-insensitive)',
      `${none.status}, ${wrong.status}, ${inQuery.status}, ${basic.status} (WWW-Authenticate: ${none.headers.get('www-authenticate')}); ${lower.status}`,
      none.status === 401 &&
        wrong.status === 401 &&
        inQuery.status === 401 &&
        basic.status === 401 &&
        lower.status === 200 &&
        none.headers.get('www-authenticate') === 'Bearer',
    );

    const page = await call('/', {}, null);
    const api = await call('/api/controls');
    const csp = page.headers.get('content-security-policy') ?? '';
    check(
      'framing (clickjacking)',
      'GET / (the dashboard) and GET /api/controls',
      "Content-Security-Policy with frame-ancestors 'none' and X-Frame-Options: DENY on both",
      `dashboard ${page.status}: CSP ${csp.includes("frame-ancestors 'none'") ? "has frame-ancestors 'none'" : 'lacks frame-ancestors'}, XFO ${page.headers.get('x-frame-options')}; API XFO ${api.headers.get('x-frame-options')}`,
      csp.includes("frame-ancestors 'none'") &&
        page.headers.get('x-frame-options') === 'DENY' &&
        api.headers.get('x-frame-options') === 'DENY',
    );

    const traversal = await Promise.all(
      ['/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/../../package.json'].map((path) => call(path, {}, null)),
    );
    check(
      'path traversal on static files',
      '/..%2f..%2fpackage.json, /%2e%2e/%2e%2e/package.json, /../../package.json',
      'never a file outside the dashboard (404)',
      traversal.map((answer) => `${answer.status}${answer.text.includes('"dependencies"') ? ' (package.json served!)' : ''}`).join(', '),
      traversal.every((answer) => answer.status === 404 && !answer.text.includes('"dependencies"')),
    );

    const dates = await Promise.all(
      ['since=2025-02-30', 'until=2025-04-31T10:00:00Z', 'since=2025-03-04T10:12:41', 'since=2062-03-10'].map((query) =>
        call(`/api/findings?${query}`),
      ),
    );
    check(
      'impossible, zone-less and far-future dates',
      'since=2025-02-30; until=2025-04-31T10:00:00Z; since=2025-03-04T10:12:41; since=2062-03-10',
      '400 each, naming the parameter and why',
      dates.map((answer) => `${answer.status} ${answer.text.slice(0, 90)}`).join(' / '),
      dates.every((answer) => answer.status === 400 && /"parameter":"(since|until)"/.test(answer.text)),
    );

    const exemption = (expiresAt: string) =>
      call('/api/exemptions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          controlId: 'network.security-group-open-to-internet',
          reason: 'test',
          approver: 'ciso@example.com',
          expiresAt,
        }),
      });
    const feb30 = await exemption('2027-02-30T00:00:00Z');
    check(
      'an exemption expiring on 30 February',
      'POST /api/exemptions {expiresAt: "2027-02-30T00:00:00Z"}',
      '400 naming expiresAt',
      `${feb30.status} ${feb30.text.slice(0, 120)}`,
      feb30.status === 400 && feb30.text.includes('expiresAt'),
    );

    const bodies = await Promise.all([
      call('/api/exemptions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(2 * 1024 * 1024) }),
      call('/api/exemptions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"controlId": ' }),
      call('/api/exemptions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ controlId: { $ne: null } }),
      }),
    ]);
    check(
      'bodies too large, broken or hostile',
      'POST /api/exemptions with 2 MB; with broken JSON; with {"controlId": {"$ne": null}}',
      '413; 400; 400 — never 500',
      bodies.map((answer) => String(answer.status)).join('; '),
      bodies[0]!.status === 413 && bodies[1]!.status === 400 && bodies[2]!.status === 400,
    );

    const queries = await Promise.all(
      [
        `account=${encodeURIComponent("' OR 1=1 --")}`,
        'cursor=not-a-cursor',
        'limit=1000000',
        'status=open&status=resolved',
        'area=network%00',
      ].map((query) => call(`/api/findings?${query}`)),
    );
    check(
      'hostile query parameters',
      "account=' OR 1=1 --; cursor=not-a-cursor; limit=1000000; status twice; area with a NUL",
      '400 each (parameterized queries; nothing interpolated)',
      queries.map((answer) => String(answer.status)).join(', '),
      queries.every((answer) => answer.status === 400),
    );

    // The bound: two exports hold the slots; a third is refused until one ends.
    const streams = await Promise.all(
      [0, 1].map(() => fetch(`${running.baseUrl}/api/export?format=json`, { headers: { authorization: `Bearer ${token}` } })),
    );
    const third = await call('/api/export?format=csv');
    const report = await call('/api/reports/cis-aws');
    for (const stream of streams) await stream.body?.cancel();
    await new Promise((wake) => setTimeout(wake, 500));
    const after = await call('/api/export?format=csv&area=image');
    check(
      'exports beyond the bound',
      'two full exports streaming, then a third export and a report; the two cancelled; then another export',
      '200, 200; 429 and 429 with Retry-After; 200 once the slots are free',
      `${streams.map((s) => s.status).join(', ')}; ${third.status} (Retry-After ${third.headers.get('retry-after')}), ${report.status}; ${after.status}`,
      streams.every((s) => s.status === 200) &&
        third.status === 429 &&
        third.headers.get('retry-after') !== null &&
        report.status === 429 &&
        after.status === 200,
    );
  } finally {
    await running.stop();
    await app.close();
  }
  return result;
}
