/**
 * The core every shell runs (CLI replay, Lambda handlers): evaluate an event, record what it
 * found, and notify on transitions after the writes are durable.
 */
import type { Control, EvaluationContext } from '../../core/model/control';
import type { EventBridgeEvent } from '../../core/model/event';
import type { Change } from '../../core/findings/transitions';
import type { Finding } from '../../core/findings/finding';
import { observeResolution, observeViolation } from '../../core/findings/observation';
import type { FindingStore } from '../../core/findings/finding-store';
import { severityRank } from '../../core/model/severity';
import type { Notifier } from '../../core/notifications/notifier';
import { isNotifiable, notificationOf, type Notification } from '../../core/notifications/notification';
import { evaluateEvent, type ControlError } from '../../core/evaluation/evaluate';
import type { ControlRouter } from '../../core/evaluation/router';
import { CachedExemptions, type ExemptionSource } from '../exemptions/active-exemptions';
import { DEFAULT_SETTINGS } from '../../core/settings/settings';
import { windowOf, type RollupDecision, type RollupKind } from '../../core/notifications/rollup';
import { flushRollups, type RollupFlushResult } from '../jobs/rollups';

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
  /** The clock notification windows are counted by (storm control). Default: the system clock. */
  now?: () => Date;
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
  private readonly now: () => Date;

  constructor(private readonly deps: PipelineDeps) {
    this.exemptions = deps.exemptions === null ? undefined : (deps.exemptions ?? new CachedExemptions(() => deps.store.listExemptions()));
    this.now = deps.now ?? (() => new Date());
  }

  private notificationOf(transition: Parameters<typeof notificationOf>[0], finding: Finding, control: Control): Notification {
    return notificationOf(transition, finding, control, { findingsUrl: this.deps.context.settings.findingsUrl });
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
      if (isNotifiable(change.transition) && change.finding.unnotified?.eventId === event.id) this.pending.push(this.notificationOf(change.transition, change.finding, change.control));
    }
    for (const { finding, control } of owed) this.resend(finding, event.id, control);
    return { matched, changes, controlErrors: errors };
  }

  /** Queues the notification a finding still owes for this event, if any. */
  private resend(finding: Finding | undefined, eventId: string, control: Control): void {
    const owed = finding?.unnotified;
    if (!finding || !owed || owed.eventId !== eventId) return;
    if (this.pending.some((n) => n.dedupKey === finding.id)) return;
    this.pending.push(this.notificationOf(owed.transition, finding, control));
  }

  /**
   * Makes the writes durable, then sends the notifications they caused (those at or above the
   * notifyMinSeverity setting; the rest are settled unsent) and records each one sent
   * with its finding. Storm control: openings (and resolutions of rolled-up findings) are counted
   * per control, account and window (notifyBurst); past `individual` in a window they are held
   * for the window's roll-up (`flushRollups`) and settled like sent ones, so a redelivered event sends what a failed attempt could not, and nothing
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
      let decision: RollupDecision;
      try {
        decision = await this.decide(notification);
        if (decision === 'individual') await notifier.notify(notification);
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

  /**
   * Whether the notification goes out now or is held for its window's roll-up: openings are
   * counted in the window of their control and account; a resolution is when the finding's opening
   * was rolled up (otherwise it must reach the pager that got the opening); an escalation never.
   */
  private async decide(notification: Notification): Promise<RollupDecision> {
    const { finding } = notification;
    const eventId = finding.unnotified?.eventId;
    if (eventId === undefined) return 'individual';
    let kind: RollupKind | undefined;
    if (notification.transition === 'opened' || notification.transition === 'reopened') kind = 'opened';
    else if (notification.transition === 'resolved' && (await this.deps.store.wasRolledUp(finding.id))) kind = 'resolved';
    if (!kind) return 'individual';
    const burst = this.deps.context.settings.notifyBurst ?? DEFAULT_SETTINGS.notifyBurst;
    const now = this.now();
    return this.deps.store.claimNotification(
      {
        kind,
        controlId: finding.controlId,
        area: finding.area,
        account: finding.account,
        ...windowOf(now, burst.windowMinutes),
        control: notification.control,
        item: { findingId: finding.id, eventId, resourceId: finding.resourceId, resourceType: finding.resourceType, region: finding.region, severity: finding.severity, at: now.toISOString() },
      },
      burst.individual,
    );
  }

  /**
   * Sends the roll-ups of the windows that have ended (`all`: every window, also those still
   * running: the end of a local replay). See flush-rollups.ts.
   */
  flushRollups(options: { all?: boolean } = {}): Promise<RollupFlushResult> {
    return flushRollups({ store: this.deps.store, notifier: this.deps.notifier, settings: this.deps.context.settings }, this.now(), options);
  }
}
