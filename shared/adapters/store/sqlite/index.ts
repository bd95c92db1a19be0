/** The embedded storage: one SQLite file holding findings, exemptions, notification windows and detection state. */
import type { Storage } from '../../../app/storage';
import { SqliteDatabase, type SqliteDatabaseOptions } from './database';
import { SqliteDetectionStateStore } from './detection-state-store';
import { SqliteExemptionStore } from './exemption-store';
import { SqliteFindingStore } from './finding-store';
import { SqliteNotificationWindowStore } from './notification-window-store';

export { BatchRolledBackError, DatabaseLockedError, REPLAY_PAGE_CACHE_MIB } from './database';
export {
  SqliteDatabase,
  SqliteDetectionStateStore,
  SqliteExemptionStore,
  SqliteFindingStore,
  SqliteNotificationWindowStore,
  type SqliteDatabaseOptions,
};

/** Opens (creating or migrating) the database file; `close()` commits and closes it. */
export function openSqliteStorage(file: string, options: SqliteDatabaseOptions = {}): Storage {
  const database = new SqliteDatabase(file, options);
  return {
    findings: new SqliteFindingStore(database),
    exemptions: new SqliteExemptionStore(database),
    windows: new SqliteNotificationWindowStore(database),
    state: new SqliteDetectionStateStore(database),
    flush: async () => database.commit(),
    close: async () => database.close(),
  };
}
