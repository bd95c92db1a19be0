/**
 * The core every shell runs (CLI replay, Lambda handlers): evaluate an event, record what it
 * found, and notify on transitions after the writes are durable.
 */
import type { Control, EvaluationContext } from '../model/control';
import type { EventBridgeEvent } from '../model/event';
import type { Change } from '../findings/lifecycle';
import { observeResolution, observeViolation } from '../findings/observation';
import type { FindingStore } from '../store/finding-store';
import type { Notifier } from '../notify/notifier';
import { isNotifiable, notificationOf, type Notification } from '../notify/notification';
import { evaluateEvent, type ControlError } from './evaluate';
import type { ControlRouter } from './router';

export interface PipelineDeps {
  router: ControlRouter;
  context: EvaluationContext;
  store: FindingStore;
  notifier: Notifier;
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

  constructor(private readonly deps: PipelineDeps) {}

  /** Evaluates and records one event. Notifications wait for `flush()`, after the store has made the writes durable. */
  async process(event: EventBridgeEvent): Promise<EventResult> {
    const { matched, outcomes, errors } = evaluateEvent(event, this.deps.router, this.deps.context);
    const changes: AppliedChange[] = [];
    for (const { control, violations, resolutions } of outcomes) {
      for (const resolution of resolutions) {
        for (const change of await this.deps.store.recordResolution(observeResolution(event, control, resolution))) {
          changes.push({ ...change, control });
        }
      }
      for (const violation of violations) {
        const change = await this.deps.store.recordViolation(observeViolation(event, control, violation));
        if (change) changes.push({ ...change, control });
      }
    }
    for (const change of changes) {
      if (isNotifiable(change.transition)) this.pending.push(notificationOf(change.transition, change.finding, change.control));
    }
    return { matched, changes, controlErrors: errors };
  }

  /**
   * Makes the writes durable, then sends the notifications they caused. Rejects with the
   * notifier's error when any could not be sent (after trying them all).
   */
  async flush(): Promise<void> {
    await this.deps.store.flush();
    const pending = this.pending;
    this.pending = [];
    const failures: unknown[] = [];
    for (const notification of pending) {
      try {
        await this.deps.notifier.notify(notification);
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `${failures.length} notifications could not be sent`);
  }
}
