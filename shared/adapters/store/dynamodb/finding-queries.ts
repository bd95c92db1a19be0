/**
 * The auditors' queries over the findings table's indexes (docs/dynamodb-table.md): the most
 * selective index the filters allow, newest first, `since`/`until` and the cursor's activity as the
 * key condition's range on `lastActivity`, the other filters as a FilterExpression (placeholders
 * only). With area or status alone, or no filter, every area×status partition of `byAreaStatus` is
 * read and merged. Each partition is read page by page only until the limit is reached and the
 * activity tie at the limit is complete, then the merge sorts exactly like the other adapters.
 * Index reads are eventually consistent: fine for the auditors' listings.
 */
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { byNewestActivity, FINDING_STATUSES, type Finding } from '../../../core/findings/finding';
import type { FindingQuery, FindingSummary } from '../../../core/findings/finding-query';
import { allowedControlIds, decodeCursor, emptySummary, isAfter, type CursorPosition } from '../../../core/findings/query';
import { AREAS } from '../../../core/model/area';
import { SEVERITIES, isSeverity, severityRank } from '../../../core/model/severity';
import { FINDINGS_TABLE_INDEXES, FINDINGS_TABLE_SORT_ATTRIBUTE, trendPartition, type DynamoDbTable, type IndexPurpose } from './table';

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
    const filter = filterOf(query, plan.covered);
    const high = [query.until, position?.activity].filter((t): t is string => t !== undefined).sort()[0];
    const range: ActivityRange = {
      ...(query.since !== undefined ? { low: query.since } : {}),
      ...(high !== undefined ? { high } : {}),
      ...(position ? { position } : {}),
    };
    if (range.low !== undefined && range.high !== undefined && range.low > range.high) return [];
    const pages = await Promise.all(
      plan.partitions.map((partition) => this.queryPartition(plan.index, partition, filter, range, query.limit)),
    );
    // A finding whose status changed between two partition reads can show up in both: keep the newest.
    const newest = new Map<string, Finding>();
    for (const finding of pages.flat()) {
      const seen = newest.get(finding.id);
      if (!seen || seen.version < finding.version) newest.set(finding.id, finding);
    }
    const found = [...newest.values()].sort(byNewestActivity);
    return query.limit === undefined ? found : found.slice(0, query.limit);
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
          const partition = {
            IndexName: name,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': partitionKey },
            ExpressionAttributeValues: { ':pk': `AREA#${area}#STATUS#${status}` },
          };
          if (status !== 'open') {
            const n = await this.table.count(partition);
            summary.total += n;
            summary.byStatus[status] += n;
            summary.byArea[area][status] += n;
            return;
          }
          const severities = await this.table.queryAll({
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
          day[column] = await this.table.count({
            KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :column)',
            ExpressionAttributeNames: { '#pk': 'PK', '#sk': 'SK' },
            ExpressionAttributeValues: { ':pk': trendPartition(day.day), ':column': `${column}#` },
          });
        }),
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
  ): Promise<Finding[]> {
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
