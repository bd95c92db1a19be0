/** `trailwarden replay PATH... [--config FILE] [--db FILE] [--notify SINK]... [--json] [--strict] [--show-findings]` */
import { parseArgs } from 'node:util';
import { readEvents } from '../../adapters/intake';
import { replay } from '../../app/pipeline/replay';
import type { ReplaySummary } from '../../app/pipeline/summary';
import { AREAS } from '../../core/model/area';
import { SEVERITIES } from '../../core/model/severity';
import { createEngine, createNotifier, createPipeline, databasePathOf, openStore, settingsFor, sweepWith, UsageError } from './compose';
import type { Io } from './io';
import { sweepSnoozes } from '../../app/snooze/snooze-service';
import { sweepDeadlines } from '../../app/jobs/deadlines';
import { renderTable } from './table';
import { renderFindingsTable } from './findings-command';

export async function replayCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      config: { type: 'string' },
      notify: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      'show-findings': { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0) throw new UsageError('replay needs at least one PATH (a file, a directory, or - for stdin)');
  const engine = createEngine(settingsFor(values.config, io.env));
  const notifier = createNotifier(values.notify ?? []);
  const dbPath = databasePathOf(values.db, io.env);
  const store = openStore(dbPath);
  try {
    // Exemptions that ended since the last run reopen their findings before new events count.
    const swept = await sweepWith(engine, store, notifier, new Date());
    if (swept.expired.length > 0 || swept.reopened > 0) io.err(`exemptions: ${swept.expired.length} expired, ${swept.reopened} findings reopened`);
    if (swept.notificationFailures > 0) io.err(`exemptions: ${swept.notificationFailures} notifications not delivered (retried next run)`);
    // Snoozes that ran out notify their still open findings; open findings past their remediation deadline escalate (once).
    const { settings } = engine.context;
    const snoozes = await sweepSnoozes(store, new Date(), notifier, { notifyMinSeverity: settings.notifyMinSeverity, findingsUrl: settings.findingsUrl });
    if (snoozes.ended > 0) io.err(`snoozes: ${snoozes.ended} ended`);
    if (snoozes.notificationFailures > 0) io.err(`snoozes: ${snoozes.notificationFailures} notifications not delivered (retried next run)`);
    const deadlines = await sweepDeadlines(store, new Date(), notifier, settings);
    if (deadlines.escalated > 0) io.err(`deadlines: ${deadlines.escalated} findings past their remediation deadline escalated`);
    if (deadlines.notificationFailures > 0) io.err(`deadlines: ${deadlines.notificationFailures} notifications not delivered (retried next run)`);
    const pipeline = createPipeline(engine, store, notifier);
    const summary = await replay(readEvents(positionals, {}, io.stdin), pipeline, {
      onRejected: (r) => io.err(`rejected ${r.file}:${r.line}${r.path ? ` ${r.path}` : ''}: ${r.reason}`),
      onControlError: (eventId, controlId, message) => io.err(`control ${controlId} failed on event ${eventId}: ${message}`),
      onNotificationError: (error) => io.err(`notification failed: ${error instanceof Error ? error.message : String(error)}`),
      onRollups: (rollups) => {
        if (rollups.sent > 0) io.err(`roll-ups: ${rollups.sent} sent, summarizing ${rollups.summarized} notifications held in bursts`);
      },
    });
    if (values.json) io.out(JSON.stringify(summary));
    else io.out(renderSummary(summary, dbPath));
    if (values['show-findings'] && !values.json) {
      const open = await store.listFindings({ status: 'open' });
      io.out(`\nOpen findings in ${dbPath} (${open.length}):\n`);
      io.out(renderFindingsTable(open));
    }
    if (summary.events === 0) {
      io.err(`replay: no events could be read from ${positionals.join(' ')}`);
      return 1;
    }
    if (values.strict && (summary.rejected > 0 || summary.controlErrors > 0 || summary.notificationFailures > 0)) return 1;
    return 0;
  } finally {
    await store.close();
    await notifier.close();
  }
}

export function renderSummary(summary: ReplaySummary, dbPath: string): string {
  const transitions = ['opened', 'reopened', 'escalated', 'resolved', 'repeated'] as const;
  const lines = [
    `Replayed into ${dbPath}: ${summary.events} events read, ${summary.rejected} rejected, ${summary.unmatched} matched no control.`,
    `Findings: ${transitions.map((t) => `${summary[t]} ${t}`).join(', ')}.`,
  ];
  if (summary.controlErrors > 0) lines.push(`Control errors: ${summary.controlErrors}.`);
  if (summary.notificationFailures > 0) lines.push(`Notifications not delivered: ${summary.notificationFailures}.`);
  lines.push('', renderTable(['AREA', ...transitions.map((t) => t.toUpperCase())], AREAS.map((a) => [a, ...transitions.map((t) => String(summary.byArea[a][t]))])));
  lines.push(
    '',
    renderTable(
      ['SEVERITY', ...transitions.map((t) => t.toUpperCase())],
      [...SEVERITIES].reverse().map((s) => [s, ...transitions.map((t) => String(summary.bySeverity[s][t]))]),
    ),
  );
  return lines.join('\n');
}
