/**
 * The detection state port: counters over sliding windows, first-seen sets and sequence steps, per
 * control, window and key (state.ts). Adapters (shared/adapters/store): memory, SQLite (in the storage's
 * batch transaction), DynamoDB (an item per state, conditional writes, TTL).
 */
import type { ObservedSignal, Tally } from './signal';

export interface DetectionStateStore {
  /**
   * Applies one signal to its state: read, `applySignal`, write what changed, atomically for that state
   * (concurrent writers of one state retry, never lose a count). Returns what the state says. Durable
   * with the storage's other writes (`Storage.flush`).
   */
  apply(signal: ObservedSignal): Promise<Tally>;
}
