/**
 * The exemption sweep as a handler-ready function for a scheduled Lambda (EventBridge Scheduler
 * or a `rate(1 minute)` rule): `export const handler = exemptionSweep(() => ({ store, controls, notifier }))`.
 * Needs the table's GetItem, PutItem and Query, and the notifier's publish permission.
 */
import type { Control } from '../../core/model/control';
import type { Severity } from '../../core/model/severity';
import type { Notifier } from '../../core/notifications/notifier';
import type { FindingStore } from '../../core/findings/finding-store';
import { sweepExemptions, type SweepResult } from '../exemptions/exemption-service';

export interface ExemptionSweepDeps {
  store: FindingStore;
  controls: readonly Control[];
  notifier?: Notifier;
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
export function exemptionSweep(deps: () => ExemptionSweepDeps): (event?: unknown) => Promise<SweepResult> {
  let resolved: ExemptionSweepDeps | undefined;
  return async () => {
    resolved ??= deps();
    const { store, now = () => new Date(), log, ...options } = resolved;
    const result = await sweepExemptions(store, now(), options);
    log?.('exemption sweep', { ...result });
    if (result.notificationFailures > 0) throw new Error(`exemption sweep: ${result.notificationFailures} notifications could not be sent; the next sweep retries them`);
    return result;
  };
}
