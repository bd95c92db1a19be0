/**
 * The flags of `replay` that choose what history to read, shared by its sources (S3 trail buckets,
 * and the CloudTrail LookupEvents source): `--since`/`--until` (a duration before now such as `7d`,
 * `12h`, `90m`, or an RFC 3339 date-time with seconds and a zone, read strictly by core/model/time.ts),
 * `--accounts a,b`, `--regions r1,r2`, `--concurrency N`, `--endpoint-url URL`.
 */
import { readPersonTime } from '../../core/model/time';
import { UsageError } from './compose';

/** The options of these flags (spread into a command's). */
export const HISTORY_FLAGS = {
  since: {
    type: 'string',
    value: 'TIME',
    description: 'read history from TIME: a duration before now (7d, 12h, 90m) or an RFC 3339 date-time with seconds and a zone',
  },
  until: { type: 'string', value: 'TIME', description: 'read history up to TIME (same forms as --since); default now' },
  accounts: { type: 'string', value: 'IDS', description: 'only these 12-digit accounts, comma-separated' },
  regions: { type: 'string', value: 'REGIONS', description: 'only these regions, comma-separated (us-east-1,eu-west-1)' },
  concurrency: { type: 'string', value: 'N', description: 'objects read at once from a trail bucket, 1 to 64 (default 8)' },
  'endpoint-url': { type: 'string', value: 'URL', description: 'an S3-compatible or local AWS endpoint instead of AWS (path-style)' },
} as const;

export interface HistoryOptions {
  sinceMs?: number;
  untilMs?: number;
  accounts?: ReadonlySet<string>;
  regions?: ReadonlySet<string>;
  concurrency: number;
  endpointUrl?: string;
}

export type HistoryFlagValues = Partial<Record<keyof typeof HISTORY_FLAGS, string | undefined>>;

/** `7d`, `12h`, `90m` before now, or an RFC 3339 date-time with seconds and a zone. */
export function historyTimeOf(flag: string, value: string, now: Date): number {
  const duration = /^(\d+)([mhd])$/.exec(value);
  if (duration) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[duration[2] as 'm' | 'h' | 'd'];
    const ms = now.getTime() - Number(duration[1]) * unit;
    if (Number.isNaN(new Date(ms).getTime())) throw new UsageError(`${flag} ${value}: too long ago`);
    return ms;
  }
  const read = readPersonTime(value, { calendarDates: false, example: '2026-03-01T10:00:00Z' });
  if ('problem' in read)
    throw new UsageError(`${flag} ${value}: expected a duration such as 7d, 12h or 90m, or ${read.problem.replace(/^must be /, '')}`);
  return read.ms;
}

function listOf(flag: string, value: string, pattern: RegExp, example: string): ReadonlySet<string> {
  const items = value.split(',').map((item) => item.trim());
  for (const item of items) {
    if (!pattern.test(item)) throw new UsageError(`${flag} ${value}: ${JSON.stringify(item)} is not ${example}`);
  }
  return new Set(items);
}

/** The flags read and checked; a bad value is a UsageError naming the flag. */
export function historyOptionsOf(values: HistoryFlagValues, now: Date): HistoryOptions {
  const options: HistoryOptions = { concurrency: 8 };
  if (values.since !== undefined) options.sinceMs = historyTimeOf('--since', values.since, now);
  if (values.until !== undefined) options.untilMs = historyTimeOf('--until', values.until, now);
  if (options.sinceMs !== undefined && options.untilMs !== undefined && options.sinceMs > options.untilMs)
    throw new UsageError(`--since ${values.since} is after --until ${values.until}`);
  if (values.accounts !== undefined)
    options.accounts = listOf('--accounts', values.accounts, /^\d{12}$/, 'a 12-digit account id (e.g. 111122223333)');
  if (values.regions !== undefined)
    options.regions = listOf('--regions', values.regions, /^[a-z]{2}(-[a-z]+)+-\d+$/, 'a region name (e.g. us-east-1)');
  if (values.concurrency !== undefined) {
    if (!/^\d+$/.test(values.concurrency) || Number(values.concurrency) < 1 || Number(values.concurrency) > 64)
      throw new UsageError(`--concurrency ${values.concurrency}: expected a whole number from 1 to 64`);
    options.concurrency = Number(values.concurrency);
  }
  if (values['endpoint-url'] !== undefined) {
    if (!/^https?:\/\/[^\s/]+/.test(values['endpoint-url']))
      throw new UsageError(`--endpoint-url ${values['endpoint-url']}: expected an http(s) URL, e.g. http://127.0.0.1:9000`);
    options.endpointUrl = values['endpoint-url'];
  }
  return options;
}
