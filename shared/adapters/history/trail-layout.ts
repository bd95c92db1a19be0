/**
 * Where a CloudTrail trail puts its files in S3, read as data: pure key parsing and the pruning of a
 * listing by account, region and UTC day. No I/O here (s3-trail.ts lists and reads).
 *
 * The layout, from the AWS CloudTrail User Guide:
 * - log files: `[optional-prefix/]AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/` then
 *   `ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UniqueString.json.gz`, where the date and time are when the file
 *   was delivered, in UTC, and "a log file delivered at a specific time can contain records written at any
 *   point before that time" (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html,
 *   "CloudTrail log file name format");
 * - organization trails add the organization id after AWSLogs: `AWSLogs/O-ID/ACCOUNT/CloudTrail/...`, and
 *   digest files go to `AWSLogs/[O-ID/]ACCOUNT/CloudTrail-Digest/REGION/YYYY/MM/DD/`
 *   (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html,
 *   "Digest file location").
 */

/** The folders under an account that the walk enters: log files (read) and digest files (counted, never read). */
export type TrailTree = 'CloudTrail' | 'CloudTrail-Digest';

export const TRAIL_TREES: readonly TrailTree[] = ['CloudTrail', 'CloudTrail-Digest'];

/** What the listing may leave out: only accounts, regions and UTC days in these sets or bounds are listed. */
export interface TrailFilter {
  accounts?: ReadonlySet<string> | undefined;
  regions?: ReadonlySet<string> | undefined;
  /** Epoch ms: events before it are not wanted. */
  sinceMs?: number | undefined;
  /** Epoch ms: events after it are not wanted. */
  untilMs?: number | undefined;
}

/** The levels of the layout, from the folder that holds AWSLogs down to a day folder. */
export type TrailLevel =
  | { kind: 'root' }
  | { kind: 'awslogs' }
  | { kind: 'organization' }
  | { kind: 'account'; account: string }
  | { kind: 'tree'; account: string; tree: TrailTree }
  | { kind: 'region'; account: string; tree: TrailTree; region: string }
  | { kind: 'year'; account: string; tree: TrailTree; region: string; year: number }
  | { kind: 'month'; account: string; tree: TrailTree; region: string; year: number; month: number }
  | { kind: 'day'; account: string; tree: TrailTree; region: string; day: string };

export const ACCOUNT_ID = /^\d{12}$/;
/** An organization id: `o-` and 10 to 32 lowercase letters or digits (the AWS Organizations id pattern). */
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * A log file's name, checked against its folder: same account and region, a real delivery time.
 * `.json.gz` is what CloudTrail writes today; `.json` (a copy someone gunzipped) is read too.
 */
const LOG_FILE_NAME = /^(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[A-Za-z0-9]+\.json(\.gz)?$/;

/** The folders of a prefix, without the empty ones (`a//b/` is `a`, `b`). */
function segmentsOf(prefix: string): string[] {
  return prefix.split('/').filter((segment) => segment !== '');
}

/**
 * The level a prefix given by a person stands at, when it ends on a folder of the layout (`AWSLogs/`,
 * `AWSLogs/o-…/123…/CloudTrail/us-east-1/`); undefined when it does not (it is then listed whole, flat).
 */
export function levelOfPrefix(prefix: string): { level: TrailLevel; base: string } | undefined {
  if (prefix !== '' && !prefix.endsWith('/')) return undefined;
  const segments = segmentsOf(prefix);
  const at = segments.lastIndexOf('AWSLogs');
  if (at < 0) return prefix === '' ? { level: { kind: 'root' }, base: '' } : undefined;
  let index = at + 1;
  const base = `${segments.slice(0, index).join('/')}/`;
  let level: TrailLevel = { kind: 'awslogs' };
  const rest = segments.slice(index);
  if (rest.length === 0) return { level, base };
  if (ORGANIZATION_ID.test(rest[0]!)) {
    index = 1;
    level = { kind: 'organization' };
  } else index = 0;
  const [account, tree, region, year, month, day, ...more] = rest.slice(index);
  if (account === undefined) return { level, base };
  if (!ACCOUNT_ID.test(account)) return undefined;
  level = { kind: 'account', account };
  if (tree === undefined) return { level, base };
  if (tree !== 'CloudTrail' && tree !== 'CloudTrail-Digest') return undefined;
  level = { kind: 'tree', account, tree };
  if (region === undefined) return { level, base };
  if (!REGION_NAME.test(region)) return undefined;
  level = { kind: 'region', account, tree, region };
  if (year === undefined) return { level, base };
  if (!/^\d{4}$/.test(year)) return undefined;
  level = { kind: 'year', account, tree, region, year: Number(year) };
  if (month === undefined) return { level, base };
  if (!/^\d{2}$/.test(month)) return undefined;
  level = { kind: 'month', account, tree, region, year: Number(year), month: Number(month) };
  if (day === undefined) return { level, base };
  if (!/^\d{2}$/.test(day) || more.length > 0) return undefined;
  return { level: { kind: 'day', account, tree, region, day: `${year}-${month}-${day}` }, base };
}

/** The UTC day `YYYY-MM-DD` of an epoch-ms time. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The UTC days whose folders may hold events in [since, until]: from since's day to the day after
 * until's. A file is filed under its delivery day and holds only events from before its delivery, so
 * no earlier folder can hold a wanted event; an event of 23:58 delivered at 00:04 sits in the next
 * day's folder, hence one day more at the end. An event delivered more than a day late is missed.
 */
export function dayRange(filter: TrailFilter): { first?: string; last?: string } {
  return {
    ...(filter.sinceMs !== undefined ? { first: utcDay(filter.sinceMs) } : {}),
    ...(filter.untilMs !== undefined ? { last: utcDay(filter.untilMs + 86_400_000) } : {}),
  };
}

/** Whether the folder of `level`'s child `name` (a year, a month or a day number) may hold a wanted day. */
function dateFolderWanted(range: { first?: string; last?: string }, start: string, end: string): boolean {
  if (range.first !== undefined && end < range.first) return false;
  if (range.last !== undefined && start > range.last) return false;
  return true;
}

/**
 * The level of the child folder `name` of `level`, when the walk should enter it; undefined when the
 * layout or the filter leaves it out (it is then never listed).
 */
export function childLevel(level: TrailLevel, name: string, filter: TrailFilter): TrailLevel | undefined {
  const range = dayRange(filter);
  switch (level.kind) {
    case 'root':
      return name === 'AWSLogs' ? { kind: 'awslogs' } : undefined;
    case 'awslogs':
    case 'organization':
      if (level.kind === 'awslogs' && ORGANIZATION_ID.test(name)) return { kind: 'organization' };
      if (!ACCOUNT_ID.test(name)) return undefined;
      return filter.accounts === undefined || filter.accounts.has(name) ? { kind: 'account', account: name } : undefined;
    case 'account':
      return name === 'CloudTrail' || name === 'CloudTrail-Digest' ? { kind: 'tree', account: level.account, tree: name } : undefined;
    case 'tree':
      if (!REGION_NAME.test(name)) return undefined;
      return filter.regions === undefined || filter.regions.has(name) ? { ...level, kind: 'region', region: name } : undefined;
    case 'region':
      if (!/^\d{4}$/.test(name) || !dateFolderWanted(range, `${name}-01-01`, `${name}-12-31`)) return undefined;
      return { ...level, kind: 'year', year: Number(name) };
    case 'year': {
      if (!/^(0[1-9]|1[0-2])$/.test(name)) return undefined;
      const month = `${level.year}-${name}`;
      if (!dateFolderWanted(range, `${month}-01`, `${month}-31`)) return undefined;
      return { ...level, kind: 'month', month: Number(name) };
    }
    case 'month': {
      if (!/^(0[1-9]|[12]\d|3[01])$/.test(name)) return undefined;
      const day = `${level.year}-${String(level.month).padStart(2, '0')}-${name}`;
      if (!dateFolderWanted(range, day, day)) return undefined;
      const { year: _year, month: _month, ...rest } = level;
      return { ...rest, kind: 'day', day };
    }
    case 'day':
      return undefined;
  }
}

/**
 * Where a listing of the children of `level` may start (ListObjectsV2 StartAfter, relative to the
 * level's prefix): past the years, months or days before the filter's first day. Undefined: from the start.
 */
export function startAfterOf(level: TrailLevel, filter: TrailFilter): string | undefined {
  const first = dayRange(filter).first;
  if (first === undefined) return undefined;
  const [year, month, day] = first.split('-') as [string, string, string];
  // Keys sort as UTF-8 bytes: "2023" sorts before "2023/…", and every earlier year before "2023".
  if (level.kind === 'region') return year;
  if (level.kind === 'year' && String(level.year) === year) return month;
  if (level.kind === 'month' && `${level.year}-${String(level.month).padStart(2, '0')}` === `${year}-${month}`) return day;
  return undefined;
}

/** Whether a listing of `level`'s children may stop at child `name` (every later one is past the filter's last day). */
export function pastLastDay(level: TrailLevel, name: string, filter: TrailFilter): boolean {
  const last = dayRange(filter).last;
  if (last === undefined) return false;
  if (level.kind === 'region') return /^\d{4}$/.test(name) && `${name}-01-01` > last;
  if (level.kind === 'year') return /^\d{2}$/.test(name) && `${level.year}-${name}-01` > last;
  if (level.kind === 'month') return /^\d{2}$/.test(name) && `${level.year}-${String(level.month).padStart(2, '0')}-${name}` > last;
  return false;
}

/** What an object of the bucket is to a replay: a log file (with where it is filed), a digest file, or something else. */
export type TrailObject = { kind: 'log'; account: string; region: string; day: string } | { kind: 'digest' } | { kind: 'other' };

/**
 * What the object `key` is: a log file (its name matching its folder's account, region and day), a
 * digest file (anything under a `CloudTrail-Digest/` folder), or something else (skipped and counted).
 */
export function classifyKey(key: string): TrailObject {
  const segments = key.split('/');
  const name = segments.at(-1) ?? '';
  const folders = segments.slice(0, -1);
  const at = folders.lastIndexOf('AWSLogs');
  if (at < 0) return { kind: 'other' };
  const rest = folders.slice(at + 1);
  if (rest[0] !== undefined && ORGANIZATION_ID.test(rest[0])) rest.shift();
  const [account, tree, region, year, month, day, ...more] = rest;
  if (tree === 'CloudTrail-Digest') return { kind: 'digest' };
  if (tree !== 'CloudTrail' || more.length > 0 || day === undefined) return { kind: 'other' };
  const match = LOG_FILE_NAME.exec(name);
  if (!match) return { kind: 'other' };
  const [, fileAccount, fileRegion, y, m, d] = match;
  if (fileAccount !== account || fileRegion !== region || y !== year || m !== month || d !== day) return { kind: 'other' };
  return { kind: 'log', account, region, day: `${y}-${m}-${d}` };
}

/** Whether a log file filed there may hold wanted events (the same test the pruned listing makes, for a flat one). */
export function logFileWanted(file: { account: string; region: string; day: string }, filter: TrailFilter): boolean {
  if (filter.accounts !== undefined && !filter.accounts.has(file.account)) return false;
  if (filter.regions !== undefined && !filter.regions.has(file.region)) return false;
  return dateFolderWanted(dayRange(filter), file.day, file.day);
}

/** `s3://BUCKET/PREFIX` read: the bucket and the key prefix (possibly empty); undefined when it is not one. */
export function parseS3Url(text: string): { bucket: string; prefix: string } | undefined {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(text);
  if (!match) return undefined;
  return { bucket: match[1]!, prefix: match[2] ?? '' };
}
