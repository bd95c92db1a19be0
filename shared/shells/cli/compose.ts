/**
 * The composition root: which adapter for which setting, decided once. Shells (CLI, Lambda
 * handlers) call these; nothing else reads the environment or picks an adapter.
 */
import { ALL_CONTROLS } from '../../core/controls';
import { DEFAULT_SETTINGS, type Settings } from '../../core/settings/settings';
import { ControlRouter } from '../../core/evaluation/router';
import { Pipeline } from '../../app/pipeline/pipeline';
import type { EvaluationContext } from '../../core/model/control';
import type { FindingStore } from '../../core/findings/finding-store';
import { MemoryFindingStore } from '../../adapters/store/memory/memory-finding-store';
import { SqliteFindingStore } from '../../adapters/store/sqlite/sqlite-finding-store';
import { FanOutNotifier, type Notifier } from '../../core/notifications/notifier';
import { ConsoleNotifier } from '../../adapters/notify/console-notifier';
import { JsonlNotifier } from '../../adapters/notify/jsonl-notifier';
import { WebhookNotifier } from '../../adapters/notify/webhook-notifier';
import { loadSettings } from '../../adapters/config/load-settings';
import type { ApiDeps } from '../../app/api/router';
import { findingsExport, frameworkReport } from '../../app/api/documents';
import { sweepExemptions, type SweepResult } from '../../app/exemptions/exemption-service';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface Engine {
  router: ControlRouter;
  context: EvaluationContext;
}

/** The organization's settings: `--config`, else TRAILWARDEN_CONFIG, else the defaults; validated against the catalogue. */
export function settingsFor(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Settings {
  return loadSettings(flag, env, new Set(ALL_CONTROLS.map((control) => control.id)));
}

export function createEngine(settings: Settings = { ...DEFAULT_SETTINGS }): Engine {
  const enabled = ALL_CONTROLS.filter((control) => !settings.disabledControls.includes(control.id));
  return { router: new ControlRouter(enabled), context: { settings } };
}

/** The findings database: `--db`, else TRAILWARDEN_DB, else ./trailwarden.db. `:memory:` keeps nothing. */
export function databasePathOf(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.TRAILWARDEN_DB ?? './trailwarden.db';
}

export function openStore(path: string): FindingStore {
  return path === ':memory:' ? new MemoryFindingStore() : new SqliteFindingStore(path);
}

/** Sinks by scheme: `console`, `jsonl:PATH`, `webhook:URL` (http or https). */
export function createNotifier(specs: string[]): Notifier {
  const sinks = specs.map((spec) => ({ name: spec.startsWith('webhook:') ? 'webhook' : spec, notifier: sinkOf(spec) }));
  return new FanOutNotifier(sinks);
}

function sinkOf(spec: string): Notifier {
  if (spec === 'console') return new ConsoleNotifier();
  if (spec.startsWith('jsonl:') && spec.length > 'jsonl:'.length) return new JsonlNotifier(spec.slice('jsonl:'.length));
  if (spec.startsWith('webhook:')) {
    const url = spec.slice('webhook:'.length);
    if (!/^https?:\/\/[^\s]+$/.test(url)) throw new UsageError(`--notify ${spec}: webhook needs an http(s) URL, e.g. webhook:https://hooks.example.com/x`);
    return new WebhookNotifier(url);
  }
  throw new UsageError(`--notify ${spec}: unknown sink (expected console, jsonl:PATH or webhook:URL)`);
}

export function createPipeline(engine: Engine, store: FindingStore, notifier: Notifier): Pipeline {
  return new Pipeline({ router: engine.router, context: engine.context, store, notifier });
}

/** The findings API over a store: the catalogue, reports and exports, and the notifier for reopened findings. */
export function createApiDeps(engine: Engine, store: FindingStore, options: { token?: string; notifier?: Notifier; now?: () => Date } = {}): ApiDeps {
  const { settings } = engine.context;
  return {
    store,
    controls: ALL_CONTROLS,
    ...(options.token !== undefined ? { token: options.token } : {}),
    ...(options.notifier ? { notifier: options.notifier } : {}),
    ...(options.now ? { now: options.now } : {}),
    notifyMinSeverity: settings.notifyMinSeverity,
    report: frameworkReport(settings.disabledControls),
    exportFindings: findingsExport,
  };
}

/** The exemption sweep with this engine's settings: expiries logged once, ended exemptions' findings reopened and notified. */
export function sweepWith(engine: Engine, store: FindingStore, notifier: Notifier | undefined, now: Date): Promise<SweepResult> {
  return sweepExemptions(store, now, { controls: ALL_CONTROLS, ...(notifier ? { notifier } : {}), notifyMinSeverity: engine.context.settings.notifyMinSeverity, findingsUrl: engine.context.settings.findingsUrl });
}
