/**
 * Delivery: the one place that sends what findings owe. The pipeline, the sweeps, the exemption and
 * snooze services and the digest all go through it. It owns:
 * - the threshold: notifications below `notifyMinSeverity` are settled unsent (recorded for the
 *   auditors, deliberately sent to no one, so no redelivery sends them either);
 * - the control lookup and the dashboard link (`findingsUrl`) every message carries;
 * - storm control (`rollUp`): openings are counted per control, account and window
 *   (`notifyBurst`); past `individual` in a window they are held for the window's roll-up, and a
 *   resolution is held when the finding's opening was;
 * - the send, then `markNotified` once the notifier accepted it (or held it for a roll-up). A
 *   failure leaves the notification owed on the finding, so a retry sends it: at least once, never
 *   twice for the same event unless a crash falls between sending and recording.
 */
import type { Finding } from '../../core/findings/finding';
import type { FindingStore } from '../../core/findings/finding-store';
import type { Control } from '../../core/model/control';
import { severityRank } from '../../core/model/severity';
import type { Digest } from '../../core/notifications/digest';
import { notificationOf, rollupNotificationOf, type NotifiableTransition, type Notification } from '../../core/notifications/notification';
import type { NotificationWindowStore } from '../../core/notifications/notification-window-store';
import type { Notifier } from '../../core/notifications/notifier';
import { windowOf, type RollupDecision, type RollupKind, type RollupWindow } from '../../core/notifications/rollup';
import type { Settings } from '../../core/settings/settings';
import { NO_METRICS, type OperationalMetrics } from '../operational-metrics';
import type { Storage } from '../storage';

/**
 * A sweep sends a notification owed by an earlier change only once it has been owed this long, so
 * two sweeps running at once do not both send what the other one is sending right now.
 */
export const OWED_RETRY_AFTER_MS = 60_000;

/** A notification a finding owes: a transition and the event that caused it. */
export interface OwedNotification {
  finding: Finding;
  transition: NotifiableTransition;
  eventId: string;
}

/** What a finding owes, in the order it goes out: the transition it could not announce yet, then the latest. */
export function owedBy(finding: Finding): OwedNotification[] {
  const owed: OwedNotification[] = [];
  for (const pending of [finding.unannounced, finding.unnotified]) {
    if (pending) owed.push({ finding, transition: pending.transition, eventId: pending.eventId });
  }
  return owed;
}

/**
 * The end of a batch of changes: makes them durable (what they owe survives a crash), sends what the
 * findings owe, and makes the record of it durable. Every sweep and service ends a batch with it.
 */
export async function settleOwed(
  deps: { storage: Pick<Storage, 'flush'>; delivery: Delivery },
  findings: readonly Finding[],
): Promise<DeliveryResult> {
  await deps.storage.flush();
  const result = await deps.delivery.deliver(findings.flatMap(owedBy));
  if (findings.length > 0) await deps.storage.flush();
  return result;
}

export interface DeliveryResult {
  /** Sent one by one. */
  sent: number;
  /** Held for their window's roll-up. */
  held: number;
  /** Below the threshold: settled without a message. */
  belowThreshold: number;
  /** Left owed on purpose: this shell sends nothing (see `deferredDelivery`). */
  deferred: number;
  /** Left owed: the finding's control is not in this delivery's catalogue (a retired control). */
  unknownControl: number;
  /** Could not be sent: still owed. */
  failures: unknown[];
}

export interface RollupDeliveryResult {
  /** Roll-ups sent. */
  sent: number;
  /** Notifications they summarized. */
  summarized: number;
  /** Roll-ups that could not be sent (due again at the next flush). */
  notificationFailures: number;
  errors: string[];
}

export interface Delivery {
  /** Sends what each finding owes (`rollUp`: with storm control, the pipeline's openings). */
  deliver(owed: readonly OwedNotification[], options?: { rollUp?: boolean }): Promise<DeliveryResult>;
  /** Sends the roll-up of each closed window and records it sent. */
  deliverRollups(windows: readonly RollupWindow[], at: string): Promise<RollupDeliveryResult>;
  /** Sends the digest. */
  deliverDigest(digest: Digest): Promise<void>;
}

export interface DeliveryDeps {
  findings: Pick<FindingStore, 'markNotified'>;
  /**
   * Makes the record of one sent notification durable before the next is sent, so that a crash
   * sends at most one notification twice (the one in flight). A no-op where nothing really leaves.
   */
  recordSent: () => Promise<void>;
  windows: NotificationWindowStore;
  notifier: Notifier;
  /** The controls whose findings this delivery may notify (the catalogue, or an area's controls). */
  catalogue: readonly Control[];
  settings: Pick<Settings, 'notifyMinSeverity' | 'findingsUrl' | 'notifyBurst'>;
  /** The clock storm-control windows are counted by. */
  now: () => Date;
  /** Counts what was sent and what failed, by the finding's area (default: counts nothing). */
  metrics?: OperationalMetrics;
}

function emptyResult(): DeliveryResult {
  return { sent: 0, held: 0, belowThreshold: 0, deferred: 0, unknownControl: 0, failures: [] };
}

/** The delivery of a shell that may notify. */
export function createDelivery(deps: DeliveryDeps): Delivery {
  const controls = new Map(deps.catalogue.map((control) => [control.id, control]));
  const minimum = severityRank(deps.settings.notifyMinSeverity);
  const metrics = deps.metrics ?? NO_METRICS;

  /**
   * Whether the notification goes out now or is held for its window's roll-up: openings are counted
   * in the window of their control and account; a resolution is when the finding's opening was
   * rolled up (otherwise it must reach the pager that got the opening); an escalation never.
   */
  async function decide(notification: Notification, eventId: string): Promise<RollupDecision> {
    const { finding } = notification;
    let kind: RollupKind | undefined;
    if (notification.transition === 'opened' || notification.transition === 'reopened') kind = 'opened';
    else if (notification.transition === 'resolved' && (await deps.windows.wasRolledUp(finding.id))) kind = 'resolved';
    if (!kind) return 'individual';
    const burst = deps.settings.notifyBurst;
    const now = deps.now();
    return deps.windows.claimNotification(
      {
        kind,
        controlId: finding.controlId,
        area: finding.area,
        account: finding.account,
        ...windowOf(now, burst.windowMinutes),
        control: notification.control,
        item: {
          findingId: finding.id,
          eventId,
          resourceId: finding.resourceId,
          resourceType: finding.resourceType,
          region: finding.region,
          severity: finding.severity,
          at: now.toISOString(),
        },
      },
      burst.individual,
    );
  }

  return {
    async deliver(owed, options = {}) {
      const result = emptyResult();
      // The same notification queued twice (an opening, then the resolution that kept it unannounced) goes out once.
      const done = new Set<string>();
      for (const { finding, transition, eventId } of owed) {
        const key = `${finding.id}\u0000${eventId}`;
        if (done.has(key)) continue;
        done.add(key);
        const control = controls.get(finding.controlId);
        if (!control) {
          result.unknownControl += 1;
          continue;
        }
        if (severityRank(finding.severity) < minimum) {
          await deps.findings.markNotified(finding.id, eventId);
          result.belowThreshold += 1;
          continue;
        }
        const notification = notificationOf(transition, finding, control, { findingsUrl: deps.settings.findingsUrl });
        let decision: RollupDecision;
        try {
          decision = options.rollUp ? await decide(notification, eventId) : 'individual';
          if (decision === 'individual') await deps.notifier.notify(notification);
        } catch (error) {
          result.failures.push(error);
          metrics.count('NotificationsFailed', finding.area);
          continue;
        }
        await deps.findings.markNotified(finding.id, eventId);
        if (decision === 'held') {
          result.held += 1;
          continue;
        }
        result.sent += 1;
        metrics.count('NotificationsSent', finding.area);
        await deps.recordSent();
      }
      return result;
    },

    async deliverRollups(windows, at) {
      const result: RollupDeliveryResult = { sent: 0, summarized: 0, notificationFailures: 0, errors: [] };
      for (const window of windows) {
        try {
          await deps.notifier.notify(rollupNotificationOf(window, { findingsUrl: deps.settings.findingsUrl }));
        } catch (error) {
          result.notificationFailures += 1;
          result.errors.push(`${window.id}: ${error instanceof Error ? error.message : String(error)}`);
          metrics.count('NotificationsFailed', window.area);
          continue;
        }
        metrics.count('NotificationsSent', window.area);
        await deps.windows.markRollupSent(window.id, at);
        await deps.recordSent();
        result.sent += 1;
        result.summarized += window.held;
      }
      return result;
    },

    deliverDigest: (digest) => deps.notifier.sendDigest(digest),
  };
}

/**
 * The delivery of a shell that must not notify (the API function has no publish permission; the
 * local `snooze` command has no sinks): everything stays owed on its finding, and the next sweep
 * of a shell that can notify sends it.
 */
export function deferredDelivery(): Delivery {
  return {
    deliver: async (owed) => ({ ...emptyResult(), deferred: owed.length }),
    deliverRollups: async (windows) => ({
      sent: 0,
      summarized: 0,
      notificationFailures: windows.length,
      errors: windows.map((w) => `${w.id}: not sent from this shell`),
    }),
    deliverDigest: async () => {
      throw new Error('this shell sends no notifications');
    },
  };
}
