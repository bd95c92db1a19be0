/**
 * SQLite FindingStore (better-sqlite3): the embedded default. Writes are batched in one
 * transaction until `flush()`, so a replay commits in large steps; reads on the same connection
 * see uncommitted writes. Every query is parameterized.
 */
import Database from 'better-sqlite3';
import { SEVERITIES, severityRank } from '../../../core/model/severity';
import type { Finding, FindingStatus, HistoryEntry } from '../../../core/findings/finding';
import { applyResolution, applyViolation, type Change, type FindingUpdate } from '../../../core/findings/transitions';
import type { ResolutionObservation, ViolationObservation } from '../../../core/findings/observation';
import type { Exemption, ExemptionAuditEntry } from '../../../core/exemptions/exemption';
import type { Area } from '../../../core/model/area';
import type { Severity } from '../../../core/model/severity';
import { applyClaim, applyClose, applySent, rollupIdOf, type RollupClaim, type RollupDecision, type RollupWindow } from '../../../core/notifications/rollup';
import { ConcurrentUpdateError, type FindingPage, type FindingQuery, type FindingStore, type FindingSummary } from '../../../core/findings/finding-store';
import { activityOf, allowedControlIds, countTrend, decodeCursor, emptySummary, pageThrough, softDeleted } from '../../../core/findings/query';

/** 1: findings, applied events, history. 2: exemptions and their audit log. */
const SCHEMA_VERSION = 2;

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
 * Storm control (shared/core/notifications/rollup.ts): notification windows and the decision each claim got.
 * Created on every open (IF NOT EXISTS), so any schema version gains them without a migration.
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

/** listFindings statements kept prepared (one per combination of filters used). */
const QUERIES_PREPARED = 64;

interface FindingRow {
  body: string;
}

export interface SqliteFindingStoreOptions {
  /** Writes committed together; `flush()` commits earlier. */
  batchSize?: number;
}

export class SqliteFindingStore implements FindingStore {
  private readonly db: Database.Database;
  private readonly batchSize: number;
  private pendingWrites = 0;
  private readonly statements;
  /**
   * Roll-up windows read or claimed in the open transaction (cleared when it commits): `unsaved`
   * when claims changed it since it was written.
   */
  private readonly claimedWindows = new Map<string, { window: RollupWindow | undefined; unsaved: boolean }>();
  /** listFindings' statements by query text. */
  private readonly queries = new Map<string, Database.Statement<Array<string | number>, FindingRow>>();

  constructor(file: string, options: SqliteFindingStoreOptions = {}) {
    this.batchSize = options.batchSize ?? 5000;
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // Findings ids are hashes, so inserts land all over the b-trees: a 64 MiB page cache (the default
    // is 2 MiB) keeps a replay's working set in memory.
    this.db.pragma('cache_size = -65536');
    // A replay commits every thousand events or so: checkpointing the WAL into the database at the
    // default 1000 pages (4 MiB) did it after nearly every commit, writing the same hot pages again
    // each time. 10000 pages (40 MiB) lets several commits share one checkpoint.
    this.db.pragma('wal_autocheckpoint = 10000');
    // Every write runs under a savepoint, which copies the pages it touches aside: in memory, not
    // in a temporary file.
    this.db.pragma('temp_store = MEMORY');
    this.migrate(file);
    this.db.exec(ROLLUP_SCHEMA);
    this.statements = {
      get: this.db.prepare<[string], FindingRow>('SELECT body FROM findings WHERE id = ?'),
      byResource: this.db.prepare<[string, string, string, string], FindingRow>(
        'SELECT body FROM findings WHERE control_id = ? AND account = ? AND region = ? AND resource_id = ?',
      ),
      markApplied: this.db.prepare('INSERT OR IGNORE INTO finding_events (finding_id, event_id) VALUES (?, ?)'),
      upsert: this.db.prepare(
        `INSERT INTO findings (id, control_id, area, severity, severity_rank, status, account, region, resource_id, qualifier, activity, body)
         VALUES (@id, @controlId, @area, @severity, @severityRank, @status, @account, @region, @resourceId, @qualifier, @activity, @body)
         ON CONFLICT (id) DO UPDATE SET severity = excluded.severity, severity_rank = excluded.severity_rank,
           status = excluded.status, activity = excluded.activity, body = excluded.body`,
      ),
      // Clears the pending notification in place when it is this event's (no parse/serialize round trip).
      markNotified: this.db.prepare(
        `UPDATE findings SET body = json_set(json_remove(body, '$.unnotified'), '$.version', json_extract(body, '$.version') + 1)
         WHERE id = ? AND json_extract(body, '$.unnotified.eventId') = ?`,
      ),
      addHistory: this.db.prepare('INSERT INTO finding_history (finding_id, body) VALUES (?, ?)'),
      countByAreaStatus: this.db.prepare<[], { area: Area; status: FindingStatus; n: number }>('SELECT area, status, COUNT(*) AS n FROM findings GROUP BY area, status'),
      countBySeverity: this.db.prepare<[string], { severity: Severity; n: number }>('SELECT severity, COUNT(*) AS n FROM findings WHERE status = ? GROUP BY severity'),
      trend: this.db.prepare<[string], { day: string; transition: HistoryEntry['transition']; n: number }>(
        `SELECT substr(json_extract(body, '$.at'), 1, 10) AS day, json_extract(body, '$.transition') AS transition, COUNT(*) AS n
         FROM finding_history WHERE json_extract(body, '$.at') >= ? GROUP BY day, transition`,
      ),
      getExemption: this.db.prepare<[string], { version: number; body: string }>('SELECT version, body FROM exemptions WHERE id = ?'),
      insertExemption: this.db.prepare('INSERT OR IGNORE INTO exemptions (id, version, created_at, body) VALUES (?, ?, ?, ?)'),
      replaceExemption: this.db.prepare('UPDATE exemptions SET version = ?, body = ? WHERE id = ? AND version = ?'),
      listExemptions: this.db.prepare<[], FindingRow>('SELECT body FROM exemptions ORDER BY created_at, id'),
      appendAudit: this.db.prepare('INSERT OR IGNORE INTO exemption_audit (id, at, body) VALUES (?, ?, ?)'),
      listAudit: this.db.prepare<[], FindingRow>('SELECT body FROM exemption_audit ORDER BY at, id'),
      history: this.db.prepare<[string], FindingRow>('SELECT body FROM finding_history WHERE finding_id = ? ORDER BY seq'),
      getClaim: this.db.prepare<[string, string, string], { decision: RollupDecision }>('SELECT decision FROM notification_claims WHERE finding_id = ? AND kind = ? AND event_id = ?'),
      addClaim: this.db.prepare('INSERT OR IGNORE INTO notification_claims (finding_id, kind, event_id, at, decision) VALUES (?, ?, ?, ?, ?)'),
      latestOpening: this.db.prepare<[string], { decision: RollupDecision }>(
        "SELECT decision FROM notification_claims WHERE finding_id = ? AND kind = 'opened' ORDER BY at DESC, decision DESC LIMIT 1",
      ),
      getWindow: this.db.prepare<[string], FindingRow>('SELECT body FROM rollup_windows WHERE id = ?'),
      putWindow: this.db.prepare(
        `INSERT INTO rollup_windows (id, window_end, held, sent_at, body) VALUES (@id, @windowEnd, @held, @sentAt, @body)
         ON CONFLICT (id) DO UPDATE SET held = excluded.held, sent_at = excluded.sent_at, body = excluded.body`,
      ),
      dueWindows: this.db.prepare<[string], FindingRow>('SELECT body FROM rollup_windows WHERE sent_at IS NULL AND held > 0 AND window_end <= ? ORDER BY window_end, id'),
      // Prepared once: parsing these on every write cost as much as the writes themselves.
      begin: this.db.prepare('BEGIN'),
      savepoint: this.db.prepare('SAVEPOINT write'),
      release: this.db.prepare('RELEASE write'),
      rollbackTo: this.db.prepare('ROLLBACK TO write'),
    };
  }

  /** Creates the schema, or brings an older one up to date; refuses a newer one. */
  private migrate(file: string): void {
    this.db.exec(SCHEMA);
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get('schema_version') as { value: string } | undefined;
    const current = row ? Number(row.value) : undefined;
    if (current !== undefined && !(current >= 1 && current <= SCHEMA_VERSION)) {
      throw new Error(`${file}: findings database schema ${row!.value} is not one this version supports (1 to ${SCHEMA_VERSION})`);
    }
    if (current === SCHEMA_VERSION) return;
    this.db.transaction(() => {
      for (let step = (current ?? 1) + 1; step <= SCHEMA_VERSION; step += 1) this.db.exec(MIGRATIONS[step]!);
      this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run('schema_version', String(SCHEMA_VERSION));
    })();
  }

  /** Runs one write inside the batch transaction, all or nothing (a savepoint rolls back a failed write). */
  private write<T>(work: () => T): T {
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
   * A write whose reads and decisions come first and that changes at most one row with one
   * statement, which is all or nothing by itself: no savepoint (each one makes SQLite copy every
   * page the write touches aside, in case it must be rolled back). A throw before that statement
   * has written nothing.
   */
  private writeOneStatement<T>(work: () => T): T {
    this.begin();
    const result = work();
    this.written();
    return result;
  }

  private begin(): void {
    if (!this.db.inTransaction) this.statements.begin.run();
  }

  private written(): void {
    this.pendingWrites += 1;
    if (this.pendingWrites >= this.batchSize) this.commit();
  }

  private commit(): void {
    if (this.db.inTransaction) {
      this.settleClaimedWindows();
      this.db.exec('COMMIT');
    }
    // What was read in the transaction may change once it ends (another process's sweep closing a window).
    this.claimedWindows.clear();
    this.pendingWrites = 0;
  }

  private save(change: FindingUpdate): void {
    const f = change.finding;
    this.statements.upsert.run({
      id: f.id,
      controlId: f.controlId,
      area: f.area,
      severity: f.severity,
      severityRank: severityRank(f.severity),
      status: f.status,
      account: f.account,
      region: f.region,
      resourceId: f.resourceId,
      qualifier: f.qualifier ?? null,
      activity: activityOf(f),
      body: JSON.stringify(f),
    });
    if (change.history) this.statements.addHistory.run(f.id, JSON.stringify(change.history));
  }

  async recordViolation(observation: ViolationObservation): Promise<Change | undefined> {
    return this.write(() => {
      const inserted = this.statements.markApplied.run(observation.findingId, observation.eventId);
      if (inserted.changes === 0) return undefined;
      const row = this.statements.get.get(observation.findingId);
      const change = applyViolation(row ? (JSON.parse(row.body) as Finding) : undefined, observation);
      this.save(change);
      return change;
    });
  }

  async recordResolution(observation: ResolutionObservation): Promise<Change[]> {
    // Most resolving events find nothing open to resolve: read and decide first, in the
    // transaction, and take a savepoint only for findings to write.
    this.begin();
    const rows = this.statements.byResource.all(observation.controlId, observation.account, observation.region, observation.resourceId);
    const changes: Change[] = [];
    for (const row of rows) {
      const finding = JSON.parse(row.body) as Finding;
      if (observation.qualifier !== undefined && finding.qualifier !== observation.qualifier) continue;
      const change = applyResolution(finding, observation);
      if (change) changes.push(change);
    }
    if (changes.length === 0) {
      this.written();
      return changes;
    }
    return this.write(() => {
      for (const change of changes) this.save(change);
      return changes;
    });
  }

  async markNotified(findingId: string, eventId: string): Promise<void> {
    this.writeOneStatement(() => this.statements.markNotified.run(findingId, eventId));
  }

  async updateFinding(id: string, apply: (finding: Finding) => FindingUpdate | undefined): Promise<FindingUpdate | undefined> {
    // One synchronous read-apply-write inside the write transaction: nothing can interleave.
    return this.write(() => {
      const row = this.statements.get.get(id);
      if (!row) return undefined;
      const update = apply(JSON.parse(row.body) as Finding);
      if (update) this.save(update);
      return update;
    });
  }

  async getFinding(id: string): Promise<Finding | undefined> {
    const row = this.statements.get.get(id);
    return row ? (JSON.parse(row.body) as Finding) : undefined;
  }

  async listFindings(query: FindingQuery = {}): Promise<Finding[]> {
    const clauses: string[] = [];
    const params: Array<string | number> = [];
    const equal = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      clauses.push(`${column} = ?`);
      params.push(value);
    };
    equal('area', query.area);
    equal('status', query.status);
    equal('severity', query.severity);
    const controls = allowedControlIds(query);
    if (controls !== undefined) {
      if (controls.length === 0) clauses.push('0');
      else {
        clauses.push(`control_id IN (${controls.map(() => '?').join(', ')})`);
        params.push(...controls);
      }
    }
    equal('account', query.account);
    equal('region', query.region);
    equal('resource_id', query.resourceId);
    if (query.minSeverity !== undefined) {
      clauses.push('severity_rank >= ?');
      params.push(SEVERITIES.indexOf(query.minSeverity));
    }
    if (query.since !== undefined) {
      clauses.push('activity >= ?');
      params.push(query.since);
    }
    if (query.until !== undefined) {
      clauses.push('activity <= ?');
      params.push(query.until);
    }
    if (query.cursor !== undefined) {
      const position = decodeCursor(query.cursor);
      clauses.push('(activity < ? OR (activity = ? AND id > ?))');
      params.push(position.activity, position.activity, position.id);
    }
    let sql = 'SELECT body FROM findings';
    if (clauses.length > 0) sql += ` WHERE ${clauses.join(' AND ')}`;
    // One resource's findings of one control (the pipeline's look-up on every resolving event) are
    // a few rows of findings_by_resource, sorted here: `+activity` keeps the planner from walking
    // every finding of the account in findings_by_account's activity order instead.
    const oneResource = query.controlId !== undefined && query.account !== undefined && query.region !== undefined && query.resourceId !== undefined;
    sql += oneResource ? ' ORDER BY +activity DESC, id ASC' : ' ORDER BY activity DESC, id ASC';
    if (query.limit !== undefined) {
      sql += ' LIMIT ?';
      params.push(Math.max(0, query.limit));
    }
    return this.prepared(sql).all(...params).map((row) => JSON.parse(row.body) as Finding);
  }

  /** The statement for a query text, prepared once: the filters combine into few distinct texts. */
  private prepared(sql: string): Database.Statement<Array<string | number>, FindingRow> {
    let statement = this.queries.get(sql);
    if (!statement) {
      statement = this.db.prepare<Array<string | number>, FindingRow>(sql);
      if (this.queries.size >= QUERIES_PREPARED) this.queries.clear();
      this.queries.set(sql, statement);
    }
    return statement;
  }

  pageFindings(query: FindingQuery): Promise<FindingPage> {
    return pageThrough((q) => this.listFindings(q), query);
  }

  async summarize(options: { now: Date; days: number }): Promise<FindingSummary> {
    const summary = emptySummary(options.now, options.days);
    for (const row of this.statements.countByAreaStatus.all()) {
      summary.total += row.n;
      summary.byStatus[row.status] += row.n;
      summary.byArea[row.area][row.status] += row.n;
    }
    for (const row of this.statements.countBySeverity.all('open')) summary.bySeverity[row.severity] += row.n;
    const first = summary.trend[0]?.day;
    if (first !== undefined) for (const row of this.statements.trend.all(first)) countTrend(summary, row.day, row.transition, row.n);
    return summary;
  }

  async putExemption(exemption: Exemption): Promise<void> {
    this.write(() => {
      const body = JSON.stringify(exemption);
      const written =
        exemption.version === 1
          ? this.statements.insertExemption.run(exemption.id, 1, exemption.createdAt, body)
          : this.statements.replaceExemption.run(exemption.version, body, exemption.id, exemption.version - 1);
      if (written.changes === 0) throw new ConcurrentUpdateError(`exemption ${exemption.id}: changed by another writer`);
    });
    // Exemptions change what every writer does: make them durable at once.
    this.commit();
  }

  async getExemption(id: string): Promise<Exemption | undefined> {
    const row = this.statements.getExemption.get(id);
    return row ? (JSON.parse(row.body) as Exemption) : undefined;
  }

  async listExemptions(): Promise<Exemption[]> {
    return this.statements.listExemptions.all().map((row) => JSON.parse(row.body) as Exemption);
  }

  async deleteExemption(id: string, deletion: { at: string; by: string }): Promise<Exemption | undefined> {
    const result = this.write(() => {
      const row = this.statements.getExemption.get(id);
      if (!row) return undefined;
      const stored = JSON.parse(row.body) as Exemption;
      const deleted = softDeleted(stored, deletion);
      if (!deleted) return stored;
      this.statements.replaceExemption.run(deleted.version, JSON.stringify(deleted), id, stored.version);
      return deleted;
    });
    this.commit();
    return result;
  }

  async appendAudit(entry: ExemptionAuditEntry): Promise<boolean> {
    const added = this.write(() => this.statements.appendAudit.run(entry.id, entry.at, JSON.stringify(entry)).changes > 0);
    this.commit();
    return added;
  }

  async listAudit(): Promise<ExemptionAuditEntry[]> {
    return this.statements.listAudit.all().map((row) => JSON.parse(row.body) as ExemptionAuditEntry);
  }

  async historyOf(id: string): Promise<HistoryEntry[]> {
    return this.statements.history.all(id).map((row) => JSON.parse(row.body) as HistoryEntry);
  }

  private saveWindow(window: RollupWindow): void {
    this.statements.putWindow.run({ id: window.id, windowEnd: window.windowEnd, held: window.held, sentAt: window.sentAt ?? null, body: JSON.stringify(window) });
  }

  /** A roll-up window as the open transaction sees it: claimed here, or read (undefined: none). */
  private claimedWindowOf(id: string): RollupWindow | undefined {
    const known = this.claimedWindows.get(id);
    if (known) return known.window;
    const row = this.statements.getWindow.get(id);
    const window = row ? (JSON.parse(row.body) as RollupWindow) : undefined;
    this.claimedWindows.set(id, { window, unsaved: false });
    return window;
  }

  /**
   * Writes the windows claims changed in the open transaction and forgets them: before it commits,
   * and before windows are queried or written otherwise (outside any savepoint, so a write that
   * fails and rolls back cannot take them along).
   */
  private settleClaimedWindows(): void {
    for (const entry of this.claimedWindows.values()) {
      if (!entry.unsaved || !entry.window) continue;
      this.saveWindow(entry.window);
      entry.unsaved = false;
    }
    this.claimedWindows.clear();
  }

  async claimNotification(claim: RollupClaim, individual: number): Promise<RollupDecision> {
    // One synchronous read-decide-write in the write transaction: nothing interleaves. A burst
    // claims the same window hundreds of times in one transaction: the window is kept here and
    // written once, before the transaction commits (with the claims, all or nothing).
    return this.writeOneStatement(() => {
      const known = this.statements.getClaim.get(claim.item.findingId, claim.kind, claim.item.eventId);
      if (known) return known.decision;
      let previous: RollupWindow | undefined;
      for (let part = 1; ; part += 1) {
        const existing = this.claimedWindowOf(rollupIdOf(claim, part));
        const claimed = applyClaim(existing, claim, individual, part, previous);
        if (!claimed) {
          previous = existing;
          continue;
        }
        this.statements.addClaim.run(claim.item.findingId, claim.kind, claim.item.eventId, claim.item.at, claimed.decision);
        this.claimedWindows.set(claimed.window.id, { window: claimed.window, unsaved: true });
        return claimed.decision;
      }
    });
  }

  async wasRolledUp(findingId: string): Promise<boolean> {
    return this.statements.latestOpening.get(findingId)?.decision === 'held';
  }

  async closeRollupWindows(until: string, at: string): Promise<RollupWindow[]> {
    this.settleClaimedWindows();
    const due = this.write(() =>
      this.statements.dueWindows.all(until).map((row) => {
        const window = JSON.parse(row.body) as RollupWindow;
        const closed = applyClose(window, at);
        if (closed) this.saveWindow(closed);
        return closed ?? window;
      }),
    );
    // Claims from other processes must see the windows closed before the roll-ups go out.
    this.commit();
    return due;
  }

  async markRollupSent(windowId: string, at: string): Promise<void> {
    this.settleClaimedWindows();
    this.write(() => {
      const row = this.statements.getWindow.get(windowId);
      const sent = row && applySent(JSON.parse(row.body) as RollupWindow, at);
      if (sent) this.saveWindow(sent);
    });
    this.commit();
  }

  async flush(): Promise<void> {
    this.commit();
  }

  async close(): Promise<void> {
    this.commit();
    this.db.close();
  }
}
