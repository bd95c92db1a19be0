/**
 * DynamoDB FindingStore: the AWS adapter. One table, injected client, no transactions (so it also
 * runs against dynalite), no globals and no environment reads.
 *
 * ## Items (single-table design)
 *
 * | item            | PK                                                  | SK                  | attributes |
 * |-----------------|-----------------------------------------------------|---------------------|------------|
 * | finding         | `FINDING#<id>`                                      | `FINDING`           | `doc` (the whole Finding, as a map), `version`, `lastActivity`, `GSI1PK`..`GSI4PK`, `recentEvents`, `markedEvents`, `lastHistory` |
 * | history entry   | `FINDING#<id>`                                      | `HISTORY#<version>` | `doc` (the HistoryEntry); version zero-padded to 12 digits |
 * | resolution scope| `SCOPE#<controlId>#<account>#<region>#<resourceId>` | `FINDING#<id>`      | `findingId` |
 * | applied event   | `EVENT#<findingId>#<eventId>`                       | `EVENT`             | `findingId`, `eventId`, `expiresAt` (TTL, epoch seconds) |
 * | trend marker    | `TREND#<YYYY-MM-DD>`                                | `<opened\|resolved>#<findingId>#HISTORY#<version>` | none: counted by key |
 * | exemption       | `EXEMPTION#ALL`                                     | `EXEMPTION#<id>`    | `doc` (the Exemption), `version` |
 * | audit entry     | `AUDIT#EXEMPTIONS`                                  | `AUDIT#<at>#<entryId>` | `doc` (the ExemptionAuditEntry) |
 * | roll-up window  | `ROLLUP#<windowId>`                                 | `WINDOW`            | `doc` (the RollupWindow), `version`, `expiresAt` |
 * | due roll-up     | `ROLLUP#DUE`                                        | `<windowEnd>#<windowId>` | `windowId`, `sentAt` once sent, `expiresAt` |
 * | claim decision  | `NOTIFY#<findingId>`                                | `<kind>#<eventId>`  | `decision`, `at` |
 *
 * The Finding is stored whole in `doc`, so fields added to the Finding type later round-trip with
 * no change here; the other finding attributes are derived from it on every write. History items
 * are keyed by the finding's version after the change, so they sort in the order they were applied
 * (the order the other adapters keep) and a re-put of the same entry lands on the same item.
 * A scope item lists a finding under the key a qualifier-less resolution names; it is put before
 * the finding's first write (a crash in between leaves a scope item pointing at nothing, which a
 * resolution skips). DynamoDB's limits apply to `doc`: 400 KB per item, maps nested 32 deep.
 *
 * Trend markers index the history by day for the summary's trend: one per history entry that
 * opens (opened, reopened, unsuppressed) or resolves a finding, put with its history item (and
 * again whenever that item is re-put), so a day's counts are two COUNT queries. Exemptions are
 * few: one partition, read whole with a consistent Query; each is written with a conditional Put
 * on its version. Audit entries are put only if absent (`attribute_not_exists`), under a key that
 * is the same for the same entry, so an action is logged once however often it is retried.
 * None of these items carries an index key, so the indexes hold findings only. Every request is a
 * GetItem, PutItem or Query: no Scan, no transaction, no new IAM action.
 *
 * Roll-up windows (storm control, shared/core/notifications/rollup.ts) follow the finding pattern: read the
 * window (consistent), apply the pure claim, one conditional Put on its version, retried on
 * contention; then the claim's decision is put once (`attribute_not_exists`) under the finding, so
 * a redelivered event gets the decision it got the first time (a crash between the two Puts counts
 * that notification twice in the window, erring towards the roll-up). A window is listed in the
 * `ROLLUP#DUE` partition, by its end, before its first held notification is written; closing it is
 * a conditional Put too, so a claim and the close never both win. Windows and due items expire
 * (TTL) 30 days after the window ended; claim decisions stay (`wasRolledUp` reads them when a
 * finding resolves, months later perhaps). In a burst the window item is the hot key: every claim
 * of that control and account is a Get and a conditional Put on it.
 *
 * ## Indexes (sparse: only finding items carry the keys), all sorted by `lastActivity`
 *
 * `lastActivity` is the ISO time of the finding's newest activity: last seen, or the resolution
 * when that is later (the port's "newest activity first"). Each index projects `doc` only.
 * - `byAreaStatus`: `GSI1PK = AREA#<area>#STATUS#<status>`
 * - `byAccount`:    `GSI2PK = ACCOUNT#<account>`
 * - `byControl`:    `GSI3PK = CONTROL#<controlId>`
 * - `byResource`:   `GSI4PK = RESOURCE#<resourceId>`
 *
 * `listFindings` queries the most selective index the filters allow (resource, control — one
 * partition per allowed control id —, account, area+status), newest first, `since`/`until` and the
 * cursor's activity as the key condition's range on `lastActivity`, with the other filters as a
 * FilterExpression (placeholders only);
 * with area or status alone, or no filter, it queries every area×status partition of
 * `byAreaStatus` and merges. Each partition is read page by page only until the limit is reached
 * and the activity tie at the limit is complete, then the merge sorts exactly like the other
 * adapters. Index reads are eventually consistent: fine for the auditors' listings. The write path
 * never reads an index: `recordResolution` finds its findings through the scope items, in the base
 * table, with consistent reads.
 *
 * ## Idempotency and concurrency without transactions
 *
 * Every change to a finding is read (consistent) → apply the pure lifecycle → one conditional Put
 * of the finding item (`attribute_not_exists(PK)` when new, `version = :expected` otherwise),
 * retried from the read on ConditionalCheckFailed (bounded, jittered backoff; exhausting the
 * attempts throws, so the caller's event is retried, never dropped).
 *
 * The applied-event record lives ON the finding item: `recentEvents` holds the ids of the latest
 * violating events applied (default 20), written by the same conditional Put that applies the
 * event. "Applied" and "recorded as applied" are therefore one atomic write, and there is no crash
 * window between them: a crash before the Put applied nothing (the redelivery applies it), a crash
 * after it left the id on the item (the redelivery finds it and returns undefined). Two concurrent
 * deliveries of one event read the same version; one Put wins, the other fails its condition,
 * re-reads, finds the id and returns undefined.
 *
 * When the list is full, the oldest ids move out to applied-event items, and the move is ordered:
 * the applied-event item is put BEFORE the finding Put that drops the id, so every applied event
 * is always on the finding item, in an applied-event item, or both (a crash in between leaves
 * both, which is harmless; a lost race leaves an item for an id that is applied anyway). An event
 * not in the list is checked against its applied-event item only when ids have ever moved out
 * (`markedEvents > 0`), so a finding with few events costs one read and one write per event.
 * Applied-event items expire `eventTtlDays` (default 30) after they were written: a redelivery
 * older than that would count again, so the TTL must exceed the longest redelivery window
 * (EventBridge retries for up to 24 hours; SQS keeps a message at most 14 days). The finding's
 * own list never expires.
 *
 * History follows the same rule: the change's entry is written in the finding's Put as
 * `lastHistory`, then copied to its history item; before a later change replaces `lastHistory`,
 * the entry is put again (idempotent: same key). A crash between the finding Put and the history
 * Put loses nothing: `historyOf` merges `lastHistory` with the history items, and the next
 * status change writes the item. So a redelivered event never counts twice, and a crash never
 * loses an event or its history entry silently. A resolution naming several findings writes each
 * on its own; after a crash its redelivery resolves the rest (the ones done return no change).
 */
import type { AttributeDefinition, DynamoDBClient, GlobalSecondaryIndex, KeySchemaElement } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { AREAS } from '../../../core/model/area';
import { SEVERITIES, isSeverity, severityRank } from '../../../core/model/severity';
import { FINDING_STATUSES, type Finding, type HistoryEntry } from '../../../core/findings/finding';
import { applyNotified, applyResolution, applyViolation, type Change, type FindingUpdate } from '../../../core/findings/transitions';
import type { ResolutionObservation, ViolationObservation } from '../../../core/findings/observation';
import type { Exemption, ExemptionAuditEntry } from '../../../core/exemptions/exemption';
import { applyClaim, applyClose, applySent, isRollupDue, rollupIdOf, type RollupClaim, type RollupDecision, type RollupWindow } from '../../../core/notifications/rollup';
import { ConcurrentUpdateError, type FindingPage, type FindingQuery, type FindingStore, type FindingSummary } from '../../../core/findings/finding-store';
import {
  activityOf,
  allowedControlIds,
  byAuditOrder,
  byNewestActivity,
  decodeCursor,
  emptySummary,
  isAfter,
  pageThrough,
  softDeleted,
  trendColumnOf,
  type CursorPosition,
} from '../../../core/findings/query';

/** The indexes, by purpose. */
export const FINDINGS_TABLE_INDEXES = {
  byAreaStatus: { name: 'byAreaStatus', partitionKey: 'GSI1PK' },
  byAccount: { name: 'byAccount', partitionKey: 'GSI2PK' },
  byControl: { name: 'byControl', partitionKey: 'GSI3PK' },
  byResource: { name: 'byResource', partitionKey: 'GSI4PK' },
} as const;
type IndexPurpose = keyof typeof FINDINGS_TABLE_INDEXES;

/** The sort key of every index: the ISO time of the finding's newest activity. */
export const FINDINGS_TABLE_SORT_ATTRIBUTE = 'lastActivity';
/** The TTL attribute (epoch seconds) of the applied-event items. */
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
    Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['doc'] },
  })),
};

/** CloudFormation's TimeToLiveSpecification (UpdateTimeToLive's, too). */
export const FINDINGS_TABLE_TIME_TO_LIVE = { AttributeName: FINDINGS_TABLE_TTL_ATTRIBUTE, Enabled: true } as const;

export interface DynamoDbFindingStoreOptions {
  /** Created and owned by the composition root; `close()` leaves it open. */
  client: DynamoDBClient | DynamoDBDocumentClient;
  tableName: string;
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
type Decision<T> = { write: false; result: T } | { write: true; result: T; finding: Finding; history?: HistoryEntry; appliedEvent?: string };

const findingKey = (id: string) => ({ PK: `FINDING#${id}`, SK: 'FINDING' });
const historyKey = (id: string, version: number) => ({ PK: `FINDING#${id}`, SK: `HISTORY#${String(version).padStart(12, '0')}` });
const eventKey = (findingId: string, eventId: string) => ({ PK: `EVENT#${findingId}#${eventId}`, SK: 'EVENT' });
const scopeKey = (key: { controlId: string; account: string; region: string; resourceId: string }) =>
  `SCOPE#${key.controlId}#${key.account}#${key.region}#${key.resourceId}`;
const trendPartition = (day: string) => `TREND#${day}`;
const EXEMPTIONS_PARTITION = 'EXEMPTION#ALL';
const exemptionKey = (id: string) => ({ PK: EXEMPTIONS_PARTITION, SK: `EXEMPTION#${id}` });
const AUDIT_PARTITION = 'AUDIT#EXEMPTIONS';
const rollupWindowKey = (id: string) => ({ PK: `ROLLUP#${id}`, SK: 'WINDOW' });
const ROLLUP_DUE_PARTITION = 'ROLLUP#DUE';
const rollupDueKey = (window: { id: string; windowEnd: string }) => ({ PK: ROLLUP_DUE_PARTITION, SK: `${window.windowEnd}#${window.id}` });
const claimKey = (findingId: string, kind: string, eventId: string) => ({ PK: `NOTIFY#${findingId}`, SK: `${kind}#${eventId}` });
/** Roll-up windows and their due items are kept this long after the window ended. */
const ROLLUP_TTL_SECONDS = 30 * 86_400;
/** Claims on a window in a burst contend for one item: more attempts than for a finding. */
const CLAIM_ATTEMPTS = 40;
const auditKey = (entry: ExemptionAuditEntry) => ({ PK: AUDIT_PARTITION, SK: `AUDIT#${entry.at}#${entry.id}` });

/** The filterable Finding fields; only these names ever reach an expression, always as placeholders. */
const FILTER_FIELDS = ['area', 'status', 'severity', 'controlId', 'account', 'region', 'resourceId'] as const;
type FilterField = (typeof FILTER_FIELDS)[number];
/** DynamoDB's limit of operands for one IN. */
const MAX_IN_OPERANDS = 100;

interface Plan {
  index: IndexPurpose;
  partitions: string[];
  /** Filters the partition key already applies. */
  covered: FilterField[];
}

/** The range of `lastActivity` a query reads: `since` to the lower of `until` and the cursor's activity. */
interface ActivityRange {
  low?: string;
  high?: string;
  position?: CursorPosition;
}

/** The index and partitions that serve a query: the most selective the filters allow. */
export function planQuery(query: FindingQuery): { index: string; partitions: string[]; covered: string[] } {
  const plan = planOf(query);
  return { index: FINDINGS_TABLE_INDEXES[plan.index].name, partitions: plan.partitions, covered: plan.covered };
}

function planOf(query: FindingQuery): Plan {
  const controls = allowedControlIds(query);
  if (controls !== undefined && controls.length === 0) return { index: 'byControl', partitions: [], covered: ['controlId'] };
  if (query.resourceId !== undefined) return { index: 'byResource', partitions: [`RESOURCE#${query.resourceId}`], covered: ['resourceId'] };
  if (controls !== undefined) return { index: 'byControl', partitions: controls.map((id) => `CONTROL#${id}`), covered: ['controlId'] };
  if (query.account !== undefined) return { index: 'byAccount', partitions: [`ACCOUNT#${query.account}`], covered: ['account'] };
  const areas = query.area !== undefined ? [query.area] : AREAS;
  const statuses = query.status !== undefined ? [query.status] : FINDING_STATUSES;
  return {
    index: 'byAreaStatus',
    partitions: areas.flatMap((area) => statuses.map((status) => `AREA#${area}#STATUS#${status}`)),
    covered: ['area', 'status'],
  };
}

type Filter = Pick<QueryCommandInput, 'FilterExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>;

function filterOf(query: FindingQuery, covered: readonly FilterField[]): Filter {
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const name = (field: FilterField) => {
    names['#doc'] = 'doc';
    names[`#${field}`] = field;
    return `#doc.#${field}`;
  };
  for (const field of FILTER_FIELDS) {
    if (field === 'controlId' || covered.includes(field)) continue;
    const value = query[field];
    if (value === undefined) continue;
    values[`:${field}`] = value;
    conditions.push(`${name(field)} = :${field}`);
  }
  const controls = allowedControlIds(query);
  if (controls !== undefined && !covered.includes('controlId')) {
    const groups: string[] = [];
    for (let start = 0; start < controls.length; start += MAX_IN_OPERANDS) {
      const placeholders = controls.slice(start, start + MAX_IN_OPERANDS).map((id, i) => {
        values[`:controlId${start + i}`] = id;
        return `:controlId${start + i}`;
      });
      groups.push(`${name('controlId')} IN (${placeholders.join(', ')})`);
    }
    conditions.push(groups.length === 1 ? groups[0]! : `(${groups.join(' OR ')})`);
  }
  if (query.minSeverity !== undefined) {
    const allowed = SEVERITIES.filter((s) => severityRank(s) >= severityRank(query.minSeverity!));
    const placeholders = allowed.map((severity, i) => {
      values[`:minSeverity${i}`] = severity;
      return `:minSeverity${i}`;
    });
    conditions.push(`${name('severity')} IN (${placeholders.join(', ')})`);
  }
  if (conditions.length === 0) return {};
  return { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}

/** DynamoDB rejects `undefined`; the lifecycle and observations may carry it in optional fields. */
function defined<T>(value: T): T {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(defined) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = defined(v);
    return out as T;
  }
  return value;
}

function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class DynamoDbFindingStore implements FindingStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly eventTtlSeconds: number;
  private readonly recentEventLimit: number;
  private readonly maxAttempts: number;
  private readonly pageSize: number | undefined;
  private readonly now: () => Date;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(options: DynamoDbFindingStoreOptions) {
    this.doc =
      options.client instanceof DynamoDBDocumentClient
        ? options.client
        : DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
    this.table = options.tableName;
    this.eventTtlSeconds = Math.round((options.eventTtlDays ?? 30) * 86_400);
    this.recentEventLimit = Math.max(1, options.recentEvents ?? 20);
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 10);
    this.pageSize = options.pageSize;
    this.now = options.now ?? (() => new Date());
  }

  recordViolation(observation: ViolationObservation): Promise<Change | undefined> {
    const { findingId, eventId } = observation;
    return this.track(
      this.update<Change | undefined>(findingId, async (item) => {
        if (item && (await this.applied(item, eventId))) return { write: false, result: undefined };
        const change = applyViolation(item?.doc, observation);
        return { write: true, result: change, finding: change.finding, history: change.history, appliedEvent: eventId };
      }, observation),
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
            return resolved ? { write: true, result: resolved, finding: resolved.finding, history: resolved.history } : { write: false, result: undefined };
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

  async listFindings(query: FindingQuery = {}): Promise<Finding[]> {
    const position = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.limit !== undefined && query.limit <= 0) return [];
    const plan = planOf(query);
    const filter = filterOf(query, plan.covered);
    const high = [query.until, position?.activity].filter((t): t is string => t !== undefined).sort()[0];
    const range: ActivityRange = { ...(query.since !== undefined ? { low: query.since } : {}), ...(high !== undefined ? { high } : {}), ...(position ? { position } : {}) };
    if (range.low !== undefined && range.high !== undefined && range.low > range.high) return [];
    const pages = await Promise.all(plan.partitions.map((partition) => this.queryPartition(plan.index, partition, filter, range, query.limit)));
    // A finding whose status changed between two partition reads can show up in both: keep the newest.
    const newest = new Map<string, Finding>();
    for (const finding of pages.flat()) {
      const seen = newest.get(finding.id);
      if (!seen || seen.version < finding.version) newest.set(finding.id, finding);
    }
    const found = [...newest.values()].sort(byNewestActivity);
    return query.limit === undefined ? found : found.slice(0, query.limit);
  }

  pageFindings(query: FindingQuery): Promise<FindingPage> {
    return pageThrough((q) => this.listFindings(q), query);
  }

  updateFinding(id: string, apply: (finding: Finding) => FindingUpdate | undefined): Promise<FindingUpdate | undefined> {
    return this.track(
      this.update<FindingUpdate | undefined>(id, (item) => {
        const update = item ? apply(item.doc) : undefined;
        return update ? { write: true, result: update, finding: update.finding, history: update.history } : { write: false, result: undefined };
      }),
    );
  }

  /**
   * Counts with COUNT queries of the area×status partitions (the open ones read for their
   * severities) and of the trend markers of each day: Query only, never Scan.
   */
  async summarize(options: { now: Date; days: number }): Promise<FindingSummary> {
    const summary = emptySummary(options.now, options.days);
    const { name, partitionKey } = FINDINGS_TABLE_INDEXES.byAreaStatus;
    await Promise.all(
      AREAS.flatMap((area) =>
        FINDING_STATUSES.map(async (status) => {
          const partition = { IndexName: name, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': partitionKey }, ExpressionAttributeValues: { ':pk': `AREA#${area}#STATUS#${status}` } };
          if (status !== 'open') {
            const n = await this.count(partition);
            summary.total += n;
            summary.byStatus[status] += n;
            summary.byArea[area][status] += n;
            return;
          }
          const severities = await this.queryAll({
            ...partition,
            ProjectionExpression: '#doc.#severity',
            ExpressionAttributeNames: { ...partition.ExpressionAttributeNames, '#doc': 'doc', '#severity': 'severity' },
          });
          for (const item of severities) {
            const severity = (item.doc as { severity?: unknown } | undefined)?.severity;
            summary.total += 1;
            summary.byStatus.open += 1;
            summary.byArea[area].open += 1;
            if (isSeverity(severity)) summary.bySeverity[severity] += 1;
          }
        }),
      ),
    );
    await Promise.all(
      summary.trend.flatMap((day) =>
        (['opened', 'resolved'] as const).map(async (column) => {
          day[column] = await this.count({
            KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :column)',
            ExpressionAttributeNames: { '#pk': 'PK', '#sk': 'SK' },
            ExpressionAttributeValues: { ':pk': trendPartition(day.day), ':column': `${column}#` },
          });
        }),
      ),
    );
    return summary;
  }

  async putExemption(exemption: Exemption): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...exemptionKey(exemption.id), version: exemption.version, doc: defined(exemption) },
          ...(exemption.version === 1
            ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'PK' } }
            : { ConditionExpression: '#version = :expected', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': exemption.version - 1 } }),
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ConcurrentUpdateError(`exemption ${exemption.id}: changed by another writer`, { cause: error });
      throw error;
    }
  }

  async getExemption(id: string): Promise<Exemption | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.table, Key: exemptionKey(id), ConsistentRead: true }));
    return Item?.doc as Exemption | undefined;
  }

  async listExemptions(): Promise<Exemption[]> {
    const items = await this.queryAll({
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'PK' },
      ExpressionAttributeValues: { ':pk': EXEMPTIONS_PARTITION },
      ConsistentRead: true,
    });
    return items
      .map((item) => item.doc as Exemption)
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
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
        await sleep(Math.random() * Math.min(250, 5 * 2 ** attempt));
      }
    }
  }

  async appendAudit(entry: ExemptionAuditEntry): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
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
    const items = await this.queryAll({
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'PK' },
      ExpressionAttributeValues: { ':pk': AUDIT_PARTITION },
      ConsistentRead: true,
    });
    return items.map((item) => item.doc as ExemptionAuditEntry).sort(byAuditOrder);
  }

  async claimNotification(claim: RollupClaim, individual: number): Promise<RollupDecision> {
    const key = claimKey(claim.item.findingId, claim.kind, claim.item.eventId);
    for (let attempt = 1; ; attempt += 1) {
      const { Item: known } = await this.doc.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
      if (known) return known.decision as RollupDecision;
      // The first part of the window still open (parts after an early close are rare).
      let previous: RollupWindow | undefined;
      let before: RollupWindow | undefined;
      let claimed: ReturnType<typeof applyClaim>;
      for (let part = 1; ; part += 1) {
        const { Item: stored } = await this.doc.send(new GetCommand({ TableName: this.table, Key: rollupWindowKey(rollupIdOf(claim, part)), ConsistentRead: true }));
        before = stored?.doc as RollupWindow | undefined;
        claimed = applyClaim(before, claim, individual, part, previous);
        if (claimed) break;
        previous = before;
      }
      const { decision, window } = claimed;
      // Listed as due before it holds anything, so no held notification is ever unlisted.
      if (window.held > 0 && !(before && before.held > 0)) await this.put({ ...rollupDueKey(window), windowId: window.id, [FINDINGS_TABLE_TTL_ATTRIBUTE]: this.rollupExpiry(window) });
      try {
        await this.putWindow(window, before);
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        if (attempt >= CLAIM_ATTEMPTS) throw new Error(`roll-up window ${window.id}: still changed by concurrent writers after ${attempt} attempts; retry the event`, { cause: error });
        await sleep(Math.random() * Math.min(250, 5 * 2 ** attempt));
        continue;
      }
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...key, decision, at: claim.item.at },
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: { '#pk': 'PK' },
          }),
        );
        return decision;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        // A concurrent delivery of the same event decided first: its decision stands.
        const { Item } = await this.doc.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
        return (Item?.decision as RollupDecision | undefined) ?? decision;
      }
    }
  }

  async wasRolledUp(findingId: string): Promise<boolean> {
    const items = await this.queryAll({
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :kind)',
      ExpressionAttributeNames: { '#pk': 'PK', '#sk': 'SK' },
      ExpressionAttributeValues: { ':pk': `NOTIFY#${findingId}`, ':kind': 'opened#' },
      ConsistentRead: true,
    });
    let latest: Record<string, unknown> | undefined;
    for (const item of items) if (!latest || String(item.at) >= String(latest.at)) latest = item;
    return latest?.decision === 'held';
  }

  async closeRollupWindows(until: string, at: string): Promise<RollupWindow[]> {
    const due = await this.queryAll({
      KeyConditionExpression: '#pk = :pk AND #sk <= :high',
      FilterExpression: 'attribute_not_exists(#sentAt)',
      ExpressionAttributeNames: { '#pk': 'PK', '#sk': 'SK', '#sentAt': 'sentAt' },
      ExpressionAttributeValues: { ':pk': ROLLUP_DUE_PARTITION, ':high': `${until}#\uffff` },
      ConsistentRead: true,
    });
    const closed: RollupWindow[] = [];
    for (const item of due) {
      const window = await this.changeWindow(String(item.windowId), (stored) => (isRollupDue(stored, until) ? (applyClose(stored, at) ?? null) : undefined));
      if (window) closed.push(window);
    }
    return closed;
  }

  async markRollupSent(windowId: string, at: string): Promise<void> {
    const sent = await this.changeWindow(windowId, (stored) => applySent(stored, at));
    if (sent?.sentAt === at) await this.put({ ...rollupDueKey(sent), windowId: sent.id, sentAt: at, [FINDINGS_TABLE_TTL_ATTRIBUTE]: this.rollupExpiry(sent) });
  }

  /**
   * Read → change → conditional Put of one window, retried on contention. `change` returns the new
   * window, null to keep it as it is (and return it), or undefined to skip it (returns undefined).
   */
  private async changeWindow(id: string, change: (stored: RollupWindow) => RollupWindow | null | undefined): Promise<RollupWindow | undefined> {
    for (let attempt = 1; ; attempt += 1) {
      const { Item } = await this.doc.send(new GetCommand({ TableName: this.table, Key: rollupWindowKey(id), ConsistentRead: true }));
      const stored = Item?.doc as RollupWindow | undefined;
      if (!stored) return undefined;
      const next = change(stored);
      if (next === undefined) return undefined;
      if (next === null) return stored;
      try {
        await this.putWindow(next, stored);
        return next;
      } catch (error) {
        if (!isConditionFailure(error) || attempt >= CLAIM_ATTEMPTS) throw error;
        await sleep(Math.random() * Math.min(250, 5 * 2 ** attempt));
      }
    }
  }

  private async putWindow(window: RollupWindow, before: RollupWindow | undefined): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...rollupWindowKey(window.id), version: window.version, doc: defined(window), [FINDINGS_TABLE_TTL_ATTRIBUTE]: this.rollupExpiry(window) },
        ...(before
          ? { ConditionExpression: '#version = :expected', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': before.version } }
          : { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'PK' } }),
      }),
    );
  }

  private rollupExpiry(window: RollupWindow): number {
    return Math.floor(Date.parse(window.windowEnd) / 1000) + ROLLUP_TTL_SECONDS;
  }

  private async count(input: Omit<QueryCommandInput, 'TableName'>): Promise<number> {
    let total = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(new QueryCommand({ TableName: this.table, ...input, Select: 'COUNT', ExclusiveStartKey: start }));
      total += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return total;
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Array<Record<string, unknown>>> {
    const items: Array<Record<string, unknown>> = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(new QueryCommand({ TableName: this.table, ...input, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async historyOf(id: string): Promise<HistoryEntry[]> {
    // One partition: the finding item (for its latest entry, which may not be copied out yet) and the history items.
    const entries = new Map<string, HistoryEntry>();
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': 'PK' },
          ExpressionAttributeValues: { ':pk': findingKey(id).PK },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        if (typeof item.SK !== 'string') continue;
        if (item.SK.startsWith('HISTORY#')) entries.set(item.SK, (item as HistoryItem).doc);
        else if (item.SK === 'FINDING' && (item as FindingItem).lastHistory) {
          const last = (item as FindingItem).lastHistory!;
          entries.set(last.SK, last.doc);
        }
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return [...entries.keys()].sort().map((sk) => entries.get(sk)!);
  }

  /** Every write is awaited by its caller; this waits for the ones still running. */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  /** The client belongs to the composition root: it stays open. */
  async close(): Promise<void> {
    await this.flush();
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const done = () => this.inFlight.delete(work);
    work.then(done, done);
    return work;
  }

  private async load(id: string): Promise<FindingItem | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.table, Key: findingKey(id), ConsistentRead: true }));
    return Item as FindingItem | undefined;
  }

  /** Whether the event was applied to this finding: on its item, or moved out to an applied-event item. */
  private async applied(item: FindingItem, eventId: string): Promise<boolean> {
    if (item.recentEvents?.includes(eventId)) return true;
    if (!item.markedEvents) return false;
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.table, Key: eventKey(item.doc.id, eventId), ConsistentRead: true }));
    return Item !== undefined;
  }

  private async findingsInScope(scope: string): Promise<string[]> {
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': 'PK' },
          ExpressionAttributeValues: { ':pk': scope },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) if (typeof item.findingId === 'string') ids.push(item.findingId);
      start = page.LastEvaluatedKey;
    } while (start);
    return ids;
  }

  /**
   * Read → decide → conditional write, retried from the read when another writer got there first.
   * `scope` (a violation) names the resolution scope a new finding joins before its first write.
   */
  private async update<T>(id: string, decide: (item: FindingItem | undefined) => Decision<T> | Promise<Decision<T>>, scope?: ViolationObservation): Promise<T> {
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
          throw new Error(`finding ${id}: still changed by concurrent writers after ${attempt} attempts; retry the event`, { cause: error });
        }
        await sleep(Math.random() * Math.min(250, 5 * 2 ** attempt));
      }
    }
  }

  private async write(id: string, item: FindingItem | undefined, decision: Decision<unknown> & { write: true }, scope?: ViolationObservation): Promise<void> {
    const finding = defined(decision.finding);
    let recentEvents = item?.recentEvents ?? [];
    let markedEvents = item?.markedEvents ?? 0;
    let lastHistory = item?.lastHistory;
    const before: Array<Promise<unknown>> = [];
    if (!item && scope) {
      before.push(this.put({ PK: scopeKey(scope), SK: `FINDING#${id}`, findingId: id }));
    }
    if (decision.appliedEvent !== undefined) {
      recentEvents = [...recentEvents, decision.appliedEvent];
      const moved = recentEvents.slice(0, Math.max(0, recentEvents.length - this.recentEventLimit));
      recentEvents = recentEvents.slice(moved.length);
      markedEvents += moved.length;
      const expiresAt = Math.floor(this.now().getTime() / 1000) + this.eventTtlSeconds;
      for (const eventId of moved) {
        before.push(this.put({ ...eventKey(id, eventId), findingId: id, eventId, [FINDINGS_TABLE_TTL_ATTRIBUTE]: expiresAt }));
      }
    }
    if (decision.history) {
      // The entry about to be replaced must be durable in its own item (and its trend marker) first.
      if (lastHistory) before.push(this.put(lastHistory), this.putTrendMarker(lastHistory));
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
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: next,
        ...(item
          ? { ConditionExpression: '#version = :expected', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': item.version } }
          : { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'PK' } }),
      }),
    );
    if (decision.history && lastHistory) {
      // The entry is already safe on the finding item (historyOf reads it there, the next change
      // re-puts it): a failure here loses nothing and must not fail the applied change.
      await Promise.all([this.put(lastHistory), this.putTrendMarker(lastHistory)]).catch(() => undefined);
    }
  }

  /** The history entry's trend marker, when it opens or resolves the finding (idempotent: same key). */
  private async putTrendMarker(history: HistoryItem): Promise<void> {
    const column = trendColumnOf(history.doc.transition);
    if (!column) return;
    await this.put({ PK: trendPartition(history.doc.at.slice(0, 10)), SK: `${column}#${history.doc.findingId}#${history.SK}` });
  }

  private async put(item: object): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: item as Record<string, unknown> }));
  }

  /** One index partition, newest first, read until `limit` matches and the activity tie at the limit are in. */
  private async queryPartition(index: IndexPurpose, partition: string, filter: Filter, range: ActivityRange, limit: number | undefined): Promise<Finding[]> {
    const { name, partitionKey } = FINDINGS_TABLE_INDEXES[index];
    const found: Array<{ finding: Finding; activity: string }> = [];
    const names: Record<string, string> = { ...filter.ExpressionAttributeNames, '#partition': partitionKey };
    const values: Record<string, unknown> = { ...filter.ExpressionAttributeValues, ':partition': partition };
    let keyCondition = '#partition = :partition';
    if (range.low !== undefined || range.high !== undefined) {
      names['#activity'] = FINDINGS_TABLE_SORT_ATTRIBUTE;
      if (range.low !== undefined) values[':low'] = range.low;
      if (range.high !== undefined) values[':high'] = range.high;
      keyCondition +=
        range.low !== undefined && range.high !== undefined ? ' AND #activity BETWEEN :low AND :high' : range.low !== undefined ? ' AND #activity >= :low' : ' AND #activity <= :high';
    }
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: name,
          KeyConditionExpression: keyCondition,
          ...filter,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          ...(this.pageSize !== undefined ? { Limit: this.pageSize } : limit !== undefined ? { Limit: Math.max(limit + 1, 50) } : {}),
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const finding = item.doc as Finding;
        const activity = String(item[FINDINGS_TABLE_SORT_ATTRIBUTE]);
        // The key condition stops at the cursor's activity; at that very activity, ids after the cursor's only.
        if (range.position && !isAfter({ id: finding.id, activity }, range.position)) continue;
        found.push({ finding, activity });
      }
      start = page.LastEvaluatedKey;
      if (limit !== undefined && found.length > limit && found[found.length - 1]!.activity < found[limit - 1]!.activity) break;
    } while (start);
    return found.map((f) => f.finding);
  }
}
