/**
 * Sending what a sweep owes (snooze ends, deadline escalations), the way the pipeline does: at or
 * above `notifyMinSeverity` sent, below it settled unsent, each recorded with `markNotified` once
 * the notifier accepted it; a failure leaves it pending on the finding for the next sweep.
 */
import type { Control } from '../../core/model/control';
import { severityRank, type Severity } from '../../core/model/severity';
import type { Finding } from '../../core/findings/finding';
import type { Notifier } from '../../core/notifications/notifier';
import { notificationOf, type NotifiableTransition } from '../../core/notifications/notification';
import type { FindingStore } from '../../core/findings/finding-store';

/**
 * A sweep retries a notification owed by an earlier change only once it has been owed this long,
 * so two sweeps running at once do not both send what the other one is sending right now.
 */
export const OWED_RETRY_AFTER_MS = 60_000;

export interface OwedDelivery {
  notified: number;
  failures: unknown[];
}

/** Sends each finding's pending notification as `transition` (when it is still the one owed). */
export async function deliverOwed(
  store: FindingStore,
  owed: readonly Finding[],
  transition: NotifiableTransition,
  options: { controls: readonly Control[]; notifier: Notifier | undefined; notifyMinSeverity?: Severity; findingsUrl?: string | undefined },
): Promise<OwedDelivery> {
  const result: OwedDelivery = { notified: 0, failures: [] };
  const minimum = severityRank(options.notifyMinSeverity ?? 'LOW');
  for (const finding of owed) {
    const eventId = finding.unnotified?.eventId;
    const control = options.controls.find((c) => c.id === finding.controlId);
    // Without a notifier (e.g. the API function) it stays owed for a sweep that has one.
    if (!options.notifier || eventId === undefined || !control) continue;
    if (severityRank(finding.severity) >= minimum) {
      try {
        await options.notifier.notify(notificationOf(transition, finding, control, { findingsUrl: options.findingsUrl }));
        result.notified += 1;
      } catch (error) {
        result.failures.push(error);
        continue;
      }
    }
    await store.markNotified(finding.id, eventId);
  }
  if (owed.length > 0) await store.flush();
  return result;
}
