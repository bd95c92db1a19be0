/** `trailwarden digest`: the findings below the paging threshold active in a period. */
import { NotificationError } from '../../adapters/notify/fan-out-notifier';
import { digestOf } from '../../app/jobs/digest';
import { digestJsonOf, digestTextOf } from '../../core/notifications/digest';
import { readPersonTime } from '../../core/model/time';
import { composeCli, UsageError } from './compose';
import type { Io } from './io';
import { defineCommand, type ParsedArgs } from './command-line';
import { CONFIG_ENV, CONFIG_OPTION, DB_ENV, DB_OPTION, LOCK_TIMEOUT_ENV, NOTIFY_OPTION } from './shared-options';

/**
 * `--since`: `24h`, `7d`, `90m` before `now`, or a time as the API's `since` reads it — a calendar
 * date `YYYY-MM-DD` (the start of that UTC day) or an RFC 3339 date-time with seconds and a zone, on
 * a real calendar date (core/model/time.ts: `2025-02-30` is refused, and a time without a zone is
 * refused rather than read in the machine's zone). The start of the period, which ends at `now`:
 * a time after `now` is refused (the period would be empty), stricter than the one-day allowance
 * the API's `since` has, because here the end of the period is the clock itself.
 */
export function sinceOf(value: string, now: Date): Date {
  const duration = /^(\d+)([mhd])$/.exec(value);
  if (duration) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[duration[2] as 'm' | 'h' | 'd'];
    const since = new Date(now.getTime() - Number(duration[1]) * unit);
    if (Number.isNaN(since.getTime())) throw new UsageError(`--since ${value}: too long ago`);
    return since;
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) {
    throw new UsageError(
      `--since ${value}: expected a duration such as 24h, 7d or 90m, a calendar date (2026-03-01) or an ISO-8601 date-time with seconds and a time zone (2026-03-01T10:00:00Z)`,
    );
  }
  const read = readPersonTime(value, { calendarDates: true, example: '2026-03-01T10:00:00Z' });
  if ('problem' in read) throw new UsageError(`--since ${value}: ${read.problem}`);
  if (read.ms > now.getTime()) throw new UsageError(`--since ${value}: in the future (the period ends now, ${now.toISOString()})`);
  return new Date(read.ms);
}

const DIGEST_OPTIONS = {
  since: {
    type: 'string',
    value: 'TIME',
    default: '24h',
    description: 'the period: a duration before now (24h, 7d, 90m), a date (2026-03-01) or an RFC 3339 date-time',
  },
  ...DB_OPTION,
  ...CONFIG_OPTION,
  format: { type: 'string', value: 'FORMAT', default: 'text', description: 'text or json' },
  ...NOTIFY_OPTION,
} as const;

export async function digestCommand({ values }: ParsedArgs<typeof DIGEST_OPTIONS>, io: Io): Promise<number> {
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format ${values.format}: expected text or json`);
  const until = io.now();
  const since = sinceOf(values.since, until);
  const app = composeCli({ config: values.config, db: values.db, notify: values.notify ?? [] }, io);
  try {
    const digest = await digestOf(app.jobs, since, until);
    io.out(values.format === 'json' ? JSON.stringify(digestJsonOf(digest)) : digestTextOf(digest));
    if (digest.total === 0) return 0;
    try {
      await app.delivery.deliverDigest(digest);
      return 0;
    } catch (error) {
      const failures =
        error instanceof NotificationError
          ? error.failures
          : [{ sink: 'notify', reason: error instanceof Error ? error.message : String(error) }];
      for (const failure of failures) io.err(`digest: ${failure.sink} failed: ${failure.reason}`);
      return 1;
    }
  } finally {
    await app.close();
  }
}

export const DIGEST = defineCommand({
  name: 'digest',
  summary: 'the findings below the paging threshold active in the period, by area and severity, printed and sent',
  description:
    'Summarizes the findings below the paging threshold (pageMinSeverity) that were active in the period, by area and severity, and sends the digest to the --notify sinks.',
  options: DIGEST_OPTIONS,
  environment: [DB_ENV, CONFIG_ENV, LOCK_TIMEOUT_ENV],
  examples: [
    { what: "yesterday's digest, printed", run: 'digest' },
    { what: "the week's, to a chat webhook", run: 'digest --since 7d --notify webhook:https://hooks.example.com/trailwarden' },
  ],
  run: digestCommand,
});
