/** The in-memory storage: nothing kept after the process ends (tests, `--db :memory:`). */
import type { Storage } from '../../../app/storage';
import { MemoryExemptionStore } from './exemption-store';
import { MemoryFindingStore } from './finding-store';
import { MemoryNotificationWindowStore } from './notification-window-store';

export { MemoryExemptionStore, MemoryFindingStore, MemoryNotificationWindowStore };

export function memoryStorage(): Storage {
  return {
    findings: new MemoryFindingStore(),
    exemptions: new MemoryExemptionStore(),
    windows: new MemoryNotificationWindowStore(),
    flush: async () => undefined,
    close: async () => undefined,
  };
}
