/**
 * Pure evaluation of one event: route it, run each candidate control's `evaluate` and
 * `resolve`, and return what was found. No I/O; a control that throws is reported, not fatal.
 */
import type { Control, DetectionSignal, EvaluationContext, Resolution, Violation } from '../model/control';
import type { DetectionWindow } from '../model/detection';
import type { EventBridgeEvent } from '../model/event';
import type { Severity } from '../model/severity';
import type { ControlRouter } from './router';

export interface ControlOutcome {
  control: Control;
  /** Violations with their effective severity (control default, violation override, settings override). */
  violations: Array<Violation & { severity: Severity }>;
  /** Resolutions, less any for a resource the same event violates again. */
  resolutions: Resolution[];
  /** A stateful control's signals, each with its window after settings. */
  signals: EffectiveSignal[];
}

export interface EffectiveSignal extends DetectionSignal {
  /** The window as the control declares it, with settings.detectionWindows applied. */
  spec: DetectionWindow;
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

/** A violation with its effective severity: the settings' override for the control, else the violation's own, else the control's. */
export function effectiveOf(control: Control, context: EvaluationContext): (violation: Violation) => Violation & { severity: Severity } {
  const override = context.settings.severityOverrides[control.id];
  // Object.assign, not a spread: a property the copy lacks is added through V8's slow path after a spread.
  return (violation) => Object.assign({}, violation, { severity: override ?? violation.severity ?? control.severity });
}

/** A stateful control's signals for one event, with their windows after settings.detectionWindows. */
export function signalsOf(control: Control, event: EventBridgeEvent, context: EvaluationContext): EffectiveSignal[] {
  const detection = control.detection!;
  const overrides = context.settings.detectionWindows[control.id];
  return detection.detect(event, context).map((signal) => {
    const declared = detection.windows[signal.window];
    if (!declared) throw new Error(`signal names window ${signal.window}, which the control does not declare`);
    const override = overrides?.[signal.window];
    // detect() makes its signals for this call (it is pure): completed in place, not copied.
    const effective = signal as EffectiveSignal;
    effective.spec = override ? { ...declared, ...override } : declared;
    return effective;
  });
}

export function evaluateEvent(event: EventBridgeEvent, router: ControlRouter, context: EvaluationContext): Evaluation {
  const outcomes: ControlOutcome[] = [];
  const errors: ControlError[] = [];
  const { disabledControls } = context.settings;
  const routed = router.route(event);
  for (const { control, triggers, resolves } of routed) {
    if (disabledControls.includes(control.id)) continue;
    try {
      const effective = effectiveOf(control, context);
      const violations = triggers && control.evaluate ? control.evaluate(event, context).map(effective) : [];
      const signals = triggers && control.detection ? signalsOf(control, event, context) : [];
      const resolutions =
        resolves && control.resolution
          ? control.resolution.resolve(event, context).filter((resolution) => !violations.some((v) => sameSubject(resolution, v)))
          : [];
      if (violations.length > 0 || resolutions.length > 0 || signals.length > 0)
        outcomes.push({ control, violations, resolutions, signals });
    } catch (error) {
      errors.push({ controlId: control.id, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { matched: routed.length, outcomes, errors };
}
