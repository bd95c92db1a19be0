/**
 * Snoozes over the stores: snoozing and cancelling. Every change is a conditional read-apply-write
 * (`updateFinding`), so it never loses a concurrent pipeline write. The sweep that ends the snoozes
 * that ran out is a maintenance job (shared/app/jobs/snoozes.ts).
 */
import type { Finding } from '../../core/findings/finding';
import type { SnoozeRequest } from '../../core/findings/snooze';
import { applySnooze, applySnoozeEnd, snoozeRefusal } from '../../core/findings/transitions';
import { owedBy, type Delivery } from '../delivery/delivery';
import type { Storage } from '../storage';

export interface SnoozeDeps {
  storage: Pick<Storage, 'findings' | 'flush'>;
  /** Where the `reopened` notification of a cancelled snooze goes (a deferred delivery leaves it owed for the sweep). */
  delivery: Delivery;
}

/** What a snooze or a cancellation did: the finding after it, or why nothing changed. */
export type SnoozeOutcome = { finding: Finding; notified?: boolean } | { refused: 'not-found' } | { refused: 'conflict'; reason: string };

/** Snoozes an open finding until `request.until` (replacing an earlier snooze of it). */
export async function snoozeFinding(
  deps: SnoozeDeps,
  id: string,
  request: SnoozeRequest,
  options: { now: Date; actor: string },
): Promise<SnoozeOutcome> {
  let refusal: string | undefined;
  const update = await deps.storage.findings.updateFinding(id, (current) => {
    refusal = snoozeRefusal(current);
    return applySnooze(current, { until: request.until, reason: request.reason, by: options.actor, at: options.now.toISOString() });
  });
  await deps.storage.flush();
  if (update) return { finding: update.finding };
  if (refusal !== undefined) return { refused: 'conflict', reason: refusal };
  return { refused: 'not-found' };
}

/**
 * Ends a snooze early. The still open finding is notified as `reopened` right away when the
 * delivery can, else by the next sweep.
 */
export async function cancelSnooze(deps: SnoozeDeps, id: string, options: { now: Date; actor: string }): Promise<SnoozeOutcome> {
  let found = false;
  const update = await deps.storage.findings.updateFinding(id, (current) => {
    found = true;
    return applySnoozeEnd(current, { why: 'cancelled', at: options.now.toISOString(), by: options.actor });
  });
  await deps.storage.flush();
  if (!update) return found ? { refused: 'conflict', reason: 'the finding is not snoozed' } : { refused: 'not-found' };
  const owed = owedBy(update.finding);
  const sent = await deps.delivery.deliver(owed);
  if (owed.length > 0) await deps.storage.flush();
  const finding = (await deps.storage.findings.getFinding(id)) ?? update.finding;
  return { finding, notified: sent.sent > 0 };
}
