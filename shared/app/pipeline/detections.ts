/**
 * Stateful detections on the writer: an observed event's signals applied to the detection state in input
 * order, and the violations of those whose window crossed its threshold (shared/core/detections), which
 * the pipeline then records like any other (exemptions, lifecycle, notifications, dedup by event id).
 */
import type { DetectionStateStore } from '../../core/detections/detection-state-store';
import { detectedViolation } from '../../core/detections/detected';
import type { ObservedSignal } from '../../core/detections/signal';
import type { ViolationObservation } from '../../core/findings/observation';

export interface Detected {
  readonly violations: readonly ViolationObservation[];
  /**
   * Findings the signals would raise, for events the state could no longer decide (applied before, older than
   * its window now): nothing is recorded for them, but what those findings owe for the event is sent.
   */
  readonly undecided: readonly string[];
}

/** What most events' signals give (shared, never changed). */
const NOTHING_DETECTED: Detected = { violations: [], undecided: [] };

/**
 * The signals applied to the state in order, and what they detected. `raisedBy(i)`: the finding the i-th signal
 * names, observed from the event (raisedObservation); asked only of a signal that names one and that its window
 * detected, or could no longer decide.
 */
export async function detectedViolations(
  state: DetectionStateStore,
  signals: readonly ObservedSignal[],
  raisedBy: (index: number) => ViolationObservation | undefined,
): Promise<Detected> {
  let violations: ViolationObservation[] | undefined;
  let undecided: string[] | undefined;
  for (let index = 0; index < signals.length; index += 1) {
    const signal = signals[index]!;
    const tally = await state.apply(signal);
    if (!signal.raising || !(tally.detected || tally.undecided)) continue;
    const raised = raisedBy(index);
    if (!raised) continue;
    if (tally.detected) {
      violations ??= [];
      violations.push(detectedViolation(signal, tally, raised));
    } else {
      undecided ??= [];
      undecided.push(raised.findingId);
    }
  }
  return violations || undecided ? { violations: violations ?? [], undecided: undecided ?? [] } : NOTHING_DETECTED;
}
