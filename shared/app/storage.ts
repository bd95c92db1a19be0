/**
 * One database as the application sees it: the four ports it holds, and the unit of durability.
 * Adapters (shared/adapters/store): memory, SQLite (one file), DynamoDB (one table).
 */
import type { DetectionStateStore } from '../core/detections/detection-state-store';
import type { ExemptionStore } from '../core/exemptions/exemption-store';
import type { FindingStore } from '../core/findings/finding-store';
import type { NotificationWindowStore } from '../core/notifications/notification-window-store';

export interface Storage {
  readonly findings: FindingStore;
  readonly exemptions: ExemptionStore;
  readonly windows: NotificationWindowStore;
  /** Stateful detections' windows, first-seen sets and sequences (written in the same batch as findings). */
  readonly state: DetectionStateStore;
  /**
   * Makes every write so far durable. Finding writes and notification claims may be batched
   * until then (SQLite commits them together); exemption and roll-up writes are durable at once.
   */
  flush(): Promise<void>;
  /** Flushes, then releases what the storage opened (never an injected client). */
  close(): Promise<void>;
}

/**
 * The storage could not take a write because another writer held it past the time allowed (another
 * process on the same SQLite file); nothing of the refused write was applied, so it can be run again.
 */
export class StorageBusyError extends Error {
  override readonly name: string = 'StorageBusyError';
}
