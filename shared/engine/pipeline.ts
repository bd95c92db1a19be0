/**
 * The core every shell runs (CLI replay, Lambda handlers): evaluate an event, record what it
 * found, and notify on transitions after the writes are durable.
 */
import type { Control, EvaluationContext } from '../model/control';
import type { EventBridgeEvent } from '../model/event';
import type { Change } from '../findings/lifecycle';
import type { Finding } from '../findings/finding';
import { observeResolution, observeViolation } from '../findings/observation';
import type { FindingStore } from '../store/finding-store';
import { severityRank } from '../model/severity';
import type { Notifier } from '../notify/notifier';
import { isNotifiable, notificationOf, type Notification } from '../notify/notification';
import { evaluateEvent, type ControlError } from './evaluate';
import type { ControlRouter } from './router';
import { CachedExemptions, type ExemptionSource } from '../exemptions/active-exemptions';

export interface PipelineDeps {
  router: ControlRouter;
  context: EvaluationContext;
  store: FindingStore;
  notifier: Notifier;
  /**
   * The active exemptions a violation is recorded under (suppressed, not notified). Default: the
   * store's exemptions, re-read at most once a minute; `null`: none.
   */
  exemptions?: ExemptionSource | null;
}

export interface AppliedChange extends Change {
  control: Control;
}

export interface EventResult {
  /** How many controls' patterns selected the event. */
  matched: number;
  changes: AppliedChange[];
  controlErrors: ControlError[];
}

export class Pipeline {
  private pending: Notification[] = [];
  private readonly exemptions: ExemptionSource | undefined;

  constructor(private readonly deps: PipelineDeps) {
    this.exemptions = deps.exemptions === null ? undefined : (deps.exemptions ?? new CachedExemptions(() => deps.store.listExemptions()));
  }

  /** Evaluates and records one event. Notifications wait for `flush()`, after the store has made the writes durable. */
  async process(event: EventBridgeEvent): Promise<EventResult> {
    const { matched, outcomes, errors } = evaluateEvent(event, this.deps.router, this.deps.context);
    const changes: AppliedChange[] = [];
    const owed: Array<{ finding: Finding | undefined; control: Control }> = [];
    const { store } = this.deps;
    for (const { control, violations, resolutions } of outcomes) {
      for (const resolution of resolutions) {
        const observation = observeResolution(event, control, resolution);
        const resolved = await store.recordResolution(observation);
        for (const change of resolved) changes.push({ ...change, control });
        if (resolved.length === 0) {
          // Already applied (a redelivery): send what an earlier attempt could not.
          const candidates = await store.listFindings({ controlId: control.id, account: observation.account, region: observation.region, resourceId: observation.resourceId });
          for (const finding of candidates) owed.push({ finding, control });
        }
      }
      for (const violation of violations) {
        const observation = observeViolation(event, control, violation);
        const exemption = await this.exemptions?.coveringExemption(observation);
        if (exemption) observation.exemption = exemption;
        const change = await store.recordViolation(observation);
        if (change) changes.push({ ...change, control });
        else owed.push({ finding: await store.getFinding(observation.findingId), control });
      }
    }
    for (const change of changes) {
      // The lifecycle decides what is owed: a suppressed finding owes nothing.
      if (isNotifiable(change.transition) && change.finding.unnotified?.eventId === event.id) this.pending.push(notificationOf(change.transition, change.finding, change.control));
    }
    for (const { finding, control } of owed) this.resend(finding, event.id, control);
    return { matched, changes, controlErrors: errors };
  }

  /** Queues the notification a finding still owes for this event, if any. */
  private resend(finding: Finding | undefined, eventId: string, control: Control): void {
    const owed = finding?.unnotified;
    if (!finding || !owed || owed.eventId !== eventId) return;
    if (this.pending.some((n) => n.dedupKey === finding.id)) return;
    this.pending.push(notificationOf(owed.transition, finding, control));
  }

  /**
   * Makes the writes durable, then sends the notifications they caused (those at or above the
   * notifyMinSeverity setting; the rest are settled unsent) and records each one sent
   * with its finding, so a redelivered event sends what a failed attempt could not, and nothing
   * twice (a crash between sending and recording may send once more: at least once). Rejects with
   * the notifier's error when any could not be sent (after trying them all).
   */
  async flush(): Promise<void> {
    const { store, notifier } = this.deps;
    await store.flush();
    const pending = this.pending;
    this.pending = [];
    const failures: unknown[] = [];
    const minimum = severityRank(this.deps.context.settings.notifyMinSeverity);
    for (const notification of pending) {
      if (severityRank(notification.finding.severity) < minimum) {
        // Recorded for the auditors, deliberately not sent: settle it so no redelivery sends it either.
        const eventId = notification.finding.unnotified?.eventId;
        if (eventId !== undefined) await store.markNotified(notification.finding.id, eventId);
        continue;
      }
      try {
        await notifier.notify(notification);
      } catch (error) {
        failures.push(error);
        continue;
      }
      const eventId = notification.finding.unnotified?.eventId;
      if (eventId !== undefined) await store.markNotified(notification.finding.id, eventId);
    }
    if (pending.length > 0) await store.flush();
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `${failures.length} notifications could not be sent`);
  }
}
