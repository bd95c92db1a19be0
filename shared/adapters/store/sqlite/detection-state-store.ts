/**
 * SQLite DetectionStateStore: one row per control, window and key (table `detection_state`, created with
 * the database), read, applied and written in the storage's batch transaction with the findings the same
 * events record, so a replay commits counts and findings together (all or nothing). Rows whose state
 * expired, by event time, a day before the newest event applied are deleted now and then.
 */
import type { DetectionStateStore } from '../../../core/detections/detection-state-store';
import { stateIdOf, type ObservedSignal, type Tally } from '../../../core/detections/signal';
import { applySignal, type DetectionState } from '../../../core/detections/state';
import type { BodyRow, SqliteDatabase } from './database';

/** Writes between two deletions of expired states. */
const PRUNE_EVERY = 1000;
const DAY_MS = 86_400_000;

export class SqliteDetectionStateStore implements DetectionStateStore {
  private readonly statements;
  private writes = 0;
  /** The newest event time applied by this process (what "expired" is measured against). */
  private newest = '';

  constructor(private readonly database: SqliteDatabase) {
    const { db } = database;
    this.statements = {
      get: db.prepare<[string], BodyRow>('SELECT body FROM detection_state WHERE id = ?'),
      put: db.prepare(
        `INSERT INTO detection_state (id, expires_at, body) VALUES (@id, @expiresAt, @body)
         ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at, body = excluded.body`,
      ),
      prune: db.prepare('DELETE FROM detection_state WHERE expires_at < ?'),
    };
  }

  async apply(signal: ObservedSignal): Promise<Tally> {
    // One synchronous read-apply-write in the write transaction: nothing interleaves.
    return this.database.writeOneStatement(() => {
      const row = this.statements.get.get(stateIdOf(signal));
      const { state, tally } = applySignal(row ? (JSON.parse(row.body) as DetectionState) : undefined, signal);
      if (signal.at > this.newest) this.newest = signal.at;
      if (state) {
        this.statements.put.run({ id: state.id, expiresAt: state.expiresAt, body: JSON.stringify(state) });
        this.writes += 1;
        if (this.writes % PRUNE_EVERY === 0) this.statements.prune.run(new Date(Date.parse(this.newest) - DAY_MS).toISOString());
      }
      return tally;
    });
  }
}
