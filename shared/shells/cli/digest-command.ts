/** `trailwarden digest [--since 24h] [--db FILE] [--config FILE] [--format text|json] [--notify SINK]...` */
import { parseArgs } from 'node:util';
import { NotificationError } from '../../adapters/notify/fan-out-notifier';
import { digestOf } from '../../app/jobs/digest';
import { digestJsonOf, digestTextOf } from '../../core/notifications/digest';
import { composeCli, UsageError } from './compose';
import type { Io } from './io';

/** `24h`, `7d`, `90m`, or an ISO date or date-time: the start of the period (which ends now). */
export function sinceOf(value: string, now: Date): Date {
  const duration = /^(\d+)([mhd])$/.exec(value);
  if (duration) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[duration[2] as 'm' | 'h' | 'd'];
    return new Date(now.getTime() - Number(duration[1]) * unit);
  }
  if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(value) && !Number.isNaN(Date.parse(value))) return new Date(value);
  throw new UsageError(`--since ${value}: expected a duration such as 24h, 7d or 90m, or an ISO date`);
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
  if (since > until) throw new UsageError(`--since ${values.since}: in the future`);
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
