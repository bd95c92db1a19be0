/**
 * Stateful detections on the writer: an observed event's signals applied to the detection state in input
 * order, and the violations of those whose window crossed its threshold (shared/core/detections), which
 * the pipeline then records like any other (exemptions, lifecycle, notifications, dedup by event id).
 */
import type { DetectionStateStore } from '../../core/detections/detection-state-store';
import { detectedViolation } from '../../core/detections/detected';
import type { ObservedSignal } from '../../core/detections/signal';
import type { ViolationObservation } from '../../core/findings/observation';

export async function detectedViolations(state: DetectionStateStore, signals: readonly ObservedSignal[]): Promise<ViolationObservation[]> {
  const detected: ViolationObservation[] = [];
  for (const signal of signals) {
    const violation = detectedViolation(signal, await state.apply(signal));
    if (violation) detected.push(violation);
  }
  return detected;
}
