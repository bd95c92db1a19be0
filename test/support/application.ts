/** The application as a shell composes it, over the storage, notifier and clock a test chose. */
import { createApplication, type Application } from '../../shared/app/compose';
import type { Storage } from '../../shared/app/storage';
import { ALL_CONTROLS } from '../../shared/core/controls';
import type { Control } from '../../shared/core/model/control';
import type { Notifier } from '../../shared/core/notifications/notifier';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/core/settings/settings';

export interface TestApplicationParts {
  storage: Storage;
  /** `deferred`: a shell that sends nothing (the API function, the `snooze` command). */
  notifier: Notifier | 'deferred' | 'discard';
  now: () => Date;
  settings?: Partial<Settings>;
  catalogue?: readonly Control[];
}

export function testApplication(parts: TestApplicationParts): Application {
  return createApplication({
    settings: { ...DEFAULT_SETTINGS, ...parts.settings },
    catalogue: parts.catalogue ?? ALL_CONTROLS,
    storage: parts.storage,
    notifier: parts.notifier,
    clock: parts.now,
  });
}
