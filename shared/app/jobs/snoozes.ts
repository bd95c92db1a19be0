/**
 * The snooze sweep: ends the snoozes that ran out (history `unsnoozed`) and notifies each still open
 * finding as `reopened`; also sends the snooze-end notifications an earlier sweep or a cancellation
 * left owed (once they have been owed for OWED_RETRY_AFTER_MS). Idempotent: a second sweep, or one
 * running at the same time, ends and sends nothing more (each end is a conditional
 * read-apply-write). Rejects only when the store fails; notification failures are counted and left
 * owed for the next sweep. Every minute in AWS and in `serve`, at the start of `replay`.
 */
import type { Finding } from '../../core/findings/finding';
import { SNOOZE_SWEEP_ACTOR } from '../../core/findings/snooze';
import { applySnoozeEnd, snoozeEndedAt } from '../../core/findings/transitions';
import { OWED_RETRY_AFTER_MS, settleOwed } from '../delivery/delivery';
import { findingPages } from '../findings/pages';
import type { JobDeps } from './job-deps';

export interface SnoozeSweepResult {
  /** Snoozes that ran out and were ended by this sweep. */
  ended: number;
  notified: number;
  /** Notifications that could not be sent (retried by the next sweep). */
  notificationFailures: number;
}

export async function sweepSnoozes(deps: Pick<JobDeps, 'storage' | 'delivery'>, now: Date): Promise<SnoozeSweepResult> {
  const { storage } = deps;
  const at = now.toISOString();
  let ended = 0;
  let notified = 0;
  let notificationFailures = 0;
  // Snoozed findings are open ones (a resolution or a suppression ends a snooze). Page by page, each
  // page's ends made durable and sent before the next is read: memory stays flat however many are open.
  for await (const page of findingPages(storage.findings, { status: 'open', awaiting: 'snoozes' })) {
    const owed: Finding[] = [];
    for (const finding of page) {
      if (finding.snooze && Date.parse(finding.snooze.until) <= now.getTime()) {
        const update = await storage.findings.updateFinding(finding.id, (current) =>
          applySnoozeEnd(current, { why: 'expired', at, by: SNOOZE_SWEEP_ACTOR }),
        );
        if (!update) continue;
        ended += 1;
        if (update.finding.unnotified) owed.push(update.finding);
        continue;
      }
      const since = finding.unnotified ? snoozeEndedAt(finding.unnotified.eventId) : undefined;
      if (since !== undefined && now.getTime() - Date.parse(since) >= OWED_RETRY_AFTER_MS) owed.push(finding);
    }
    if (owed.length === 0) continue;
    const sent = await settleOwed(deps, owed);
    notified += sent.sent;
    notificationFailures += sent.failures.length;
  }
  await storage.flush();
  return { ended, notified, notificationFailures };
}
