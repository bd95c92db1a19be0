/**
 * `npm run capacity -- [--json] [--events FILE|DIR] [--events-count N]`: the DynamoDB write capacity
 * of an input (measure.ts), by default the bench mix (test/support/generated-events.ts from events/).
 * `--baseline FILE` measures the real CloudTrail sample and the bench mix and records them with the
 * commit (docs/capacity-before.json); `--markdown FILE` measures both and writes docs/capacity.md
 * beside the baseline (`--before FILE`). With those two, `--events` names the real CloudTrail sample, and
 * `--exported-commit SHA` says the tree is an export of that commit (not a git checkout).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readEvents } from '../../shared/adapters/intake';
import { intakeOptionsOf } from '../../shared/core/intake/types';
import { DEFAULT_SETTINGS } from '../../shared/core/settings/settings';
import { generateEvents } from '../support/generated-events';
import { startDynalite } from '../support/local-aws';
import { measureCapacity } from './measure';
import { renderMarkdown, renderTable, type CapacityBaseline, type Measured } from './report';

/** The real CloudTrail sample the targets are set on: the team's reference material beside the checkout (npm runs in the checkout). */
export const BULK_SAMPLE = resolve('..', 'shared', 'corpus', 'bulk', 'invictus-ir_aws_dataset_cloudtrail.jsonl.gz');
/** The bench mix's default size: a few minutes at most against dynalite on two cores. */
export const DEFAULT_BENCH_EVENTS = 3000;

/** Adapter and rule files whose uncommitted changes make a measurement not that of its commit. */
const MEASURED_PATHS = ['shared/adapters/store/dynamodb', 'shared/infra/rule-patterns.ts', 'shared/infra/event-rules.ts'];

async function measureFile(file: string): Promise<Measured> {
  const dynalite = await startDynalite();
  try {
    const clock = () => new Date();
    const result = await measureCapacity(readEvents([file], intakeOptionsOf(DEFAULT_SETTINGS, clock)), {
      endpoint: dynalite.endpoint,
      clock,
    });
    return { input: file, result };
  } finally {
    await dynalite.stop();
  }
}

async function measureBenchMix(count: number, samplesDir: string): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'trailwarden-capacity-'));
  try {
    generateEvents(count, { samplesDir, dir });
    const measured = await measureFile(dir);
    return {
      input: `the bench mix: ${count.toLocaleString('en-US')} events generated from the samples under events/`,
      result: measured.result,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function git(args: string[]): string {
  return execFileSync('git', args, { encoding: 'utf8' }).trim();
}

/**
 * The commit measured, and whether the measured files are as committed: from git, or given for a tree
 * exported from a commit (`git archive`), which is that commit unchanged.
 */
function measuredCommit(exported: string | undefined): { commit: string; clean: boolean } {
  if (exported !== undefined) return { commit: exported, clean: true };
  return { commit: git(['rev-parse', 'HEAD']), clean: git(['status', '--porcelain', '--', ...MEASURED_PATHS]) === '' };
}

async function measureBoth(bulkFile: string, count: number, samplesDir: string, exported: string | undefined): Promise<CapacityBaseline> {
  const { commit, clean } = measuredCommit(exported);
  const bulk = await measureFile(bulkFile);
  const bench = await measureBenchMix(count, samplesDir);
  return {
    commit,
    clean,
    measured_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    // Named as from the checkout (the sample is the team's reference material beside it), not by this machine's path.
    bulk: { ...bulk, input: `\`${relative(process.cwd(), bulkFile)}\`` },
    bench,
  };
}

/** Runs the command; what it prints goes to `out`. */
export async function runCapacity(args: string[], out: (text: string) => void): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      events: { type: 'string' },
      'events-count': { type: 'string', default: String(DEFAULT_BENCH_EVENTS) },
      samples: { type: 'string', default: 'events' },
      markdown: { type: 'string' },
      baseline: { type: 'string' },
      before: { type: 'string', default: 'docs/capacity-before.json' },
      'exported-commit': { type: 'string' },
    },
  });
  const count = Number(values['events-count']);
  if (!Number.isInteger(count) || count <= 0) throw new Error(`--events-count ${values['events-count']}: expected a positive whole number`);
  const samplesDir = resolve(values.samples);
  if (values.events !== undefined && !existsSync(values.events)) throw new Error(`--events ${values.events}: no such file or directory`);

  if (values.baseline !== undefined || values.markdown !== undefined) {
    const now = await measureBoth(values.events ?? BULK_SAMPLE, count, samplesDir, values['exported-commit']);
    if (values.baseline !== undefined) {
      writeFileSync(values.baseline, `${JSON.stringify(now, null, 2)}\n`);
      out(`baseline of commit ${now.commit} written to ${values.baseline}\n`);
    }
    if (values.markdown !== undefined) {
      const before = existsSync(values.before) ? (JSON.parse(readFileSync(values.before, 'utf8')) as CapacityBaseline) : undefined;
      writeFileSync(values.markdown, renderMarkdown(now, before));
      out(`${values.markdown} written${before ? ` (before: commit ${before.commit})` : ''}\n`);
    }
    if (values.json) out(`${JSON.stringify({ bulk: now.bulk.result, bench: now.bench.result })}\n`);
    return;
  }
  const measured = values.events !== undefined ? await measureFile(values.events) : await measureBenchMix(count, samplesDir);
  out(values.json ? `${JSON.stringify(measured.result)}\n` : renderTable(measured));
}
