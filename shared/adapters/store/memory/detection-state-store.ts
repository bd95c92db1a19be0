/** In-memory DetectionStateStore (tests, `--db :memory:`): one state per control, window and key. */
import type { DetectionStateStore } from '../../../core/detections/detection-state-store';
import { stateIdOf, type ObservedSignal, type Tally } from '../../../core/detections/signal';
import { applySignal, type DetectionState } from '../../../core/detections/state';

export class MemoryDetectionStateStore implements DetectionStateStore {
  private readonly states = new Map<string, DetectionState>();

  async apply(signal: ObservedSignal): Promise<Tally> {
    const id = stateIdOf(signal);
    const { state, tally } = applySignal(this.states.get(id), signal);
    if (state) this.states.set(id, structuredClone(state));
    return tally;
  }

  /** How many states are held (tests of the bounds). */
  get size(): number {
    return this.states.size;
  }
}
