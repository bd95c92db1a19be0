/**
 * `npm run capacity` end to end on small inputs, against dynalite: the JSON line's fields and their
 * consistency, and, for two events (a new finding, then a repeat of it), write units equal to a
 * computation of our own from the requests the storage sent, replayed on a table kept in memory (which
 * must end equal to the real table).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readEvents } from '../../shared/adapters/intake';
import { FINDINGS_TABLE_DEFINITION } from '../../shared/adapters/store/dynamodb';
import { startDynalite, type LocalService } from '../support/local-aws';
import { localDynamoDbClient } from '../support/storage';
import { runCapacity } from './command';
import { measureCapacity, type CapacityResult } from './measure';
import { keyText, writeCost, type Item } from './write-units';

const SAMPLE = join(__dirname, '..', '..', 'events', 'iam', 'administrator-access-granted', '1-violating-attach-role.json');
const COMPLIANT = join(__dirname, '..', '..', 'events', 'iam', 'administrator-access-granted', '2-compliant-readonly.json');

let dir: string;
let dynalite: LocalService;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-capacity-test-'));
  dynalite = await startDynalite();
});

afterAll(async () => {
  await dynalite.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The sample record with another event id and time. */
function recordOf(file: string, n: number): Record<string, unknown> {
  const record = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  return { ...record, eventID: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, eventTime: `2025-03-13T10:0${n}:00Z` };
}

/** CloudTrail records as gzip JSON Lines (the shape of the bulk corpus). */
function gzipLines(name: string, records: Array<Record<string, unknown>>): string {
  const file = join(dir, name);
  writeFileSync(file, gzipSync(`${records.map((record) => JSON.stringify(record)).join('\n')}\n`));
  return file;
}

test('the JSON line: every field, matched events all delivered, precision and averages consistent', async () => {
  const readOnly = { ...recordOf(COMPLIANT, 3), eventName: 'GetRole', eventSource: 'iam.amazonaws.com', readOnly: true };
  const unrelated = { ...recordOf(COMPLIANT, 4), eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances' };
  const file = gzipLines('mix.jsonl.gz', [recordOf(SAMPLE, 1), recordOf(SAMPLE, 2), recordOf(COMPLIANT, 5), readOnly, unrelated]);
  const printed: string[] = [];

  await runCapacity(['--json', '--events', file], (text) => printed.push(text));

  expect(printed).toHaveLength(1);
  expect(printed[0]!.endsWith('\n')).toBe(true);
  const result = JSON.parse(printed[0]!) as CapacityResult;
  expect(result.events).toBe(5);
  expect(result.rejected).toBe(0);
  expect(result.matched_not_delivered).toBe(0);
  expect(result.matched).toBeGreaterThanOrEqual(3);
  expect(result.delivered).toBeGreaterThanOrEqual(result.matched);
  expect(result.delivered).toBeLessThan(result.events);
  expect(result.routing_precision).toBeCloseTo(result.matched / result.delivered, 3);
  expect(result.transition_events).toBe(1);
  expect(result.repeat_events).toBe(1);
  expect(result.wcu_total).toBeGreaterThanOrEqual(result.wcu_transition + result.wcu_repeat);
  expect(result.wcu_per_delivered_event).toBeCloseTo(result.wcu_total / result.delivered, 3);
  expect(Object.values(result.wcu_by_target).reduce((sum, units) => sum + units, 0)).toBe(result.wcu_total);
  expect(result.hottest_partition).toMatch(/^(table|index by\w+):./);
  expect(result.hottest_partition_wcu).toBe(result.top_partitions[0]!.wcu);
  expect(result.hottest_partition_wcu_at_10k_eps).toBeCloseTo((result.hottest_partition_wcu / result.events) * 10_000, 1);
  expect(result.notifications).toBeGreaterThanOrEqual(1);
});

interface SentWrite {
  command: string;
  input: Record<string, unknown>;
  failed: boolean;
}

/** Logs every request the storage's client sends, after it was answered. */
function logWrites(log: SentWrite[]) {
  return (client: DynamoDBClient) =>
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = (context as { commandName?: string }).commandName ?? '';
        const entry = { command, input: structuredClone(args.input as Record<string, unknown>), failed: false };
        try {
          const output = await next(args);
          log.push(entry);
          return output;
        } catch (error) {
          log.push({ ...entry, failed: (error as { name?: string }).name === 'ConditionalCheckFailedException' });
          throw error;
        }
      },
      { step: 'build', name: 'testWriteLog', priority: 'low' },
    );
}

const keyOf = (item: Item) => `${keyText(item.PK)}|${keyText(item.SK)}`;

/** Our own computation: the writes replayed on a table in memory, each costed by the documented rules. */
function replayWrites(log: SentWrite[]): { units: number; table: Map<string, Item> } {
  const table = new Map<string, Item>();
  let units = 0;
  for (const { command, input, failed } of log) {
    if (command === 'GetItemCommand' || command === 'QueryCommand') continue;
    if (command !== 'PutItemCommand') throw new Error(`${command}: the storage now sends it; extend this computation`);
    const item = input.Item as Item;
    const before = table.get(keyOf(item));
    units += writeCost(FINDINGS_TABLE_DEFINITION, { key: item, before, after: failed ? undefined : item, conditionFailed: failed }).units;
    if (!failed) table.set(keyOf(item), item);
  }
  return { units, table };
}

test('two events, a new finding then a repeat: the units equal our computation from the requests sent', async () => {
  const files = [gzipLines('one.jsonl.gz', [recordOf(SAMPLE, 1)]), gzipLines('two.jsonl.gz', [recordOf(SAMPLE, 1), recordOf(SAMPLE, 2)])];
  const runs: Array<{ result: CapacityResult; units: number }> = [];
  for (const file of files) {
    const log: SentWrite[] = [];
    let tableName = '';
    const instrument = (client: DynamoDBClient, name: string) => {
      tableName = name;
      logWrites(log)(client);
    };
    const result = await measureCapacity(readEvents([file]), { endpoint: dynalite.endpoint, instrument });
    const computed = replayWrites(log);
    const client = localDynamoDbClient(dynalite.endpoint);
    const stored = (await client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? [];
    client.destroy();
    // The replay in memory is faithful: it ends with the very items the table holds.
    expect(new Map(stored.map((item) => [keyOf(item), item]))).toEqual(computed.table);
    expect(result.wcu_total).toBe(computed.units);
    runs.push({ result, units: computed.units });
  }
  const [first, second] = runs;
  expect(first!.result.transition_events).toBe(1);
  expect(first!.result.wcu_transition).toBe(first!.units);
  expect(second!.result.repeat_events).toBe(1);
  // The repeat's units are what the second event added.
  expect(second!.result.wcu_repeat).toBe(second!.units - first!.units);
  expect(second!.result.wcu_repeat).toBeGreaterThan(0);
  expect(second!.result.wcu_transition).toBe(first!.units);
});
