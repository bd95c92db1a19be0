/**
 * Write capacity units of one DynamoDB item write, from the item before and after it and the table's
 * definition (key schema, global secondary indexes and their projections). Pure: no I/O.
 *
 * The rules, as the Amazon DynamoDB Developer Guide states them:
 *
 * Item size ("DynamoDB item sizes and formats",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
 * the sum of the attribute names' and values' lengths: a string is its UTF-8 bytes; a number
 * "approximately … (1 byte per two significant digits) + (1 byte)", leading and trailing zeroes
 * trimmed; a binary its raw bytes; null and Boolean 1 byte; a List or Map 3 bytes of overhead plus
 * its elements, each element 1 more byte (a map entry counts its name like an attribute). Sets are
 * not described there: taken as the sum of their members. The 100 bytes per item (and per index
 * item) the guide names are storage overhead for billing, not part of the size capacity is computed
 * from ("For storage billing, each item includes a per-item storage overhead").
 *
 * Writes ("DynamoDB read and write operations" / "Capacity unit consumption for writes",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html, also
 * doc_source/CapacityUnitCalculations.md of github.com/awsdocs/amazon-dynamodb-developer-guide):
 * one write unit per 1 KB (1,024 bytes: "All size measurements in DynamoDB use binary-based units",
 * Constraints), the size rounded up; PutItem and UpdateItem count the larger of the item before and
 * after, DeleteItem the deleted item; BatchWriteItem rounds each item on its own. A conditional write
 * whose condition is false still consumes: "If the item exists, the number of write capacity units
 * consumed depends on the size of the item … If the item does not exist, DynamoDB will consume one
 * write capacity unit." Nothing is written to the indexes then.
 *
 * Transactions ("Amazon DynamoDB Transactions: How it works", Capacity management,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html): "DynamoDB
 * performs two underlying reads or writes of every item in the transaction: one to prepare the
 * transaction and one to commit" — twice the table units.
 *
 * Global secondary indexes ("Global secondary indexes", Provisioned throughput considerations / Write
 * capacity units and Storage considerations,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html): an item is in an index
 * only when it has the index key attributes (a sparse index); a new index entry is one write, a key
 * change from A to B two (delete the old entry, put the new one), an entry whose key attribute was
 * removed one delete, a change of projected attributes only one write, and "if a write to a table does
 * not require a global secondary index update, then no write capacity is consumed from the index". An
 * index entry holds the table's key attributes, the index key attributes and the projected attributes;
 * its size is theirs, rounded up to 1 KB per write like an item.
 */
import type { AttributeValue, GlobalSecondaryIndex, KeySchemaElement } from '@aws-sdk/client-dynamodb';

/** An item as DynamoDB stores it (attribute values with their types). */
export type Item = Record<string, AttributeValue>;

/** What the calculator reads of a table definition (CreateTable's shape). */
export interface TableShape {
  KeySchema: KeySchemaElement[];
  GlobalSecondaryIndexes?: GlobalSecondaryIndex[];
}

/** One write to a DynamoDB item, as observed: the item before and after (undefined: absent). */
export interface ObservedWrite {
  /** The item's primary key (needed when neither before nor after exists). */
  key: Item;
  before?: Item;
  after?: Item;
  /** The write's condition was false: nothing changed, yet it consumed. */
  conditionFailed?: boolean;
  /** Part of a TransactWriteItems request. */
  transactional?: boolean;
}

/** Units consumed on one partition of the table or of an index. */
export interface PartitionWrite {
  /** `table`, or `index <IndexName>`. */
  target: string;
  /** The partition key value (strings as they are, numbers as written, binary as base64). */
  partition: string;
  units: number;
  kind: 'put' | 'update' | 'delete' | 'failed-condition';
}

export interface WriteCost {
  table: PartitionWrite;
  indexes: PartitionWrite[];
  /** Table and index units together. */
  units: number;
}

/** 1 KB, in binary units (Amazon DynamoDB Developer Guide, "Constraints": 1 KB = 1,024 bytes). */
export const WRITE_UNIT_BYTES = 1024;

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** A number's size: 1 byte per two significant digits (leading and trailing zeroes trimmed), plus 1. */
export function numberBytes(text: string): number {
  const mantissa = text.trim().replace(/^[+-]/, '').split(/[eE]/)[0] ?? '';
  const digits = mantissa.replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(digits.length / 2) + 1;
}

/** The size of a value without its attribute name. */
export function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return utf8Bytes(value.S);
  if (value.N !== undefined) return numberBytes(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, member) => sum + utf8Bytes(member), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, member) => sum + numberBytes(member), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, member) => sum + member.byteLength, 0);
  if (value.L !== undefined) return value.L.reduce((sum, element) => sum + 1 + valueBytes(element), 3);
  if (value.M !== undefined) return Object.entries(value.M).reduce((sum, [name, element]) => sum + 1 + attributeBytes(name, element), 3);
  throw new Error(`an attribute value of no known type: ${JSON.stringify(value)}`);
}

/** An attribute's size: its name's UTF-8 bytes and its value's size. */
export function attributeBytes(name: string, value: AttributeValue): number {
  return utf8Bytes(name) + valueBytes(value);
}

export function itemBytes(item: Item): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + attributeBytes(name, value), 0);
}

/** Write units for a size: 1 KB each, rounded up; never less than one. */
export function unitsFor(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / WRITE_UNIT_BYTES));
}

/** A key attribute's value as text (the partition a write lands on). */
export function keyText(value: AttributeValue | undefined): string {
  if (value?.S !== undefined) return value.S;
  if (value?.N !== undefined) return value.N;
  if (value?.B !== undefined) return Buffer.from(value.B).toString('base64');
  return '(none)';
}

const hashKeyOf = (schema: KeySchemaElement[]): string => schema.find((element) => element.KeyType === 'HASH')!.AttributeName!;

/** The same value, with map keys sorted and binary as base64, so equal values give equal text. */
function canonical(value: unknown): unknown {
  if (value instanceof Uint8Array) return { base64: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/**
 * The item's entry in the index (table key, index key and projected attributes), or undefined when
 * the item lacks an index key attribute (DynamoDB writes nothing to the index for it).
 */
export function indexEntryOf(index: GlobalSecondaryIndex, tableKey: KeySchemaElement[], item: Item | undefined): Item | undefined {
  if (!item) return undefined;
  const indexKey = (index.KeySchema ?? []).map((element) => element.AttributeName!);
  if (indexKey.some((name) => item[name] === undefined)) return undefined;
  const projection = index.Projection?.ProjectionType ?? 'KEYS_ONLY';
  if (projection === 'ALL') return { ...item };
  const names = new Set([...tableKey.map((element) => element.AttributeName!), ...indexKey]);
  if (projection === 'INCLUDE') for (const name of index.Projection?.NonKeyAttributes ?? []) names.add(name);
  const entry: Item = {};
  for (const name of names) if (item[name] !== undefined) entry[name] = item[name];
  return entry;
}

function indexWrites(index: GlobalSecondaryIndex, tableKey: KeySchemaElement[], write: ObservedWrite): PartitionWrite[] {
  const before = indexEntryOf(index, tableKey, write.before);
  const after = indexEntryOf(index, tableKey, write.after);
  const target = `index ${index.IndexName}`;
  const hash = hashKeyOf(index.KeySchema ?? []);
  const put = (entry: Item): PartitionWrite => ({
    target,
    partition: keyText(entry[hash]),
    units: unitsFor(itemBytes(entry)),
    kind: 'put',
  });
  const remove = (entry: Item): PartitionWrite => ({ ...put(entry), kind: 'delete' });
  if (!before && !after) return [];
  if (!before) return [put(after!)];
  if (!after) return [remove(before)];
  const keyChanged = (index.KeySchema ?? []).some((element) => !sameValue(before[element.AttributeName!], after[element.AttributeName!]));
  if (keyChanged) return [remove(before), put(after)];
  if (sameValue(before, after)) return [];
  return [{ target, partition: keyText(after[hash]), units: unitsFor(Math.max(itemBytes(before), itemBytes(after))), kind: 'update' }];
}

/** The units one observed write consumed, on the table and on each index it touched. */
export function writeCost(shape: TableShape, write: ObservedWrite): WriteCost {
  const partition = keyText(write.key[hashKeyOf(shape.KeySchema)]);
  if (write.conditionFailed) {
    const units = (write.before ? unitsFor(itemBytes(write.before)) : 1) * (write.transactional ? 2 : 1);
    return { table: { target: 'table', partition, units, kind: 'failed-condition' }, indexes: [], units };
  }
  const bytes = Math.max(write.before ? itemBytes(write.before) : 0, write.after ? itemBytes(write.after) : 0);
  const units = unitsFor(bytes) * (write.transactional ? 2 : 1);
  const kind = !write.after ? 'delete' : write.before ? 'update' : 'put';
  const indexes = (shape.GlobalSecondaryIndexes ?? []).flatMap((index) => indexWrites(index, shape.KeySchema, write));
  return {
    table: { target: 'table', partition, units, kind },
    indexes,
    units: units + indexes.reduce((sum, entry) => sum + entry.units, 0),
  };
}
