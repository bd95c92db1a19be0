/**
 * The findings table: its definition (one source of truth for CreateTable, CloudFormation and the
 * tests), the keys of every item, and the few requests the stores make. Items, keys and indexes
 * are described in docs/dynamodb-table.md. One table, injected client, no transactions (so it also
 * runs against dynalite), no Scan, no globals and no environment reads.
 */
import type { AttributeDefinition, DynamoDBClient, GlobalSecondaryIndex, KeySchemaElement } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { ExemptionAuditEntry } from '../../../core/exemptions/exemption';
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay } from '../../backoff';
import { ITEM, PROJECTED, TREND_SHARDS } from './finding-item';

/**
 * The indexes, by purpose (docs/dynamodb-table.md). Only finding items carry their keys, and the
 * sweep indexes are sparse: a finding is in them only while the sweep has something to do with it.
 */
export const FINDINGS_TABLE_INDEXES = {
  /** Every finding, by area × status × shard: the listings, the summary's counts. */
  byAreaStatus: { name: 'byAreaStatus', partitionKey: ITEM.areaStatusKey, projected: PROJECTED },
  /** Snoozed findings, and those owing a snooze's end: what the snooze sweep reads. */
  bySnoozeSweep: { name: 'bySnoozeSweep', partitionKey: ITEM.snoozeKey, projected: [] as readonly string[] },
  /** Open findings that can still pass a deadline, or owe its escalation's notification: what the deadline sweep reads. */
  byDeadlineSweep: { name: 'byDeadlineSweep', partitionKey: ITEM.deadlineKey, projected: [] as readonly string[] },
} as const;
export type IndexPurpose = keyof typeof FINDINGS_TABLE_INDEXES;

/** The sort key of every index: the ISO time of the finding's activity (`activityOf`), which a repeat does not move. */
export const FINDINGS_TABLE_SORT_ATTRIBUTE = ITEM.activity;
/** The TTL attribute (epoch seconds) of the applied-event, roll-up window, due roll-up and detection state items. */
export const FINDINGS_TABLE_TTL_ATTRIBUTE = 'expiresAt';

/**
 * Key schema and indexes, in the shape both CreateTable and CloudFormation's AWS::DynamoDB::Table
 * take (add BillingMode and the TimeToLiveSpecification below). The one source of truth.
 */
export const FINDINGS_TABLE_DEFINITION: {
  AttributeDefinitions: AttributeDefinition[];
  KeySchema: KeySchemaElement[];
  GlobalSecondaryIndexes: GlobalSecondaryIndex[];
} = {
  AttributeDefinitions: [
    { AttributeName: 'PK', AttributeType: 'S' },
    { AttributeName: 'SK', AttributeType: 'S' },
    ...Object.values(FINDINGS_TABLE_INDEXES).map((index) => ({ AttributeName: index.partitionKey, AttributeType: 'S' as const })),
    { AttributeName: FINDINGS_TABLE_SORT_ATTRIBUTE, AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'PK', KeyType: 'HASH' },
    { AttributeName: 'SK', KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: Object.values(FINDINGS_TABLE_INDEXES).map((index) => ({
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' },
      { AttributeName: FINDINGS_TABLE_SORT_ATTRIBUTE, KeyType: 'RANGE' },
    ],
    Projection:
      index.projected.length > 0 ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projected] } : { ProjectionType: 'KEYS_ONLY' },
  })),
};

/** CloudFormation's TimeToLiveSpecification (UpdateTimeToLive's, too). */
export const FINDINGS_TABLE_TIME_TO_LIVE = { AttributeName: FINDINGS_TABLE_TTL_ATTRIBUTE, Enabled: true } as const;

export const findingKey = (id: string) => ({ PK: `FINDING#${id}`, SK: 'FINDING' });
export const historyKey = (id: string, version: number) => ({ PK: `FINDING#${id}`, SK: `HISTORY#${String(version).padStart(12, '0')}` });
/** An applied event that left its finding item, by its digest (finding-item.ts `eventDigest`). */
export const eventKey = (findingId: string, digest: Uint8Array) => ({
  PK: `EVENT#${findingId}#${Buffer.from(digest).toString('hex')}`,
  SK: 'EVENT',
});
/** The partition listing a resolution scope's qualified findings (the unqualified one has a derived id). */
export const scopeKey = (key: { controlId: string; account: string; region: string; resourceId: string }) =>
  `SCOPE#${key.controlId}#${key.account}#${key.region}#${key.resourceId}`;
/** A day's trend markers, in TREND_SHARDS partitions. */
export const trendPartition = (day: string, shard: number) => `TREND#${day}#${shard}`;
export const TREND_PARTITION_SHARDS = TREND_SHARDS;
export const EXEMPTIONS_PARTITION = 'EXEMPTION#ALL';
export const exemptionKey = (id: string) => ({ PK: EXEMPTIONS_PARTITION, SK: `EXEMPTION#${id}` });
export const AUDIT_PARTITION = 'AUDIT#EXEMPTIONS';
export const rollupWindowKey = (id: string) => ({ PK: `ROLLUP#${id}`, SK: 'WINDOW' });
export const ROLLUP_DUE_PARTITION = 'ROLLUP#DUE';
export const rollupDueKey = (window: { id: string; windowEnd: string }) => ({
  PK: ROLLUP_DUE_PARTITION,
  SK: `${window.windowEnd}#${window.id}`,
});
/** A stateful detection's state, per control, window and key (shared/core/detections, by its hashed id). */
export const detectionStateKey = (stateId: string) => ({ PK: `DETECT#${stateId}`, SK: 'STATE' });
export const claimKey = (findingId: string, kind: string, eventId: string) => ({ PK: `NOTIFY#${findingId}`, SK: `${kind}#${eventId}` });
/** Roll-up windows and their due items are kept this long after the window ended. */
export const ROLLUP_TTL_SECONDS = 30 * 86_400;
/** Claims on a window in a burst contend for one item: more attempts than for a finding. */
export const CLAIM_ATTEMPTS = 40;
export const auditKey = (entry: ExemptionAuditEntry) => ({ PK: AUDIT_PARTITION, SK: `AUDIT#${entry.at}#${entry.id}` });

/** BatchGetItem: at most 100 keys a request. */
const BATCH_GET_MAX_KEYS = 100;

export interface DynamoDbTableOptions {
  /** Created and owned by the composition root; nothing here closes it. */
  client: DynamoDBClient | DynamoDBDocumentClient;
  tableName: string;
}

/** The table as the stores use it: the document client (undefined values removed) and its name. */
export class DynamoDbTable {
  readonly doc: DynamoDBDocumentClient;
  readonly name: string;

  constructor(options: DynamoDbTableOptions) {
    this.doc =
      options.client instanceof DynamoDBDocumentClient
        ? options.client
        : DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
    this.name = options.tableName;
  }

  /** An unconditional Put. */
  async put(item: object): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.name, Item: item as Record<string, unknown> }));
  }

  /** Every item a query matches, page by page. */
  async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Array<Record<string, unknown>>> {
    const items: Array<Record<string, unknown>> = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(new QueryCommand({ TableName: this.name, ...input, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /**
   * The items of these keys (BatchGetItem, 100 keys a request: DynamoDB's limit), in no order;
   * keys DynamoDB leaves unprocessed are asked again after a pause. Missing items are left out.
   */
  async getMany(keys: ReadonlyArray<Record<string, string>>, consistent = false): Promise<Array<Record<string, unknown>>> {
    const items: Array<Record<string, unknown>> = [];
    for (let start = 0; start < keys.length; start += BATCH_GET_MAX_KEYS) {
      let pending: Array<Record<string, unknown>> | undefined = keys.slice(start, start + BATCH_GET_MAX_KEYS);
      for (let attempt = 1; pending && pending.length > 0; attempt += 1) {
        if (attempt > 1) await backoff(attempt);
        const answer: BatchGetCommandOutput = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.name]: { Keys: pending, ConsistentRead: consistent } } }),
        );
        items.push(...(answer.Responses?.[this.name] ?? []));
        pending = answer.UnprocessedKeys?.[this.name]?.Keys;
      }
    }
    return items;
  }

  /** How many items a query matches (Select COUNT, page by page). */
  async count(input: Omit<QueryCommandInput, 'TableName'>): Promise<number> {
    let total = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(new QueryCommand({ TableName: this.name, ...input, Select: 'COUNT', ExclusiveStartKey: start }));
      total += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return total;
  }
}

/** DynamoDB rejects `undefined`; the lifecycle and observations may carry it in optional fields. */
export function defined<T>(value: T): T {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(defined) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = defined(v);
    return out as T;
  }
  return value;
}

/** A conditional write that lost: re-read and decide again. */
export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';
}

/** A jittered, growing pause before attempt `attempt + 1` of a contended read-apply-write. */
export function backoff(attempt: number): Promise<void> {
  return sleep(backoffDelay(attempt + 1, 5, 250));
}
