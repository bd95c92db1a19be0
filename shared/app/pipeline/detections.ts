/**
 * Stateful detections on the writer: an observed event's signals applied to the detection state in input
 * order, and the violations of those whose window crossed its threshold (shared/core/detections), which
 * the pipeline then records like any other (exemptions, lifecycle, notifications, dedup by event id).
 */
import type { DetectionStateStore } from '../../core/detections/detection-state-store';
import { detectedViolation } from '../../core/detections/detected';
import type { ObservedSignal } from '../../core/detections/signal';
import { findingIdOfDraft, type ViolationObservation } from '../../core/findings/observation';

export interface Detected {
  violations: ViolationObservation[];
  /**
   * Findings the signals would raise, for events the state could no longer decide (applied before, older than
   * its window now): nothing is recorded for them, but what those findings owe for the event is sent.
   */
  undecided: string[];
}

export async function detectedViolations(state: DetectionStateStore, signals: readonly ObservedSignal[]): Promise<Detected> {
  const detected: Detected = { violations: [], undecided: [] };
  for (const signal of signals) {
    const tally = await state.apply(signal);
    const violation = detectedViolation(signal, tally);
    if (violation) detected.violations.push(violation);
    else if (tally.undecided && signal.raises) detected.undecided.push(findingIdOfDraft(signal.raises));
  }
  return detected;
}
