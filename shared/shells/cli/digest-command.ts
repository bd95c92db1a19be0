/** `trailwarden digest [--since 24h] [--db FILE] [--config FILE] [--format text|json] [--notify SINK]...` */
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { databasePathOf, openStore, settingsFor, UsageError } from './compose';
import { buildDigest, digestJsonOf, digestTextOf, type Digest } from '../../core/notifications/digest';
import { WebhookNotifier } from '../../adapters/notify/webhook-notifier';
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

/** Where a digest goes: the sinks of `--notify`, for a digest instead of a finding. */
function digestSinkOf(spec: string, io: Io): (digest: Digest) => Promise<void> {
  if (spec === 'console') return async (digest) => io.err(`${digestTextOf(digest)}\n`);
  if (spec.startsWith('jsonl:') && spec.length > 'jsonl:'.length) {
    const file = spec.slice('jsonl:'.length);
    return async (digest) => appendFileSync(file, `${JSON.stringify(digestJsonOf(digest))}\n`);
  }
  if (spec.startsWith('webhook:')) {
    const url = spec.slice('webhook:'.length);
    if (!/^https?:\/\/[^\s]+$/.test(url)) throw new UsageError(`--notify ${spec}: webhook needs an http(s) URL, e.g. webhook:https://hooks.example.com/x`);
    const webhook = new WebhookNotifier(url);
    return (digest) => webhook.post(digestJsonOf(digest));
  }
  throw new UsageError(`--notify ${spec}: unknown sink (expected console, jsonl:PATH or webhook:URL)`);
}

export async function digestCommand(args: string[], io: Io, now: () => Date = () => new Date()): Promise<number> {
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
  const settings = settingsFor(values.config, io.env);
  const until = now();
  const since = sinceOf(values.since, until);
  if (since > until) throw new UsageError(`--since ${values.since}: in the future`);
  const sinks = (values.notify ?? []).map((spec) => ({ spec, send: digestSinkOf(spec, io) }));
  const store = openStore(databasePathOf(values.db, io.env));
  try {
    const findings = await store.listFindings({ since: since.toISOString(), until: until.toISOString() });
    const digest = buildDigest(findings, since, until, { pageMinSeverity: settings.pageMinSeverity, findingsUrl: settings.findingsUrl });
    io.out(values.format === 'json' ? JSON.stringify(digestJsonOf(digest)) : digestTextOf(digest));
    let failed = 0;
    if (digest.total > 0) {
      for (const { spec, send } of sinks) {
        try {
          await send(digest);
        } catch (error) {
          failed += 1;
          io.err(`digest: ${spec.startsWith('webhook:') ? 'webhook' : spec} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
    return failed > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}
