/**
 * `trailwarden backfill --since 30d [--until …] [--accounts a,b] [--regions r1,r2] [--bucket B] [--prefix P]
 * [--state-machine ARN] [--wait] [--endpoint-url URL]`: the backfill of CloudTrail history in AWS. Starts
 * executions of the stack's backfill state machine (shared/infra/backfill.ts), one per prefix of the trail
 * bucket: `<prefix><account>/CloudTrail/<region>/` for each account and Region named, `<prefix><account>/CloudTrail/`
 * for accounts alone, the trail prefix itself otherwise; a prefix narrowed to the year or month when the period
 * (a day wider on each side: delivery lags events) lies within one. One execution per account/Region keeps the
 * listing of each small and its failures apart; one per day would be thousands of executions for months, and the
 * function skips objects of other days by their key without reading them.
 *
 * Prints each execution's ARN; with `--wait`, polls DescribeExecution (and the map run's item counts,
 * ListMapRuns/DescribeMapRun) until every execution has ended. Exit 0 when all succeeded, 1 otherwise.
 *
 * Bucket, prefix and state machine: the flags, else $TRAILWARDEN_TRAIL_BUCKET, $TRAILWARDEN_TRAIL_PREFIX
 * (default `AWSLogs/`) and $TRAILWARDEN_BACKFILL_STATE_MACHINE (the stack's BackfillStateMachineArn output).
 * For an organization trail, give the prefix with the organization id: `AWSLogs/o-abc123def4/`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  type ExecutionStatus,
  ListMapRunsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { UsageError } from './compose';
import { HISTORY_FLAGS, historyOptionsOf } from './history-options';
import type { Io } from './io';
import { defineCommand, type ParsedArgs } from './command-line';
import { AWS_ENV } from './shared-options';

const DAY_MS = 86_400_000;
const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:([a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/;
/** How often --wait asks (TRAILWARDEN_BACKFILL_POLL_MS overrides it; tests make it short). */
const POLL_MS = 10_000;

/** What one execution reads: the bucket and prefix of its ItemReader, and the period its function keeps. */
export interface BackfillInput {
  bucket: string;
  prefix: string;
  since: string;
  until: string;
}

const pad = (value: number) => String(value).padStart(2, '0');

/** `2026/`, `2026/03/` or nothing: the part of the date path every delivery day of the period shares. */
export function datePathOf(sinceMs: number, untilMs: number): string {
  const first = new Date(sinceMs - DAY_MS);
  const last = new Date(untilMs + DAY_MS);
  if (first.getUTCFullYear() !== last.getUTCFullYear()) return '';
  if (first.getUTCMonth() !== last.getUTCMonth()) return `${first.getUTCFullYear()}/`;
  return `${first.getUTCFullYear()}/${pad(first.getUTCMonth() + 1)}/`;
}

/** The prefixes to list, one execution each. */
export function backfillPrefixes(
  prefix: string,
  accounts: readonly string[] | undefined,
  regions: readonly string[] | undefined,
  sinceMs: number,
  untilMs: number,
): string[] {
  if (!accounts) {
    if (regions) throw new UsageError('--regions needs --accounts (the Region comes after the account in the trail bucket)');
    return [prefix];
  }
  if (!regions) return accounts.map((account) => `${prefix}${account}/CloudTrail/`);
  const days = datePathOf(sinceMs, untilMs);
  return accounts.flatMap((account) => regions.map((region) => `${prefix}${account}/CloudTrail/${region}/${days}`));
}

function sfnClient(region: string, endpointUrl: string | undefined): SFNClient {
  return new SFNClient({ region, ...(endpointUrl ? { endpoint: endpointUrl } : {}) });
}

/** The first map run's item counts, when Step Functions has one to show yet. */
async function mapRunProgress(client: SFNClient, executionArn: string): Promise<string | undefined> {
  const runs = await client.send(new ListMapRunsCommand({ executionArn }));
  const run = runs.mapRuns?.[0];
  if (!run?.mapRunArn) return undefined;
  const described = await client.send(new DescribeMapRunCommand({ mapRunArn: run.mapRunArn }));
  const counts = described.itemCounts;
  if (!counts) return undefined;
  return `${counts.succeeded ?? 0} succeeded, ${counts.failed ?? 0} failed, ${counts.running ?? 0} running of ${counts.total ?? 0} objects`;
}

// The backfill's concurrency is the stack's setting (backfill.maxConcurrency), not a flag.
const { concurrency: _concurrency, ...BACKFILL_HISTORY_FLAGS } = HISTORY_FLAGS;

const BACKFILL_OPTIONS = {
  ...BACKFILL_HISTORY_FLAGS,
  bucket: { type: 'string', value: 'BUCKET', description: "the trail bucket's name; default $TRAILWARDEN_TRAIL_BUCKET" },
  prefix: {
    type: 'string',
    value: 'PREFIX',
    description: "the trail's prefix ending in / (AWSLogs/o-abc123def4/ for an organization trail); default AWSLogs/",
  },
  'state-machine': { type: 'string', value: 'ARN', description: "the stack's BackfillStateMachineArn output" },
  wait: { type: 'boolean', description: 'follow the executions to their end; exit 1 unless all succeeded' },
} as const;

export async function backfillCommand({ values }: ParsedArgs<typeof BACKFILL_OPTIONS>, io: Io): Promise<number> {
  const now = io.now();
  if (values.since === undefined) throw new UsageError('--since is required (e.g. --since 30d)');
  const history = historyOptionsOf(values, now);
  const sinceMs = history.sinceMs as number;
  const untilMs = history.untilMs ?? now.getTime();
  const stateMachineArn = values['state-machine'] ?? io.env.TRAILWARDEN_BACKFILL_STATE_MACHINE;
  const match = stateMachineArn ? STATE_MACHINE_ARN.exec(stateMachineArn) : null;
  if (!stateMachineArn || !match) {
    throw new UsageError(
      `--state-machine: expected the ARN of the backfill state machine (the stack output BackfillStateMachineArn), got ${stateMachineArn ?? 'nothing'}`,
    );
  }
  const bucket = values.bucket ?? io.env.TRAILWARDEN_TRAIL_BUCKET;
  if (!bucket || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new UsageError(`--bucket: expected the trail bucket's name (or $TRAILWARDEN_TRAIL_BUCKET), got ${bucket ?? 'nothing'}`);
  }
  const prefix = values.prefix ?? io.env.TRAILWARDEN_TRAIL_PREFIX ?? 'AWSLogs/';
  if (prefix !== '' && !prefix.endsWith('/')) throw new UsageError(`--prefix ${prefix}: expected a prefix ending in / (e.g. AWSLogs/)`);
  const prefixes = backfillPrefixes(
    prefix,
    history.accounts ? [...history.accounts] : undefined,
    history.regions ? [...history.regions] : undefined,
    sinceMs,
    untilMs,
  );

  const client = sfnClient(match[1] as string, history.endpointUrl);
  try {
    const executions: string[] = [];
    for (const listed of prefixes) {
      const input: BackfillInput = {
        bucket,
        prefix: listed,
        since: new Date(sinceMs).toISOString(),
        until: new Date(untilMs).toISOString(),
      };
      const started = await client.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
      if (!started.executionArn) throw new Error('StartExecution answered without an executionArn');
      executions.push(started.executionArn);
      io.out(started.executionArn);
    }
    if (!values.wait) return 0;

    const pollMs = Number(io.env.TRAILWARDEN_BACKFILL_POLL_MS) > 0 ? Number(io.env.TRAILWARDEN_BACKFILL_POLL_MS) : POLL_MS;
    const ended = new Map<string, ExecutionStatus | string>();
    while (ended.size < executions.length) {
      for (const executionArn of executions) {
        if (ended.has(executionArn)) continue;
        const described = await client.send(new DescribeExecutionCommand({ executionArn }));
        const status = described.status ?? 'RUNNING';
        if (status === 'RUNNING' || status === 'PENDING_REDRIVE') {
          const progress = await mapRunProgress(client, executionArn).catch(() => undefined);
          if (progress) io.err(`${executionArn}: ${progress}`);
          continue;
        }
        ended.set(executionArn, status);
        const why = described.error ? ` (${described.error}${described.cause ? `: ${described.cause}` : ''})` : '';
        io.err(`${executionArn}: ${status}${why}`);
      }
      if (ended.size < executions.length) await sleep(pollMs);
    }
    return [...ended.values()].every((status) => status === 'SUCCEEDED') ? 0 : 1;
  } finally {
    client.destroy();
  }
}

export const BACKFILL = defineCommand({
  name: 'backfill',
  summary: "the same, in AWS: the stack's Step Functions backfill over the trail bucket, one execution per account/Region",
  description: [
    "Evaluates CloudTrail history in AWS: starts the stack's backfill state machine once per account/Region prefix of",
    'the trail bucket and prints the executions; --wait follows them. A backfill records findings and pages no one.',
  ].join(' '),
  options: BACKFILL_OPTIONS,
  environment: [
    { name: 'TRAILWARDEN_BACKFILL_STATE_MACHINE', description: 'the state machine when --state-machine is not given' },
    { name: 'TRAILWARDEN_TRAIL_BUCKET, TRAILWARDEN_TRAIL_PREFIX', description: 'the bucket and prefix when the flags are not given' },
    AWS_ENV,
  ],
  examples: [
    { what: 'a month of one trail bucket, followed to the end', run: 'backfill --since 30d --bucket acme-org-trail --wait' },
    {
      what: 'one account and Region of an organization trail',
      run: 'backfill --since 90d --accounts 111122223333 --regions eu-west-1 --prefix AWSLogs/o-abc123def4/',
    },
  ],
  run: backfillCommand,
});
