/**
 * The DynamoDB storage (`dynamoDbStorage`, one table) on dynalite, over HTTP with the real SDK
 * client, against the three port contracts (default options, and one-item pages with one recent
 * event); then what only DynamoDB has: the table definition, conditional writes under concurrent
 * writers, applied events moved out to items that expire, history items, the index each query
 * uses, and the layout of exemption and notification window items. Tests needing the raw options
 * build `new DynamoDbFindingStore(new DynamoDbTable({ client, tableName }), options)`. Every
 * client records the commands it sends, and a test can make chosen ones fail.
 */
import { waitUntilTableExists, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  dynamoDbStorage,
  DynamoDbFindingStore,
  DynamoDbTable,
  FINDINGS_TABLE_DEFINITION,
  FINDINGS_TABLE_TIME_TO_LIVE,
  planQuery,
  type DynamoDbFindingStoreOptions,
} from '../../shared/adapters/store/dynamodb';
import { bodyOfItem, decodeDocument, encodeBody, eventDigest, eventDigests } from '../../shared/adapters/store/dynamodb/finding-item';
import { MemoryFindingStore } from '../../shared/adapters/store/memory';
import { ALL_CONTROLS } from '../../shared/core/controls';
import type { Storage } from '../../shared/app/storage';
import { ConcurrentUpdateError } from '../../shared/core/exemptions/exemption-store';
import type { FindingQuery } from '../../shared/core/findings/finding-query';
import type { FindingStore } from '../../shared/core/findings/finding-store';
import { END_OF_TIME } from '../../shared/core/notifications/rollup';
import { applySnooze, applySnoozeEnd } from '../../shared/core/findings/transitions';
import { HOUR, testClock } from '../support/clock';
import { startDynalite, type LocalService } from '../support/local-aws';
import { resolution, violation } from '../support/observations';
import { createFindingsTable, localDynamoDbClient } from '../support/storage';
import { auditOf, describeExemptionStoreContract, exemptionOf } from './exemption-store-contract';
import { describeFindingStoreContract } from './finding-store-contract';
import { claimOf, describeNotificationWindowStoreContract } from './notification-window-store-contract';

interface SentCommand {
  command: string;
  input: Record<string, unknown>;
}

let dynalite: LocalService;
let tables = 0;
/** Every command a test client sent, as given (before marshalling). */
let sent: SentCommand[] = [];
/** Rejects a command before it is sent, to stand in for a crash or a failed call. */
let failWhen: ((command: SentCommand) => boolean) | undefined;
/** The clock of every store here (applied-event items expire from it). */
const clock = testClock('2026-04-01T00:00:00.000Z');

beforeAll(async () => {
  dynalite = await startDynalite();
});

afterAll(async () => {
  await dynalite.stop();
});

beforeEach(() => {
  sent = [];
  failWhen = undefined;
  clock.set('2026-04-01T00:00:00.000Z');
});
afterEach(() => {
  failWhen = undefined;
});

/** A client of the local endpoint that records every command and fails the ones `failWhen` picks. */
function newClient(): DynamoDBClient {
  const client = localDynamoDbClient(dynalite.endpoint);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = { command: String(context.commandName), input: args.input as Record<string, unknown> };
      sent.push(command);
      if (failWhen?.(command)) throw Object.assign(new Error(`injected failure: ${command.command}`), { name: 'InjectedFailure' });
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  return client;
}

async function createTable(client: DynamoDBClient): Promise<string> {
  const tableName = `findings-${++tables}`;
  await createFindingsTable(client, tableName);
  await waitUntilTableExists({ client, maxWaitTime: 10, minDelay: 1 }, { TableName: tableName });
  return tableName;
}

/** A fresh table and the storage over it. */
async function storageOf(options: DynamoDbFindingStoreOptions = {}): Promise<Storage & { client: DynamoDBClient; tableName: string }> {
  const client = newClient();
  const tableName = await createTable(client);
  return { ...dynamoDbStorage({ client, tableName, now: clock.now, ...options }), client, tableName };
}

interface Fixture {
  client: DynamoDBClient;
  tableName: string;
  store: DynamoDbFindingStore;
  /** Another store on the same table, as a concurrent Lambda would have. */
  another: (options?: DynamoDbFindingStoreOptions) => DynamoDbFindingStore;
}

async function fixture(options: DynamoDbFindingStoreOptions = {}): Promise<Fixture> {
  const client = newClient();
  const tableName = await createTable(client);
  const storeOn = (c: DynamoDBClient | DynamoDBDocumentClient, more: DynamoDbFindingStoreOptions = {}) =>
    new DynamoDbFindingStore(new DynamoDbTable({ client: c, tableName }), { now: clock.now, ...options, ...more });
  return { client, tableName, store: storeOn(client), another: (more = {}) => storeOn(newClient(), more) };
}

async function partition(client: DynamoDBClient, tableName: string, pk: string): Promise<Array<Record<string, unknown>>> {
  const { Items } = await DynamoDBDocumentClient.from(client).send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

const T = (minute: number) => new Date(Date.UTC(2026, 2, 1, 10, minute)).toISOString();

const configurations: Array<[string, () => Promise<Storage>]> = [
  ['dynamodb (dynalite)', () => storageOf()],
  ['dynamodb (dynalite, one-item pages, one recent event)', () => storageOf({ pageSize: 1, recentEvents: 1 })],
];
for (const [name, open] of configurations) {
  describeFindingStoreContract(name, open);
  describeExemptionStoreContract(name, open);
  describeNotificationWindowStoreContract(name, open);
}

describe('DynamoDbFindingStore table definition', () => {
  it('defines the key schema, the listing index and the two sparse sweep indexes sorted by activity, their projections, and the TTL attribute', () => {
    expect(FINDINGS_TABLE_DEFINITION.KeySchema).toEqual([
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ]);
    expect(FINDINGS_TABLE_DEFINITION.GlobalSecondaryIndexes.map((i) => [i.IndexName, i.KeySchema!.map((k) => k.AttributeName)])).toEqual([
      ['byAreaStatus', ['gAS', 'act']],
      ['bySnoozeSweep', ['gSn', 'act']],
      ['byDeadlineSweep', ['gDl', 'act']],
    ]);
    // The listing index projects the few attributes queries filter and the summary counts on; the sweep indexes, keys only.
    expect(FINDINGS_TABLE_DEFINITION.GlobalSecondaryIndexes.map((i) => i.Projection)).toEqual([
      { ProjectionType: 'INCLUDE', NonKeyAttributes: ['sev', 'ctl', 'acct', 'rgn', 'res', 'tr'] },
      { ProjectionType: 'KEYS_ONLY' },
      { ProjectionType: 'KEYS_ONLY' },
    ]);
    const defined = FINDINGS_TABLE_DEFINITION.AttributeDefinitions.map((a) => a.AttributeName).sort();
    const used = [
      ...FINDINGS_TABLE_DEFINITION.KeySchema,
      ...FINDINGS_TABLE_DEFINITION.GlobalSecondaryIndexes.flatMap((i) => i.KeySchema!),
    ].map((k) => k.AttributeName);
    expect(defined).toEqual([...new Set(used)].sort());
    expect(FINDINGS_TABLE_TIME_TO_LIVE).toEqual({ AttributeName: 'expiresAt', Enabled: true });
  });
});

describe('DynamoDbFindingStore concurrency and idempotency', () => {
  it('counts every event exactly once when two instances apply 20 events to one finding at once', async () => {
    // Twenty writers on one item: one wins each round, so the last may need about twenty attempts on a
    // loaded machine. Giving up is tested below; here the count is what is checked.
    const { store, another } = await fixture({ maxAttempts: 60 });
    const other = another();
    const events = Array.from({ length: 20 }, (_, i) => violation({ eventId: `e${i}`, eventTime: T(i) }));
    const changes = await Promise.all(events.map((obs, i) => (i % 2 === 0 ? store : other).recordViolation(obs)));
    expect(changes.every((c) => c !== undefined)).toBe(true);
    expect(changes.filter((c) => c!.transition === 'opened')).toHaveLength(1);
    expect(changes.filter((c) => c!.transition === 'repeated')).toHaveLength(19);
    const finding = await store.getFinding(events[0]!.findingId);
    expect(finding).toMatchObject({ count: 20, version: 20, firstSeen: T(0), lastSeen: T(19) });
    expect(finding!.evidence.eventId).toBe('e19');
    expect(await store.historyOf(finding!.id)).toEqual([expect.objectContaining({ transition: 'opened' })]);
    // Every write after the first read a finding it had to re-read at least once: the condition did its job.
    const findingPuts = sent.filter((c) => c.command === 'PutItemCommand' && (c.input.Item as { SK?: string }).SK === 'FINDING');
    expect(findingPuts.length).toBeGreaterThan(20);
  });

  it('applies an event delivered concurrently several times once', async () => {
    const { store, another } = await fixture();
    const other = another();
    await store.recordViolation(violation({ eventId: 'e0', eventTime: T(0) }));
    const deliveries = Array.from({ length: 6 }, (_, i) =>
      (i % 2 === 0 ? store : other).recordViolation(violation({ eventId: 'dup', eventTime: T(5) })),
    );
    const changes = await Promise.all(deliveries);
    expect(changes.filter((c) => c !== undefined)).toHaveLength(1);
    const finding = await store.getFinding(violation({ eventId: 'dup', eventTime: T(5) }).findingId);
    expect(finding).toMatchObject({ count: 2, version: 2 });
  });

  it('applies a new finding delivered concurrently several times once', async () => {
    const { store, another } = await fixture();
    const others = [another(), another()];
    const changes = await Promise.all(
      Array.from({ length: 6 }, (_, i) => [store, ...others][i % 3]!.recordViolation(violation({ eventId: 'first', eventTime: T(0) }))),
    );
    expect(changes.filter((c) => c !== undefined).map((c) => c!.transition)).toEqual(['opened']);
    expect(await store.listFindings()).toEqual([expect.objectContaining({ count: 1, version: 1 })]);
  });

  it('resolves and violates the same finding concurrently without losing either', async () => {
    const { store, another } = await fixture();
    const other = another();
    await store.recordViolation(violation({ eventId: 'e0', eventTime: T(0) }));
    const [changes, repeat] = await Promise.all([
      other.recordResolution(resolution({ eventId: 'r1', eventTime: T(30) })),
      store.recordViolation(violation({ eventId: 'e1', eventTime: T(10) })),
    ]);
    expect(repeat?.transition).toBe('repeated');
    expect(changes.map((c) => c.transition)).toEqual(['resolved']);
    const finding = (await store.listFindings())[0]!;
    expect(finding).toMatchObject({ status: 'resolved', count: 2, lastSeen: T(10), resolvedAt: T(30), version: 3 });
  });

  it('gives up with an error, not silently, when contention outlasts the attempts', async () => {
    const { store } = await fixture({ maxAttempts: 2 });
    await store.recordViolation(violation({ eventId: 'e0', eventTime: T(0) }));
    failWhen = (c) => {
      if (c.command !== 'PutItemCommand' || (c.input.Item as { SK?: string }).SK !== 'FINDING') return false;
      throw Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });
    };
    await expect(store.recordViolation(violation({ eventId: 'e1', eventTime: T(1) }))).rejects.toThrow(/after 2 attempts/);
    failWhen = undefined;
    expect(await store.recordViolation(violation({ eventId: 'e1', eventTime: T(1) }))).toMatchObject({ transition: 'repeated' });
  });
});

describe('DynamoDbFindingStore applied-event items', () => {
  it('moves event ids out to items that expire eventTtlDays after they were written, and stays idempotent for them', async () => {
    const { client, tableName, store } = await fixture({ recentEvents: 2, eventTtlDays: 7 });
    const start = clock.now().getTime();
    for (let i = 0; i < 5; i += 1) {
      clock.set(new Date(start + i * HOUR));
      await store.recordViolation(violation({ eventId: `e${i}`, eventTime: T(i) }));
    }
    const findingId = violation({ eventId: 'e0', eventTime: T(0) }).findingId;
    const [item] = await partition(client, tableName, `FINDING#${findingId}`);
    expect(item).toMatchObject({ SK: 'FINDING', mk: 3 });
    // The item keeps 8-byte digests of the latest event ids, not the ids.
    expect(eventDigests(item!.ev as Uint8Array)).toEqual([eventDigest('e3'), eventDigest('e4')]);
    const digestOf = (eventId: string) => eventDigest(eventId).toString('hex');
    for (const [k, eventId] of ['e0', 'e1', 'e2'].entries()) {
      // e<k> moved out when e<k+2> was applied, at the clock's time then.
      const written = start + (k + 2) * HOUR;
      const [marker] = await partition(client, tableName, `EVENT#${findingId}#${digestOf(eventId)}`);
      expect(marker).toMatchObject({ expiresAt: Math.floor(written / 1000) + 7 * 86_400 });
      expect(Number.isInteger(marker!.expiresAt)).toBe(true);
      expect((marker!.expiresAt as number) * 1000).toBeGreaterThan(written);
    }
    expect(await partition(client, tableName, `EVENT#${findingId}#${digestOf('e3')}`)).toEqual([]);
    // Redeliveries of moved and kept events alike change nothing.
    for (const eventId of ['e0', 'e2', 'e4']) expect(await store.recordViolation(violation({ eventId, eventTime: T(0) }))).toBeUndefined();
    expect(await store.getFinding(findingId)).toMatchObject({ count: 5, version: 5 });
  });

  it('keeps an event id on the finding until its applied-event item is written', async () => {
    const { store } = await fixture({ recentEvents: 1 });
    await store.recordViolation(violation({ eventId: 'e0', eventTime: T(0) }));
    failWhen = (c) => c.command === 'PutItemCommand' && String((c.input.Item as { PK?: string }).PK).startsWith('EVENT#');
    await expect(store.recordViolation(violation({ eventId: 'e1', eventTime: T(1) }))).rejects.toThrow(/injected failure/);
    failWhen = undefined;
    expect((await store.listFindings())[0]).toMatchObject({ count: 1, version: 1 });
    expect(await store.recordViolation(violation({ eventId: 'e0', eventTime: T(0) }))).toBeUndefined();
    expect(await store.recordViolation(violation({ eventId: 'e1', eventTime: T(1) }))).toMatchObject({ transition: 'repeated' });
    expect(await store.recordViolation(violation({ eventId: 'e0', eventTime: T(0) }))).toBeUndefined();
    expect((await store.listFindings())[0]).toMatchObject({ count: 2, version: 2 });
  });

  it('loses no event when the finding write fails after an event id was moved out', async () => {
    const { store } = await fixture({ recentEvents: 1 });
    await store.recordViolation(violation({ eventId: 'e0', eventTime: T(0) }));
    failWhen = (c) => c.command === 'PutItemCommand' && (c.input.Item as { SK?: string }).SK === 'FINDING';
    await expect(store.recordViolation(violation({ eventId: 'e1', eventTime: T(1) }))).rejects.toThrow(/injected failure/);
    failWhen = undefined;
    // e0's applied-event item was written; e1 was not applied: its redelivery applies it, once.
    expect(await store.recordViolation(violation({ eventId: 'e0', eventTime: T(0) }))).toBeUndefined();
    expect(await store.recordViolation(violation({ eventId: 'e1', eventTime: T(1) }))).toMatchObject({ transition: 'repeated' });
    expect(await store.recordViolation(violation({ eventId: 'e1', eventTime: T(1) }))).toBeUndefined();
    expect((await store.listFindings())[0]).toMatchObject({ count: 2, version: 2 });
  });
});

describe('DynamoDbFindingStore history', () => {
  it('keeps status changes in the order applied: the latest in the finding item, each earlier one in an item of its own', async () => {
    const { client, tableName, store } = await fixture();
    const opened = await store.recordViolation(violation({ eventId: 'e1', eventTime: T(0), severity: 'MEDIUM' }));
    await store.recordViolation(violation({ eventId: 'e2', eventTime: T(1), severity: 'MEDIUM' }));
    await store.recordViolation(violation({ eventId: 'e3', eventTime: T(2), severity: 'CRITICAL' }));
    await store.recordResolution(resolution({ eventId: 'r1', eventTime: T(3) }));
    await store.recordViolation(violation({ eventId: 'e4', eventTime: T(4) }));
    const id = opened!.finding.id;
    const expected = [
      ['opened', 'e1'],
      ['escalated', 'e3'],
      ['resolved', 'r1'],
      ['reopened', 'e4'],
    ];
    expect((await store.historyOf(id)).map((h) => [h.transition, h.eventId])).toEqual(expected);
    const items = (await partition(client, tableName, `FINDING#${id}`)).filter((i) => String(i.SK).startsWith('HISTORY#'));
    expect(items.map((i) => [(i.doc as { transition: string }).transition, (i.doc as { eventId: string }).eventId])).toEqual(
      expected.slice(0, -1),
    );
    expect(await store.historyOf('no-such-finding')).toEqual([]);
  });

  it('refuses a change, leaving the finding as it was, while the entry it replaces cannot be written to its own item', async () => {
    const { client, tableName, store } = await fixture();
    const opened = await store.recordViolation(violation({ eventId: 'e1', eventTime: T(0) }));
    const id = opened!.finding.id;
    const historyItems = async () =>
      (await partition(client, tableName, `FINDING#${id}`)).filter((i) => String(i.SK).startsWith('HISTORY#'));
    // The opening's entry lives in the finding item until a later change replaces it.
    expect(await historyItems()).toHaveLength(0);
    expect((await store.historyOf(id)).map((h) => h.transition)).toEqual(['opened']);
    failWhen = (c) => c.command === 'PutItemCommand' && String((c.input.Item as { SK?: string }).SK).startsWith('HISTORY#');
    await expect(store.recordResolution(resolution({ eventId: 'r1', eventTime: T(5) }))).rejects.toThrow(/injected failure/);
    expect(await store.getFinding(id)).toMatchObject({ status: 'open', version: 1 });
    failWhen = undefined;
    await store.recordResolution(resolution({ eventId: 'r1', eventTime: T(5) }));
    expect((await historyItems()).map((i) => (i.doc as { transition: string }).transition)).toEqual(['opened']);
    expect((await store.historyOf(id)).map((h) => h.transition)).toEqual(['opened', 'resolved']);
  });
});

describe('DynamoDbFindingStore listings', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await fixture();
    const s = fx.store;
    await s.recordViolation(violation({ eventId: 'a', eventTime: T(1), resourceId: 'sg-a' }));
    await s.recordViolation(violation({ eventId: 'b', eventTime: T(5), resourceId: 'sg-b', account: '444455556666', severity: 'LOW' }));
    await s.recordViolation(violation({ eventId: 'c', eventTime: T(3), resourceId: 'sg-c' }));
    await s.recordViolation(
      violation({ eventId: 'd', eventTime: T(4), resourceId: 'trail-1', controlId: 'audit.cloudtrail-logging-stopped', area: 'audit' }),
    );
    await s.recordViolation(
      violation({ eventId: 'e', eventTime: T(2), resourceId: 'trail-2', controlId: 'audit.cloudtrail-logging-stopped', area: 'audit' }),
    );
    await s.recordViolation(violation({ eventId: 'f', eventTime: T(6), resourceId: 'sg-a', qualifier: 'tcp/22' }));
    await s.recordResolution(resolution({ eventId: 'r', eventTime: T(7), resourceId: 'sg-c' }));
  });

  const listed = async (query: FindingQuery) => {
    sent = [];
    const findings = await fx.store.listFindings(query);
    const queries = sent
      .filter((c) => c.command === 'QueryCommand')
      .map((c) => ({ index: c.input.IndexName, partition: (c.input.ExpressionAttributeValues as Record<string, unknown>)[':partition'] }));
    expect(sent.some((c) => c.command === 'ScanCommand')).toBe(false);
    return {
      ids: findings.map((f) => `${f.resourceId}${f.qualifier ? `/${f.qualifier}` : ''}`),
      lastSeen: findings.map((f) => f.lastSeen),
      queries,
    };
  };

  const shardsOf = (partition: string) => [0, 1, 2, 3].map((shard) => ({ index: 'byAreaStatus', partition: `${partition}#${shard}` }));

  it('reads the four shards of an area and status', async () => {
    const { ids, queries } = await listed({ area: 'network', status: 'open' });
    expect(ids).toEqual(['sg-a/tcp/22', 'sg-b', 'sg-a']);
    expect(queries).toEqual(shardsOf('network#open'));
  });

  it("reads only a control's area, and filters on the projected control id", async () => {
    sent = [];
    const { ids, lastSeen, queries } = await listed({ controlId: 'audit.cloudtrail-logging-stopped' });
    expect(ids).toEqual(['trail-1', 'trail-2']);
    expect(lastSeen).toEqual([T(4), T(2)]);
    expect(queries).toEqual(['open', 'resolved', 'suppressed'].flatMap((status) => shardsOf(`audit#${status}`)));
  });

  it('filters an account, a resource and a region on the projected attributes, in the key condition never', async () => {
    expect((await listed({ account: '111122223333' })).ids).toEqual(['sg-c', 'sg-a/tcp/22', 'trail-1', 'trail-2', 'sg-a']);
    const { ids, queries } = await listed({
      resourceId: 'sg-a',
      account: '111122223333',
      controlId: 'network.security-group-open-to-internet',
    });
    expect(ids).toEqual(['sg-a/tcp/22', 'sg-a']);
    expect(queries).toHaveLength(12);
    const filters = sent.filter((c) => c.command === 'QueryCommand').map((c) => c.input.FilterExpression);
    expect(filters.every((f) => typeof f === 'string' && f.includes('#resourceId = :resourceId') && f.includes('#controlId IN'))).toBe(
      true,
    );
  });

  it("relies on every control's id naming its area, which the catalogue keeps", () => {
    // The planner reads a control's findings from its area's partitions only.
    expect(ALL_CONTROLS.filter((control) => !control.id.startsWith(`${control.area}.`)).map((control) => control.id)).toEqual([]);
    expect(planQuery({ controlIds: ['iam.root-account-used', 'data.secret-read-by-iam-user'] }).partitions).toHaveLength(2 * 3 * 4);
    expect(planQuery({ controlId: 'custom-control' }).partitions).toHaveLength(7 * 3 * 4);
  });

  it('fans out over the shards of the area×status partitions when only one of them, or nothing, is given', async () => {
    expect((await listed({ status: 'resolved' })).queries).toHaveLength(7 * 4);
    expect((await listed({ area: 'audit' })).queries).toHaveLength(3 * 4);
    const all = await listed({});
    expect(all.queries).toHaveLength(21 * 4);
    expect(all.ids).toEqual(['sg-c', 'sg-a/tcp/22', 'sg-b', 'trail-1', 'trail-2', 'sg-a']);
    expect(planQuery({}).index).toBe('byAreaStatus');
  });

  it('reads only the base table, consistently, to resolve', async () => {
    sent = [];
    await fx.store.recordResolution(resolution({ eventId: 'r-none', eventTime: T(0), resourceId: 'sg-nothing' }));
    const reads = sent.filter((c) => c.command === 'QueryCommand' || c.command === 'GetItemCommand');
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((c) => c.input.IndexName === undefined && c.input.ConsistentRead === true)).toBe(true);
  });
});

describe('DynamoDbFindingStore sweep indexes', () => {
  it('holds snoozed findings, and open findings that can pass a deadline, in sparse indexes the sweeps read alone', async () => {
    const { store } = await fixture();
    const snoozed = violation({ eventId: 's1', eventTime: T(0), resourceId: 'sg-snoozed', severity: 'LOW' });
    const informational = violation({ eventId: 's2', eventTime: T(1), resourceId: 'sg-info', severity: 'INFORMATIONAL' });
    const high = violation({ eventId: 's3', eventTime: T(2), resourceId: 'sg-high', severity: 'HIGH' });
    for (const obs of [snoozed, informational, high]) await store.recordViolation(obs);
    const snooze = { until: '2026-03-09T00:00:00.000Z', reason: 'change window', by: 'alice', at: T(3) };
    await store.updateFinding(snoozed.findingId, (f) => applySnooze(f, snooze));
    const awaiting = async (sweep: 'snoozes' | 'deadlines') => {
      sent = [];
      const found = (await store.listFindings({ status: 'open', awaiting: sweep })).map((f) => f.resourceId).sort();
      const indexes = [...new Set(sent.filter((c) => c.command === 'QueryCommand').map((c) => c.input.IndexName))];
      return { found, indexes };
    };
    expect(await awaiting('snoozes')).toEqual({ found: ['sg-snoozed'], indexes: ['bySnoozeSweep'] });
    expect(await awaiting('deadlines')).toEqual({ found: ['sg-high', 'sg-snoozed'], indexes: ['byDeadlineSweep'] });
    // A snooze's end (owing no notification here) and a resolution take findings out of them.
    await store.updateFinding(snoozed.findingId, (f) => applySnoozeEnd(f, { why: 'cancelled', at: T(4), by: 'alice' }));
    await store.recordResolution(resolution({ eventId: 'r1', eventTime: T(9), resourceId: 'sg-high' }));
    const after = await awaiting('deadlines');
    expect(after.found).toEqual(['sg-snoozed']);
    expect((await awaiting('snoozes')).found).toEqual((await store.getFinding(snoozed.findingId))!.unnotified ? ['sg-snoozed'] : []);
  });
});

describe('DynamoDbFindingStore listings match the memory store', () => {
  it('gives the same findings in the same order for every query, across pages and activity ties', async () => {
    const stores: FindingStore[] = [new MemoryFindingStore(), (await fixture({ pageSize: 2 })).store];
    const observations = [];
    const accounts = ['111122223333', '444455556666'];
    const severities = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
    for (let i = 0; i < 24; i += 1) {
      observations.push(
        violation({
          eventId: `v${i}`,
          // Many findings share an activity time: ties must break by id, as the other adapters do.
          eventTime: T(i % 4),
          resourceId: `sg-${i % 6}`,
          qualifier: `tcp/${i % 3}`,
          account: accounts[i % 2],
          severity: severities[i % 4],
          ...(i % 5 === 0 ? { controlId: 'audit.cloudtrail-logging-stopped', area: 'audit' as const } : {}),
        }),
      );
    }
    for (const store of stores) {
      for (const obs of observations) await store.recordViolation(obs);
      await store.recordResolution(resolution({ eventId: 'r1', eventTime: T(10), resourceId: 'sg-1' }));
      await store.recordResolution(resolution({ eventId: 'r2', eventTime: T(3), resourceId: 'sg-2', qualifier: 'tcp/2' }));
    }
    const queries: FindingQuery[] = [
      {},
      { limit: 1 },
      { limit: 5 },
      { limit: 7 },
      { status: 'open', limit: 3 },
      { status: 'resolved' },
      { area: 'network', status: 'open', limit: 4 },
      { area: 'audit' },
      { account: '444455556666', limit: 2 },
      { account: '111122223333', minSeverity: 'HIGH' },
      { controlId: 'network.security-group-open-to-internet', severity: 'LOW' },
      { resourceId: 'sg-3', limit: 1 },
      { resourceId: 'sg-1', status: 'resolved', region: 'eu-west-1' },
      { region: 'us-east-1' },
      { limit: 0 },
    ];
    for (const query of queries) {
      const [expected, actual] = await Promise.all(stores.map((s) => s.listFindings(query)));
      expect({ query, ids: actual!.map((f) => f.id) }).toEqual({ query, ids: expected!.map((f) => f.id) });
      expect(actual).toEqual(expected);
    }
  });
});

describe('DynamoDbFindingStore storage', () => {
  it('round-trips Finding fields it does not know of', async () => {
    const { client, tableName, store } = await fixture();
    const opened = await store.recordViolation(violation({ eventId: 'e1', eventTime: T(0) }));
    const key = { PK: `FINDING#${opened!.finding.id}`, SK: 'FINDING' };
    const documents = DynamoDBDocumentClient.from(client);
    const [item] = await partition(client, tableName, key.PK);
    const body = bodyOfItem(item!, 'test');
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...item, b: encodeBody({ ...body, f: { ...body.f, ticket: { key: 'SEC-1', labels: ['triage'] } } as typeof body.f }) },
      }),
    );
    await store.recordViolation(violation({ eventId: 'e2', eventTime: T(1) }));
    expect(await store.getFinding(opened!.finding.id)).toMatchObject({ count: 2, ticket: { key: 'SEC-1', labels: ['triage'] } });
  });

  it('keeps a typical finding item under 1 KB (one write unit) and moves no index key on a repeat', async () => {
    const { client, tableName, store } = await fixture();
    const opened = await store.recordViolation(violation({ eventId: '5f2b7a52-33a5-4ef1-9a52-a5d7d1f1c9e0', eventTime: T(0) }));
    const [before] = await partition(client, tableName, `FINDING#${opened!.finding.id}`);
    for (let i = 1; i <= 12; i += 1) {
      await store.recordViolation(
        violation({ eventId: `5f2b7a52-33a5-4ef1-9a52-a5d7d1f1c9${String(i).padStart(2, '0')}`, eventTime: T(i) }),
      );
    }
    const [after] = await partition(client, tableName, `FINDING#${opened!.finding.id}`);
    const indexed = (item: Record<string, unknown>) =>
      Object.fromEntries(['act', 'gAS', 'gSn', 'gDl', 'sev', 'ctl', 'acct', 'rgn', 'res', 'tr'].map((name) => [name, item[name]]));
    expect(indexed(after!)).toEqual(indexed(before!));
    expect(after).toMatchObject({ v: 13 });
    // DynamoDB's item size: attribute names plus values (binary by its length, numbers by digits).
    const size = Object.entries(after!).reduce(
      (sum, [name, value]) =>
        sum +
        name.length +
        (value instanceof Uint8Array ? value.length : typeof value === 'number' ? String(value).length : String(value).length),
      0,
    );
    expect(size).toBeLessThan(1024);
  });

  it('clears a pending notification only for its event, and accepts a document client', async () => {
    const { client, tableName } = await fixture();
    const store = new DynamoDbFindingStore(new DynamoDbTable({ client: DynamoDBDocumentClient.from(client), tableName }), {
      now: clock.now,
    });
    const opened = await store.recordViolation(violation({ eventId: 'e1', eventTime: T(0) }));
    const id = opened!.finding.id;
    await store.markNotified(id, 'other');
    expect(await store.getFinding(id)).toMatchObject({ unnotified: { eventId: 'e1' }, version: 1 });
    await store.markNotified(id, 'e1');
    const finding = await store.getFinding(id);
    expect(finding!.unnotified).toBeUndefined();
    expect(finding!.version).toBe(2);
    await store.markNotified('no-such-finding', 'e1');
  });
});

describe('DynamoDbExemptionStore items', () => {
  it('keeps exemptions in one partition by id with their version, and audit entries keyed by time and id', async () => {
    const { client, tableName, exemptions } = await storageOf();

    await exemptions.putExemption(exemptionOf());
    await exemptions.putExemption(exemptionOf({ id: 'ex-2', createdAt: '2026-03-02T10:00:00.000Z' }));
    await exemptions.deleteExemption('ex-2', { at: '2026-03-05T00:00:00.000Z', by: 'bob' });
    await exemptions.appendAudit(auditOf());

    const stored = await partition(client, tableName, 'EXEMPTION#ALL');
    expect(stored.map((item) => [item.SK, item.version, (item.doc as { deletedBy?: string }).deletedBy])).toEqual([
      ['EXEMPTION#ex-1', 1, undefined],
      ['EXEMPTION#ex-2', 2, 'bob'],
    ]);
    expect(stored[0]!.doc).toEqual(exemptionOf());
    expect(await partition(client, tableName, 'AUDIT#EXEMPTIONS')).toEqual([
      { PK: 'AUDIT#EXEMPTIONS', SK: 'AUDIT#2026-03-01T10:00:00.000Z#ex-1:created', doc: auditOf() },
    ]);
  });

  it('retries a deletion that loses to concurrent writers, and gives up after maxAttempts with ConcurrentUpdateError', async () => {
    const { exemptions } = await storageOf({ maxAttempts: 2 });
    await exemptions.putExemption(exemptionOf());
    const exemptionPuts = () =>
      sent.filter((c) => c.command === 'PutItemCommand' && (c.input.Item as { SK?: string }).SK === 'EXEMPTION#ex-1');
    failWhen = (c) => {
      if (c.command !== 'PutItemCommand' || (c.input.Item as { SK?: string }).SK !== 'EXEMPTION#ex-1') return false;
      throw Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });
    };
    sent = [];

    await expect(exemptions.deleteExemption('ex-1', { at: '2026-03-05T00:00:00.000Z', by: 'bob' })).rejects.toThrow(ConcurrentUpdateError);
    const attempts = exemptionPuts().length;
    failWhen = undefined;
    const deleted = await exemptions.deleteExemption('ex-1', { at: '2026-03-05T00:00:00.000Z', by: 'bob' });

    expect(attempts).toBe(2);
    expect(deleted).toMatchObject({ deletedBy: 'bob', version: 2 });
    expect(await exemptions.getExemption('ex-1')).toMatchObject({ deletedBy: 'bob', version: 2 });
  });
});

describe('DynamoDbNotificationWindowStore items', () => {
  it('lists a window as due once it holds a notification, keeps claim decisions, and expires windows 30 days after they end', async () => {
    const { client, tableName, windows } = await storageOf();
    const first = claimOf(1);
    const windowId = `rollup/opened/${first.controlId}/${first.account}/${first.windowStart}`;
    const expiresAt = Math.floor(Date.parse(first.windowEnd) / 1000) + 30 * 86_400;

    for (const i of [1, 2]) await windows.claimNotification(claimOf(i), 1);
    const due = await partition(client, tableName, 'ROLLUP#DUE');
    await windows.markRollupSent(
      (await windows.closeRollupWindows(END_OF_TIME, '2026-03-01T10:20:00.000Z'))[0]!.id,
      '2026-03-01T10:21:00.000Z',
    );

    expect(due).toEqual([{ PK: 'ROLLUP#DUE', SK: `${first.windowEnd}#${windowId}`, windowId, expiresAt }]);
    expect(await partition(client, tableName, 'ROLLUP#DUE')).toEqual([
      { PK: 'ROLLUP#DUE', SK: `${first.windowEnd}#${windowId}`, windowId, sentAt: '2026-03-01T10:21:00.000Z', expiresAt },
    ]);
    const [window] = await partition(client, tableName, `ROLLUP#${windowId}`);
    expect(window).toMatchObject({ SK: 'WINDOW', version: 4, expiresAt });
    // The window document travels deflated: it carries the control's summary, and a write is billed by the item's size.
    expect(decodeDocument(window!.b as Uint8Array, 'window')).toMatchObject({
      id: windowId,
      claimed: 2,
      held: 1,
      sentAt: '2026-03-01T10:21:00.000Z',
    });
    for (const [i, decision] of [
      [1, 'individual'],
      [2, 'held'],
    ] as const) {
      expect(await partition(client, tableName, `NOTIFY#finding-${i}`)).toEqual([
        { PK: `NOTIFY#finding-${i}`, SK: `opened#event-${i}`, decision, at: first.item.at },
      ]);
    }
  });
});
