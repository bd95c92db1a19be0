/**
 * The auditors' queries over the findings table's indexes (docs/dynamodb-table.md). Listings read
 * the shards of the area × status partitions of `byAreaStatus` the filters allow (a control's id
 * names its area), or a sweep's sparse index; newest first, with `since`/`until` and the cursor's
 * activity as the key condition's range on the activity, and the other filters as a
 * FilterExpression on the projected attributes (placeholders only). Each partition is read page by
 * page only until the limit is reached and the activity tie at the limit is complete; the entries
 * of all partitions are merged, the page's finding items read (BatchGetItem) and sorted exactly
 * like the other adapters. Index reads are eventually consistent: fine for the auditors' listings.
 */
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { byNewestActivity, FINDING_STATUSES, type Finding } from '../../../core/findings/finding';
import type { FindingQuery, FindingSummary } from '../../../core/findings/finding-query';
import {
  allowedControlIds,
  countFinding,
  decodeCursor,
  emptySummary,
  isAfter,
  matchesQuery,
  type CursorPosition,
} from '../../../core/findings/query';
import { AREAS, type Area } from '../../../core/model/area';
import { SEVERITIES, isSeverity, severityRank, type Severity } from '../../../core/model/severity';
import {
  AREA_STATUS_SHARDS,
  areaStatusPartition,
  DEADLINE_SHARDS,
  deadlineSweepPartition,
  bodyOfItem,
  ITEM,
  SNOOZE_SWEEP_PARTITION,
} from './finding-item';
import {
  findingKey,
  FINDINGS_TABLE_INDEXES,
  FINDINGS_TABLE_SORT_ATTRIBUTE,
  TREND_PARTITION_SHARDS,
  trendPartition,
  type DynamoDbTable,
  type IndexPurpose,
} from './table';

/** The filterable Finding fields and the projected attributes that hold them. */
const FILTERED = { severity: ITEM.severity, account: ITEM.account, region: ITEM.region, resourceId: ITEM.resourceId } as const;
/** DynamoDB's limit of operands for one IN. */
const MAX_IN_OPERANDS = 100;

interface Plan {
  index: IndexPurpose;
  partitions: string[];
  /** Whether the index projects the filter attributes (the sweep indexes hold keys only). */
  filterable: boolean;
}

/** The range of the activity a query reads: `since` to the lower of `until` and the cursor's activity. */
interface ActivityRange {
  low?: string;
  high?: string;
  position?: CursorPosition;
}

/** An index entry: the finding it names and its activity there. */
interface Entry {
  id: string;
  activity: string;
}

/** The index and partitions that serve a query. */
export function planQuery(query: FindingQuery): { index: string; partitions: string[] } {
  const plan = planOf(query);
  return { index: FINDINGS_TABLE_INDEXES[plan.index].name, partitions: plan.partitions };
}

const shards = (count: number) => Array.from({ length: count }, (_, shard) => shard);

/** The area a control id names (`network.security-group-open` → network), when it names one. */
function areaOfControl(id: string): Area | undefined {
  const prefix = id.slice(0, id.indexOf('.'));
  return (AREAS as readonly string[]).includes(prefix) ? (prefix as Area) : undefined;
}

function planOf(query: FindingQuery): Plan {
  const controls = allowedControlIds(query);
  if (controls !== undefined && controls.length === 0) return { index: 'byAreaStatus', partitions: [], filterable: true };
  const onlyStatus = Object.entries(query).every(
    ([key, value]) => value === undefined || ['status', 'awaiting', 'cursor', 'limit', 'since', 'until'].includes(key),
  );
  if (query.awaiting !== undefined && onlyStatus && (query.status === undefined || query.status === 'open')) {
    return query.awaiting === 'snoozes'
      ? { index: 'bySnoozeSweep', partitions: [SNOOZE_SWEEP_PARTITION], filterable: false }
      : { index: 'byDeadlineSweep', partitions: shards(DEADLINE_SHARDS).map(deadlineSweepPartition), filterable: false };
  }
  // A control's id names its area: the other areas' partitions cannot hold its findings.
  const controlAreas = controls?.map(areaOfControl) ?? [];
  const areas =
    query.area !== undefined
      ? [query.area]
      : controls !== undefined && controlAreas.every((area) => area !== undefined)
        ? [...new Set(controlAreas as Area[])]
        : AREAS;
  const statuses = query.status !== undefined ? [query.status] : FINDING_STATUSES;
  return {
    index: 'byAreaStatus',
    partitions: areas.flatMap((area) =>
      statuses.flatMap((status) => shards(AREA_STATUS_SHARDS).map((shard) => areaStatusPartition(area, status, shard))),
    ),
    filterable: true,
  };
}

type Filter = Pick<QueryCommandInput, 'FilterExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>;

/** The query's filters on the projected attributes (area and status are in the partition key). */
function filterOf(query: FindingQuery): Filter {
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const [field, attribute] of Object.entries(FILTERED) as Array<[keyof typeof FILTERED, string]>) {
    const value = query[field];
    if (value === undefined) continue;
    names[`#${field}`] = attribute;
    values[`:${field}`] = value;
    conditions.push(`#${field} = :${field}`);
  }
  const controls = allowedControlIds(query);
  if (controls !== undefined) {
    names['#controlId'] = ITEM.controlId;
    const groups: string[] = [];
    for (let start = 0; start < controls.length; start += MAX_IN_OPERANDS) {
      const placeholders = controls.slice(start, start + MAX_IN_OPERANDS).map((id, i) => {
        values[`:controlId${start + i}`] = id;
        return `:controlId${start + i}`;
      });
      groups.push(`#controlId IN (${placeholders.join(', ')})`);
    }
    conditions.push(groups.length === 1 ? groups[0]! : `(${groups.join(' OR ')})`);
  }
  if (query.minSeverity !== undefined) {
    names['#minSeverity'] = ITEM.severity;
    const allowed = SEVERITIES.filter((s) => severityRank(s) >= severityRank(query.minSeverity!));
    const placeholders = allowed.map((severity, i) => {
      values[`:minSeverity${i}`] = severity;
      return `:minSeverity${i}`;
    });
    conditions.push(`#minSeverity IN (${placeholders.join(', ')})`);
  }
  if (conditions.length === 0) return {};
  return { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}

const byNewestEntry = (a: Entry, b: Entry) => (a.activity !== b.activity ? (a.activity < b.activity ? 1 : -1) : a.id < b.id ? -1 : 1);

/** The findings queries of one table; `pageSize` is DynamoDB's `Limit` per request (default: up to 1 MB pages). */
export class FindingQueries {
  constructor(
    private readonly table: DynamoDbTable,
    private readonly pageSize?: number,
  ) {}

  async listFindings(query: FindingQuery = {}): Promise<Finding[]> {
    const position = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.limit !== undefined && query.limit <= 0) return [];
    const plan = planOf(query);
    const filter = plan.filterable ? filterOf(query) : {};
    const high = [query.until, position?.activity].filter((t): t is string => t !== undefined).sort()[0];
    const range: ActivityRange = {
      ...(query.since !== undefined ? { low: query.since } : {}),
      ...(high !== undefined ? { high } : {}),
      ...(position ? { position } : {}),
    };
    if (range.low !== undefined && range.high !== undefined && range.low > range.high) return [];
    const read = await Promise.all(
      plan.partitions.map((partition) => this.queryPartition(plan.index, partition, filter, range, query.limit)),
    );
    // A finding whose status changed between two partition reads can show up in both: once is enough.
    const entries = [...new Map(read.flat().map((entry) => [entry.id, entry])).values()].sort(byNewestEntry);
    const wanted = query.limit === undefined ? entries : entries.slice(0, query.limit);
    const items = await this.table.getMany(wanted.map((entry) => findingKey(entry.id)));
    // The items are read after the index: what the index said is checked again against them.
    const found = items
      .map((item) => bodyOfItem(item, String(item.PK)).f)
      .filter((finding) => matchesQuery(finding, query, position))
      .sort(byNewestActivity);
    return query.limit === undefined ? found : found.slice(0, query.limit);
  }

  /**
   * Counts with COUNT queries of the area×status partitions (the open ones read for their
   * severities) and of the trend markers of each day: Query only, never Scan.
   */
  async summarize(options: { now: Date; days: number }): Promise<FindingSummary> {
    const summary = emptySummary(options.now, options.days);
    const days = new Map(summary.trend.map((day) => [day.day, day]));
    const { name, partitionKey } = FINDINGS_TABLE_INDEXES.byAreaStatus;
    // Every listing entry, for its status (the partition), its severity and where its latest history
    // entry counts in the trend (`tr`): the projected attributes only.
    await Promise.all(
      AREAS.flatMap((area) =>
        FINDING_STATUSES.flatMap((status) =>
          shards(AREA_STATUS_SHARDS).map(async (shard) => {
            const entries = await this.table.queryAll({
              IndexName: name,
              KeyConditionExpression: '#pk = :pk',
              ProjectionExpression: '#severity, #trend',
              ExpressionAttributeNames: { '#pk': partitionKey, '#severity': ITEM.severity, '#trend': ITEM.trend },
              ExpressionAttributeValues: { ':pk': areaStatusPartition(area, status, shard) },
            });
            for (const entry of entries) {
              const severity = entry[ITEM.severity];
              if (status === 'open' && !isSeverity(severity)) continue;
              countFinding(summary, { area, status, severity: severity as Severity });
              const trend = entry[ITEM.trend];
              if (typeof trend !== 'string') continue;
              const [column, day] = trend.split('#') as ['opened' | 'resolved', string];
              const counted = days.get(day);
              if (counted) counted[column] += 1;
            }
          }),
        ),
      ),
    );
    // The entries no finding holds any longer (a later one replaced them): their trend markers.
    await Promise.all(
      summary.trend.flatMap((day) =>
        (['opened', 'resolved'] as const).flatMap((column) =>
          shards(TREND_PARTITION_SHARDS).map(async (shard) => {
            const counted = await this.table.count({
              KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :column)',
              ExpressionAttributeNames: { '#pk': 'PK', '#sk': 'SK' },
              ExpressionAttributeValues: { ':pk': trendPartition(day.day, shard), ':column': `${column}#` },
            });
            day[column] += counted;
          }),
        ),
      ),
    );
    return summary;
  }

  /** One index partition, newest first, read until `limit` matches and the activity tie at the limit are in. */
  private async queryPartition(
    index: IndexPurpose,
    partition: string,
    filter: Filter,
    range: ActivityRange,
    limit: number | undefined,
  ): Promise<Entry[]> {
    const { name, partitionKey } = FINDINGS_TABLE_INDEXES[index];
    const found: Entry[] = [];
    const names: Record<string, string> = { ...filter.ExpressionAttributeNames, '#partition': partitionKey };
    const values: Record<string, unknown> = { ...filter.ExpressionAttributeValues, ':partition': partition };
    let keyCondition = '#partition = :partition';
    if (range.low !== undefined || range.high !== undefined) {
      names['#activity'] = FINDINGS_TABLE_SORT_ATTRIBUTE;
      if (range.low !== undefined) values[':low'] = range.low;
      if (range.high !== undefined) values[':high'] = range.high;
      keyCondition +=
        range.low !== undefined && range.high !== undefined
          ? ' AND #activity BETWEEN :low AND :high'
          : range.low !== undefined
            ? ' AND #activity >= :low'
            : ' AND #activity <= :high';
    }
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.table.doc.send(
        new QueryCommand({
          TableName: this.table.name,
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
        const entry = { id: String(item.PK).slice('FINDING#'.length), activity: String(item[FINDINGS_TABLE_SORT_ATTRIBUTE]) };
        // The key condition stops at the cursor's activity; at that very activity, ids after the cursor's only.
        if (range.position && !isAfter(entry, range.position)) continue;
        found.push(entry);
      }
      start = page.LastEvaluatedKey;
      if (limit !== undefined && found.length > limit && found[found.length - 1]!.activity < found[limit - 1]!.activity) break;
    } while (start);
    return found;
  }
}
