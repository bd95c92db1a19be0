/**
 * The core every shell runs (CLI replay, Lambda handlers): evaluate an event, record what it found,
 * and notify on transitions after the writes are durable.
 */
import type { Finding } from '../../core/findings/finding';
import type { Change } from '../../core/findings/transitions';
import type { Control, EvaluationContext } from '../../core/model/control';
import type { EventBridgeEvent } from '../../core/model/event';
import type { NotifyFrom } from '../../core/findings/observation';
import { isNotifiable } from '../../core/notifications/notification';
import type { ControlError } from '../../core/evaluation/evaluate';
import { observeEvent, raisedObservation, type ObservedEvent } from '../../core/evaluation/observed-event';
import { eventOfAcceptedText } from '../../core/intake/to-event';
import type { ControlRouter } from '../../core/evaluation/router';
import { owedBy, type Delivery, type OwedNotification } from '../delivery/delivery';
import type { ExemptionSource } from '../exemptions/active-exemptions';
import type { Storage } from '../storage';
import { detectedViolations } from './detections';

export interface PipelineDeps {
  router: ControlRouter;
  context: EvaluationContext;
  /** `state`: the stateful detections' windows, which the observed events' signals are applied to. */
  storage: Pick<Storage, 'findings' | 'flush' | 'state'>;
  /** Sends what the transitions owe, with storm control. */
  delivery: Delivery;
  /** The active exemptions a violation is recorded under (suppressed, not notified). */
  exemptions: ExemptionSource;
  /**
   * The organization's notifyMinSeverity: transitions of findings below it owe no notification.
   * `never`: this pipeline's notifications go nowhere (a replay without sinks), so none is owed.
   */
  notifyMinSeverity?: NotifyFrom;
}

/** An event, or the JSON text intake read it from, as a string or as its UTF-8 bytes (what crosses from a worker thread). */
export type EventSource = EventBridgeEvent | string | Uint8Array;

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
  /** What the next flush delivers (the same finding and event queued twice goes out once: `Delivery.deliver`). */
  private pending: OwedNotification[] = [];

  constructor(private readonly deps: PipelineDeps) {
    this.controls = new Map(deps.router.controls.map((control) => [control.id, control]));
  }

  /** The controls by id: what an observed event names its outcomes by. */
  private readonly controls: ReadonlyMap<string, Control>;

  /** Evaluates and records one event. Notifications wait for `flush()`, after the storage has made the writes durable. */
  async process(event: EventBridgeEvent): Promise<EventResult> {
    return this.record(observeEvent(event, this.deps.router, this.deps.context), event);
  }

  /**
   * Records one event evaluated already (here, or in a worker thread of a parallel replay): the same
   * writes `process` makes, in the same order. Notifications wait for `flush()`.
   * `source`: the event, or the JSON text it was read from (a worker thread's), which a stateful signal's
   * finding is made from when its window raises it; needed only for an event with such signals.
   */
  async record(observed: ObservedEvent, source?: EventSource): Promise<EventResult> {
    const { eventId } = observed;
    let event: EventBridgeEvent | undefined;
    const eventOf = (): EventBridgeEvent => {
      if (event) return event;
      if (source === undefined)
        throw new Error(`observed event ${eventId} raised a stateful detection's finding, but came without its event`);
      event = typeof source === 'string' || source instanceof Uint8Array ? eventOfAcceptedText(source) : source;
      return event;
    };
    const changes: AppliedChange[] = [];
    const owed: Array<Finding | undefined> = [];
    const { findings } = this.deps.storage;
    const notifyFrom = this.deps.notifyMinSeverity;
    for (const outcome of observed.outcomes) {
      const control = this.controls.get(outcome.controlId);
      if (!control) throw new Error(`observed event ${eventId} names control ${outcome.controlId}, which this pipeline does not run`);
      for (const observation of outcome.resolutions) {
        if (notifyFrom) observation.notifyFrom = notifyFrom;
        const resolved = await findings.recordResolution(observation);
        for (const change of resolved) changes.push(Object.assign({ control }, change));
        if (resolved.length === 0) {
          // Already applied (a redelivery): send what an earlier attempt could not.
          owed.push(...(await findings.findingsInScope(observation)));
        }
      }
      // Stateful detections: the signals applied in order; a window that crosses its threshold is a violation, and an
      // event the state can no longer decide (a redelivery older than its window) sends what its finding owes.
      const detected = outcome.signals
        ? await detectedViolations(this.deps.storage.state, outcome.signals, (index) =>
            raisedObservation(eventOf(), control, index, this.deps.context),
          )
        : undefined;
      for (const findingId of detected?.undecided ?? []) owed.push(await findings.getFinding(findingId));
      for (const observation of detected?.violations.length ? [...outcome.violations, ...detected.violations] : outcome.violations) {
        if (notifyFrom) observation.notifyFrom = notifyFrom;
        const exemption = await this.deps.exemptions.coveringExemption(observation);
        if (exemption) observation.exemption = exemption;
        const change = await findings.recordViolation(observation);
        if (change) changes.push(Object.assign({ control }, change));
        else owed.push(await findings.getFinding(observation.findingId));
      }
    }
    for (const change of changes) {
      // The transitions decide what is owed: a suppressed finding owes nothing.
      if (isNotifiable(change.transition) && change.finding.unnotified?.eventId === eventId) this.pending.push(...owedBy(change.finding));
    }
    // Already applied (a redelivery): send what an earlier attempt could not, for this event.
    for (const finding of owed) if (finding) this.pending.push(...owedBy(finding).filter((item) => item.eventId === eventId));
    return { matched: observed.matched, changes, controlErrors: observed.controlErrors };
  }

  /**
   * Makes the writes durable, then delivers the notifications they caused (storm control included;
   * see shared/app/delivery), so a redelivered event sends what a failed attempt could not, and
   * nothing twice. Rejects with the notifier's error when any could not be sent (after trying them all).
   */
  async flush(): Promise<void> {
    const { storage, delivery } = this.deps;
    await storage.flush();
    const pending = this.pending;
    this.pending = [];
    const { failures } = await delivery.deliver(pending, { rollUp: true });
    if (pending.length > 0) await storage.flush();
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `${failures.length} notifications could not be sent`);
  }
}
