/**
 * The write-unit calculator against the examples and rules of the Amazon DynamoDB Developer Guide:
 * - "DynamoDB item sizes and formats" (CapacityUnitCalculations.html): attribute sizes;
 * - "DynamoDB read and write operations" / "Capacity unit consumption for writes" (read-write-operations.html,
 *   and doc_source/ProvisionedThroughput.md, CapacityUnitCalculations.md of awsdocs/amazon-dynamodb-developer-guide):
 *   1 KB per unit rounded up, the larger of before and after, the deleted item, BatchWriteItem's 500 bytes +
 *   3.5 KB = 5 units, failed conditional writes;
 * - "Global secondary indexes" (GSI.html), Write capacity units: the GameScores table and its GameTitleIndex;
 * - "Amazon DynamoDB Transactions: How it works" (transaction-apis.html), Capacity management: three 500-byte
 *   items in one transaction take six units.
 */
import type { AttributeValue, GlobalSecondaryIndex } from '@aws-sdk/client-dynamodb';
import { attributeBytes, indexEntryOf, itemBytes, numberBytes, type Item, type TableShape, unitsFor, writeCost } from './write-units';

/** A table with a simple key `id`, no index. */
const PLAIN: TableShape = { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] };

/** An item of exactly `bytes` bytes: `id` (2 + 1 bytes) and `pad` (3 bytes of name + the rest). */
function itemOf(bytes: number, id = 'a'): Item {
  return { id: { S: id }, pad: { S: 'x'.repeat(bytes - 2 - id.length - 3) } };
}

const KB = 1024;

describe('item sizes (DynamoDB item sizes and formats)', () => {
  test('a string is its name and its UTF-8 bytes', () => {
    expect(attributeBytes('name', { S: 'abc' })).toBe(4 + 3);
    expect(attributeBytes('é', { S: '€' })).toBe(2 + 3);
  });

  test('a number is 1 byte per two significant digits plus 1, leading and trailing zeroes trimmed', () => {
    expect(numberBytes('7')).toBe(2);
    expect(numberBytes('12345')).toBe(4);
    expect(numberBytes('0012300')).toBe(3);
    expect(numberBytes('-0.000125')).toBe(3);
    expect(numberBytes('1E+30')).toBe(2);
    expect(attributeBytes('n', { N: '1234' })).toBe(1 + 3);
  });

  test('binary is its raw bytes; null and Boolean one byte', () => {
    expect(attributeBytes('b', { B: new Uint8Array([1, 2, 3, 4]) })).toBe(1 + 4);
    expect(attributeBytes('t', { BOOL: true })).toBe(2);
    expect(attributeBytes('z', { NULL: true })).toBe(2);
  });

  test('a list or map has 3 bytes of overhead and 1 per element; an empty one is 3 bytes', () => {
    expect(attributeBytes('l', { L: [] })).toBe(1 + 3);
    expect(attributeBytes('m', { M: {} })).toBe(1 + 3);
    // [ "ab", 7 ]: 3 + (1 + 2) + (1 + 2)
    expect(attributeBytes('l', { L: [{ S: 'ab' }, { N: '7' }] })).toBe(1 + 9);
    // { k: "v", nested: { x: true } }: 3 + (1 + 1 + 1) + (1 + 6 + (3 + (1 + 1 + 1)))
    const map: AttributeValue = { M: { k: { S: 'v' }, nested: { M: { x: { BOOL: true } } } } };
    expect(attributeBytes('m', map)).toBe(1 + 3 + 3 + 13);
  });

  test('an item is the sum of its attributes', () => {
    expect(itemBytes({ id: { S: 'a' }, n: { N: '10' } })).toBe(3 + 3);
    expect(itemBytes(itemOf(500))).toBe(500);
  });
});

describe('table writes (capacity unit consumption for writes)', () => {
  test('1 KB per unit, rounded up: 500 bytes take 1, 1.6 KB take 2, 3.5 KB take 4', () => {
    expect(unitsFor(500)).toBe(1);
    expect(unitsFor(1.6 * KB)).toBe(2);
    expect(unitsFor(3.5 * KB)).toBe(4);
    expect(unitsFor(KB)).toBe(1);
    expect(unitsFor(KB + 1)).toBe(2);
    expect(writeCost(PLAIN, { key: { id: { S: 'a' } }, after: itemOf(3.5 * KB) }).units).toBe(4);
  });

  test('BatchWriteItem rounds each item: 500 bytes and 3.5 KB take 5 units, not 4', () => {
    const batch = [itemOf(500, 'a'), itemOf(3.5 * KB, 'b')].map((item) => writeCost(PLAIN, { key: { id: item.id! }, after: item }));
    expect(batch.reduce((sum, cost) => sum + cost.units, 0)).toBe(5);
  });

  test('a put or update takes the larger of the item before and after; a delete the deleted item', () => {
    const key = { id: { S: 'a' } };
    expect(writeCost(PLAIN, { key, before: itemOf(3 * KB), after: itemOf(500) }).units).toBe(3);
    expect(writeCost(PLAIN, { key, before: itemOf(500), after: itemOf(2.5 * KB) }).units).toBe(3);
    expect(writeCost(PLAIN, { key, before: itemOf(1.6 * KB) }).table).toEqual({
      target: 'table',
      partition: 'a',
      units: 2,
      kind: 'delete',
    });
  });

  test('a failed conditional write takes the existing item size, or one unit when there is none', () => {
    const key = { id: { S: 'a' } };
    expect(writeCost(PLAIN, { key, before: itemOf(KB), conditionFailed: true }).units).toBe(1);
    expect(writeCost(PLAIN, { key, before: itemOf(2 * KB), conditionFailed: true }).units).toBe(2);
    expect(writeCost(PLAIN, { key, conditionFailed: true }).units).toBe(1);
  });

  test('a transaction writes every item twice: three 500-byte items take six units', () => {
    const costs = ['a', 'b', 'c'].map((id) => writeCost(PLAIN, { key: { id: { S: id } }, after: itemOf(500, id), transactional: true }));
    expect(costs.reduce((sum, cost) => sum + cost.units, 0)).toBe(6);
  });
});

describe('global secondary index writes (GameScores and GameTitleIndex)', () => {
  const GAME_TITLE_INDEX: GlobalSecondaryIndex = {
    IndexName: 'GameTitleIndex',
    KeySchema: [
      { AttributeName: 'GameTitle', KeyType: 'HASH' },
      { AttributeName: 'TopScore', KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['Wins'] },
  };
  const GAME_SCORES: TableShape = {
    KeySchema: [
      { AttributeName: 'UserId', KeyType: 'HASH' },
      { AttributeName: 'GameTitle', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [GAME_TITLE_INDEX],
  };
  const key = { UserId: { S: '101' }, GameTitle: { S: 'Comet Quest' } };
  const scored = (score: string, extra: Item = {}): Item => ({ ...key, TopScore: { N: score }, Wins: { N: '3' }, ...extra });

  test('a new item with the index key attributes takes one index write, in the index partition', () => {
    const cost = writeCost(GAME_SCORES, { key, after: scored('0') });
    expect(cost.indexes).toEqual([{ target: 'index GameTitleIndex', partition: 'Comet Quest', units: 1, kind: 'put' }]);
    expect(cost.units).toBe(2);
  });

  test('an item without the index sort key is not in the (sparse) index: no index write', () => {
    expect(writeCost(GAME_SCORES, { key, after: { ...key, Wins: { N: '1' } } }).indexes).toEqual([]);
    expect(writeCost(GAME_SCORES, { key, before: { ...key }, after: { ...key, Notes: { S: 'x' } } }).indexes).toEqual([]);
  });

  test('changing an index key attribute takes two index writes: delete the old entry, put the new', () => {
    const cost = writeCost(GAME_SCORES, { key, before: scored('0'), after: scored('1200') });
    expect(cost.indexes.map((write) => write.kind)).toEqual(['delete', 'put']);
    expect(cost.units).toBe(1 + 2);
  });

  test('changing only a projected attribute takes one index write', () => {
    const cost = writeCost(GAME_SCORES, { key, before: scored('0'), after: scored('0', { Wins: { N: '4' } }) });
    expect(cost.indexes).toEqual([{ target: 'index GameTitleIndex', partition: 'Comet Quest', units: 1, kind: 'update' }]);
  });

  test('changing an attribute the index does not hold takes no index write', () => {
    const cost = writeCost(GAME_SCORES, { key, before: scored('0'), after: scored('0', { Losses: { N: '9' } }) });
    expect(cost.indexes).toEqual([]);
    expect(cost.units).toBe(1);
  });

  test('removing an index key attribute takes one index delete; a failed condition none', () => {
    expect(
      writeCost(GAME_SCORES, { key, before: scored('0'), after: { ...key, Wins: { N: '3' } } }).indexes.map((write) => write.kind),
    ).toEqual(['delete']);
    expect(writeCost(GAME_SCORES, { key, before: scored('0'), conditionFailed: true }).indexes).toEqual([]);
  });

  test('an index entry holds the table key, the index key and the projected attributes only', () => {
    const big = scored('0', { Notes: { S: 'n'.repeat(3 * KB) } });
    expect(Object.keys(indexEntryOf(GAME_TITLE_INDEX, GAME_SCORES.KeySchema, big)!).sort()).toEqual([
      'GameTitle',
      'TopScore',
      'UserId',
      'Wins',
    ]);
    const cost = writeCost(GAME_SCORES, { key, after: big });
    expect(cost.table.units).toBe(4);
    expect(cost.indexes[0]!.units).toBe(1);
    const projectedBig = writeCost(GAME_SCORES, { key, after: scored('0', { Wins: { S: 'w'.repeat(1.5 * KB) } }) });
    expect(projectedBig.indexes[0]!.units).toBe(2);
  });
});
