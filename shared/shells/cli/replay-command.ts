/**
 * `trailwarden replay PATH... [--config FILE] [--db FILE] [--notify SINK]... [--json] [--strict] [--show-findings]`,
 * PATH also s3://BUCKET/PREFIX, and `--lookup-events`, with the history flags (history-options.ts).
 */
import { intakeOptionsOf, locationText } from '../../core/intake/types';
import { REPLAY_PAGE_CACHE_MIB } from '../../adapters/store/sqlite';
import { replay } from '../../app/pipeline/replay';
import type { ReplaySummary } from '../../app/pipeline/summary';
import { AREAS } from '../../core/model/area';
import { SEVERITIES, type Severity, severityRank } from '../../core/model/severity';
import { EXIT_FINDINGS } from './exit-codes';
import type { DeadlineSweepResult } from '../../app/jobs/deadlines';
import type { ExemptionSweepResult } from '../../app/jobs/exemptions';
import { LOCAL_SWEEPS, runMaintenance, type MaintenanceRun } from '../../app/jobs/maintenance';
import { flushAllRollups } from '../../app/jobs/rollups';
import type { SnoozeSweepResult } from '../../app/jobs/snoozes';
import { inertText } from '../../core/model/text';
import { composeCli, UsageError } from './compose';
import type { Io } from './io';
import { renderTable } from './table';
import { renderFindingsTable } from './findings-command';
import { renderNextSteps } from './next-steps';
import { outputWidth, severityPainter } from './style';
import { HISTORY_FLAGS } from './history-options';
import { defineCommand, type ParsedArgs } from './command-line';
import {
  CONFIG_ENV,
  CONFIG_OPTION,
  DB_ENV,
  DB_OPTION,
  FAIL_ON_OPTION,
  JSON_OPTION,
  LOCK_TIMEOUT_ENV,
  NOTIFY_OPTION,
  AWS_ENV,
  TABLE_ENV,
  severityOf,
} from './shared-options';
import { lookupEventsInput } from './lookup-events-input';
import { s3ReplayInput } from './s3-replay-input';
import { localReplayInput, PARALLEL_MIN_BYTES } from './local-replay-input';
import { join } from 'node:path';

const REPLAY_OPTIONS = {
  ...DB_OPTION,
  ...CONFIG_OPTION,
  ...NOTIFY_OPTION,
  ...JSON_OPTION,
  strict: { type: 'boolean', description: 'exit 1 when a record was rejected, a control failed or a notification was not delivered' },
  'show-findings': {
    type: 'boolean',
    description: 'then list the open findings, most severe first, the three most severe with their runbook, and next steps',
  },
  ...FAIL_ON_OPTION,
  'lookup-events': {
    type: 'boolean',
    description: 'also read CloudTrail LookupEvents (the last 90 days of management events; --regions r1,r2 or all)',
  },
  ...HISTORY_FLAGS,
  checkpoint: { type: 'string', value: 'FILE', description: 's3:// inputs: record the objects done in FILE; a rerun resumes after them' },
  workers: {
    type: 'string',
    value: 'N',
    description: `worker threads that read and evaluate local files (default: one per core but one, for ${PARALLEL_MIN_BYTES / 1024 / 1024} MiB of files or more, and none on two cores or fewer; 0: none)`,
  },
} as const;

/** Events between commits of a replay that reads a trail bucket or LookupEvents (local files: DEFAULT_FLUSH_EVERY). */
const REMOTE_FLUSH_EVERY = 1000;

/** The bundled worker entry, beside the bundled CLI (dist/). Run from sources, there is none: files are read in this thread. */
const WORKER_SCRIPT = join(__dirname, 'replay-worker.js');

/** `--workers N`: a whole number from 0 to 64. */
function workersOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,2}$/.test(text) || Number(text) > 64)
    throw new UsageError(`--workers ${inertText(text)}: expected a whole number from 0 to 64`);
  return Number(text);
}

export async function replayCommand({ values, positionals }: ParsedArgs<typeof REPLAY_OPTIONS>, io: Io): Promise<number> {
  const lookup = values['lookup-events'];
  const failOn = values['fail-on'] === undefined ? undefined : severityOf('--fail-on', values['fail-on']);
  const workers = workersOf(values.workers);
  if (positionals.length === 0 && !lookup)
    throw new UsageError('replay needs at least one PATH (a file, a directory, or - for stdin), or --lookup-events');
  // The history flags choose what to read of a trail bucket or of LookupEvents: with neither, they would be ignored.
  const historyFlags = (['since', 'until', 'regions', 'endpoint-url'] as const).filter((flag) => values[flag] !== undefined);
  if (historyFlags.length > 0 && !lookup && !positionals.some((p) => p.startsWith('s3://')))
    throw new UsageError(
      `${historyFlags.map((flag) => `--${flag}`).join(', ')}: only for s3:// inputs and --lookup-events (files are read whole)`,
    );
  const app = composeCli({ config: values.config, db: values.db, notify: values.notify ?? [], pageCacheMiB: REPLAY_PAGE_CACHE_MIB }, io);
  const dbPath = app.databasePath;
  // How every source's records are read: the organization's bound on event times, against this clock.
  const intake = intakeOptionsOf(app.settings, app.clock);
  try {
    // CloudTrail's LookupEvents history (flags checked, regions known, before anything runs), then the PATHs.
    const history = lookup
      ? await lookupEventsInput(values, intake, io.env, app.clock(), values.json ? undefined : io.terminal)
      : undefined;
    // Exemptions and snoozes that ended since the last run, and remediation deadlines passed, before new events count;
    // the deadline sweep runs again at the end, for the findings this run opened.
    const sweeps = await runMaintenance(app.jobs, app.clock(), LOCAL_SWEEPS);
    reportSweeps(sweeps.results, io);
    // A sweep that could not read or write the database stops the replay, as any store failure does.
    if (sweeps.errors[0]) throw sweeps.errors[0].error;
    // s3:// inputs: trail buckets (their flags checked here, before anything is read), after the local PATHs.
    const s3 = s3ReplayInput(positionals, values, io, intake);
    const files = await localReplayInput(s3.locals, intake, io.stdin, values.json ? undefined : io.terminal, {
      workers,
      workerScript: WORKER_SCRIPT,
      settings: app.settings,
      engine: app,
    });
    const items = chainItems(...(history ? [history] : []), files, ...(s3.items ? [s3.items] : []));
    const summary = await replay(items, s3.processor(app.pipeline()), {
      // Reading from AWS is the slow part: commit (and checkpoint) every 1,000 events, so a rerun reads less again.
      ...(s3.items || history ? { flushEvery: REMOTE_FLUSH_EVERY } : {}),
      // What reaches the terminal from an event is made inert (no escape sequences, no bidi overrides).
      onRejected: (r) => io.err(inertText(`rejected ${locationText(r)}: ${r.reason}`)),
      onControlError: (eventId, controlId, message) => io.err(inertText(`control ${controlId} failed on event ${eventId}: ${message}`)),
      onNotificationError: (error) => io.err(inertText(`notification failed: ${error instanceof Error ? error.message : String(error)}`)),
      flushRollups: () => flushAllRollups(app.jobs, app.clock()),
      onRollups: (rollups) => {
        if (rollups.sent > 0) io.err(`roll-ups: ${rollups.sent} sent, summarizing ${rollups.summarized} notifications held in bursts`);
      },
    });
    s3.close();
    for (const line of s3.report()) io.err(line);
    // The findings this run opened owe their remediation deadlines now, not at the next run.
    const after = await runMaintenance(app.jobs, app.clock(), ['deadlines']);
    reportSweeps(after.results, io);
    if (after.errors[0]) throw after.errors[0].error;
    if (values.json) io.out(JSON.stringify(s3.counts ? { ...summary, s3: s3.counts } : summary));
    else io.out(renderSummary(summary, dbPath));
    if (values['show-findings'] && !values.json) {
      const open = await app.storage.findings.listFindings({ status: 'open' });
      const shape = { width: outputWidth(io), paint: severityPainter(io) };
      io.out(`\nOpen findings in ${inertText(dbPath)} (${open.length}), most severe first:\n`);
      io.out(renderFindingsTable(open, shape));
      io.out(`\n${renderNextSteps(open, app.catalogue, dbPath, shape)}`);
    }
    if (summary.events === 0 && s3.allAlreadyDone() && s3.locals.length === 0) {
      io.err(`replay: nothing left to read: the checkpoint ${inertText(values.checkpoint ?? '')} has every object listed`);
      return 0;
    }
    if (summary.events === 0) {
      io.err(`replay: no events could be read from ${inertText([...(lookup ? ['--lookup-events'] : []), ...positionals].join(' '))}`);
      return 1;
    }
    if (values.strict && (summary.rejected > 0 || summary.controlErrors > 0 || summary.notificationFailures > 0)) return 1;
    const gated = failOn === undefined ? 0 : openedAtOrAbove(summary, failOn);
    if (gated > 0) {
      io.err(`replay: ${gated} findings at or above ${failOn} opened, reopened or rose to it (--fail-on ${failOn}): exit ${EXIT_FINDINGS}`);
      return EXIT_FINDINGS;
    }
    return 0;
  } finally {
    await app.close();
  }
}

/** The findings this replay opened, reopened or escalated whose severity is now `threshold` or above. */
export function openedAtOrAbove(summary: ReplaySummary, threshold: Severity): number {
  return SEVERITIES.filter((severity) => severityRank(severity) >= severityRank(threshold)).reduce(
    (sum, severity) =>
      sum + summary.bySeverity[severity].opened + summary.bySeverity[severity].reopened + summary.bySeverity[severity].escalated,
    0,
  );
}

/** The items of one source, then another's. */
async function* chainItems<T>(...sources: AsyncIterable<T>[]): AsyncGenerator<T> {
  for (const source of sources) yield* source;
}

/** What the sweeps did, on standard error (nothing when they did nothing). */
export function reportSweeps(results: MaintenanceRun['results'], io: Pick<Io, 'err'>): void {
  const exemptions = results.exemptions as ExemptionSweepResult | undefined;
  const snoozes = results.snoozes as SnoozeSweepResult | undefined;
  const deadlines = results.deadlines as DeadlineSweepResult | undefined;
  if (exemptions && (exemptions.expired.length > 0 || exemptions.reopened > 0))
    io.err(`exemptions: ${exemptions.expired.length} expired, ${exemptions.reopened} findings reopened`);
  if (exemptions && exemptions.notificationFailures > 0)
    io.err(`exemptions: ${exemptions.notificationFailures} notifications not delivered (retried next run)`);
  if (snoozes && snoozes.ended > 0) io.err(`snoozes: ${snoozes.ended} ended`);
  if (snoozes && snoozes.notificationFailures > 0)
    io.err(`snoozes: ${snoozes.notificationFailures} notifications not delivered (retried next run)`);
  if (deadlines && deadlines.escalated > 0) io.err(`deadlines: ${deadlines.escalated} findings past their remediation deadline escalated`);
  if (deadlines && deadlines.notificationFailures > 0)
    io.err(`deadlines: ${deadlines.notificationFailures} notifications not delivered (retried next run)`);
}

export function renderSummary(summary: ReplaySummary, dbPath: string): string {
  const transitions = ['opened', 'reopened', 'escalated', 'resolved', 'repeated'] as const;
  const lines = [
    `Replayed into ${inertText(dbPath)}: ${summary.events} events read, ${summary.rejected} rejected, ${summary.unmatched} matched no control.`,
    `Findings: ${transitions.map((t) => `${summary[t]} ${t}`).join(', ')}.`,
  ];
  if (summary.controlErrors > 0) lines.push(`Control errors: ${summary.controlErrors}.`);
  if (summary.notificationFailures > 0) lines.push(`Notifications not delivered: ${summary.notificationFailures}.`);
  lines.push(
    '',
    renderTable(
      ['AREA', ...transitions.map((t) => t.toUpperCase())],
      AREAS.map((a) => [a, ...transitions.map((t) => String(summary.byArea[a][t]))]),
    ),
  );
  lines.push(
    '',
    renderTable(
      ['SEVERITY', ...transitions.map((t) => t.toUpperCase())],
      [...SEVERITIES].reverse().map((s) => [s, ...transitions.map((t) => String(summary.bySeverity[s][t]))]),
    ),
  );
  return lines.join('\n');
}

export const REPLAY = defineCommand({
  name: 'replay',
  summary: 'evaluates CloudTrail history through the controls and records the findings (files, s3:// trail buckets, LookupEvents)',
  description: [
    'Reads CloudTrail log files, JSON Lines and EventBridge events (files, directories, - for stdin; gzip or not),',
    's3://BUCKET/PREFIX trail buckets and, with --lookup-events, CloudTrail LookupEvents; evaluates every event',
    'against the controls and records the findings. Prints events read and rejected, and findings opened,',
    'resolved and repeated by area and severity. An event is applied once, by its id, however often it is read.',
    'On a terminal, progress is drawn on stderr (files and bytes, objects or pages, events/s, ETA).',
  ].join(' '),
  arguments: { name: 'paths', shown: 'PATH...', description: 'files, directories, - (stdin) or s3://BUCKET/PREFIX' },
  options: REPLAY_OPTIONS,
  environment: [DB_ENV, CONFIG_ENV, LOCK_TIMEOUT_ENV, AWS_ENV, ...TABLE_ENV],
  examples: [
    { what: 'the bundled samples, then the open findings and what to do next', run: 'replay events --show-findings' },
    {
      what: 'a CI gate: exit 3 when a HIGH or CRITICAL finding opens, nothing kept',
      run: 'replay cloudtrail-sample/ --db :memory: --fail-on HIGH',
    },
    {
      what: "a trail bucket's last week for one account, resumable",
      run: 'replay s3://acme-org-trail/AWSLogs/ --accounts 111122223333 --since 7d --checkpoint week.checkpoint',
    },
  ],
  run: replayCommand,
});
