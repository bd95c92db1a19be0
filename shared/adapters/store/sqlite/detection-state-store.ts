/**
 * SQLite DetectionStateStore: one row per control, window and key (table `detection_state`, created with
 * the database), applied in the storage's batch transaction with the findings the same events record, so
 * a replay commits counts and findings together (all or nothing). A state read or changed in the open
 * transaction is kept in memory and written once, just before the transaction commits: a key signalled
 * by every event (the regions an account uses) costs one read and one write per batch, not per event.
 * Rows whose state expired, by event time, a day before the newest event applied are deleted every
 * thousand state writes.
 */
import type { DetectionStateStore } from '../../../core/detections/detection-state-store';
import { stateIdOf, type ObservedSignal, type Tally } from '../../../core/detections/signal';
import { applySignal, type DetectionState } from '../../../core/detections/state';
import type { BodyRow, SqliteDatabase } from './database';

/**
 * State writes between two deletions of expired states. Counted per write, not per batch: where a
 * deletion falls in the input must not depend on when batches happen to commit (their length is
 * bounded by time too), or two replays of one input could decide differently.
 */
const PRUNE_EVERY = 1000;
const DAY_MS = 86_400_000;

interface HeldState {
  state: DetectionState | undefined;
  /** Changed since it was read: written before the commit. */
  changed: boolean;
}

export class SqliteDetectionStateStore implements DetectionStateStore {
  private readonly statements;
  private writes = 0;
  /** The newest event time applied by this process (what "expired" is measured against). */
  private newest = '';
  /** States read or changed in the open transaction, by id. */
  private readonly held = new Map<string, HeldState>();

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
    // Written in the transaction right before it commits; forgotten after it (or after a rollback).
    database.onCommit({ before: () => this.writeHeld(), after: () => this.held.clear() });
  }

  private writeHeld(): void {
    for (const { state, changed } of this.held.values()) {
      if (changed && state) this.statements.put.run({ id: state.id, expiresAt: state.expiresAt, body: JSON.stringify(state) });
    }
    this.held.clear();
  }

  /** Deletes the states that expired a day before the newest event applied, held ones included. */
  private prune(): void {
    const before = new Date(Date.parse(this.newest) - DAY_MS).toISOString();
    this.statements.prune.run(before);
    for (const [id, held] of this.held) {
      if (held.state && held.state.expiresAt < before) this.held.set(id, { state: undefined, changed: false });
    }
  }

  async apply(signal: ObservedSignal): Promise<Tally> {
    // Applied in the write transaction (opened here if need be); nothing interleaves.
    this.database.begin();
    const id = stateIdOf(signal);
    let held = this.held.get(id);
    if (!held) {
      const row = this.statements.get.get(id);
      held = { state: row ? (JSON.parse(row.body) as DetectionState) : undefined, changed: false };
      this.held.set(id, held);
    }
    const { state, tally } = applySignal(held.state, signal);
    if (signal.at > this.newest) this.newest = signal.at;
    if (state) {
      held.state = state;
      held.changed = true;
      this.writes += 1;
      if (this.writes % PRUNE_EVERY === 0) this.prune();
    }
    this.database.written();
    return tally;
  }
}
