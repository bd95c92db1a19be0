/**
 * The deadline sweep as a handler-ready function for a scheduled Lambda:
 * `export const handler = deadlineSweep(() => ({ store, notifier, settings }))`. Deadlines are
 * whole days, so an hourly schedule is plenty (each sweep reads every open finding). Needs the
 * table's GetItem, PutItem and Query, and the notifier's publish permission.
 */
import type { Settings } from '../../core/settings/settings';
import type { Control } from '../../core/model/control';
import type { Notifier } from '../../core/notifications/notifier';
import type { FindingStore } from '../../core/findings/finding-store';
import { sweepDeadlines, type DeadlineSweepResult } from './deadlines';

export interface DeadlineSweepDeps {
  store: FindingStore;
  settings: Pick<Settings, 'remediationDays' | 'notifyMinSeverity' | 'disabledControls'>;
  notifier?: Notifier;
  controls?: readonly Control[];
  now?: () => Date;
  /** Structured log line (e.g. a Powertools logger's `info`). */
  log?: (message: string, fields: Record<string, unknown>) => void;
}

/**
 * One sweep per invocation; the dependencies are created once per execution environment. Rejects
 * after the sweep when notifications could not be sent, so the invocation counts as an error
 * (alarms see it); a later sweep retries them.
 */
export function deadlineSweep(deps: () => DeadlineSweepDeps): (event?: unknown) => Promise<DeadlineSweepResult> {
  let resolved: DeadlineSweepDeps | undefined;
  return async () => {
    resolved ??= deps();
    const { store, settings, notifier, controls, now = () => new Date(), log } = resolved;
    const result = await sweepDeadlines(store, now(), notifier, settings, controls ? { controls } : {});
    log?.('deadline sweep', { ...result });
    if (result.notificationFailures > 0) throw new Error(`deadline sweep: ${result.notificationFailures} notifications could not be sent; a later sweep retries them`);
    return result;
  };
}
