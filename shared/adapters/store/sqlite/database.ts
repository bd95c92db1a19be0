/**
 * The SQLite database (better-sqlite3) behind the embedded storage: one file, its schema and
 * migrations, and the batch transaction every store writes in. Writes are batched in one
 * transaction until `commit()` (or `batchSize` writes), so a replay commits in large steps; reads
 * on the same connection see uncommitted writes. Every query is parameterized.
 */
import Database from 'better-sqlite3';
import { StorageBusyError } from '../../../app/storage';

/**
 * 1: findings, applied events, history. 2: exemptions and their audit log. 3: each history entry's
 * time and transition as columns (the summary's trend reads an index, not every entry's JSON).
 */
const SCHEMA_VERSION = 3;

/** Steps from each older schema to the next, applied in order inside one transaction. */
const MIGRATIONS: Record<number, string> = {
  2: `
CREATE TABLE IF NOT EXISTS exemptions (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS exemption_audit (
  id TEXT PRIMARY KEY,
  at TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_by_time ON exemption_audit (at, id);
`,
  3: `
ALTER TABLE finding_history ADD COLUMN at TEXT;
ALTER TABLE finding_history ADD COLUMN transition TEXT;
UPDATE finding_history SET at = json_extract(body, '$.at'), transition = json_extract(body, '$.transition');
CREATE INDEX IF NOT EXISTS history_by_time ON finding_history (at, transition);
`,
};

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS findings (
  id TEXT PRIMARY KEY,
  control_id TEXT NOT NULL,
  area TEXT NOT NULL,
  severity TEXT NOT NULL,
  severity_rank INTEGER NOT NULL,
  status TEXT NOT NULL,
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  qualifier TEXT,
  activity TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS findings_by_area_status ON findings (area, status, activity);
CREATE INDEX IF NOT EXISTS findings_by_resource ON findings (control_id, account, region, resource_id);
CREATE INDEX IF NOT EXISTS findings_by_account ON findings (account, activity);
CREATE INDEX IF NOT EXISTS findings_by_activity ON findings (activity);
-- A page of one area, status or control, newest first, read in index order (the API's commonest filters);
-- open findings counted by severity without reading them.
CREATE INDEX IF NOT EXISTS findings_by_area ON findings (area, activity);
CREATE INDEX IF NOT EXISTS findings_by_status ON findings (status, activity);
CREATE INDEX IF NOT EXISTS findings_by_control ON findings (control_id, activity);
CREATE INDEX IF NOT EXISTS findings_by_status_severity ON findings (status, severity);
CREATE TABLE IF NOT EXISTS finding_events (
  finding_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  PRIMARY KEY (finding_id, event_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS finding_history (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  finding_id TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS history_by_finding ON finding_history (finding_id, seq);
`;

/**
 * Storm control (shared/core/notifications/rollup.ts): notification windows and the decision each
 * claim got. Created on every open (IF NOT EXISTS), so any schema version gains them without a migration.
 */
const ROLLUP_SCHEMA = `
CREATE TABLE IF NOT EXISTS rollup_windows (
  id TEXT PRIMARY KEY,
  window_end TEXT NOT NULL,
  held INTEGER NOT NULL,
  sent_at TEXT,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rollup_windows_due ON rollup_windows (sent_at, window_end);
CREATE TABLE IF NOT EXISTS notification_claims (
  finding_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  event_id TEXT NOT NULL,
  at TEXT NOT NULL,
  decision TEXT NOT NULL,
  PRIMARY KEY (finding_id, kind, event_id)
) WITHOUT ROWID;
`;

/**
 * Stateful detections (shared/core/detections): one state per control, window and key. Created on every
 * open (IF NOT EXISTS), like the roll-up tables.
 */
const DETECTION_SCHEMA = `
CREATE TABLE IF NOT EXISTS detection_state (
  id TEXT PRIMARY KEY,
  expires_at TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS detection_state_by_expiry ON detection_state (expires_at);
`;

/** A row whose only column read is the JSON document. */
export interface BodyRow {
  body: string;
}

export interface SqliteDatabaseOptions {
  /** Writes committed together; `commit()` commits earlier. Default 10000 (a replay commits every 5,000 events). */
  batchSize?: number;
  /**
   * How long a writer waits for another process's write transaction (another `replay`, `serve`) before
   * it gives up. Default 60 s: a batch of a replay commits within seconds.
   */
  lockTimeoutMs?: number;
  /**
   * SQLite's page cache, in MiB. Default 64: finding ids are hashes, so a page of the API reads rows all over
   * the table (the pages of 160,000 findings under load took a p50 of 41 ms with 64 MiB, 84 ms with 32 MiB).
   * A replay needs less (REPLAY_PAGE_CACHE_MIB).
   */
  pageCacheMiB?: number;
}

/**
 * A replay's page cache: 32 MiB was no slower than 64 over 200,000 worst-case or real events (interleaved runs),
 * and held 32 MiB less; 16 MiB made the worst case about 5 % slower.
 */
export const REPLAY_PAGE_CACHE_MIB = 32;

const DEFAULT_PAGE_CACHE_MIB = 64;

/**
 * A write that must not be applied halfway failed (the disk is full, the file went away): the whole
 * batch since the last commit was rolled back with it, and nothing of it is applied. Events are
 * applied once by id, so running the replay again applies that batch.
 */
export class BatchRolledBackError extends Error {
  override readonly name = 'BatchRolledBackError';
}

/** The database stayed locked by another writer past the timeout: nothing of the write was applied. */
export class DatabaseLockedError extends StorageBusyError {
  override readonly name = 'DatabaseLockedError';
}

const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

export class SqliteDatabase {
  readonly db: Database.Database;
  private readonly batchSize: number;
  private pendingWrites = 0;
  /** Work a store must do inside the transaction just before it commits (e.g. write cached windows). */
  private readonly beforeCommit: Array<() => void> = [];
  /** Work after the transaction ended (e.g. forget what was read in it); also after a rollback. */
  private readonly afterCommit: Array<() => void> = [];
  private readonly statements;

  private readonly lockTimeoutMs: number;
  private readonly pageCacheMiB: number;

  constructor(
    readonly file: string,
    options: SqliteDatabaseOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 10_000;
    this.lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    const pageCacheMiB = options.pageCacheMiB ?? DEFAULT_PAGE_CACHE_MIB;
    if (!(Number.isInteger(pageCacheMiB) && pageCacheMiB >= 1))
      throw new Error(`pageCacheMiB ${pageCacheMiB}: expected a whole number of MiB, 1 or more`);
    this.pageCacheMiB = pageCacheMiB;
    // Several processes may write the file (two replays, a replay and `serve`): a writer waits for the other's
    // transaction (SQLite's busy timeout) instead of failing at once.
    this.db = new Database(file, { timeout: this.lockTimeoutMs });
    try {
      this.setUpWhenFree();
    } catch (error) {
      // A file this version cannot use, or one another writer kept locked, is left as it is, and closed.
      this.db.close();
      throw this.lockedOr(error);
    }
    // Prepared once: parsing these on every write cost as much as the writes themselves.
    this.statements = {
      // IMMEDIATE: the write lock is taken when the batch starts, so a writer waits for the others there
      // (busy timeout) and never fails halfway with a snapshot another process made stale.
      begin: this.db.prepare('BEGIN IMMEDIATE'),
      savepoint: this.db.prepare('SAVEPOINT write'),
      release: this.db.prepare('RELEASE write'),
      rollbackTo: this.db.prepare('ROLLBACK TO write'),
    };
  }

  /**
   * setUp, tried again while another process holds the file busy: switching a new file to WAL takes
   * an exclusive lock, and SQLite answers BUSY at once, without its busy timeout, when two processes
   * create the same file at the same moment. Tried again until the lock timeout, so the second
   * opener waits like every other writer.
   */
  private setUpWhenFree(): void {
    const deadline = Date.now() + this.lockTimeoutMs;
    for (;;) {
      try {
        this.setUp();
        return;
      } catch (error) {
        if (!(error as { code?: string }).code?.startsWith('SQLITE_BUSY') || Date.now() >= deadline) throw error;
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10 + Math.random() * 40);
      }
    }
  }

  /** Settings of the connection, then the schema (created, or brought up to date). */
  private setUp(): void {
    // A new file gets 16 KiB pages (an existing one keeps its own): a finding's document is 1–2.5 KB, and
    // with 4 KiB pages a replay's inserts split pages and rewrote them in the WAL about twice as often
    // (inserts of the bench's findings took 1.9x as long). Must come before the switch to WAL.
    this.db.pragma('page_size = 16384');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // Findings ids are hashes, so inserts and reads land all over the b-trees: a page cache of tens of MiB
    // (SQLite's default is 2 MiB) keeps the hot pages in memory. Negative: in KiB.
    this.db.pragma(`cache_size = -${this.pageCacheMiB * 1024}`);
    // A replay commits every few thousand events: checkpointing the WAL into the database at the
    // default 1000 pages did it after nearly every commit, writing the same hot pages again each
    // time. 2500 pages (40 MiB at 16 KiB, 10 MiB on older 4 KiB files) lets several commits share one.
    this.db.pragma('wal_autocheckpoint = 2500');
    // Every write runs under a savepoint, which copies the pages it touches aside: in memory, not
    // in a temporary file.
    this.db.pragma('temp_store = MEMORY');
    this.migrate();
    this.db.exec(ROLLUP_SCHEMA);
    this.db.exec(DETECTION_SCHEMA);
  }

  /** SQLite's "database is locked" past the busy timeout as the error that says which file and what it means; others as they are. */
  private lockedOr(error: unknown): unknown {
    if (!(error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return error;
    return new DatabaseLockedError(
      `${this.file}: another process has held the database's write lock for more than ${this.lockTimeoutMs / 1000} s; ` +
        'nothing of this write was applied (run it again when the other writer is done)',
      { cause: error },
    );
  }

  /** Creates the schema, or brings an older one up to date; refuses a newer one. */
  private migrate(): void {
    this.db.exec(SCHEMA);
    if (this.schemaVersion() === SCHEMA_VERSION) return;
    // Another process may be creating or migrating the same file at this moment (two replays started
    // together): the version is read again and the steps applied under the write lock, so they run once.
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const current = this.schemaVersion();
      if (current !== SCHEMA_VERSION) {
        for (let step = (current ?? 1) + 1; step <= SCHEMA_VERSION; step += 1) this.db.exec(MIGRATIONS[step]!);
        this.db
          .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
          .run('schema_version', String(SCHEMA_VERSION));
      }
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /** The file's schema version (undefined: new), refusing one this version does not know. */
  private schemaVersion(): number | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get('schema_version') as { value: string } | undefined;
    const current = row ? Number(row.value) : undefined;
    if (current !== undefined && !(current >= 1 && current <= SCHEMA_VERSION)) {
      throw new Error(`${this.file}: findings database schema ${row!.value} is not one this version supports (1 to ${SCHEMA_VERSION})`);
    }
    return current;
  }

  /** Registers work to run in the transaction right before each commit, and after it ended. */
  onCommit(hooks: { before?: () => void; after?: () => void }): void {
    if (hooks.before) this.beforeCommit.push(hooks.before);
    if (hooks.after) this.afterCommit.push(hooks.after);
  }

  /** Runs one write inside the batch transaction, all or nothing (a savepoint rolls back a failed write). */
  write<T>(work: () => T): T {
    this.begin();
    this.statements.savepoint.run();
    let result: T;
    try {
      result = work();
    } catch (error) {
      this.statements.rollbackTo.run();
      this.statements.release.run();
      throw error;
    }
    this.statements.release.run();
    this.written();
    return result;
  }

  /**
   * A write of several statements that is all or nothing without a savepoint: when any of its
   * statements fails, the whole batch transaction rolls back (BatchRolledBackError), never this write
   * alone. For the pipeline's writes, whose only failures are the database's own (a savepoint copied
   * every page a write touched aside, which tripled the cost of recording a new finding); a failure
   * stops the replay, and the next run applies the batch again by event id.
   */
  writeOrRollBack<T>(work: () => T): T {
    this.begin();
    let result: T;
    try {
      result = work();
    } catch (error) {
      this.rollBack();
      throw new BatchRolledBackError(
        `${this.file}: a write failed (${error instanceof Error ? error.message : String(error)}); ` +
          'every write since the last commit was rolled back with it and nothing of them is applied (run it again to apply them)',
        { cause: error },
      );
    }
    this.written();
    return result;
  }

  /** Rolls the batch transaction back: nothing since the last commit is applied. */
  private rollBack(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    for (const hook of this.afterCommit) hook();
    this.pendingWrites = 0;
  }

  /**
   * A write whose reads and decisions come first and that changes at most one row with one
   * statement, which is all or nothing by itself: no savepoint (each one makes SQLite copy every
   * page the write touches aside, in case it must be rolled back). A throw before that statement
   * has written nothing.
   */
  writeOneStatement<T>(work: () => T): T {
    this.begin();
    const result = work();
    this.written();
    return result;
  }

  /** Opens the batch transaction if none is open (reads that decide a later write run inside it). */
  begin(): void {
    if (this.db.inTransaction) return;
    try {
      this.statements.begin.run();
    } catch (error) {
      throw this.lockedOr(error);
    }
  }

  /** Counts a write (or a read that decided to write nothing) towards the batch. */
  written(): void {
    this.pendingWrites += 1;
    if (this.pendingWrites >= this.batchSize) this.commit();
  }

  /** Commits the batch transaction: everything written so far is durable. */
  commit(): void {
    if (this.db.inTransaction) {
      for (const hook of this.beforeCommit) hook();
      this.db.exec('COMMIT');
    }
    for (const hook of this.afterCommit) hook();
    this.pendingWrites = 0;
  }

  close(): void {
    this.commit();
    this.db.close();
  }
}
