/**
 * The deadline sweep: escalates the open findings past their remediation deadline and notifies each
 * once. Each escalation is a conditional read-apply-write (`updateFinding`; DynamoDB: a Put
 * conditioned on the version), and `deadlineEscalation` on the finding makes it happen once: of two
 * sweeps running at once, one writes it and sends the notification, the other finds it done. A
 * notification that could not be sent stays owed on the finding and is retried by a later sweep
 * (once it has been owed for OWED_RETRY_AFTER_MS). Hourly in AWS; at the start of `replay` and every
 * minute in `serve`. Findings of disabled controls, or of controls not in the catalogue, are left alone.
 */
import { remediationDeadlineOf } from '../../core/findings/deadlines';
import type { Finding } from '../../core/findings/finding';
import { applyDeadlineEscalation, deadlineEventId } from '../../core/findings/transitions';
import { OWED_RETRY_AFTER_MS, settleOwed } from '../delivery/delivery';
import { findingPages } from '../findings/pages';
import type { JobDeps } from './job-deps';

export interface DeadlineSweepResult {
  /** Findings this sweep escalated for passing their deadline. */
  escalated: number;
  notified: number;
  /** Notifications that could not be sent (retried by a later sweep). */
  notificationFailures: number;
}

export async function sweepDeadlines(deps: JobDeps, now: Date): Promise<DeadlineSweepResult> {
  const { storage, settings } = deps;
  const watched = new Set(deps.catalogue.map((control) => control.id).filter((id) => !settings.disabledControls.includes(id)));
  const at = now.toISOString();
  let escalated = 0;
  let notified = 0;
  let notificationFailures = 0;
  // Page by page, each page's escalations made durable and sent before the next is read: memory stays
  // flat however many findings are open.
  for await (const page of findingPages(storage.findings, { status: 'open', awaiting: 'deadlines' })) {
    const owed: Finding[] = [];
    for (const finding of page) {
      if (!watched.has(finding.controlId)) continue;
      if (finding.deadlineEscalation) {
        // Escalated earlier and still owing its notification: retried once it is not in flight elsewhere.
        const pending = finding.unnotified?.eventId === deadlineEventId(finding.deadlineEscalation.deadline);
        if (pending && now.getTime() - Date.parse(finding.deadlineEscalation.at) >= OWED_RETRY_AFTER_MS) owed.push(finding);
        continue;
      }
      const deadline = remediationDeadlineOf(finding, settings.remediationDays);
      if (deadline === undefined || Date.parse(deadline) > now.getTime()) continue;
      const update = await storage.findings.updateFinding(finding.id, (current) =>
        applyDeadlineEscalation(current, settings.remediationDays, at),
      );
      if (!update) continue;
      escalated += 1;
      if (update.finding.unnotified?.eventId === update.history?.eventId) owed.push(update.finding);
    }
    if (owed.length === 0) continue;
    const sent = await settleOwed(deps, owed);
    notified += sent.sent;
    notificationFailures += sent.failures.length;
  }
  await storage.flush();
  return { escalated, notified, notificationFailures };
}
