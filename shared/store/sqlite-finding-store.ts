/**
 * SQLite FindingStore (better-sqlite3): the embedded default. Writes are batched in one
 * transaction until `flush()`, so a replay commits in large steps; reads on the same connection
 * see uncommitted writes. Every query is parameterized.
 */
import Database from 'better-sqlite3';
import { SEVERITIES, severityRank } from '../model/severity';
import type { Finding, HistoryEntry } from '../findings/finding';
import { applyResolution, applyViolation, type Change } from '../findings/lifecycle';
import type { ResolutionObservation, ViolationObservation } from '../findings/observation';
import type { FindingQuery, FindingStore } from './finding-store';
import { activityOf } from './query';

const SCHEMA_VERSION = 1;

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

  constructor(file: string, options: SqliteFindingStoreOptions = {}) {
    this.batchSize = options.batchSize ?? 5000;
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // Findings ids are hashes, so inserts land all over the b-trees: a 64 MiB page cache (the default
    // is 2 MiB) keeps a replay's working set in memory.
    this.db.pragma('cache_size = -65536');
    this.db.exec(SCHEMA);
    const version = this.db.prepare('SELECT value FROM meta WHERE key = ?').get('schema_version') as { value: string } | undefined;
    if (version && Number(version.value) !== SCHEMA_VERSION) {
      throw new Error(`${file}: findings database schema ${version.value} is not the supported ${SCHEMA_VERSION}`);
    }
    if (!version) this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('schema_version', String(SCHEMA_VERSION));
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
      history: this.db.prepare<[string], FindingRow>('SELECT body FROM finding_history WHERE finding_id = ? ORDER BY seq'),
      // Prepared once: parsing these on every write cost as much as the writes themselves.
      begin: this.db.prepare('BEGIN'),
      savepoint: this.db.prepare('SAVEPOINT write'),
      release: this.db.prepare('RELEASE write'),
      rollbackTo: this.db.prepare('ROLLBACK TO write'),
    };
  }

  /** Runs one write inside the batch transaction, all or nothing (a savepoint rolls back a failed write). */
  private write<T>(work: () => T): T {
    if (!this.db.inTransaction) this.statements.begin.run();
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
    this.pendingWrites += 1;
    if (this.pendingWrites >= this.batchSize) this.commit();
    return result;
  }

  private commit(): void {
    if (this.db.inTransaction) this.db.exec('COMMIT');
    this.pendingWrites = 0;
  }

  private save(change: Change): void {
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
    return this.write(() => {
      const rows = this.statements.byResource.all(observation.controlId, observation.account, observation.region, observation.resourceId);
      const changes: Change[] = [];
      for (const row of rows) {
        const finding = JSON.parse(row.body) as Finding;
        if (observation.qualifier !== undefined && finding.qualifier !== observation.qualifier) continue;
        const change = applyResolution(finding, observation);
        if (!change) continue;
        this.save(change);
        changes.push(change);
      }
      return changes;
    });
  }

  async markNotified(findingId: string, eventId: string): Promise<void> {
    this.write(() => this.statements.markNotified.run(findingId, eventId));
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
    equal('control_id', query.controlId);
    equal('account', query.account);
    equal('region', query.region);
    equal('resource_id', query.resourceId);
    if (query.minSeverity !== undefined) {
      clauses.push('severity_rank >= ?');
      params.push(SEVERITIES.indexOf(query.minSeverity));
    }
    let sql = 'SELECT body FROM findings';
    if (clauses.length > 0) sql += ` WHERE ${clauses.join(' AND ')}`;
    sql += ' ORDER BY activity DESC, id ASC';
    if (query.limit !== undefined) {
      sql += ' LIMIT ?';
      params.push(query.limit);
    }
    return (this.db.prepare<Array<string | number>, FindingRow>(sql).all(...params)).map((row) => JSON.parse(row.body) as Finding);
  }

  async historyOf(id: string): Promise<HistoryEntry[]> {
    return this.statements.history.all(id).map((row) => JSON.parse(row.body) as HistoryEntry);
  }

  async flush(): Promise<void> {
    this.commit();
  }

  async close(): Promise<void> {
    this.commit();
    this.db.close();
  }
}
