/**
 * The deadline sweep over the FindingStore port: escalates the open findings past their
 * remediation deadline and notifies each once. Each escalation is a conditional read-apply-write
 * (`store.updateFinding`; DynamoDB: a Put conditioned on the version), and `deadlineEscalation`
 * on the finding makes it happen once: of two sweeps running at once, one writes it and sends the
 * notification, the other finds it done. A notification that could not be sent stays owed on the
 * finding and is retried by a later sweep (once it has been owed for OWED_RETRY_AFTER_MS).
 *
 * Scheduled in AWS (`deadlineSweep`, sweep-handler.ts), run at the start of `replay` and every
 * minute in `serve`.
 */
import { ALL_CONTROLS } from '../../core/controls';
import type { Settings } from '../../core/settings/settings';
import type { Control } from '../../core/model/control';
import type { Finding } from '../../core/findings/finding';
import type { Notifier } from '../../core/notifications/notifier';
import type { FindingStore } from '../../core/findings/finding-store';
import { deliverOwed, OWED_RETRY_AFTER_MS } from '../delivery/owed-notifications';
import { remediationDeadlineOf } from '../../core/findings/deadlines';
import { applyDeadlineEscalation, deadlineEventId } from '../../core/findings/transitions';

export interface DeadlineSweepResult {
  /** Findings this sweep escalated for passing their deadline. */
  escalated: number;
  notified: number;
  /** Notifications that could not be sent (retried by a later sweep). */
  notificationFailures: number;
}

export interface DeadlineSweepOptions {
  /** Default: the whole catalogue. Findings of disabled or unknown controls are left alone. */
  controls?: readonly Control[];
}

export async function sweepDeadlines(
  store: FindingStore,
  now: Date,
  notifier: Notifier | undefined,
  settings: Pick<Settings, 'remediationDays' | 'notifyMinSeverity' | 'disabledControls'> & Partial<Pick<Settings, 'findingsUrl'>>,
  options: DeadlineSweepOptions = {},
): Promise<DeadlineSweepResult> {
  const controls = options.controls ?? ALL_CONTROLS;
  const at = now.toISOString();
  const owed: Finding[] = [];
  let escalated = 0;
  for (const finding of await store.listFindings({ status: 'open' })) {
    if (settings.disabledControls.includes(finding.controlId) || !controls.some((c) => c.id === finding.controlId)) continue;
    if (finding.deadlineEscalation) {
      // Escalated earlier and still owing its notification: retried once it is not in flight elsewhere.
      const pending = finding.unnotified?.eventId === deadlineEventId(finding.deadlineEscalation.deadline);
      if (pending && now.getTime() - Date.parse(finding.deadlineEscalation.at) >= OWED_RETRY_AFTER_MS) owed.push(finding);
      continue;
    }
    const deadline = remediationDeadlineOf(finding, settings.remediationDays);
    if (deadline === undefined || Date.parse(deadline) > now.getTime()) continue;
    const update = await store.updateFinding(finding.id, (current) => applyDeadlineEscalation(current, settings.remediationDays, at));
    if (!update) continue;
    escalated += 1;
    if (update.finding.unnotified?.eventId === update.history?.eventId) owed.push(update.finding);
  }
  await store.flush();
  const sent = await deliverOwed(store, owed, 'escalated', { controls, notifier, notifyMinSeverity: settings.notifyMinSeverity, findingsUrl: settings.findingsUrl });
  return { escalated, notified: sent.notified, notificationFailures: sent.failures.length };
}
