/** The in-memory storage: nothing kept after the process ends (tests, `--db :memory:`). */
import type { Storage } from '../../../app/storage';
import { MemoryDetectionStateStore } from './detection-state-store';
import { MemoryExemptionStore } from './exemption-store';
import { MemoryFindingStore } from './finding-store';
import { MemoryNotificationWindowStore } from './notification-window-store';

export { MemoryDetectionStateStore, MemoryExemptionStore, MemoryFindingStore, MemoryNotificationWindowStore };

export function memoryStorage(): Storage {
  return {
    findings: new MemoryFindingStore(),
    exemptions: new MemoryExemptionStore(),
    windows: new MemoryNotificationWindowStore(),
    state: new MemoryDetectionStateStore(),
    flush: async () => undefined,
    close: async () => undefined,
  };
}
