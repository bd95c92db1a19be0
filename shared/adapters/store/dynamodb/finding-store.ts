/**
 * DynamoDB FindingStore: findings, their applied events and history in the findings table
 * (docs/dynamodb-table.md).
 *
 * Every change to a finding is read (consistent) → apply the pure transition → one conditional Put
 * of the finding item (`attribute_not_exists(PK)` when new, `version = :expected` otherwise),
 * retried from the read on ConditionalCheckFailed (bounded, jittered backoff; exhausting the
 * attempts throws, so the caller's event is retried, never dropped). The applied-event record lives
 * on the finding item (`recentEvents`), written by the same Put that applies the event, so
 * "applied" and "recorded as applied" are one atomic write; older ids move out to applied-event
 * items (put before the Put that drops them). History follows the same rule through `lastHistory`.
 * A redelivered event never counts twice, and a crash never loses an event or its history entry.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { activityOf, type Finding, type HistoryEntry } from '../../../core/findings/finding';
import type { FindingStore } from '../../../core/findings/finding-store';
import type { FindingQuery, FindingSummary } from '../../../core/findings/finding-query';
import type { ResolutionObservation, ViolationObservation } from '../../../core/findings/observation';
import { trendColumnOf } from '../../../core/findings/query';
import { applyNotified, applyResolution, applyViolation, type Change, type FindingUpdate } from '../../../core/findings/transitions';
import { FindingQueries } from './finding-queries';
import {
  backoff,
  defined,
  eventKey,
  findingKey,
  FINDINGS_TABLE_INDEXES,
  FINDINGS_TABLE_SORT_ATTRIBUTE,
  FINDINGS_TABLE_TTL_ATTRIBUTE,
  historyKey,
  isConditionFailure,
  scopeKey,
  trendPartition,
  type DynamoDbTable,
} from './table';

export interface DynamoDbFindingStoreOptions {
  /** How long applied-event items are kept after they were written. Default 30. */
  eventTtlDays?: number;
  /** Ids of the latest applied events kept on the finding item. Default 20. */
  recentEvents?: number;
  /** Read-apply-write attempts under contention before giving up with an error. Default 10. */
  maxAttempts?: number;
  /** Query page size (DynamoDB `Limit`); default: up to 1 MB pages. */
  pageSize?: number;
  now?: () => Date;
}

/** The finding item as stored. */
interface FindingItem {
  PK: string;
  SK: string;
  version: number;
  doc: Finding;
  recentEvents?: string[];
  markedEvents?: number;
  lastHistory?: HistoryItem;
}

interface HistoryItem {
  PK: string;
  SK: string;
  doc: HistoryEntry;
}

/** What a read of the finding decides. */
type Decision<T> =
  | { write: false; result: T }
  | { write: true; result: T; finding: Finding; history?: HistoryEntry; appliedEvent?: string };

export class DynamoDbFindingStore implements FindingStore {
  private readonly eventTtlSeconds: number;
  private readonly recentEventLimit: number;
  private readonly maxAttempts: number;
  private readonly now: () => Date;
  private readonly queries: FindingQueries;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly table: DynamoDbTable,
    options: DynamoDbFindingStoreOptions = {},
  ) {
    this.eventTtlSeconds = Math.round((options.eventTtlDays ?? 30) * 86_400);
    this.recentEventLimit = Math.max(1, options.recentEvents ?? 20);
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 10);
    this.now = options.now ?? (() => new Date());
    this.queries = new FindingQueries(table, options.pageSize);
  }

  recordViolation(observation: ViolationObservation): Promise<Change | undefined> {
    const { findingId, eventId } = observation;
    return this.track(
      this.update<Change | undefined>(
        findingId,
        async (item) => {
          if (item && (await this.applied(item, eventId))) return { write: false, result: undefined };
          const change = applyViolation(item?.doc, observation);
          return { write: true, result: change, finding: change.finding, history: change.history, appliedEvent: eventId };
        },
        observation,
      ),
    );
  }

  recordResolution(observation: ResolutionObservation): Promise<Change[]> {
    return this.track(
      (async () => {
        const changes: Change[] = [];
        for (const id of await this.findingsInScope(scopeKey(observation))) {
          const change = await this.update<Change | undefined>(id, (item) => {
            const finding = item?.doc;
            if (
              !finding ||
              finding.controlId !== observation.controlId ||
              finding.account !== observation.account ||
              finding.region !== observation.region ||
              finding.resourceId !== observation.resourceId ||
              (observation.qualifier !== undefined && finding.qualifier !== observation.qualifier)
            ) {
              return { write: false, result: undefined };
            }
            const resolved = applyResolution(finding, observation);
            return resolved
              ? { write: true, result: resolved, finding: resolved.finding, history: resolved.history }
              : { write: false, result: undefined };
          });
          if (change) changes.push(change);
        }
        return changes;
      })(),
    );
  }

  async markNotified(findingId: string, eventId: string): Promise<void> {
    await this.track(
      this.update<void>(findingId, (item) => {
        const updated = applyNotified(item?.doc, eventId);
        return updated ? { write: true, result: undefined, finding: updated } : { write: false, result: undefined };
      }),
    );
  }

  async getFinding(id: string): Promise<Finding | undefined> {
    return (await this.load(id))?.doc;
  }

  listFindings(query: FindingQuery = {}): Promise<Finding[]> {
    return this.queries.listFindings(query);
  }

  updateFinding(id: string, apply: (finding: Finding) => FindingUpdate | undefined): Promise<FindingUpdate | undefined> {
    return this.track(
      this.update<FindingUpdate | undefined>(id, (item) => {
        const update = item ? apply(item.doc) : undefined;
        return update
          ? { write: true, result: update, finding: update.finding, history: update.history }
          : { write: false, result: undefined };
      }),
    );
  }

  /**
   * Counts with COUNT queries of the area×status partitions (the open ones read for their
   * severities) and of the trend markers of each day: Query only, never Scan.
   */
  summarize(options: { now: Date; days: number }): Promise<FindingSummary> {
    return this.queries.summarize(options);
  }

  async historyOf(id: string): Promise<HistoryEntry[]> {
    // One partition: the finding item (for its latest entry, which may not be copied out yet) and the history items.
    const entries = new Map<string, HistoryEntry>();
    for (const item of await this.partition(findingKey(id).PK)) {
      if (typeof item.SK !== 'string') continue;
      if (item.SK.startsWith('HISTORY#')) entries.set(item.SK, (item as unknown as HistoryItem).doc);
      else if (item.SK === 'FINDING' && (item as unknown as FindingItem).lastHistory) {
        const last = (item as unknown as FindingItem).lastHistory!;
        entries.set(last.SK, last.doc);
      }
    }
    return [...entries.keys()].sort().map((sk) => entries.get(sk)!);
  }

  /** Every item of one partition of the base table, read consistently. */
  private partition(pk: string): Promise<Array<Record<string, unknown>>> {
    return this.table.queryAll({
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'PK' },
      ExpressionAttributeValues: { ':pk': pk },
      ConsistentRead: true,
    });
  }

  /** Every write is awaited by its caller; this waits for the ones still running (the storage's flush). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const done = () => this.inFlight.delete(work);
    work.then(done, done);
    return work;
  }

  private async load(id: string): Promise<FindingItem | undefined> {
    const { Item } = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: findingKey(id), ConsistentRead: true }));
    return Item as FindingItem | undefined;
  }

  /** Whether the event was applied to this finding: on its item, or moved out to an applied-event item. */
  private async applied(item: FindingItem, eventId: string): Promise<boolean> {
    if (item.recentEvents?.includes(eventId)) return true;
    if (!item.markedEvents) return false;
    const { Item } = await this.table.doc.send(
      new GetCommand({ TableName: this.table.name, Key: eventKey(item.doc.id, eventId), ConsistentRead: true }),
    );
    return Item !== undefined;
  }

  private async findingsInScope(scope: string): Promise<string[]> {
    return (await this.partition(scope)).flatMap((item) => (typeof item.findingId === 'string' ? [item.findingId] : []));
  }

  /**
   * Read → decide → conditional write, retried from the read when another writer got there first.
   * `scope` (a violation) names the resolution scope a new finding joins before its first write.
   */
  private async update<T>(
    id: string,
    decide: (item: FindingItem | undefined) => Decision<T> | Promise<Decision<T>>,
    scope?: ViolationObservation,
  ): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const item = await this.load(id);
      const decision = await decide(item);
      if (!decision.write) return decision.result;
      try {
        await this.write(id, item, decision, scope);
        return decision.result;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        if (attempt >= this.maxAttempts) {
          throw new Error(`finding ${id}: still changed by concurrent writers after ${attempt} attempts; retry the event`, {
            cause: error,
          });
        }
        await backoff(attempt);
      }
    }
  }

  private async write(
    id: string,
    item: FindingItem | undefined,
    decision: Decision<unknown> & { write: true },
    scope?: ViolationObservation,
  ): Promise<void> {
    const finding = defined(decision.finding);
    let recentEvents = item?.recentEvents ?? [];
    let markedEvents = item?.markedEvents ?? 0;
    let lastHistory = item?.lastHistory;
    const before: Array<Promise<unknown>> = [];
    if (!item && scope) {
      before.push(this.table.put({ PK: scopeKey(scope), SK: `FINDING#${id}`, findingId: id }));
    }
    if (decision.appliedEvent !== undefined) {
      recentEvents = [...recentEvents, decision.appliedEvent];
      const moved = recentEvents.slice(0, Math.max(0, recentEvents.length - this.recentEventLimit));
      recentEvents = recentEvents.slice(moved.length);
      markedEvents += moved.length;
      const expiresAt = Math.floor(this.now().getTime() / 1000) + this.eventTtlSeconds;
      for (const eventId of moved) {
        before.push(this.table.put({ ...eventKey(id, eventId), findingId: id, eventId, [FINDINGS_TABLE_TTL_ATTRIBUTE]: expiresAt }));
      }
    }
    if (decision.history) {
      // The entry about to be replaced must be durable in its own item (and its trend marker) first.
      if (lastHistory) before.push(this.table.put(lastHistory), this.putTrendMarker(lastHistory));
      lastHistory = { ...historyKey(id, finding.version), doc: defined(decision.history) };
    }
    // What leaves the finding item is durable before the write that drops it.
    await Promise.all(before);
    const next: FindingItem & Record<string, unknown> = {
      ...findingKey(id),
      version: finding.version,
      doc: finding,
      recentEvents,
      markedEvents,
      ...(lastHistory ? { lastHistory } : {}),
      [FINDINGS_TABLE_SORT_ATTRIBUTE]: activityOf(finding),
      [FINDINGS_TABLE_INDEXES.byAreaStatus.partitionKey]: `AREA#${finding.area}#STATUS#${finding.status}`,
      [FINDINGS_TABLE_INDEXES.byAccount.partitionKey]: `ACCOUNT#${finding.account}`,
      [FINDINGS_TABLE_INDEXES.byControl.partitionKey]: `CONTROL#${finding.controlId}`,
      [FINDINGS_TABLE_INDEXES.byResource.partitionKey]: `RESOURCE#${finding.resourceId}`,
    };
    await this.table.doc.send(
      new PutCommand({
        TableName: this.table.name,
        Item: next,
        ...(item
          ? {
              ConditionExpression: '#version = :expected',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':expected': item.version },
            }
          : { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'PK' } }),
      }),
    );
    if (decision.history && lastHistory) {
      // The entry is already safe on the finding item (historyOf reads it there, the next change
      // re-puts it): a failure here loses nothing and must not fail the applied change.
      await Promise.all([this.table.put(lastHistory), this.putTrendMarker(lastHistory)]).catch(() => undefined);
    }
  }

  /** The history entry's trend marker, when it opens or resolves the finding (idempotent: same key). */
  private async putTrendMarker(history: HistoryItem): Promise<void> {
    const column = trendColumnOf(history.doc.transition);
    if (!column) return;
    await this.table.put({ PK: trendPartition(history.doc.at.slice(0, 10)), SK: `${column}#${history.doc.findingId}#${history.SK}` });
  }
}
