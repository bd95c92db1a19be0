/**
 * Issue 12, "the API holds under load": exports and reports are streamed from cursor reads and the
 * event loop turns between their pages, at most N of them run at once (429 with Retry-After past
 * that), the Bearer scheme is read in any case, and no page may frame the dashboard. Correctness only:
 * timings are the benchmark's (`npm run bench:api`), never asserted here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gatheredBody } from '../../shared/adapters/lambda/api-gateway';
import { apiGatewayHandler } from '../../shared/adapters/lambda/api-gateway';
import { openSqliteStorage } from '../../shared/adapters/store/sqlite';
import { apiDepsOf } from '../../shared/app/api/documents';
import { EXPORT_PAGE_SIZE, handleApiRequest, RETRY_AFTER_SECONDS, type ApiDeps, type ApiResponse } from '../../shared/app/api/router';
import { parseQueryString } from '../../shared/app/api/validate';
import type { Application } from '../../shared/app/compose';
import { EXPORT_FORMATS, exportFindings } from '../../shared/app/exports';
import { buildReport, renderReport } from '../../shared/app/reports';
import { ALL_CONTROLS } from '../../shared/core/controls';
import type { FindingQuery } from '../../shared/core/findings/finding-query';
import { FRAMEWORKS, type FrameworkId } from '../../shared/core/model/framework';
import { generateFindingsDatabase } from '../bench/api-data';
import { testApplication } from '../support/application';
import { runCli } from '../support/cli';
import { serve, TOKEN, type ApiClient } from './server';

const NOW = new Date('2026-03-10T12:00:00.000Z');
/** Enough findings for many pages of every export (EXPORT_PAGE_SIZE each). */
const FINDINGS = 6000;

let dir: string;
let app: Application;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-under-load-'));
  const db = join(dir, 'findings.db');
  await generateFindingsDatabase(db, FINDINGS, resolve(__dirname, '../../events'), NOW);
  // Two controls switched off: the report shows them as not watching.
  app = testApplication({
    storage: openSqliteStorage(db),
    notifier: 'deferred',
    now: () => NOW,
    settings: { disabledControls: ALL_CONTROLS.slice(0, 2).map((c) => c.id) },
  });
}, 120_000);

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(deps: ApiDeps, path: string, headers: Record<string, string> = {}): Promise<ApiResponse> {
  const [pathname, query] = path.split('?');
  return handleApiRequest({ method: 'GET', path: pathname!, query: parseQueryString(query), headers, actor: 'local:test' }, deps);
}

/** A streamed body's chunks (the test fails on a whole string: exports and reports must stream). */
async function chunksOf(response: ApiResponse): Promise<string[]> {
  expect(typeof response.body).not.toBe('string');
  const chunks: string[] = [];
  for await (const chunk of response.body as AsyncIterable<string>) chunks.push(chunk);
  return chunks;
}

const FILTERS: Array<[string, FindingQuery]> = [
  ['', {}],
  ['&status=open&minSeverity=HIGH', { status: 'open', minSeverity: 'HIGH' }],
  ['&area=iam', { area: 'iam' }],
  ['&framework=cis-aws', { controlIds: ALL_CONTROLS.filter((c) => c.frameworks.some((f) => f.framework === 'cis-aws')).map((c) => c.id) }],
];

describe('streamed exports and reports', () => {
  it.each(EXPORT_FORMATS)('%s: the export is streamed a page at a time and is the whole export, byte for byte', async (format) => {
    const deps = apiDepsOf(app);
    for (const [filter, query] of FILTERS) {
      const response = await get(deps, `/api/export?format=${format}${filter}`);
      expect(response.status).toBe(200);
      const chunks = await chunksOf(response);
      const findings = await app.storage.findings.listFindings(query);
      const whole = exportFindings(format, findings, ALL_CONTROLS);
      expect(response.headers['content-type']).toBe(whole.contentType);
      expect({ filter, equal: chunks.join('') === whole.body }).toEqual({ filter, equal: true });
      expect(chunks.length).toBeGreaterThanOrEqual(Math.floor(findings.length / EXPORT_PAGE_SIZE));
      if (findings.length > EXPORT_PAGE_SIZE) expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(whole.body.length / 2);
    }
    expect(deps.documentSlots?.inUse).toBe(0);
  });

  it('streams every framework report, the same text as the whole report', async () => {
    expect((await app.storage.findings.listFindings({ status: 'suppressed' })).length).toBeGreaterThan(0);
    const deps = apiDepsOf(app);
    for (const framework of Object.keys(FRAMEWORKS) as FrameworkId[]) {
      const response = await get(deps, `/api/reports/${framework}`);
      expect(response.status).toBe(200);
      const text = (await chunksOf(response)).join('');
      const mapped = ALL_CONTROLS.filter((c) => c.frameworks.some((f) => f.framework === framework)).map((c) => c.id);
      const findings = await app.storage.findings.listFindings({ controlIds: mapped });
      const whole = renderReport(
        buildReport(framework, ALL_CONTROLS, findings, NOW, { disabledControls: app.settings.disabledControls }),
        'json',
      ).body;
      expect({ framework, equal: text === whole }).toEqual({ framework, equal: true });
    }
    expect(deps.documentSlots?.inUse).toBe(0);
  });

  it('gives the event loop a turn between two pages of an export', async () => {
    const response = await get(apiDepsOf(app), '/api/export?format=json');
    const order: string[] = [];
    let turns = 0;
    for await (const _chunk of response.body as AsyncIterable<string>) {
      order.push('chunk');
      if (turns++ === 1) setImmediate(() => order.push('other work'));
    }
    const other = order.indexOf('other work');
    expect(other).toBeGreaterThan(0);
    expect(other).toBeLessThan(order.length - 1);
  });
});

describe('the bound on exports and reports running at once', () => {
  it('answers 429 with Retry-After past the bound, and frees a slot when a stream ends or is stopped', async () => {
    const deps = apiDepsOf(app, { maxDocuments: 2 });
    const first = await get(deps, '/api/export?format=csv');
    const second = await get(deps, '/api/reports/cis-aws');
    expect([first.status, second.status]).toEqual([200, 200]);
    for (const path of ['/api/export?format=json', '/api/reports/fsbp']) {
      const refused = await get(deps, path);
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
      expect(JSON.parse(refused.body as string)).toEqual({ error: 'too many requests', reason: expect.stringContaining('at most 2') });
    }
    // Other routes are not bounded.
    expect((await get(deps, '/api/findings?limit=5')).status).toBe(200);
    expect((await get(deps, '/api/controls')).status).toBe(200);

    // Stopped before being read (the client went away): its slot is free again.
    await (first.body as AsyncIterable<string>)[Symbol.asyncIterator]().return?.();
    const third = await get(deps, '/api/export?format=asff');
    expect(third.status).toBe(200);
    expect((await get(deps, '/api/export?format=json')).status).toBe(429);
    // Read to its end: free again.
    await chunksOf(second);
    expect(deps.documentSlots?.inUse).toBe(1);
    const fourth = await get(deps, '/api/export?format=json');
    expect(fourth.status).toBe(200);
    await chunksOf(third);
    await chunksOf(fourth);
    expect(deps.documentSlots?.inUse).toBe(0);
  });

  it('`serve --max-exports` takes a whole number from 1 to 100', async () => {
    for (const value of ['0', '101', '2.5', 'many', '']) {
      const refused = await runCli(['serve', '--db', ':memory:', '--port', '0', '--max-exports', value]);
      expect({ value, code: refused.code }).toEqual({ value, code: 2 });
      expect(refused.stderr).toContain('--max-exports');
    }
  });

  it('over HTTP: 429 past `serve --max-exports`, and the slot of a client that went away is freed', async () => {
    const api = await serve({ app, staticDir: join(dir, 'none'), maxExports: 1 });
    try {
      const first = await openStream(api, '/api/export?format=json');
      expect(first.response.statusCode).toBe(200);
      const refused = await api.get('/api/export?format=csv');
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
      expect(refused.headers.get('content-security-policy')).toBe("default-src 'self'; frame-ancestors 'none'");
      first.abort();
      // The server learns of the closed connection when it next writes: retried until it has.
      let status = 429;
      for (let attempt = 0; attempt < 200 && status === 429; attempt += 1) {
        const answer = await api.get('/api/export?format=csv&status=suppressed');
        status = answer.status;
        if (status === 429) await new Promise((done) => setTimeout(done, 25));
      }
      expect(status).toBe(200);
    } finally {
      await api.running.stop();
    }
  });
});

/** A GET whose body is read only as far as its first chunk; `abort` closes the connection. */
function openStream(api: ApiClient, path: string): Promise<{ response: IncomingMessage; first: string; abort: () => void }> {
  const url = new URL(api.baseUrl);
  return new Promise((resolveStream, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path, method: 'GET', headers: { authorization: `Bearer ${TOKEN}` } },
      (response) => {
        response.once('data', (chunk: Buffer) => {
          response.pause();
          resolveStream({ response, first: chunk.toString('utf8'), abort: () => req.destroy() });
        });
      },
    );
    req.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
    });
    req.end();
  });
}

describe('over HTTP', () => {
  let api: ApiClient;

  beforeAll(async () => {
    api = await serve({ app, staticDir: join(dir, 'none') });
  });

  afterAll(async () => {
    await api?.running.stop();
  });

  it('answers /api/controls while a full export is still reading its findings', async () => {
    // The same database, its reads recorded: an export that holds the event loop reads everything before
    // anything else is answered; a streamed one is still reading when a request sent after its first read is answered.
    const events: string[] = [];
    let firstRead: (() => void) | undefined;
    const started = new Promise<void>((resolveStart) => {
      firstRead = resolveStart;
    });
    const storage = openSqliteStorage(join(dir, 'findings.db'));
    const findings = storage.findings;
    const recorded: typeof findings = Object.create(findings);
    recorded.listFindings = (query) => {
      events.push('export read');
      firstRead?.();
      return findings.listFindings(query);
    };
    const watched = testApplication({ storage: { ...storage, findings: recorded }, notifier: 'deferred', now: () => NOW });
    const served = await serve({ app: watched, staticDir: join(dir, 'none') });
    try {
      const exported = served.get<unknown[]>('/api/export?format=ocsf');
      await started;
      const controls = await served.get('/api/controls');
      events.push(`controls ${controls.status}`);
      const answer = await exported;
      expect(answer.status).toBe(200);
      expect(answer.body).toHaveLength(FINDINGS);
      const answered = events.indexOf('controls 200');
      expect(answered).toBeGreaterThan(0);
      expect(events.slice(answered + 1)).toContain('export read');
    } finally {
      await served.running.stop();
      await watched.close();
    }
  });

  it('accepts the Bearer scheme in any case, still comparing the token in constant time', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      const answer = await api.request('GET', '/api/controls', { token: null, headers: { authorization: `${scheme} ${TOKEN}` } });
      expect({ scheme, status: answer.status }).toEqual({ scheme, status: 200 });
    }
    expect((await api.request('GET', '/api/summary', { token: null, headers: { authorization: `bearer  ${TOKEN}` } })).status).toBe(200);
    for (const authorization of [`bearer ${TOKEN}x`, `bearer${TOKEN}`, `Basic ${TOKEN}`, `bearer ${TOKEN} extra`, 'bearer ', `${TOKEN}`]) {
      const answer = await api.request('GET', '/api/controls', { token: null, headers: { authorization } });
      expect({ authorization, status: answer.status }).toEqual({ authorization, status: 401 });
    }
  });

  it("forbids framing every answer: CSP frame-ancestors 'none' and X-Frame-Options DENY", async () => {
    const answers = [
      await api.get('/api/controls'),
      await api.get('/api/controls', null),
      await api.get('/api/nothing'),
      await api.get('/api/export?format=csv&status=suppressed'),
      await api.request('GET', '/', { token: null }),
      await api.request('GET', '/app.js', { token: null }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 401, 404, 200, 200, 404]);
    for (const answer of answers) {
      expect(answer.headers.get('content-security-policy')).toBe("default-src 'self'; frame-ancestors 'none'");
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});

describe('the Lambda shell', () => {
  it('sends a streamed export whole, and refuses one larger than a Lambda answer, reading no further', async () => {
    const deps = apiDepsOf(app);
    const handler = apiGatewayHandler(deps);
    const event = (rawQueryString: string) =>
      ({
        version: '2.0',
        rawPath: '/api/export',
        rawQueryString,
        headers: {},
        requestContext: {
          http: { method: 'GET', path: '/api/export' },
          stage: '$default',
          authorizer: { iam: { userArn: 'arn:aws:iam::111122223333:user/carol' } },
        },
        isBase64Encoded: false,
      }) as never;
    const small = await handler(event('format=csv&status=suppressed'));
    expect(small.statusCode).toBe(200);
    const suppressed = await app.storage.findings.listFindings({ status: 'suppressed' });
    expect(small.body).toBe(exportFindings('csv', suppressed, ALL_CONTROLS).body);

    const large = await handler(event('format=ocsf'));
    expect(large.statusCode).toBe(422);
    expect(JSON.parse(large.body!)).toEqual({ error: 'too large', reason: expect.stringContaining('narrow the filters') });
    expect(deps.documentSlots?.inUse).toBe(0);

    // A read failing part way through: a bare 500, the failure reported, the slot freed.
    const findings = app.storage.findings;
    const failing: typeof findings = Object.create(findings);
    let reads = 0;
    failing.listFindings = (query) => (++reads === 3 ? Promise.reject(new Error('disk gone')) : findings.listFindings(query));
    const failures: unknown[] = [];
    const failingDeps = { ...apiDepsOf(app), storage: { ...app.storage, findings: failing }, onError: (e: unknown) => failures.push(e) };
    const failed = await apiGatewayHandler(failingDeps)(event('format=json'));
    expect(failed.statusCode).toBe(500);
    expect(JSON.parse(failed.body!)).toEqual({ error: 'internal error' });
    expect(failures).toEqual([new Error('disk gone')]);
    expect(failingDeps.documentSlots?.inUse).toBe(0);

    // Gathering stops at the limit: the rest is never read.
    let read = 0;
    const chunks = async function* () {
      try {
        for (;;) {
          read += 1;
          yield 'x'.repeat(1000);
        }
      } finally {
        read = -read;
      }
    };
    expect(await gatheredBody(chunks(), 10_000)).toBeUndefined();
    expect(read).toBe(-11);
    // Measured as the answer's JSON encodes it: each quote takes two bytes there.
    expect(await gatheredBody('"quoted"', 10)).toBe('"quoted"');
    expect(await gatheredBody('"quoted"', 9)).toBeUndefined();
  });
});
