/**
 * The exemption sweep: for every exemption, writes the audit entries it is owed (its expiry exactly
 * once), opens again the findings of those that ended (notified as `reopened`), and suppresses the
 * open findings active ones cover that a concurrent writer left open. Idempotent: running it twice
 * changes nothing more. Rejects only when the store fails; notification failures are counted and
 * retried by the next sweep. Every minute in AWS and in `serve`, at the start of `replay`.
 */
import { hasExpired, stateOf, SWEEP_ACTOR } from '../../core/exemptions/exemption';
import { dueActions, endExemption, recordOnExemption, suppressCovered } from '../exemptions/exemption-service';
import type { JobDeps } from './job-deps';

export interface ExemptionSweepResult {
  /** Exemptions whose expiry this sweep logged. */
  expired: string[];
  /** Findings opened again because their exemption ended. */
  reopened: number;
  /** Open findings an active exemption covered and that were not suppressed yet. */
  suppressed: number;
  notified: number;
  /** Notifications that could not be sent (retried by the next sweep). */
  notificationFailures: number;
}

export async function sweepExemptions(deps: Pick<JobDeps, 'storage' | 'delivery'>, now: Date): Promise<ExemptionSweepResult> {
  const result: ExemptionSweepResult = { expired: [], reopened: 0, suppressed: 0, notified: 0, notificationFailures: 0 };
  for (const exemption of await deps.storage.exemptions.listExemptions()) {
    if (stateOf(exemption, now) === 'active') {
      await recordOnExemption(deps, exemption.id, now);
      result.suppressed += await suppressCovered(deps, exemption, now.toISOString(), SWEEP_ACTOR);
      continue;
    }
    if (exemption.settledAt !== undefined && dueActions(exemption, now).every((a) => exemption.audited?.includes(a))) continue;
    if (hasExpired(exemption, now) && !exemption.audited?.includes('expired')) result.expired.push(exemption.id);
    const ended = await endExemption(deps, exemption, now, SWEEP_ACTOR);
    result.reopened += ended.reopened;
    result.notified += ended.notified;
    result.notificationFailures += ended.failures.length;
  }
  await deps.storage.flush();
  return result;
}
