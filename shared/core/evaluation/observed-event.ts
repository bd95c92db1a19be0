/**
 * One event evaluated into what the store applies: the observations of every control that found
 * something, keyed by control id. Pure and plain data (no functions, no class instances), so it can be
 * computed where the event was parsed — a worker thread of a parallel replay — and applied elsewhere.
 */
import { observeResolution, observeViolation, type ResolutionObservation, type ViolationObservation } from '../findings/observation';
import type { EvaluationContext } from '../model/control';
import { eventIdOf, type EventBridgeEvent } from '../model/event';
import { evaluateEvent, type ControlError } from './evaluate';
import type { ControlRouter } from './router';

export interface ObservedOutcome {
  controlId: string;
  /** Applied first: a resolution of one resource and a violation of another by the same event. */
  resolutions: ResolutionObservation[];
  violations: ViolationObservation[];
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
  return {
    eventId: eventIdOf(event),
    envelopeId: event.id,
    matched,
    outcomes: outcomes.map(({ control, violations, resolutions }) => ({
      controlId: control.id,
      resolutions: resolutions.map((resolution) => observeResolution(event, control, resolution)),
      violations: violations.map((violation) => observeViolation(event, control, violation)),
    })),
    controlErrors: errors,
  };
}
