/**
 * Snoozes over the FindingStore port: snoozing, cancelling, and the sweep that ends the snoozes
 * that ran out. Every change is a conditional read-apply-write (`store.updateFinding`), so it never
 * loses a concurrent pipeline write, and a snooze ends once however many sweeps run at once.
 *
 * `sweepSnoozes(store, now, notifier)` is the scheduled work: every minute in `serve`, at the
 * start of `replay`, and `snoozeSweep` (sweep-handler.ts) for a scheduled Lambda function.
 */
import { ALL_CONTROLS } from '../../core/controls';
import type { Control } from '../../core/model/control';
import type { Severity } from '../../core/model/severity';
import type { Finding } from '../../core/findings/finding';
import type { Notifier } from '../../core/notifications/notifier';
import type { FindingStore } from '../../core/findings/finding-store';
import { deliverOwed, OWED_RETRY_AFTER_MS } from '../delivery/owed-notifications';
import { SNOOZE_SWEEP_ACTOR, type SnoozeRequest } from '../../core/findings/snooze';
import { applySnooze, applySnoozeEnd, snoozeEndedAt, snoozeRefusal } from '../../core/findings/transitions';

export interface SnoozeDeps {
  store: FindingStore;
  /** Controls by id, for the notifications. Default: the whole catalogue. */
  controls?: readonly Control[];
  /** Where the `reopened` notification of a cancelled snooze goes; without one it stays owed for the sweep. */
  notifier?: Notifier;
  /** Findings below it are settled unsent, as the pipeline does. Default LOW. */
  notifyMinSeverity?: Severity;
}

/** What a snooze or a cancellation did: the finding after it, or why nothing changed. */
export type SnoozeOutcome =
  | { finding: Finding; notified?: boolean }
  | { refused: 'not-found' }
  | { refused: 'conflict'; reason: string };

/** Snoozes an open finding until `request.until` (replacing an earlier snooze of it). */
export async function snoozeFinding(deps: SnoozeDeps, id: string, request: SnoozeRequest, options: { now: Date; actor: string }): Promise<SnoozeOutcome> {
  let refusal: string | undefined;
  const update = await deps.store.updateFinding(id, (current) => {
    refusal = snoozeRefusal(current);
    return applySnooze(current, { until: request.until, reason: request.reason, by: options.actor, at: options.now.toISOString() });
  });
  await deps.store.flush();
  if (update) return { finding: update.finding };
  if (refusal !== undefined) return { refused: 'conflict', reason: refusal };
  return { refused: 'not-found' };
}

/**
 * Ends a snooze early. The still open finding is notified as `reopened` right away when a
 * notifier is at hand, else by the next sweep.
 */
export async function cancelSnooze(deps: SnoozeDeps, id: string, options: { now: Date; actor: string }): Promise<SnoozeOutcome> {
  let found = false;
  const update = await deps.store.updateFinding(id, (current) => {
    found = true;
    return applySnoozeEnd(current, { why: 'cancelled', at: options.now.toISOString(), by: options.actor });
  });
  await deps.store.flush();
  if (!update) return found ? { refused: 'conflict', reason: 'the finding is not snoozed' } : { refused: 'not-found' };
  const owed = update.finding.unnotified ? [update.finding] : [];
  const sent = await deliverOwed(deps.store, owed, 'reopened', { controls: deps.controls ?? ALL_CONTROLS, notifier: deps.notifier, ...(deps.notifyMinSeverity ? { notifyMinSeverity: deps.notifyMinSeverity } : {}) });
  const finding = (await deps.store.getFinding(id)) ?? update.finding;
  return { finding, notified: sent.notified > 0 };
}

export interface SnoozeSweepResult {
  /** Snoozes that ran out and were ended by this sweep. */
  ended: number;
  notified: number;
  /** Notifications that could not be sent (retried by the next sweep). */
  notificationFailures: number;
}

export interface SnoozeSweepOptions {
  /** Default: the whole catalogue. */
  controls?: readonly Control[];
  /** Default LOW. */
  notifyMinSeverity?: Severity;
  /** The dashboard's base URL, for the link in notifications (settings.findingsUrl). */
  findingsUrl?: string | undefined;
}

/**
 * Ends the snoozes that ran out by `now` (history `unsnoozed`) and notifies each still open
 * finding as `reopened`; also sends the snooze-end notifications an earlier sweep or a
 * cancellation left owed (once they have been owed for OWED_RETRY_AFTER_MS). Idempotent: a second
 * sweep, or one running at the same time, ends and sends nothing more. Rejects only when the
 * store fails; notification failures are counted, and left owed for the next sweep.
 */
export async function sweepSnoozes(store: FindingStore, now: Date, notifier: Notifier | undefined, options: SnoozeSweepOptions = {}): Promise<SnoozeSweepResult> {
  const at = now.toISOString();
  const owed: Finding[] = [];
  let ended = 0;
  // Snoozed findings are open ones (a resolution or a suppression ends a snooze).
  for (const finding of await store.listFindings({ status: 'open' })) {
    if (finding.snooze && Date.parse(finding.snooze.until) <= now.getTime()) {
      const update = await store.updateFinding(finding.id, (current) => applySnoozeEnd(current, { why: 'expired', at, by: SNOOZE_SWEEP_ACTOR }));
      if (!update) continue;
      ended += 1;
      if (update.finding.unnotified) owed.push(update.finding);
      continue;
    }
    const since = finding.unnotified ? snoozeEndedAt(finding.unnotified.eventId) : undefined;
    if (since !== undefined && now.getTime() - Date.parse(since) >= OWED_RETRY_AFTER_MS) owed.push(finding);
  }
  await store.flush();
  const sent = await deliverOwed(store, owed, 'reopened', { controls: options.controls ?? ALL_CONTROLS, notifier, findingsUrl: options.findingsUrl, ...(options.notifyMinSeverity ? { notifyMinSeverity: options.notifyMinSeverity } : {}) });
  return { ended, notified: sent.notified, notificationFailures: sent.failures.length };
}
