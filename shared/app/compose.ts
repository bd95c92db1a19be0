/**
 * The one factory: given the adapters a shell chose (storage, notifier, clock) and its settings and
 * controls, wires the application the same way for every shell — the CLI (shells/cli/compose.ts)
 * and the Lambda functions (shells/lambda). Nothing here reads the environment or picks an adapter.
 */
import { ControlRouter } from '../core/evaluation/router';
import type { Control, EvaluationContext } from '../core/model/control';
import type { Notifier } from '../core/notifications/notifier';
import type { Settings } from '../core/settings/settings';
import { createDelivery, deferredDelivery, type Delivery } from './delivery/delivery';
import { CachedExemptions } from './exemptions/active-exemptions';
import type { JobDeps } from './jobs/job-deps';
import type { OperationalMetrics } from './operational-metrics';
import { Pipeline } from './pipeline/pipeline';
import type { Storage } from './storage';

export interface ApplicationParts {
  settings: Settings;
  /** The controls this shell knows: the whole catalogue, or one area's (an area function). */
  catalogue: readonly Control[];
  storage: Storage;
  /**
   * Where notifications go. `deferred`: this shell sends none (they stay owed for a shell that does);
   * `discard`: they are settled as delivered to nobody (a replay without sinks).
   */
  notifier: Notifier | 'deferred' | 'discard';
  /** The clock of storm-control windows, exemption expiry and the sweeps. */
  clock: () => Date;
  /** Where delivery counts the notifications sent and failed (the Lambda functions publish them); default none. */
  metrics?: OperationalMetrics;
}

/** The evaluation side alone: the router over the enabled controls, and what controls may read. */
export interface Engine {
  router: ControlRouter;
  context: EvaluationContext;
}

export interface Application extends Engine {
  readonly settings: Settings;
  readonly catalogue: readonly Control[];
  readonly storage: Storage;
  readonly delivery: Delivery;
  readonly clock: () => Date;
  /** What every maintenance job runs over. */
  readonly jobs: JobDeps;
  /** The pipeline (one per application): evaluate, record, notify. */
  pipeline(): Pipeline;
  /** Forgets the exemptions the pipeline read, after an exemption changed here. */
  exemptionsChanged(): void;
  /** Flushes and closes the storage, then the notifier. */
  close(): Promise<void>;
}

/** Where `discard` sends: nowhere. */
const DISCARD: Notifier = { notify: async () => undefined, sendDigest: async () => undefined, close: async () => undefined };

/** The controls that run: the catalogue without `disabledControls`. */
export function enabledControls(catalogue: readonly Control[], settings: Pick<Settings, 'disabledControls'>): Control[] {
  return catalogue.filter((control) => !settings.disabledControls.includes(control.id));
}

export function createEngine(settings: Settings, catalogue: readonly Control[]): Engine {
  return { router: new ControlRouter(enabledControls(catalogue, settings)), context: { settings } };
}

export function createApplication(parts: ApplicationParts): Application {
  const { settings, catalogue, storage, notifier, clock } = parts;
  const delivery =
    notifier === 'deferred'
      ? deferredDelivery()
      : createDelivery({
          findings: storage.findings,
          windows: storage.windows,
          notifier: notifier === 'discard' ? DISCARD : notifier,
          // A message that really left is recorded durably before the next leaves: a crash repeats at most one.
          recordSent: notifier === 'discard' ? async () => undefined : () => storage.flush(),
          catalogue,
          settings,
          now: clock,
          ...(parts.metrics ? { metrics: parts.metrics } : {}),
        });
  const exemptions = new CachedExemptions(() => storage.exemptions.listExemptions(), clock);
  let engine: Engine | undefined;
  let pipeline: Pipeline | undefined;
  const engineOf = () => (engine ??= createEngine(settings, catalogue));
  return {
    settings,
    catalogue,
    storage,
    delivery,
    clock,
    jobs: { storage, delivery, settings, catalogue },
    get router() {
      return engineOf().router;
    },
    get context() {
      return engineOf().context;
    },
    pipeline: () =>
      (pipeline ??= new Pipeline({
        ...engineOf(),
        storage,
        delivery,
        exemptions,
        // Notifications discarded are owed to no one: the findings record none (no claim, no window, no second write).
        notifyMinSeverity: notifier === 'discard' ? 'never' : settings.notifyMinSeverity,
      })),
    exemptionsChanged: () => exemptions.invalidate(),
    close: async () => {
      await storage.close();
      if (typeof notifier !== 'string') await notifier.close();
    },
  };
}
