/**
 * `npm run bench [-- --json] [-- --events N] [-- --real-events N] [-- --workers N]`: throughput of the local
 * replay against reading and parsing the same bytes alone, measured in one run as ratios (machines here are
 * shared and noisy: the ratios are what to compare, not absolute numbers). Two workloads:
 *
 * - `ratio`, the worst case: N events (default 200,000) made from the bundled samples with varied ids,
 *   accounts, regions and resources, as CloudTrail log files ({"Records":[...]}) and JSON Lines of
 *   EventBridge events. Every event is a violation or a resolution; most open a new finding.
 * - `real_ratio`: real CloudTrail, the 2,900-record sample of ../shared/corpus/bulk replicated to at least
 *   200,000 events with varied ids and times (test/support/real-trail.ts), as CloudTrail delivers it:
 *   gzip-compressed log files. Most events change nothing; the findings they raise repeat.
 *
 * Each compares (a) reading every file, gunzipping it when compressed, and JSON.parse of it, nothing else,
 * with (b) `trailwarden replay` of the same files as the command runs it: intake → route → evaluate in
 * worker threads (defaultWorkerCount: one per core but one, none on two cores; the writing thread helps while
 * it waits) → SQLite on disk, written from one thread. Per-event latency (route → evaluate → store, one event at a time) is measured apart, in
 * one thread, on the first 20,000 events of the worst case.
 */
import { measureBundles } from './bundles';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { readEvents } from '../../shared/adapters/intake';
import { defaultWorkerCount, workerPoolItems } from '../../shared/adapters/workers/worker-pool-input';
import { replay, type EventProcessor } from '../../shared/app/pipeline/replay';
import type { ReplaySummary } from '../../shared/app/pipeline/summary';
import { openSqliteStorage, REPLAY_PAGE_CACHE_MIB } from '../../shared/adapters/store/sqlite';
import { createApplication } from '../../shared/app/compose';
import { ALL_CONTROLS } from '../../shared/core/controls';
import { DEFAULT_SETTINGS } from '../../shared/core/settings/settings';
import type { EventBridgeEvent } from '../../shared/core/model/event';
import type { IntakeItem } from '../../shared/core/intake/types';
import { generateEvents } from '../support/generated-events';
import { BULK_SAMPLE, bulkSamplePresent, replicateBulkSample } from '../support/real-trail';

/** The worker entry `npm run bench` bundled beside this file (dist/). */
const WORKER_SCRIPT = join(__dirname, 'replay-worker.js');
const LATENCY_EVENTS = 20_000;

/** (a) reading the same bytes (gunzipped when compressed) and JSON.parse of every record, nothing else. */
function parseOnly(files: readonly string[]): number {
  let parsed = 0;
  for (const file of files) {
    const bytes = readFileSync(file);
    const text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
    if (file.endsWith('.jsonl')) {
      for (const line of text.split('\n')) if (line) parsed += JSON.parse(line) ? 1 : 0;
    } else {
      parsed += (JSON.parse(text) as { Records: unknown[] }).Records.length;
    }
  }
  return parsed;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function rssMb(): number {
  return process.memoryUsage().rss / 1024 / 1024;
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

/** The application as `replay` composes it: the whole catalogue, SQLite on disk, notifications sent nowhere. */
function replayApplication(dbFile: string) {
  return createApplication({
    settings: { ...DEFAULT_SETTINGS },
    catalogue: ALL_CONTROLS,
    storage: openSqliteStorage(dbFile, { pageCacheMiB: REPLAY_PAGE_CACHE_MIB }),
    notifier: 'discard',
    clock: () => new Date(),
  });
}

interface Workload {
  events: number;
  bytes: number;
  parse_eps: number;
  pipeline_eps: number;
  ratio: number;
  findings_opened: number;
  findings_repeated: number;
  db_mb: number;
  rss_mb_by_quarter: number[];
}

/** (a) and (b) over one set of files; (a) is the faster of two runs (the baseline at its fastest: the ratio at its most demanding). */
async function measure(dir: string, files: readonly string[], events: number, bytes: number, workers: number): Promise<Workload> {
  parseOnly(files.slice(0, 2)); // warm-up, so neither path pays JIT start-up alone
  let parseSeconds = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 2; run += 1) {
    const start = process.hrtime.bigint();
    const parsed = parseOnly(files);
    parseSeconds = Math.min(parseSeconds, seconds(start));
    if (parsed !== events) throw new Error(`parsed ${parsed} events, expected ${events}`);
  }
  const dbFile = join(dir, 'bench.db');
  const app = replayApplication(dbFile);
  const rssSamples: number[] = [];
  const sampleEvery = Math.max(1, Math.floor(events / 4));
  let nextSample = sampleEvery;
  const pipeline = app.pipeline();
  const start = process.hrtime.bigint();
  const items = workerPoolItems([dir], {
    settings: app.settings,
    intake: {},
    workers,
    workerScript: WORKER_SCRIPT,
    engine: app,
    onEvents: (_file, count) => {
      if (nextSample > events) return;
      nextSample -= count;
      if (nextSample <= 0) {
        rssSamples.push(Math.round(rssMb()));
        nextSample += sampleEvery;
      }
    },
  });
  const summary: ReplaySummary = await replay(items, pipeline);
  const pipelineSeconds = seconds(start);
  await app.close();
  if (summary.events !== events || summary.rejected !== 0) {
    throw new Error(`replay read ${summary.events} events and rejected ${summary.rejected}; expected ${events} and 0`);
  }
  return {
    events,
    bytes,
    parse_eps: Math.round(events / parseSeconds),
    pipeline_eps: Math.round(events / pipelineSeconds),
    ratio: Number((parseSeconds / pipelineSeconds).toFixed(3)),
    findings_opened: summary.opened,
    findings_repeated: summary.repeated,
    db_mb: Number((statSync(dbFile).size / 1024 / 1024).toFixed(1)),
    rss_mb_by_quarter: rssSamples,
  };
}

/** Per-event processing time, one event at a time in one thread, over the first `limit` events of `dir`. */
async function latencies(dir: string, limit: number): Promise<{ p50_us: number; p99_us: number }> {
  const app = replayApplication(join(dir, 'latency.db'));
  const inner = app.pipeline();
  const measured = new Float64Array(limit);
  let index = 0;
  const timed: EventProcessor = {
    process: async (event: EventBridgeEvent) => {
      const start = process.hrtime.bigint();
      const result = await inner.process(event);
      if (index < measured.length) measured[index] = Number(process.hrtime.bigint() - start) / 1e3;
      index += 1;
      return result;
    },
    flush: () => inner.flush(),
  };
  async function* first(): AsyncGenerator<IntakeItem> {
    let taken = 0;
    for await (const item of readEvents([dir])) {
      if (taken >= limit) return;
      if (item.kind === 'event') taken += 1;
      yield item;
    }
  }
  await replay(first(), timed);
  await app.close();
  const sorted = measured.slice(0, Math.min(index, limit)).sort();
  return { p50_us: Number(percentile(sorted, 50).toFixed(1)), p99_us: Number(percentile(sorted, 99).toFixed(1)) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      json: { type: 'boolean', default: false },
      events: { type: 'string', default: '200000' },
      'real-events': { type: 'string', default: '200000' },
      workers: { type: 'string' },
      samples: { type: 'string', default: 'events' },
      'skip-bundles': { type: 'boolean', default: false },
    },
  });
  const count = Number(values.events);
  const realCount = Number(values['real-events']);
  const workers = values.workers === undefined ? defaultWorkerCount() : Number(values.workers);
  for (const [flag, value] of [
    ['--events', count],
    ['--real-events', realCount],
  ] as const) {
    if (!Number.isInteger(value) || value < 0) throw new Error(`${flag}: expected a whole number`);
  }
  if (!Number.isInteger(workers) || workers < 0) throw new Error(`--workers ${values.workers}: expected a whole number`);
  const log = (text: string) => {
    if (!values.json) process.stdout.write(`${text}\n`);
  };

  // The worst case: the bundled samples, every event a violation or a resolution.
  const samplesDir = mkdtempSync(join(tmpdir(), 'trailwarden-bench-'));
  let worst: Workload;
  let latency: { p50_us: number; p99_us: number };
  let intakeEps: number;
  try {
    const generated = generateEvents(count, { samplesDir: resolve(values.samples), dir: samplesDir });
    log(`Worst case: ${generated.events} events in ${generated.files.length} files (${(generated.bytes / 1024 / 1024).toFixed(1)} MiB)`);
    // Intake alone: streaming, validation and envelopes, without evaluation or storage.
    const intakeStart = process.hrtime.bigint();
    let intakeEvents = 0;
    for await (const item of readEvents([samplesDir])) if (item.kind === 'event') intakeEvents += 1;
    intakeEps = Math.round(intakeEvents / seconds(intakeStart));
    worst = await measure(samplesDir, generated.files, generated.events, generated.bytes, workers);
    latency = await latencies(samplesDir, Math.min(LATENCY_EVENTS, generated.events));
  } finally {
    rmSync(samplesDir, { recursive: true, force: true });
  }

  // Real CloudTrail, when the team's sample is beside the checkout.
  let real: Workload | undefined;
  const realDir = mkdtempSync(join(tmpdir(), 'trailwarden-bench-real-'));
  try {
    if (realCount > 0 && bulkSamplePresent()) {
      const trail = replicateBulkSample(realCount, realDir);
      log(`Real CloudTrail: ${trail.events} events in ${trail.files.length} gzip files (${(trail.bytes / 1024 / 1024).toFixed(1)} MiB)`);
      real = await measure(realDir, trail.files, trail.events, trail.bytes, workers);
    }
  } finally {
    rmSync(realDir, { recursive: true, force: true });
  }

  const result = {
    workers,
    events: worst.events,
    bytes: worst.bytes,
    parse_eps: worst.parse_eps,
    intake_eps: intakeEps,
    pipeline_eps: worst.pipeline_eps,
    ratio: worst.ratio,
    real_ratio: real?.ratio ?? null,
    ...(real ? {} : { real_absent: `the bulk sample is not at ${BULK_SAMPLE} (set TRAILWARDEN_BULK): real_ratio not measured` }),
    real: real ?? null,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    rss_mb_by_quarter: worst.rss_mb_by_quarter,
    p50_us: latency.p50_us,
    p99_us: latency.p99_us,
    findings_opened: worst.findings_opened,
    db_mb: worst.db_mb,
    ...(values['skip-bundles'] ? {} : { lambda: await measureBundles(process.cwd()) }),
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  log(`Worker threads:    ${workers} (and the writing thread)`);
  log(`Worst case         parse ${worst.parse_eps} events/s, intake alone ${intakeEps} events/s, replay ${worst.pipeline_eps} events/s`);
  log(`  ratio:           ${worst.ratio} (target ≥ 0.2); ${worst.findings_opened} findings opened; database ${worst.db_mb} MiB`);
  if (real) {
    log(`Real CloudTrail    parse ${real.parse_eps} events/s (gunzip + JSON.parse), replay ${real.pipeline_eps} events/s`);
    log(`  real_ratio:      ${real.ratio} (target ≥ 0.5); ${real.findings_opened} findings opened, ${real.findings_repeated} repeats`);
  } else log(`Real CloudTrail:   not measured: the bulk sample is not at ${BULK_SAMPLE} (set TRAILWARDEN_BULK)`);
  log(`Per-event latency: p50 ${latency.p50_us} µs, p99 ${latency.p99_us} µs (one thread, first ${LATENCY_EVENTS} events)`);
  log(`Peak RSS:          ${result.peak_rss_mb} MiB (at each quarter of the worst case: ${worst.rss_mb_by_quarter.join(', ')} MiB)`);
  if (result.lambda) {
    log(`Lambda bundles (bare node -e 0: ${result.lambda.node_bare_ms} ms, median of 7 cold runs):`);
    for (const bundle of result.lambda.bundles) {
      log(
        `  ${bundle.area.padEnd(8)} ${(bundle.bytes / 1024).toFixed(0).padStart(5)} KiB (${(bundle.gzip_bytes / 1024).toFixed(0)} KiB gzip), load ${bundle.load_ms_median} ms = ${bundle.load_ratio}x bare node`,
      );
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
