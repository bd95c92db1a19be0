/**
 * The CLI's composition: which adapters for which flags and environment, decided once per command
 * (`--db` → SQLite file or memory, `--notify` → sinks, `--config` → settings), then the one
 * factory (shared/app/compose.ts) wires the application.
 */
import { loadSettings } from '../../adapters/config/load-settings';
import { ConsoleNotifier } from '../../adapters/notify/console-notifier';
import { FanOutNotifier } from '../../adapters/notify/fan-out-notifier';
import { JsonlNotifier } from '../../adapters/notify/jsonl-notifier';
import { WebhookNotifier } from '../../adapters/notify/webhook-notifier';
import { memoryStorage } from '../../adapters/store/memory';
import { openSqliteStorage, type SqliteDatabaseOptions } from '../../adapters/store/sqlite';
import { createApplication, type Application } from '../../app/compose';
import type { Storage } from '../../app/storage';
import { ALL_CONTROLS } from '../../core/controls';
import type { Notifier } from '../../core/notifications/notifier';
import type { Settings } from '../../core/settings/settings';
import type { Io } from './io';

/** A command line the command cannot act on (exit code 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The organization's settings: `--config`, else TRAILWARDEN_CONFIG, else the defaults; validated against the catalogue. */
export function settingsFor(flag: string | undefined, env: NodeJS.ProcessEnv): Settings {
  return loadSettings(flag, env, new Set(ALL_CONTROLS.map((control) => control.id)));
}

/** The findings database: `--db`, else TRAILWARDEN_DB, else ./trailwarden.db. `:memory:` keeps nothing. */
export function databasePathOf(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag ?? env.TRAILWARDEN_DB ?? './trailwarden.db';
}

/**
 * The database at `path`, opened with `options` (SqliteDatabaseOptions). A SQLite file waits for another process's
 * write for TRAILWARDEN_LOCK_TIMEOUT seconds, else `options.lockTimeoutMs` (the store's default: 60 s), before
 * refusing the write.
 */
export function openStorage(path: string, env: NodeJS.ProcessEnv = {}, options: SqliteDatabaseOptions = {}): Storage {
  if (path === ':memory:') return memoryStorage();
  const wait = env.TRAILWARDEN_LOCK_TIMEOUT;
  if (wait === undefined || wait === '') return openSqliteStorage(path, options);
  if (!/^\d+(\.\d+)?$/.test(wait)) {
    throw new UsageError(`TRAILWARDEN_LOCK_TIMEOUT: expected seconds (e.g. 60), got ${JSON.stringify(wait.slice(0, 40))}`);
  }
  return openSqliteStorage(path, { ...options, lockTimeoutMs: Math.round(Number(wait) * 1000) });
}

/** Sinks by scheme: `console` (standard error), `jsonl:PATH`, `webhook:URL` (http or https). */
export function notifierFromSpecs(specs: readonly string[], io: Pick<Io, 'err'>): Notifier {
  return new FanOutNotifier(specs.map((spec) => ({ name: spec.startsWith('webhook:') ? 'webhook' : spec, notifier: sinkOf(spec, io) })));
}

function sinkOf(spec: string, io: Pick<Io, 'err'>): Notifier {
  // io.err ends each line itself: the message's own final newline becomes it.
  if (spec === 'console') return new ConsoleNotifier((text) => io.err(text.replace(/\n$/, '')));
  if (spec.startsWith('jsonl:') && spec.length > 'jsonl:'.length) return new JsonlNotifier(spec.slice('jsonl:'.length));
  if (spec.startsWith('webhook:')) {
    const url = spec.slice('webhook:'.length);
    if (!/^https?:\/\/[^\s]+$/.test(url))
      throw new UsageError(`--notify ${spec}: webhook needs an http(s) URL, e.g. webhook:https://hooks.example.com/x`);
    return new WebhookNotifier(url);
  }
  throw new UsageError(`--notify ${spec}: unknown sink (expected console, jsonl:PATH or webhook:URL)`);
}

export interface CliFlags {
  /** `--config`; ignored when `settings` is given. */
  config?: string | undefined;
  /** For commands that take no settings (`findings`, `snooze`): these instead of loading any. */
  settings?: Settings;
  db?: string | undefined;
  /**
   * `--notify` sinks. Absent: this command sends nothing (what it owes stays owed for `replay` or
   * `serve`); empty: what is owed is settled as sent to nobody (`replay` without sinks).
   */
  notify?: readonly string[] | undefined;
  /**
   * How long this command's writes wait for another process's (unless TRAILWARDEN_LOCK_TIMEOUT says):
   * `serve` waits briefly, its event loop stopped meanwhile, and answers 503 past it.
   */
  lockWaitMs?: number;
  /** SQLite's page cache in MiB (a replay's is REPLAY_PAGE_CACHE_MIB); absent: the store's default. */
  pageCacheMiB?: number;
}

/** The application of one command: the whole catalogue over the chosen database and sinks. */
export function composeCli(flags: CliFlags, io: Pick<Io, 'err' | 'env' | 'now'>): Application & { databasePath: string } {
  const settings = flags.settings ?? settingsFor(flags.config, io.env);
  const notifier: Notifier | 'deferred' | 'discard' =
    flags.notify === undefined ? 'deferred' : flags.notify.length === 0 ? 'discard' : notifierFromSpecs(flags.notify, io);
  const databasePath = databasePathOf(flags.db, io.env);
  const app = createApplication({
    settings,
    catalogue: ALL_CONTROLS,
    storage: openStorage(databasePath, io.env, { lockTimeoutMs: flags.lockWaitMs, pageCacheMiB: flags.pageCacheMiB }),
    notifier,
    clock: io.now,
  });
  return Object.assign(app, { databasePath });
}
