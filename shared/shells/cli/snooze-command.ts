/**
 * `trailwarden snooze FINDING_ID (--for DURATION | --until ISO) --reason TEXT [--db FILE]`
 * `trailwarden snooze FINDING_ID --cancel [--db FILE]`
 *
 * Snoozes one open finding (at most MAX_SNOOZE_DAYS), or ends its snooze early, in the local
 * database; the actor recorded in its history is `local:<os user>`. The `reopened` notification a
 * cancelled snooze owes is sent by the next sweep (`replay` or `serve`).
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_SETTINGS } from '../../core/settings/settings';
import { composeCli, UsageError } from './compose';
import { cancelSnooze, snoozeFinding, type SnoozeOutcome } from '../../app/snooze/snooze-service';
import { validateSnoozeRequest } from '../../core/findings/snooze';
import type { Io } from './io';

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

export async function snoozeCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      for: { type: 'string' },
      until: { type: 'string' },
      reason: { type: 'string' },
      cancel: { type: 'boolean', default: false },
      db: { type: 'string' },
    },
  });
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
