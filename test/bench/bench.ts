/**
 * `npm run bench [-- --json] [-- --events N]`: throughput of the local pipeline against JSON
 * parsing alone, measured in one run as a ratio (machines here are shared and noisy: the ratio
 * is what to compare, not absolute numbers).
 *
 * Generates N events (default 200,000) from the bundled samples with varied ids, accounts,
 * regions and resources, as CloudTrail log files ({"Records":[...]}) and JSON Lines of EventBridge
 * events, then measures (a) reading + JSON.parse of the same bytes and (b) the full pipeline:
 * intake → route → evaluate → SQLite on disk.
 */
import { measureBundles } from './bundles';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readEvents } from '../../shared/adapters/intake';
import { replay, type EventProcessor } from '../../shared/app/pipeline/replay';
import { openSqliteStorage } from '../../shared/adapters/store/sqlite';
import { createApplication } from '../../shared/app/compose';
import { ALL_CONTROLS } from '../../shared/core/controls';
import { DEFAULT_SETTINGS } from '../../shared/core/settings/settings';
import type { EventBridgeEvent } from '../../shared/core/model/event';
import { generateEvents, type GeneratedEvents } from '../support/generated-events';

/** (a) reading the same bytes and JSON.parse of every record, nothing else. */
function parseOnly(generated: GeneratedEvents): number {
  let parsed = 0;
  for (const file of generated.files) {
    const text = readFileSync(file, 'utf8');
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

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      json: { type: 'boolean', default: false },
      events: { type: 'string', default: '200000' },
      samples: { type: 'string', default: 'events' },
    },
  });
  const count = Number(values.events);
  if (!Number.isInteger(count) || count <= 0) throw new Error(`--events ${values.events}: expected a positive whole number`);
  const log = (text: string) => {
    if (!values.json) process.stdout.write(`${text}\n`);
  };
  const generated = generateEvents(count, { samplesDir: resolve(values.samples), dir: mkdtempSync(join(tmpdir(), 'trailwarden-bench-')) });
  log(
    `Generated ${generated.events} events in ${generated.files.length} files (${(generated.bytes / 1024 / 1024).toFixed(1)} MiB) under ${generated.dir}`,
  );
  try {
    // Warm-up of both paths on a slice, so neither pays JIT start-up alone.
    parseOnly({ ...generated, files: generated.files.slice(0, 2) });

    const parseStart = process.hrtime.bigint();
    const parsed = parseOnly(generated);
    const parseSeconds = Number(process.hrtime.bigint() - parseStart) / 1e9;
    if (parsed !== generated.events) throw new Error(`parsed ${parsed} events, generated ${generated.events}`);

    // (a') intake alone: streaming, validation and envelopes, without evaluation or storage.
    const intakeStart = process.hrtime.bigint();
    let intakeEvents = 0;
    for await (const item of readEvents([generated.dir])) if (item.kind === 'event') intakeEvents += 1;
    const intakeSeconds = Number(process.hrtime.bigint() - intakeStart) / 1e9;
    if (intakeEvents !== generated.events) throw new Error(`intake read ${intakeEvents} events, generated ${generated.events}`);

    const dbFile = join(generated.dir, 'bench.db');
    // As `replay` composes it: the whole catalogue, SQLite on disk, notifications sent nowhere.
    const app = createApplication({
      settings: { ...DEFAULT_SETTINGS },
      catalogue: ALL_CONTROLS,
      storage: openSqliteStorage(dbFile),
      notifier: 'discard',
      clock: () => new Date(),
    });
    const inner = app.pipeline();
    const latencies = new Float64Array(generated.events);
    let index = 0;
    const rssSamples: number[] = [];
    const sampleEvery = Math.max(1, Math.floor(generated.events / 4));
    // The timed pipeline records each event's own processing time (route → evaluate → store).
    const timed: EventProcessor = {
      process: async (event: EventBridgeEvent) => {
        const start = process.hrtime.bigint();
        const result = await inner.process(event);
        if (index < latencies.length) latencies[index] = Number(process.hrtime.bigint() - start) / 1e3;
        index += 1;
        if (index % sampleEvery === 0) rssSamples.push(Math.round(rssMb()));
        return result;
      },
      flush: () => inner.flush(),
    };
    const pipelineStart = process.hrtime.bigint();
    const summary = await replay(readEvents([generated.dir]), timed);
    const pipelineSeconds = Number(process.hrtime.bigint() - pipelineStart) / 1e9;
    await app.close();
    if (summary.events !== generated.events || summary.rejected !== 0) {
      throw new Error(`pipeline read ${summary.events} events and rejected ${summary.rejected}; expected ${generated.events} and 0`);
    }
    const sorted = latencies.slice(0, index).sort();
    const result = {
      events: generated.events,
      bytes: generated.bytes,
      parse_eps: Math.round(generated.events / parseSeconds),
      intake_eps: Math.round(generated.events / intakeSeconds),
      pipeline_eps: Math.round(generated.events / pipelineSeconds),
      ratio: Number((parseSeconds / pipelineSeconds).toFixed(3)),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      rss_mb_by_quarter: rssSamples,
      p50_us: Number(percentile(sorted, 50).toFixed(1)),
      p99_us: Number(percentile(sorted, 99).toFixed(1)),
      findings_opened: summary.opened,
      findings_resolved: summary.resolved,
      db_mb: Number((statSync(dbFile).size / 1024 / 1024).toFixed(1)),
      lambda: await measureBundles(process.cwd()),
    };
    if (values.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      log(`JSON parse alone:  ${result.parse_eps} events/s`);
      log(`Intake alone:      ${result.intake_eps} events/s (streaming, validation, envelopes)`);
      log(`Full pipeline:     ${result.pipeline_eps} events/s (intake → route → evaluate → SQLite on disk)`);
      log(`Ratio:             ${result.ratio} (target ≥ 0.5)`);
      log(`Per-event latency: p50 ${result.p50_us} µs, p99 ${result.p99_us} µs`);
      log(`Peak RSS:          ${result.peak_rss_mb} MiB (RSS at each quarter: ${rssSamples.join(', ')} MiB)`);
      log(`Findings:          ${result.findings_opened} opened, ${result.findings_resolved} resolved; database ${result.db_mb} MiB`);
      log(`Lambda bundles (bare node -e 0: ${result.lambda.node_bare_ms} ms, median of 7 cold runs):`);
      for (const bundle of result.lambda.bundles) {
        log(
          `  ${bundle.area.padEnd(8)} ${(bundle.bytes / 1024).toFixed(0).padStart(5)} KiB (${(bundle.gzip_bytes / 1024).toFixed(0)} KiB gzip), load ${bundle.load_ms_median} ms = ${bundle.load_ratio}x bare node`,
        );
      }
    }
  } finally {
    rmSync(generated.dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
