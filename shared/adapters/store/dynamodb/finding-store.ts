/**
 * DynamoDB FindingStore: findings, their applied events and history in the findings table
 * (docs/dynamodb-table.md; the item's shape, built for write cost, in finding-item.ts).
 *
 * Every change to a finding is read (consistent) → apply the pure transition → one conditional Put
 * of the finding item (`attribute_not_exists(PK)` when new, `v = :expected` otherwise), retried from
 * the read on ConditionalCheckFailed (bounded, jittered backoff; exhausting the attempts throws, so
 * the caller's event is retried, never dropped). The applied-event record lives on the finding item
 * (digests of the latest event ids), written by the same Put that applies the event, so "applied"
 * and "recorded as applied" are one atomic write; older ids move out to applied-event items (put
 * before the Put that drops them). The latest history entry follows the same rule inside the body.
 * A redelivered event never counts twice, and a crash never loses an event or its history entry.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Finding, HistoryEntry } from '../../../core/findings/finding';
import { findingIdOf } from '../../../core/findings/finding-id';
import { inScope, type FindingStore, type ResolutionScope } from '../../../core/findings/finding-store';
import type { FindingQuery, FindingSummary } from '../../../core/findings/finding-query';
import type { ResolutionObservation, ViolationObservation } from '../../../core/findings/observation';
import { trendColumnOf } from '../../../core/findings/query';
import { applyNotified, applyResolution, applyViolation, type Change, type FindingUpdate } from '../../../core/findings/transitions';
import {
  bodyOfItem,
  derivedAttributes,
  encodeBody,
  eventDigest,
  eventDigests,
  ITEM,
  shardOf,
  TREND_SHARDS,
  type FindingBody,
} from './finding-item';
import { FindingQueries } from './finding-queries';
import {
  backoff,
  defined,
  eventKey,
  findingKey,
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
  /** Digests of the latest applied events kept on the finding item. Default 16 (128 bytes: a finding item stays under 1 KB). */
  recentEvents?: number;
  /** Read-apply-write attempts under contention before giving up with an error. Default 10. */
  maxAttempts?: number;
  /** Query page size (DynamoDB `Limit`); default: up to 1 MB pages. */
  pageSize?: number;
  now?: () => Date;
}

/** A finding item, read and decoded. */
interface StoredFinding {
  version: number;
  body: FindingBody;
  /** Digests of the latest applied events, oldest first. */
  events: Buffer[];
  /** Applied events moved out to their own items. */
  marked: number;
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
    this.recentEventLimit = Math.max(1, options.recentEvents ?? 16);
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 10);
    this.now = options.now ?? (() => new Date());
    this.queries = new FindingQueries(table, options.pageSize);
  }

  recordViolation(observation: ViolationObservation): Promise<Change | undefined> {
    const { findingId, eventId } = observation;
    return this.track(
      this.update<Change | undefined>(
        findingId,
        async (stored) => {
          if (stored && (await this.applied(findingId, stored, eventId))) return { write: false, result: undefined };
          const change = applyViolation(stored?.body.f, observation);
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
        for (const id of await this.findingIdsInScope(observation)) {
          const change = await this.update<Change | undefined>(id, (stored) => {
            const finding = stored?.body.f;
            if (!finding || !inScope(finding, observation)) return { write: false, result: undefined };
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
      this.update<void>(findingId, (stored) => {
        const updated = applyNotified(stored?.body.f, eventId);
        return updated ? { write: true, result: undefined, finding: updated } : { write: false, result: undefined };
      }),
    );
  }

  async getFinding(id: string): Promise<Finding | undefined> {
    return (await this.load(id))?.body.f;
  }

  async findingsInScope(scope: ResolutionScope): Promise<Finding[]> {
    const items = await this.table.getMany(
      (await this.findingIdsInScope(scope)).map((id) => findingKey(id)),
      true,
    );
    return items.map((item) => bodyOfItem(item, String(item.PK)).f).filter((finding) => inScope(finding, scope));
  }

  listFindings(query: FindingQuery = {}): Promise<Finding[]> {
    return this.queries.listFindings(query);
  }

  updateFinding(id: string, apply: (finding: Finding) => FindingUpdate | undefined): Promise<FindingUpdate | undefined> {
    return this.track(
      this.update<FindingUpdate | undefined>(id, (stored) => {
        const update = stored ? apply(stored.body.f) : undefined;
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
      if (item.SK.startsWith('HISTORY#')) entries.set(item.SK, item.doc as HistoryEntry);
      else if (item.SK === 'FINDING') {
        const latest = bodyOfItem(item, `finding ${id}`).h;
        if (latest) entries.set(historyKey(id, latest.v).SK, latest.entry);
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

  private async load(id: string): Promise<StoredFinding | undefined> {
    const { Item } = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: findingKey(id), ConsistentRead: true }));
    if (!Item) return undefined;
    return {
      version: Item[ITEM.version] as number,
      body: bodyOfItem(Item, `finding ${id}`),
      events: eventDigests(Item[ITEM.events] as Uint8Array | undefined),
      marked: (Item[ITEM.marked] as number | undefined) ?? 0,
    };
  }

  /** Whether the event was applied to this finding: on the item, or moved out to an applied-event item. */
  private async applied(findingId: string, stored: StoredFinding, eventId: string): Promise<boolean> {
    const digest = eventDigest(eventId);
    if (stored.events.some((seen) => seen.equals(digest))) return true;
    if (stored.marked === 0) return false;
    const { Item } = await this.table.doc.send(
      new GetCommand({ TableName: this.table.name, Key: eventKey(findingId, digest), ConsistentRead: true }),
    );
    return Item !== undefined;
  }

  /**
   * The findings a resolution may resolve: the one its key names (ids derive from control, account,
   * region, resource and qualifier), and without a qualifier also the qualified ones of its scope
   * (listed in the scope's partition).
   */
  private async findingIdsInScope(observation: ResolutionScope): Promise<string[]> {
    const named = findingIdOf(observation);
    if (observation.qualifier !== undefined) return [named];
    const listed = (await this.partition(scopeKey(observation))).flatMap((item) =>
      typeof item.findingId === 'string' ? [item.findingId] : [],
    );
    return [...new Set([named, ...listed])];
  }

  /**
   * Read → decide → conditional write, retried from the read when another writer got there first.
   * `scope` (a violation) names the resolution scope a new finding joins before its first write.
   */
  private async update<T>(
    id: string,
    decide: (stored: StoredFinding | undefined) => Decision<T> | Promise<Decision<T>>,
    scope?: ViolationObservation,
  ): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const stored = await this.load(id);
      const decision = await decide(stored);
      if (!decision.write) return decision.result;
      try {
        await this.write(id, stored, decision, scope);
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
    stored: StoredFinding | undefined,
    decision: Decision<unknown> & { write: true },
    scope?: ViolationObservation,
  ): Promise<void> {
    const finding = defined(decision.finding);
    let events = stored?.events ?? [];
    let marked = stored?.marked ?? 0;
    let latest = stored?.body.h;
    const before: Array<Promise<unknown>> = [];
    // A finding a resolution may reach whose id is not the one its key derives (a qualifier, or an
    // id made elsewhere) is listed in its scope, so a resolution without a qualifier finds it.
    if (!stored && scope && scope.resolvable !== false && (scope.qualifier !== undefined || findingIdOf(scope) !== id)) {
      before.push(this.table.put({ PK: scopeKey(scope), SK: `FINDING#${id}`, findingId: id }));
    }
    if (decision.appliedEvent !== undefined) {
      events = [...events, eventDigest(decision.appliedEvent)];
      const moved = events.slice(0, Math.max(0, events.length - this.recentEventLimit));
      events = events.slice(moved.length);
      marked += moved.length;
      for (const digest of moved) before.push(this.putAppliedEvent(id, digest));
    }
    if (decision.history) {
      // The entry about to be replaced must be durable in its own item (and its trend marker) first.
      if (latest) before.push(this.ensureHistory(id, latest));
      latest = { v: finding.version, entry: defined(decision.history) };
    }
    // What leaves the finding item is durable before the write that drops it.
    await Promise.all(before);
    const next: Record<string, unknown> = {
      ...findingKey(id),
      [ITEM.version]: finding.version,
      [ITEM.body]: encodeBody({ f: finding, ...(latest ? { h: latest } : {}) }),
      ...(events.length > 0 ? { [ITEM.events]: Buffer.concat(events) } : {}),
      ...(marked > 0 ? { [ITEM.marked]: marked } : {}),
      ...derivedAttributes(finding, latest),
    };
    await this.table.doc.send(
      new PutCommand({
        TableName: this.table.name,
        Item: next,
        ...(stored
          ? {
              ConditionExpression: '#version = :expected',
              ExpressionAttributeNames: { '#version': ITEM.version },
              ExpressionAttributeValues: { ':expected': stored.version },
            }
          : { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'PK' } }),
      }),
    );
  }

  /** The applied-event item of an event leaving the finding item: what recognises its redelivery from then on. */
  private putAppliedEvent(findingId: string, digest: Buffer): Promise<void> {
    const expiresAt = Math.floor(this.now().getTime() / 1000) + this.eventTtlSeconds;
    return this.table.put({ ...eventKey(findingId, digest), [FINDINGS_TABLE_TTL_ATTRIBUTE]: expiresAt });
  }

  /**
   * The history entry leaving the finding's body, in its own item, with its trend marker (while in
   * the body, the listing index counts it: finding-item.ts `trendOf`). Each is read first and
   * written only when missing (an earlier attempt of this change wrote it), so a retry costs reads.
   */
  private async ensureHistory(findingId: string, latest: NonNullable<FindingBody['h']>): Promise<void> {
    const key = historyKey(findingId, latest.v);
    const { Item } = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: key, ConsistentRead: true }));
    if (!Item) await this.table.put({ ...key, doc: latest.entry });
    const marker = this.trendMarkerKey(findingId, latest);
    if (!marker) return;
    const { Item: counted } = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: marker, ConsistentRead: true }));
    if (!counted) await this.table.put(marker);
  }

  /** The trend marker of a history entry that opens or resolves the finding: its day, in one of the day's shards. */
  private trendMarkerKey(findingId: string, latest: NonNullable<FindingBody['h']>): { PK: string; SK: string } | undefined {
    const column = trendColumnOf(latest.entry.transition);
    if (!column) return undefined;
    return {
      PK: trendPartition(latest.entry.at.slice(0, 10), shardOf(findingId, TREND_SHARDS)),
      SK: `${column}#${findingId}#${historyKey(findingId, latest.v).SK}`,
    };
  }
}
