/** The `trailwarden` command line: a shell over the same core the Lambda handlers run. */
import { UsageError } from './compose';
import { SettingsError } from '../../adapters/config/load-settings';
import { StorageBusyError } from '../../app/storage';
import { inertText } from '../../core/model/text';
import { processIo, type Io } from './io';
import { replayCommand } from './replay-command';
import { evaluateCommand } from './evaluate-command';
import { findingsCommand } from './findings-command';
import { controlsCommand } from './controls-command';
import { testPatternCommand } from './test-pattern-command';
import { reportCommand } from './report-command';
import { serveCommand } from './serve-command';
import { digestCommand } from './digest-command';
import { snoozeCommand } from './snooze-command';
import { backfillCommand } from './backfill-command';

const USAGE = `Usage: trailwarden <command> [options]

Commands:
  replay PATH... [--config FILE] [--db FILE] [--notify SINK]... [--json] [--strict] [--show-findings]
      Evaluate CloudTrail log files, JSON Lines, EventBridge events (files, directories, - for stdin)
      and record findings. SINK: console, jsonl:PATH, webhook:URL.
      PATH may be s3://BUCKET/PREFIX, a CloudTrail trail bucket: [--since 7d|T] [--until T] [--accounts a,b]
      [--regions r1,r2] [--concurrency 8] [--checkpoint FILE] [--endpoint-url URL] (progress on a terminal).
  replay --lookup-events [--since 90d|T] [--until T] [--regions r1,r2|all] [--endpoint-url URL] [PATH...]
      Also (or only) the last 90 days of management events from CloudTrail LookupEvents, within its
      quota of 2 requests per second per region, oldest first.
  evaluate [FILE|-] [--jsonl FILE] [--config FILE]
      Evaluate without storing; print {"findings":[...]} (or one JSON line per input line with --jsonl).
  findings [--db FILE] [--area A] [--status S] [--severity S] [--min-severity S] [--format table|json|csv|ocsf|asff]
      List recorded findings, newest activity first (csv, OCSF Compliance Findings, Security Hub ASFF).
  report --framework <cis-aws|fsbp|pci-dss-4.0|hipaa|nist-800-53-r5|gdpr> [--db FILE] [--config FILE]
         [--format markdown|html|csv|json] [--output FILE]
      Per requirement of the framework: mapped controls, findings and a verdict.
  serve [--db FILE] [--port N] [--host H] [--config FILE] [--notify SINK]... [--max-exports N]
      The findings API and dashboard on http://127.0.0.1:8080 (token: $TRAILWARDEN_API_TOKEN or printed);
      at most N exports and reports at once (default 2; one more is answered 429).
  snooze FINDING_ID (--for 8h | --until RFC3339-TIME) --reason TEXT [--db FILE]
  snooze FINDING_ID --cancel [--db FILE]
      Quiet one open finding for at most 30 days (escalations to CRITICAL still page); it is
      notified again if still open when the snooze ends.
  digest [--since 24h|DATE|RFC3339-TIME] [--db FILE] [--config FILE] [--format text|json] [--notify SINK]...
      Findings below the paging threshold (pageMinSeverity) active in the period, by area and severity.
  backfill --since 30d [--until T] [--accounts a,b] [--regions r1,r2] [--bucket B] [--prefix P]
           [--state-machine ARN] [--wait] [--endpoint-url URL]
      Evaluate CloudTrail history in AWS: executions of the stack's backfill state machine, one per
      account/Region prefix of the trail bucket; --wait follows them and exits 1 unless all succeeded.
  controls [--format table|json|markdown]
      List the controls and their metadata.
  test-pattern --pattern <json|file://path> --event <json|file://path>
      Test an EventBridge event pattern against an event, like aws events test-event-pattern.

The database is --db, else $TRAILWARDEN_DB, else ./trailwarden.db. Commands writing it at once
wait for each other (up to $TRAILWARDEN_LOCK_TIMEOUT seconds, default 60; past it: exit 75).
Settings (YAML or JSON) come from --config, else $TRAILWARDEN_CONFIG, else the defaults.`;

/** The database was busy with another writer past the wait allowed; nothing was lost, run it again (sysexits EX_TEMPFAIL). */
export const EXIT_TRY_AGAIN = 75;

const COMMANDS: Record<string, (args: string[], io: Io) => Promise<number>> = {
  replay: replayCommand,
  evaluate: evaluateCommand,
  findings: findingsCommand,
  controls: controlsCommand,
  'test-pattern': testPatternCommand,
  report: reportCommand,
  serve: serveCommand,
  digest: digestCommand,
  snooze: snoozeCommand,
  backfill: backfillCommand,
};

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`trailwarden: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command(args, io);
  } catch (error) {
    // Messages may quote a file name, an argument or a value read from a file: shown inert.
    const message = inertText(error instanceof Error ? error.message : String(error), 'lines');
    if (error instanceof SettingsError) {
      io.err(message);
      return 2;
    }
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`trailwarden ${name}: ${message}`);
      return 2;
    }
    io.err(`trailwarden ${name}: ${message}`);
    if (io.env.TRAILWARDEN_DEBUG && error instanceof Error && error.stack) io.err(inertText(error.stack, 'lines'));
    return error instanceof StorageBusyError ? EXIT_TRY_AGAIN : 1;
  }
}
