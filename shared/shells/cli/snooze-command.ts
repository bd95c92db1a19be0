/**
 * `trailwarden snooze FINDING_ID (--for DURATION | --until ISO) --reason TEXT [--db FILE]`
 * `trailwarden snooze FINDING_ID --cancel [--db FILE]`
 *
 * Snoozes one open finding (at most MAX_SNOOZE_DAYS), or ends its snooze early, in the local
 * database; the actor recorded in its history is `local:<os user>`. The `reopened` notification a
 * cancelled snooze owes is sent by the next sweep (`replay` or `serve`).
 */
import { userInfo } from 'node:os';
import { DEFAULT_SETTINGS } from '../../core/settings/settings';
import { composeCli, UsageError } from './compose';
import { cancelSnooze, snoozeFinding, type SnoozeOutcome } from '../../app/snooze/snooze-service';
import { validateSnoozeRequest } from '../../core/findings/snooze';
import type { Io } from './io';
import { defineCommand, type ParsedArgs } from './command-line';
import { DB_ENV, DB_OPTION, LOCK_TIMEOUT_ENV } from './shared-options';

const FINDING_ID = /^[0-9a-f]{32}$/;
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/;
const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;

/** `8h`, `30m`, `2d`, `1d12h`: milliseconds, or undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match || text === '') return undefined;
  const [, d, h, m] = match;
  return Number(d ?? 0) * UNIT_MS.d + Number(h ?? 0) * UNIT_MS.h + Number(m ?? 0) * UNIT_MS.m;
}

function localActor(): string {
  try {
    return `local:${userInfo().username}`;
  } catch {
    return 'local:unknown';
  }
}

const SNOOZE_OPTIONS = {
  for: { type: 'string', value: 'DURATION', description: 'snooze for this long: 30m, 8h, 2d, 1d12h (at most 30 days)' },
  until: { type: 'string', value: 'TIME', description: 'snooze until this RFC 3339 date-time with seconds and a zone' },
  reason: { type: 'string', value: 'TEXT', description: 'why (required to snooze; recorded in the history)' },
  cancel: { type: 'boolean', description: 'end the snooze now' },
  ...DB_OPTION,
} as const;

export async function snoozeCommand({ values, positionals }: ParsedArgs<typeof SNOOZE_OPTIONS>, io: Io): Promise<number> {
  if (positionals.length !== 1)
    throw new UsageError(
      'snooze needs exactly one FINDING_ID (the 32-character id in `findings --format json`, the API and notifications)',
    );
  const id = positionals[0]!;
  if (!FINDING_ID.test(id)) throw new UsageError(`${id}: not a finding id (32 lower-case hexadecimal characters)`);
  const at = io.now();
  let request: { until: string; reason: string } | undefined;
  if (values.cancel) {
    if (values.for !== undefined || values.until !== undefined || values.reason !== undefined)
      throw new UsageError('--cancel takes no --for, --until or --reason');
  } else {
    if ((values.for === undefined) === (values.until === undefined))
      throw new UsageError('give either --for DURATION (e.g. 8h, 30m, 2d) or --until ISO-TIME');
    let until = values.until;
    if (values.for !== undefined) {
      const ms = parseDuration(values.for);
      if (ms === undefined || ms <= 0) throw new UsageError(`--for ${values.for}: expected a duration such as 30m, 8h, 2d or 1d12h`);
      until = new Date(at.getTime() + ms).toISOString();
    }
    const checked = validateSnoozeRequest({ until, reason: values.reason }, at);
    if ('issue' in checked) {
      const flag =
        checked.issue.parameter === 'until'
          ? values.for !== undefined
            ? `--for ${values.for}`
            : '--until'
          : `--${checked.issue.parameter}`;
      throw new UsageError(`${flag}: ${checked.issue.reason}`);
    }
    request = checked.request;
  }
  // No sinks here: the `reopened` notification a cancellation owes is sent by the next sweep.
  const app = composeCli({ db: values.db, settings: DEFAULT_SETTINGS }, io);
  const dbPath = app.databasePath;
  try {
    const deps = { storage: app.storage, delivery: app.delivery };
    const options = { now: at, actor: localActor() };
    const outcome: SnoozeOutcome = request ? await snoozeFinding(deps, id, request, options) : await cancelSnooze(deps, id, options);
    if ('refused' in outcome) {
      io.err(`trailwarden snooze: ${outcome.refused === 'not-found' ? `no finding ${id} in ${dbPath}` : `${id}: ${outcome.reason}`}`);
      return 1;
    }
    const f = outcome.finding;
    if (request) io.out(`Snoozed ${f.id} (${f.severity} ${f.controlId} on ${f.resourceId}) until ${request.until}: ${request.reason}`);
    else
      io.out(
        `Snooze of ${f.id} (${f.severity} ${f.controlId} on ${f.resourceId}) cancelled; it is ${f.status}${f.unnotified ? ' and will be notified again by the next sweep (replay or serve)' : ''}.`,
      );
    return 0;
  } finally {
    await app.close();
  }
}

export const SNOOZE = defineCommand({
  name: 'snooze',
  summary: 'quiets one open finding for at most 30 days (--for or --until, --reason), or ends its snooze (--cancel)',
  description: [
    'Snoozes one open finding: no notification until the snooze ends (an escalation to CRITICAL still pages); it is',
    'notified again if still open then. --cancel ends it early. The finding id is in findings --format json, the API',
    'and notifications.',
  ].join(' '),
  arguments: { name: 'finding-id', shown: 'FINDING_ID', description: 'the 32-character finding id' },
  options: SNOOZE_OPTIONS,
  environment: [DB_ENV, LOCK_TIMEOUT_ENV],
  examples: [
    {
      what: 'quiet a finding until the fix ships',
      run: 'snooze 0f3a9c51e7d24b6a8c1e5f7a9b3d2c4e --for 8h --reason "fix ships in the morning deploy (CHG-2077)"',
    },
    { what: 'end it early', run: 'snooze 0f3a9c51e7d24b6a8c1e5f7a9b3d2c4e --cancel' },
  ],
  run: snoozeCommand,
});
