/**
 * Pure evaluation of one event: route it, run each candidate control's `evaluate` and
 * `resolve`, and return what was found. No I/O; a control that throws is reported, not fatal.
 */
import type { Control, EvaluationContext, Resolution, Violation } from '../model/control';
import type { EventBridgeEvent } from '../model/event';
import type { Severity } from '../model/severity';
import type { ControlRouter } from './router';

export interface ControlOutcome {
  control: Control;
  /** Violations with their effective severity (control default, violation override, settings override). */
  violations: Array<Violation & { severity: Severity }>;
  /** Resolutions, less any for a resource the same event violates again. */
  resolutions: Resolution[];
}

export interface ControlError {
  controlId: string;
  message: string;
}

export interface Evaluation {
  /** How many controls' patterns selected the event (whether or not they found anything). */
  matched: number;
  outcomes: ControlOutcome[];
  errors: ControlError[];
}

function sameSubject(resolution: Resolution, violation: Violation): boolean {
  return (
    resolution.resourceId === violation.resourceId && (resolution.qualifier === undefined || resolution.qualifier === violation.qualifier)
  );
}

export function evaluateEvent(event: EventBridgeEvent, router: ControlRouter, context: EvaluationContext): Evaluation {
  const outcomes: ControlOutcome[] = [];
  const errors: ControlError[] = [];
  const { disabledControls, severityOverrides } = context.settings;
  const routed = router.route(event);
  for (const { control, triggers, resolves } of routed) {
    if (disabledControls.includes(control.id)) continue;
    try {
      const override = severityOverrides[control.id];
      const violations = triggers
        ? control.evaluate(event, context).map((violation) => ({
            ...violation,
            severity: override ?? violation.severity ?? control.severity,
          }))
        : [];
      const resolutions =
        resolves && control.resolution
          ? control.resolution.resolve(event, context).filter((resolution) => !violations.some((v) => sameSubject(resolution, v)))
          : [];
      if (violations.length > 0 || resolutions.length > 0) outcomes.push({ control, violations, resolutions });
    } catch (error) {
      errors.push({ controlId: control.id, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { matched: routed.length, outcomes, errors };
}
