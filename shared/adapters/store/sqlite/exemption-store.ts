/** SQLite ExemptionStore: exemptions (conditional on their version) and the append-only audit log, committed at once. */
import { softDeleted, type Exemption, type ExemptionAuditEntry } from '../../../core/exemptions/exemption';
import { ConcurrentUpdateError, type ExemptionStore } from '../../../core/exemptions/exemption-store';
import type { BodyRow, SqliteDatabase } from './database';

export class SqliteExemptionStore implements ExemptionStore {
  private readonly statements;

  constructor(private readonly database: SqliteDatabase) {
    const { db } = database;
    this.statements = {
      getExemption: db.prepare<[string], { version: number; body: string }>('SELECT version, body FROM exemptions WHERE id = ?'),
      insertExemption: db.prepare('INSERT OR IGNORE INTO exemptions (id, version, created_at, body) VALUES (?, ?, ?, ?)'),
      replaceExemption: db.prepare('UPDATE exemptions SET version = ?, body = ? WHERE id = ? AND version = ?'),
      listExemptions: db.prepare<[], BodyRow>('SELECT body FROM exemptions ORDER BY created_at, id'),
      appendAudit: db.prepare('INSERT OR IGNORE INTO exemption_audit (id, at, body) VALUES (?, ?, ?)'),
      listAudit: db.prepare<[], BodyRow>('SELECT body FROM exemption_audit ORDER BY at, id'),
    };
  }

  async putExemption(exemption: Exemption): Promise<void> {
    this.database.write(() => {
      const body = JSON.stringify(exemption);
      const written =
        exemption.version === 1
          ? this.statements.insertExemption.run(exemption.id, 1, exemption.createdAt, body)
          : this.statements.replaceExemption.run(exemption.version, body, exemption.id, exemption.version - 1);
      if (written.changes === 0) throw new ConcurrentUpdateError(`exemption ${exemption.id}: changed by another writer`);
    });
    // Exemptions change what every writer does: make them durable at once.
    this.database.commit();
  }

  async getExemption(id: string): Promise<Exemption | undefined> {
    const row = this.statements.getExemption.get(id);
    return row ? (JSON.parse(row.body) as Exemption) : undefined;
  }

  async listExemptions(): Promise<Exemption[]> {
    return this.statements.listExemptions.all().map((row) => JSON.parse(row.body) as Exemption);
  }

  async deleteExemption(id: string, deletion: { at: string; by: string }): Promise<Exemption | undefined> {
    const result = this.database.write(() => {
      const row = this.statements.getExemption.get(id);
      if (!row) return undefined;
      const stored = JSON.parse(row.body) as Exemption;
      const deleted = softDeleted(stored, deletion);
      if (!deleted) return stored;
      this.statements.replaceExemption.run(deleted.version, JSON.stringify(deleted), id, stored.version);
      return deleted;
    });
    this.database.commit();
    return result;
  }

  async appendAudit(entry: ExemptionAuditEntry): Promise<boolean> {
    const added = this.database.write(() => this.statements.appendAudit.run(entry.id, entry.at, JSON.stringify(entry)).changes > 0);
    this.database.commit();
    return added;
  }

  async listAudit(): Promise<ExemptionAuditEntry[]> {
    return this.statements.listAudit.all().map((row) => JSON.parse(row.body) as ExemptionAuditEntry);
  }
}
