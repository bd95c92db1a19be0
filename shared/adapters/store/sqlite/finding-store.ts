/** SQLite FindingStore: findings, the events applied to them and their history, in the storage's batch transaction. */
import { activityOf, type Finding, type FindingStatus, type HistoryEntry } from '../../../core/findings/finding';
import { inScope, type FindingStore, type ResolutionScope } from '../../../core/findings/finding-store';
import type { FindingQuery, FindingSummary } from '../../../core/findings/finding-query';
import type { ResolutionObservation, ViolationObservation } from '../../../core/findings/observation';
import { allowedControlIds, countTrend, decodeCursor, emptySummary } from '../../../core/findings/query';
import { applyResolution, applyViolation, type Change, type FindingUpdate } from '../../../core/findings/transitions';
import type { Area } from '../../../core/model/area';
import { remembered } from '../../../core/kernel/remembered';
import { SEVERITIES, severityRank, type Severity } from '../../../core/model/severity';
import type { BodyRow, SqliteDatabase } from './database';

/** listFindings statements kept prepared (one per combination of filters used). */
const QUERIES_PREPARED = 64;

/** What a resolution's scope reads of a finding's row: its document only when the columns say it is in scope. */
interface ScopeRow extends BodyRow {
  id: string;
  status: string;
  qualifier: string | null;
}

/**
 * Whether a change leaves every column but the document as it was: a repeat that changed counters,
 * last sighting and evidence, not status, severity or activity (nothing any index holds).
 */
function onlyDocumentChanged(previous: Finding, next: Finding): boolean {
  return previous.status === next.status && previous.severity === next.severity && activityOf(previous) === activityOf(next);
}

export class SqliteFindingStore implements FindingStore {
  private readonly statements;
  /** listFindings' statement for a query text, prepared once: the filters combine into few distinct texts. */
  private readonly prepared = remembered(QUERIES_PREPARED, (sql) => this.database.db.prepare<Array<string | number>, BodyRow>(sql));
  /**
   * Findings repeated in the open transaction and not written yet: a repeat changes counters, last
   * sighting and evidence in memory, and each of these findings is written once, just before the
   * transaction commits (or before anything reads the table), however often it repeated. Every read
   * of this store sees them.
   */
  private readonly repeats = new Map<string, Finding>();

  constructor(private readonly database: SqliteDatabase) {
    const { db } = database;
    database.onCommit({ before: () => this.writeRepeats(), after: () => this.repeats.clear() });
    this.statements = {
      get: db.prepare<[string], BodyRow>('SELECT body FROM findings WHERE id = ?'),
      byResource: db.prepare<[string, string, string, string], ScopeRow>(
        'SELECT id, status, qualifier, body FROM findings WHERE control_id = ? AND account = ? AND region = ? AND resource_id = ?',
      ),
      markApplied: db.prepare('INSERT OR IGNORE INTO finding_events (finding_id, event_id) VALUES (?, ?)'),
      // A repeat's document: no indexed column changes, so no index is touched.
      putDocument: db.prepare('UPDATE findings SET body = ? WHERE id = ?'),
      upsert: db.prepare(
        `INSERT INTO findings (id, control_id, area, severity, severity_rank, status, account, region, resource_id, qualifier, activity, body)
         VALUES (@id, @controlId, @area, @severity, @severityRank, @status, @account, @region, @resourceId, @qualifier, @activity, @body)
         ON CONFLICT (id) DO UPDATE SET severity = excluded.severity, severity_rank = excluded.severity_rank,
           status = excluded.status, activity = excluded.activity, body = excluded.body`,
      ),
      // Clears the pending notification in place when it is this event's (no parse/serialize round trip).
      markNotified: db.prepare(
        `UPDATE findings SET body = json_set(json_remove(body, '$.unnotified'), '$.version', json_extract(body, '$.version') + 1)
         WHERE id = ? AND json_extract(body, '$.unnotified.eventId') = ?`,
      ),
      markAnnounced: db.prepare(
        `UPDATE findings SET body = json_set(json_remove(body, '$.unannounced'), '$.version', json_extract(body, '$.version') + 1)
         WHERE id = ? AND json_extract(body, '$.unannounced.eventId') = ?`,
      ),
      addHistory: db.prepare('INSERT INTO finding_history (finding_id, at, transition, body) VALUES (?, ?, ?, ?)'),
      countByAreaStatus: db.prepare<[], { area: Area; status: FindingStatus; n: number }>(
        'SELECT area, status, COUNT(*) AS n FROM findings GROUP BY area, status',
      ),
      countBySeverity: db.prepare<[string], { severity: Severity; n: number }>(
        'SELECT severity, COUNT(*) AS n FROM findings WHERE status = ? GROUP BY severity',
      ),
      trend: db.prepare<[string], { day: string; transition: HistoryEntry['transition']; n: number }>(
        'SELECT substr(at, 1, 10) AS day, transition, COUNT(*) AS n FROM finding_history WHERE at >= ? GROUP BY day, transition',
      ),
      history: db.prepare<[string], BodyRow>('SELECT body FROM finding_history WHERE finding_id = ? ORDER BY seq'),
    };
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
    if (change.history) this.statements.addHistory.run(f.id, change.history.at, change.history.transition, JSON.stringify(change.history));
  }

  /** Writes the repeats held in memory (one statement each, no index touched) and forgets them. */
  private writeRepeats(): void {
    for (const [id, finding] of this.repeats) this.statements.putDocument.run(JSON.stringify(finding), id);
    this.repeats.clear();
  }

  /** The finding as this transaction sees it: held in memory as repeated, else its row. */
  private current(id: string): Finding | undefined {
    const repeated = this.repeats.get(id);
    if (repeated) return repeated;
    const row = this.statements.get.get(id);
    return row ? (JSON.parse(row.body) as Finding) : undefined;
  }

  async recordViolation(observation: ViolationObservation): Promise<Change | undefined> {
    const { findingId } = observation;
    const held = this.repeats.get(findingId);
    if (held) {
      // Repeated already in this transaction: the event's applied mark (one statement, all or nothing) and the
      // counters in memory commit together, or neither does.
      const change = applyViolation(held, observation);
      if (change.transition === 'repeated' && !change.history && onlyDocumentChanged(held, change.finding)) {
        return this.database.writeOrRollBack(() => {
          if (this.statements.markApplied.run(findingId, observation.eventId).changes === 0) return undefined;
          this.repeats.set(findingId, change.finding);
          return change;
        });
      }
    }
    // No savepoint (writeOrRollBack): a failed statement rolls back the batch, which the next run applies again.
    return this.database.writeOrRollBack(() => {
      const inserted = this.statements.markApplied.run(findingId, observation.eventId);
      if (inserted.changes === 0) return undefined;
      const existing = this.current(findingId);
      const change = applyViolation(existing, observation);
      if (existing && change.transition === 'repeated' && !change.history && onlyDocumentChanged(existing, change.finding)) {
        this.repeats.set(findingId, change.finding);
      } else {
        this.repeats.delete(findingId);
        this.save(change);
      }
      return change;
    });
  }

  async recordResolution(observation: ResolutionObservation): Promise<Change[]> {
    // Most resolving events find nothing open to resolve: read and decide first, in the
    // transaction, and take a savepoint only for findings to write.
    this.database.begin();
    const changes: Change[] = [];
    // A resolved finding stays as it is (applyResolution): its document is not even read.
    for (const finding of this.inScopeNow(observation, { unresolved: true })) {
      const change = applyResolution(finding, observation);
      if (change) changes.push(change);
    }
    if (changes.length === 0) {
      this.database.written();
      return changes;
    }
    return this.database.writeOrRollBack(() => {
      for (const change of changes) {
        this.repeats.delete(change.finding.id);
        this.save(change);
      }
      return changes;
    });
  }

  async markNotified(findingId: string, eventId: string): Promise<void> {
    // The statements below change the row: a repeat held in memory is written first.
    const held = this.repeats.get(findingId);
    if (held) {
      this.database.writeOneStatement(() => this.statements.putDocument.run(JSON.stringify(held), findingId));
      this.repeats.delete(findingId);
    }
    // Clears the pending notification in place when it is this event's (no parse/serialize round trip), or the
    // unannounced one it displaced; each statement changes at most one row, all or nothing.
    this.database.writeOneStatement(() => {
      if (this.statements.markNotified.run(findingId, eventId).changes === 0) this.statements.markAnnounced.run(findingId, eventId);
    });
  }

  async updateFinding(id: string, apply: (finding: Finding) => FindingUpdate | undefined): Promise<FindingUpdate | undefined> {
    // One synchronous read-apply-write inside the write transaction: nothing can interleave.
    return this.database.write(() => {
      const finding = this.current(id);
      if (!finding) return undefined;
      const update = apply(finding);
      if (update) {
        this.repeats.delete(id);
        this.save(update);
      }
      return update;
    });
  }

  async findingsInScope(scope: ResolutionScope): Promise<Finding[]> {
    return this.inScopeNow(scope);
  }

  /**
   * The scope's findings, through findings_by_resource (control, account, region, resource): the columns decide
   * which documents are read (a repeat held in memory is not read at all; its row's status is the held one's).
   * `unresolved`: those not resolved only.
   */
  private inScopeNow(scope: ResolutionScope, options: { unresolved?: boolean } = {}): Finding[] {
    const found: Finding[] = [];
    for (const row of this.statements.byResource.all(scope.controlId, scope.account, scope.region, scope.resourceId)) {
      if (options.unresolved && row.status === 'resolved') continue;
      if (scope.qualifier !== undefined && row.qualifier !== scope.qualifier) continue;
      const finding = this.repeats.get(row.id) ?? (JSON.parse(row.body) as Finding);
      if (inScope(finding, scope)) found.push(finding);
    }
    return found;
  }

  async getFinding(id: string): Promise<Finding | undefined> {
    return this.current(id);
  }

  /** Before a query reads documents in bulk: the repeats held in memory are written (in the open transaction). */
  private settleRepeats(): void {
    if (this.repeats.size > 0) this.database.writeOneStatement(() => this.writeRepeats());
  }

  async listFindings(query: FindingQuery = {}): Promise<Finding[]> {
    this.settleRepeats();
    const { sql, params } = findingsSelect(query);
    return this.prepared(sql)
      .all(...params)
      .map((row) => JSON.parse(row.body) as Finding);
  }

  async summarize(options: { now: Date; days: number }): Promise<FindingSummary> {
    this.settleRepeats();
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

  async historyOf(id: string): Promise<HistoryEntry[]> {
    return this.statements.history.all(id).map((row) => JSON.parse(row.body) as HistoryEntry);
  }
}

/**
 * The SELECT of `listFindings` for a query: parameterized, newest activity first. Written so that the
 * common filters read an index in activity order and stop at the page's end (test/store/sqlite-query-plans.test.ts
 * checks the plans).
 */
export function findingsSelect(query: FindingQuery): { sql: string; params: Array<string | number> } {
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
      // Several controls (a framework): `+` keeps the planner on an activity-ordered index, reading rows until the page
      // is full, instead of collecting every finding of every control and sorting them all.
      clauses.push(`${controls.length > 1 ? '+' : ''}control_id IN (${controls.map(() => '?').join(', ')})`);
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
    // The bound first: an index range from the cursor's time on, not every newer finding before it.
    clauses.push('activity <= ? AND (activity < ? OR (activity = ? AND id > ?))');
    params.push(position.activity, position.activity, position.activity, position.id);
  }
  let sql = 'SELECT body FROM findings';
  if (clauses.length > 0) sql += ` WHERE ${clauses.join(' AND ')}`;
  // One resource's findings of one control (the pipeline's look-up on every resolving event) are
  // a few rows of findings_by_resource, sorted here: `+activity` keeps the planner from walking
  // every finding of the account in findings_by_account's activity order instead.
  const oneResource =
    query.controlId !== undefined && query.account !== undefined && query.region !== undefined && query.resourceId !== undefined;
  sql += oneResource ? ' ORDER BY +activity DESC, id ASC' : ' ORDER BY activity DESC, id ASC';
  if (query.limit !== undefined) {
    sql += ' LIMIT ?';
    params.push(Math.max(0, query.limit));
  }
  return { sql, params };
}
