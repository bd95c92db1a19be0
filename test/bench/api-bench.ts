/**
 * `npm run bench:api [-- --json] [-- --findings N] [-- --db FILE [--generate-only]]`: the findings API of
 * `trailwarden serve` under load, against a SQLite database of N findings (default 160,000; built by
 * api-data.ts, or reused when `--db` names an existing file, so before/after runs read the same data).
 *
 * The server runs in a child process (the built CLI, `serve --port 0`), so its resident memory is
 * measured apart from this load generator: /proc/<pid>/status VmRSS sampled every 20 ms. Measured:
 * 1. pages: 200 `GET /api/findings?limit=50` with assorted filters and cursors (first pages, second
 *    pages, pages deep in the table), 20 in parallel: p50/p99 latency and the server's peak RSS;
 * 2. `GET /api/controls` every 100 ms while one full export (`format=json`, no filter) runs;
 * 3. five full exports at once (json, csv, ocsf, asff, json), the server started with
 *    `--max-exports 5` so that all five run: their time and the server's peak RSS (a server without that
 *    option, i.e. before the bound existed, is started without it);
 * 4. `GET /api/summary` and `GET /api/reports/cis-aws` alone.
 * `--json` prints one JSON object; `--phases pages,controls,exports,others` runs some of them. Machines
 * here are shared: compare runs on the same machine, one after the other.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { databaseBytes, generateFindingsDatabase, type GeneratedDatabase } from './api-data';

const DAY_MS = 86_400_000;
const TARGETS = { pagesP99Ms: 1000, controlsDuringExportMs: 200, peakRssMbWithExports: 500 };

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: number;
  ms: number;
  /** Time to the first byte of the body (or the end when there is none). */
  firstByteMs: number;
  text?: string;
}

class Client {
  // A connection per request: a kept-alive connection the server closes as idle while a request is
  // being sent on it fails that request (the server's keep-alive timeout races the client).
  private readonly agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });

  constructor(
    private readonly base: URL,
    private readonly token: string,
  ) {}

  /** GET `path`; the body is kept as text when `keep`, else only counted. */
  get(path: string, keep = false): Promise<Answer> {
    const started = performance.now();
    return new Promise((resolveAnswer, reject) => {
      const req = request(
        {
          host: this.base.hostname,
          port: this.base.port,
          path,
          method: 'GET',
          agent: this.agent,
          headers: { authorization: `Bearer ${this.token}` },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let bytes = 0;
          let firstByteMs: number | undefined;
          res.on('data', (chunk: Buffer) => {
            firstByteMs ??= performance.now() - started;
            bytes += chunk.length;
            if (keep) chunks.push(chunk);
          });
          res.on('end', () => {
            const ms = performance.now() - started;
            resolveAnswer({
              status: res.statusCode ?? 0,
              headers: res.headers,
              bytes,
              ms,
              firstByteMs: firstByteMs ?? ms,
              ...(keep ? { text: Buffer.concat(chunks).toString('utf8') } : {}),
            });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Samples the server's resident memory; `peak()` is the highest sample since the last `reset()`. */
class RssSampler {
  private highest = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.sample();
    this.timer = setInterval(() => this.sample(), 20);
  }

  current(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return match ? Number(match[1]) / 1024 : 0;
  }

  /** The kernel's own high-water mark of the process (VmHWM), since it started. */
  highWaterMark(): number {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  }

  private sample(): void {
    try {
      this.highest = Math.max(this.highest, this.current());
    } catch {
      // the process ended
    }
  }

  reset(): void {
    this.highest = 0;
    this.sample();
  }

  peak(): number {
    this.sample();
    return this.highest;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

interface Server {
  child: ChildProcess;
  base: URL;
  token: string;
  /** Whether it took `--max-exports` (a server before the export bound refuses the option). */
  bounded: boolean;
  stderr: () => string;
}

function startServer(cli: string, db: string, extra: string[]): Promise<Server> {
  const token = randomBytes(24).toString('base64url');
  const env: NodeJS.ProcessEnv = { ...process.env, TRAILWARDEN_API_TOKEN: token };
  delete env.TRAILWARDEN_CONFIG;
  delete env.TRAILWARDEN_DB;
  const child = spawn(process.execPath, [cli, 'serve', '--db', db, '--port', '0', ...extra], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  return new Promise((resolveServer, reject) => {
    const timeout = setTimeout(() => reject(new Error(`serve did not start within 300 s: ${err}`)), 300_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /trailwarden serve: (http:\/\/\S+?)\/#token=/.exec(out);
      if (match) {
        clearTimeout(timeout);
        resolveServer({ child, base: new URL(match[1]!), token, bounded: extra.length > 0, stderr: () => err });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timeout);
      reject(new Error(`serve exited with ${code}: ${err.trim()}`));
    });
  });
}

async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise<void>((done) => server.child.once('exit', () => done()));
  server.child.kill('SIGTERM');
  await exited;
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Runs the tasks with at most `parallel` at once, in order of the list. */
async function inParallel<T>(tasks: Array<() => Promise<T>>, parallel: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, tasks.length) }, worker));
  return results;
}

/** The page requests: assorted filters, each as a first page, a second page, and a page deep in the table. */
async function pageRequests(client: Client, count: number, now: Date): Promise<string[]> {
  const sample = JSON.parse((await client.get('/api/findings?limit=1&status=open', true)).text!) as {
    findings: Array<{ account: string; controlId: string; region: string }>;
  };
  const some = sample.findings[0]!;
  const day = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY_MS).toISOString().slice(0, 10);
  const filters = [
    '',
    'status=open',
    'status=resolved',
    'status=suppressed',
    'area=network',
    'area=iam&status=open',
    'area=data',
    'severity=HIGH',
    'minSeverity=HIGH',
    'framework=cis-aws',
    'framework=pci-dss-4.0&status=open',
    `account=${some.account}`,
    `account=${some.account}&status=open`,
    'region=eu-west-1',
    `region=${some.region}&minSeverity=MEDIUM`,
    `since=${day(30)}`,
    `until=${day(60)}`,
    `since=${day(90)}&until=${day(45)}`,
    `controlId=${some.controlId}`,
    'area=runtime&minSeverity=MEDIUM',
  ];
  // A position about half way through the table: the first page of findings older than 60 days.
  const deep = JSON.parse((await client.get(`/api/findings?limit=50&until=${day(60)}`, true)).text!) as { nextCursor?: string };
  const paths: string[] = [];
  for (const filter of filters) {
    const query = filter ? `${filter}&limit=50` : 'limit=50';
    const first = JSON.parse((await client.get(`/api/findings?${query}`, true)).text!) as { nextCursor?: string };
    paths.push(`/api/findings?${query}`);
    if (first.nextCursor) paths.push(`/api/findings?${query}&cursor=${first.nextCursor}`);
    if (deep.nextCursor) paths.push(`/api/findings?${query}&cursor=${deep.nextCursor}`);
  }
  return Array.from({ length: count }, (_, i) => paths[i % paths.length]!);
}

/** `GET /api/controls` every `everyMs` until `done` settles: the latencies. */
async function probeControls(client: Client, done: Promise<unknown>, everyMs: number): Promise<number[]> {
  let finished = false;
  done.then(
    () => {
      finished = true;
    },
    () => {
      finished = true;
    },
  );
  const latencies: number[] = [];
  while (!finished) {
    const answer = await client.get('/api/controls');
    if (answer.status !== 200) throw new Error(`/api/controls answered ${answer.status}`);
    if (!finished) latencies.push(answer.ms);
    await sleep(everyMs);
  }
  return latencies;
}

const PHASES = ['pages', 'controls', 'exports', 'others'] as const;

interface Phase {
  client: Client;
  rss: RssSampler;
  log: (text: string) => void;
  idleRss: number;
  now: Date;
  requests: number;
  parallel: number;
  exports: number;
  bounded: boolean;
}

/** 1. Page requests, `parallel` at once. */
async function measurePages({ client, rss, log, idleRss, now, requests, parallel }: Phase) {
  const paths = await pageRequests(client, requests, now);
  for (const path of paths.slice(0, 5)) await client.get(path);
  rss.reset();
  const started = performance.now();
  const pages = await inParallel(
    paths.map((path) => () => client.get(path)),
    parallel,
  );
  const ms = pages.map((answer) => answer.ms);
  const result = {
    requests: pages.length,
    parallel,
    errors: pages.filter((answer) => answer.status !== 200).length,
    p50_ms: round(percentile(ms, 50)),
    p99_ms: round(percentile(ms, 99)),
    max_ms: round(Math.max(...ms)),
    seconds: round((performance.now() - started) / 1000, 2),
    peak_rss_mb: round(rss.peak()),
    rss_growth_mb: round(rss.peak() - idleRss),
  };
  log(
    `Pages: ${result.requests} requests, ${parallel} in parallel: p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms, max ${result.max_ms} ms (${result.errors} errors) in ${result.seconds} s; peak RSS ${result.peak_rss_mb} MiB`,
  );
  return result;
}

/** 2. `/api/controls` every 100 ms during one full JSON export. */
async function measureControlsDuringExport({ client, rss, log, idleRss }: Phase) {
  rss.reset();
  const exportRun = client.get('/api/export?format=json');
  await sleep(300);
  const controls = await probeControls(client, exportRun, 100);
  const single = await exportRun;
  const result = {
    export_status: single.status,
    export_ms: round(single.ms),
    export_first_byte_ms: round(single.firstByteMs),
    export_mb: round(single.bytes / 1024 / 1024),
    probes: controls.length,
    p50_ms: round(percentile(controls, 50)),
    max_ms: round(controls.length > 0 ? Math.max(...controls) : Number.NaN),
    peak_rss_mb: round(rss.peak()),
    rss_growth_mb: round(rss.peak() - idleRss),
  };
  log(
    `/api/controls during a full JSON export (${result.export_mb} MiB in ${round(single.ms / 1000, 2)} s, first byte after ${round(single.firstByteMs / 1000, 2)} s): ${controls.length} probes, p50 ${result.p50_ms} ms, max ${result.max_ms} ms; peak RSS ${result.peak_rss_mb} MiB`,
  );
  return result;
}

/** 3. `exports` full exports at once, with `/api/controls` every 100 ms meanwhile. */
async function measureExportsInFlight({ client, rss, log, idleRss, exports, bounded }: Phase) {
  const formats = ['json', 'csv', 'ocsf', 'asff', 'json'];
  rss.reset();
  const started = performance.now();
  const running = Promise.all(Array.from({ length: exports }, (_, i) => client.get(`/api/export?format=${formats[i % formats.length]}`)));
  await sleep(300);
  const controls = await probeControls(client, running, 100);
  const answers = await running;
  const ms = answers.map((answer) => answer.ms);
  const result = {
    exports,
    bounded,
    statuses: answers.map((answer) => answer.status),
    mb: round(answers.reduce((sum, answer) => sum + answer.bytes, 0) / 1024 / 1024),
    p50_ms: round(percentile(ms, 50)),
    max_ms: round(Math.max(...ms)),
    seconds: round((performance.now() - started) / 1000, 2),
    controls_p50_ms: round(percentile(controls, 50)),
    controls_max_ms: round(controls.length > 0 ? Math.max(...controls) : Number.NaN),
    peak_rss_mb: round(rss.peak()),
    rss_growth_mb: round(rss.peak() - idleRss),
  };
  log(
    `${exports} full exports at once (${Array.from({ length: exports }, (_, i) => formats[i % formats.length]).join(', ')}): statuses ${result.statuses.join(', ')}, ${result.mb} MiB, p50 ${round(result.p50_ms / 1000, 2)} s, max ${round(result.max_ms / 1000, 2)} s; /api/controls meanwhile p50 ${result.controls_p50_ms} ms, max ${result.controls_max_ms} ms; peak RSS ${result.peak_rss_mb} MiB (+${result.rss_growth_mb} over idle)`,
  );
  return result;
}

/** 4. The summary and a framework report, alone. */
async function measureOthers({ client, log }: Phase) {
  const summaries: number[] = [];
  for (let i = 0; i < 5; i += 1) summaries.push((await client.get('/api/summary')).ms);
  const report = await client.get('/api/reports/cis-aws');
  const result = {
    summary_p50_ms: round(percentile(summaries, 50)),
    summary_max_ms: round(Math.max(...summaries)),
    report_status: report.status,
    report_ms: round(report.ms),
    report_mb: round(report.bytes / 1024 / 1024, 2),
  };
  log(
    `/api/summary: p50 ${result.summary_p50_ms} ms, max ${result.summary_max_ms} ms; /api/reports/cis-aws: ${report.status} in ${result.report_ms} ms (${result.report_mb} MiB)`,
  );
  return result;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      json: { type: 'boolean', default: false },
      findings: { type: 'string', default: '160000' },
      db: { type: 'string' },
      samples: { type: 'string', default: 'events' },
      requests: { type: 'string', default: '200' },
      parallel: { type: 'string', default: '20' },
      exports: { type: 'string', default: '5' },
      'generate-only': { type: 'boolean', default: false },
      phases: { type: 'string', default: PHASES.join(',') },
    },
  });
  const phases = new Set(values.phases.split(','));
  for (const phase of phases)
    if (!(PHASES as readonly string[]).includes(phase)) throw new Error(`--phases: ${phase} is not one of ${PHASES.join(', ')}`);
  const count = Number(values.findings);
  const requests = Number(values.requests);
  const parallel = Number(values.parallel);
  const exports = Number(values.exports);
  for (const [name, value] of Object.entries({ findings: count, requests, parallel, exports })) {
    if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name}: expected a positive whole number`);
  }
  const log = (text: string) => {
    if (!values.json) process.stdout.write(`${text}\n`);
  };
  if (values['generate-only'] && values.db === undefined) throw new Error('--generate-only needs --db FILE');
  const cli = resolve(__dirname, '..', 'bin', 'trailwarden.js');
  if (!existsSync(cli)) throw new Error(`${cli} not found: run from the built package (npm run bench:api)`);
  const temporary = values.db === undefined ? mkdtempSync(join(tmpdir(), 'trailwarden-api-bench-')) : undefined;
  const db = values.db ?? join(temporary!, 'findings.db');
  const now = new Date();
  let generated: GeneratedDatabase | undefined;
  try {
    if (!existsSync(db)) {
      log(`Generating ${count} findings into ${db} …`);
      generated = await generateFindingsDatabase(db, count, resolve(values.samples), now);
      log(
        `  ${generated.findings} findings from ${generated.templates} observations in ${round(generated.seconds)} s (${generated.resolved} resolved, ${generated.repeated} seen twice, ${generated.suppressed} suppressed)`,
      );
    } else log(`Reusing ${db}`);
    if (values['generate-only']) return;

    let server: Server;
    try {
      server = await startServer(cli, db, ['--max-exports', String(exports)]);
    } catch (error) {
      if (!/max-exports/.test(String(error))) throw error;
      log('This server has no --max-exports option (no export bound): started without it.');
      server = await startServer(cli, db, []);
    }
    const rss = new RssSampler(server.child.pid!);
    const client = new Client(server.base, server.token);
    try {
      const summaryCheck = JSON.parse((await client.get('/api/summary', true)).text!) as { total: number };
      const idleRss = rss.current();
      log(`Server ${server.base.origin} (pid ${server.child.pid}) over ${summaryCheck.total} findings; idle RSS ${round(idleRss)} MiB`);
      const context: Phase = { client, rss, log, idleRss, now, requests, parallel, exports, bounded: server.bounded };
      const result: Record<string, unknown> = {
        findings: summaryCheck.total,
        db_mb: round(databaseBytes(db) / 1024 / 1024),
        ...(generated ? { generated_seconds: round(generated.seconds) } : {}),
        idle_rss_mb: round(idleRss),
      };
      const pages = phases.has('pages') ? await measurePages(context) : undefined;
      const controls = phases.has('controls') ? await measureControlsDuringExport(context) : undefined;
      const inFlight = phases.has('exports') ? await measureExportsInFlight(context) : undefined;
      const others = phases.has('others') ? await measureOthers(context) : undefined;
      Object.assign(result, {
        ...(pages ? { pages } : {}),
        ...(controls ? { controls_during_export: controls } : {}),
        ...(inFlight ? { exports_in_flight: inFlight } : {}),
        ...(others ? { others } : {}),
        server_peak_rss_mb: round(rss.highWaterMark()),
        targets: {
          ...(pages ? { pages_p99_under_1s: pages.errors === 0 && pages.p99_ms < TARGETS.pagesP99Ms } : {}),
          ...(controls
            ? { controls_under_200ms_during_export: controls.probes > 0 && controls.max_ms < TARGETS.controlsDuringExportMs }
            : {}),
          ...(inFlight
            ? {
                peak_rss_under_500mb_with_exports:
                  inFlight.statuses.every((status) => status === 200) && inFlight.peak_rss_mb < TARGETS.peakRssMbWithExports,
              }
            : {}),
        },
      });
      if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else {
        log(`Server peak RSS over the run (VmHWM): ${result.server_peak_rss_mb} MiB`);
        const targets = result.targets as Record<string, boolean>;
        log(
          `Targets: ${Object.entries(targets)
            .map(([name, met]) => `${name} ${met ? 'met' : 'NOT met'}`)
            .join('; ')}`,
        );
      }
    } catch (error) {
      process.stderr.write(`bench:api: the server's standard error:\n${server.stderr()}\n`);
      throw error;
    } finally {
      rss.stop();
      client.close();
      await stopServer(server);
    }
  } finally {
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:api: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
