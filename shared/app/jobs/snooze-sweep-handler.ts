/**
 * The snooze sweep as a handler-ready function for a scheduled Lambda (a `rate(1 minute)`
 * schedule): `export const handler = snoozeSweep(() => ({ store, notifier, notifyMinSeverity }))`.
 * Needs the table's GetItem, PutItem and Query, and the notifier's publish permission.
 */
import type { Control } from '../../core/model/control';
import type { Severity } from '../../core/model/severity';
import type { Notifier } from '../../core/notifications/notifier';
import type { FindingStore } from '../../core/findings/finding-store';
import { sweepSnoozes, type SnoozeSweepResult } from '../snooze/snooze-service';

export interface SnoozeSweepDeps {
  store: FindingStore;
  notifier?: Notifier;
  controls?: readonly Control[];
  notifyMinSeverity?: Severity;
  now?: () => Date;
  /** Structured log line (e.g. a Powertools logger's `info`). */
  log?: (message: string, fields: Record<string, unknown>) => void;
}

/**
 * One sweep per invocation; the dependencies are created once per execution environment. Rejects
 * after the sweep when notifications could not be sent, so the invocation counts as an error
 * (alarms see it); the next sweep retries them.
 */
export function snoozeSweep(deps: () => SnoozeSweepDeps): (event?: unknown) => Promise<SnoozeSweepResult> {
  let resolved: SnoozeSweepDeps | undefined;
  return async () => {
    resolved ??= deps();
    const { store, notifier, now = () => new Date(), log, ...options } = resolved;
    const result = await sweepSnoozes(store, now(), notifier, options);
    log?.('snooze sweep', { ...result });
    if (result.notificationFailures > 0) throw new Error(`snooze sweep: ${result.notificationFailures} notifications could not be sent; the next sweep retries them`);
    return result;
  };
}
