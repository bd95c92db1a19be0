/**
 * One event evaluated into what the store applies: the observations of every control that found
 * something, keyed by control id. Pure and plain data (no functions, no class instances), so it can be
 * computed where the event was parsed — a worker thread of a parallel replay — and applied elsewhere.
 */
import {
  eventTimeOf,
  observeResolution,
  observeViolation,
  type ResolutionObservation,
  type ViolationObservation,
} from '../findings/observation';
import type { Control, EvaluationContext } from '../model/control';
import { eventIdOf, type EventBridgeEvent } from '../model/event';
import type { ObservedSignal } from '../detections/signal';
import { effectiveOf, evaluateEvent, signalsOf, type ControlError, type EffectiveSignal } from './evaluate';
import type { ControlRouter } from './router';

export interface ObservedOutcome {
  controlId: string;
  /** Applied first: a resolution of one resource and a violation of another by the same event. */
  resolutions: ResolutionObservation[];
  violations: ViolationObservation[];
  /**
   * A stateful control's signals, applied to the detection state after the resolutions and violations
   * above; those whose window crosses its threshold are recorded as violations (shared/core/detections).
   */
  signals?: ObservedSignal[];
}

export interface ObservedEvent {
  /** The id the store applies the event by (a CloudTrail record's own eventID). */
  eventId: string;
  /** The envelope's id (what control errors are reported under). */
  envelopeId: string;
  /** How many controls' patterns selected the event. */
  matched: number;
  outcomes: ObservedOutcome[];
  controlErrors: ControlError[];
}

export function observeEvent(event: EventBridgeEvent, router: ControlRouter, context: EvaluationContext): ObservedEvent {
  const { matched, outcomes, errors } = evaluateEvent(event, router, context);
  const eventId = eventIdOf(event);
  // What every signal of the event shares: its time (read once for all of them).
  let at: string | undefined;
  const timeOfSignals = (): string => {
    at ??= eventTimeOf(event);
    return at;
  };
  return {
    eventId,
    envelopeId: event.id,
    matched,
    outcomes: outcomes.map(({ control, violations, resolutions, signals }) => ({
      controlId: control.id,
      resolutions: resolutions.map((resolution) => observeResolution(event, control, resolution)),
      violations: violations.map((violation) => observeViolation(event, control, violation)),
      ...(signals.length > 0 ? { signals: signals.map((signal) => observeSignal(control, signal, eventId, timeOfSignals())) } : {}),
    })),
    controlErrors: errors,
  };
}

/** A signal as plain data: its window's numbers after settings, the event's time and id, and whether it names a finding. */
function observeSignal(control: Control, signal: EffectiveSignal, eventId: string, at: string): ObservedSignal {
  const { spec } = signal;
  // Made once per signal (most events of real CloudTrail have one): one literal, the optional fields added after it
  // (properties that follow a spread in a literal take V8's slow path).
  const observed: ObservedSignal = {
    controlId: control.id,
    window: signal.window,
    kind: signal.kind,
    key: signal.key,
    minutes: spec.minutes,
    threshold: spec.threshold,
    counts: spec.counts,
    at,
    eventId,
  };
  if (signal.value !== undefined) observed.value = signal.value;
  if (signal.step !== undefined) observed.step = signal.step;
  // The window's declared steps (read only), shared, not copied.
  if (spec.steps) observed.steps = spec.steps;
  if (spec.distinctEnds) observed.distinctEnds = true;
  if (signal.raises) observed.raising = true;
  return observed;
}

/**
 * The finding the `index`-th signal of `control` for `event` raises, observed (undefined: the signal is
 * counted only). Made again from the event, and only when its window crossed its threshold (or could no
 * longer decide): the signals of most events never raise, so evaluation makes no finding for them — and a
 * worker thread sends none. Pure and deterministic, so it is the observation evaluation would have made.
 */
export function raisedObservation(
  event: EventBridgeEvent,
  control: Control,
  index: number,
  context: EvaluationContext,
): ViolationObservation | undefined {
  if (!control.detection) return undefined;
  const raises = signalsOf(control, event, context)[index]?.raises;
  return raises ? observeViolation(event, control, effectiveOf(control, context)(raises())) : undefined;
}
