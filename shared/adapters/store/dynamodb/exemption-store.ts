/**
 * DynamoDB ExemptionStore. Exemptions are few: one partition (`EXEMPTION#ALL`), read whole with a
 * consistent Query; each is written with a conditional Put on its version. Audit entries are put
 * only if absent, under a key that is the same for the same entry, so an action is logged once
 * however often it is retried.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { byAuditOrder, byCreation, softDeleted, type Exemption, type ExemptionAuditEntry } from '../../../core/exemptions/exemption';
import { ConcurrentUpdateError, type ExemptionStore } from '../../../core/exemptions/exemption-store';
import {
  AUDIT_PARTITION,
  auditKey,
  backoff,
  defined,
  EXEMPTIONS_PARTITION,
  exemptionKey,
  isConditionFailure,
  type DynamoDbTable,
} from './table';

export class DynamoDbExemptionStore implements ExemptionStore {
  constructor(
    private readonly table: DynamoDbTable,
    /** Read-apply-write attempts of a deletion under contention. Default 10. */
    private readonly maxAttempts = 10,
  ) {}

  async putExemption(exemption: Exemption): Promise<void> {
    try {
      await this.table.doc.send(
        new PutCommand({
          TableName: this.table.name,
          Item: { ...exemptionKey(exemption.id), version: exemption.version, doc: defined(exemption) },
          ...(exemption.version === 1
            ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'PK' } }
            : {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': exemption.version - 1 },
              }),
        }),
      );
    } catch (error) {
      if (isConditionFailure(error))
        throw new ConcurrentUpdateError(`exemption ${exemption.id}: changed by another writer`, { cause: error });
      throw error;
    }
  }

  async getExemption(id: string): Promise<Exemption | undefined> {
    const { Item } = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: exemptionKey(id), ConsistentRead: true }));
    return Item?.doc as Exemption | undefined;
  }

  async listExemptions(): Promise<Exemption[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'PK' },
      ExpressionAttributeValues: { ':pk': EXEMPTIONS_PARTITION },
      ConsistentRead: true,
    });
    return items.map((item) => item.doc as Exemption).sort(byCreation);
  }

  async deleteExemption(id: string, deletion: { at: string; by: string }): Promise<Exemption | undefined> {
    for (let attempt = 1; ; attempt += 1) {
      const stored = await this.getExemption(id);
      if (!stored) return undefined;
      const deleted = softDeleted(stored, deletion);
      if (!deleted) return stored;
      try {
        await this.putExemption(deleted);
        return deleted;
      } catch (error) {
        if (!(error instanceof ConcurrentUpdateError) || attempt >= this.maxAttempts) throw error;
        await backoff(attempt);
      }
    }
  }

  async appendAudit(entry: ExemptionAuditEntry): Promise<boolean> {
    try {
      await this.table.doc.send(
        new PutCommand({
          TableName: this.table.name,
          Item: { ...auditKey(entry), doc: defined(entry) },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': 'PK' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async listAudit(): Promise<ExemptionAuditEntry[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'PK' },
      ExpressionAttributeValues: { ':pk': AUDIT_PARTITION },
      ConsistentRead: true,
    });
    return items.map((item) => item.doc as ExemptionAuditEntry).sort(byAuditOrder);
  }
}
