/** `trailwarden digest [--since 24h] [--db FILE] [--config FILE] [--format text|json] [--notify SINK]...` */
import { parseArgs } from 'node:util';
import { NotificationError } from '../../adapters/notify/fan-out-notifier';
import { digestOf } from '../../app/jobs/digest';
import { digestJsonOf, digestTextOf } from '../../core/notifications/digest';
import { readPersonTime } from '../../core/model/time';
import { composeCli, UsageError } from './compose';
import type { Io } from './io';

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

export async function digestCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      since: { type: 'string', default: '24h' },
      db: { type: 'string' },
      config: { type: 'string' },
      format: { type: 'string', default: 'text' },
      notify: { type: 'string', multiple: true },
    },
  });
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
