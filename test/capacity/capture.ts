/**
 * Observes every item write an SDK client sends to one table: SDK middleware on the client around
 * PutItem, UpdateItem, DeleteItem, BatchWriteItem and TransactWriteItems reads each written key
 * (GetItem, strongly consistent) before and after the request on a second, uninstrumented client, so
 * the units come from what was really written (write-units.ts). Writes to one key are serialized
 * through the before-read, the write and the after-read, so a concurrent writer cannot slip between.
 * Each write is attributed to the `CapacityRecorder.during` scope it was sent from (AsyncLocalStorage).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { GetItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { keyText, writeCost, type Item, type TableShape, type WriteCost } from './write-units';

export interface RecordedWrite {
  /** The SDK command, e.g. PutItemCommand. */
  command: string;
  cost: WriteCost;
  conditionFailed: boolean;
}

/** Collects recorded writes per scope (one event's deliveries); writes outside any scope are kept apart. */
export class CapacityRecorder {
  private readonly scope = new AsyncLocalStorage<RecordedWrite[]>();
  readonly unattributed: RecordedWrite[] = [];
  /** Write requests that failed otherwise than by their condition (not counted: their effect is unknown). */
  unmeasuredFailures = 0;

  async during<T>(work: () => Promise<T>): Promise<{ result: T; writes: RecordedWrite[] }> {
    const writes: RecordedWrite[] = [];
    const result = await this.scope.run(writes, work);
    return { result, writes };
  }

  record(write: RecordedWrite): void {
    (this.scope.getStore() ?? this.unattributed).push(write);
  }
}

interface PlannedWrite {
  key: Item;
  transactional: boolean;
}

type Input = Record<string, unknown>;

/** The keys a write request touches on `tableName`. */
function plannedWrites(command: string, input: Input, tableName: string, keyNames: string[]): PlannedWrite[] {
  const keyOf = (item: unknown): Item => Object.fromEntries(keyNames.map((name) => [name, (item as Item)[name]!]));
  const ours = (table: unknown) => table === tableName;
  switch (command) {
    case 'PutItemCommand':
      return ours(input.TableName) ? [{ key: keyOf(input.Item), transactional: false }] : [];
    case 'UpdateItemCommand':
    case 'DeleteItemCommand':
      return ours(input.TableName) ? [{ key: keyOf(input.Key), transactional: false }] : [];
    case 'BatchWriteItemCommand': {
      const requests = (input.RequestItems as Record<string, unknown[]> | undefined)?.[tableName] ?? [];
      return requests.map((request) => {
        const { PutRequest, DeleteRequest } = request as { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } };
        return { key: keyOf(PutRequest ? PutRequest.Item : DeleteRequest!.Key), transactional: false };
      });
    }
    case 'TransactWriteItemsCommand':
      return ((input.TransactItems as Input[] | undefined) ?? []).flatMap((action) => {
        const { Put, Update, Delete, ConditionCheck } = action as Record<string, Input | undefined>;
        const chosen = Put ?? Update ?? Delete ?? ConditionCheck;
        if (!chosen || !ours(chosen.TableName)) return [];
        return [{ key: keyOf(Put ? Put.Item : chosen.Key), transactional: true }];
      });
    default:
      return [];
  }
}

/** Runs `work` once no other write to these keys is between its before-read and its after-read. */
class KeyLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async with<T>(keys: string[], work: () => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)].sort();
    const waits = unique.map((key) => this.tails.get(key) ?? Promise.resolve());
    let release!: () => void;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    for (const key of unique) this.tails.set(key, done);
    await Promise.all(waits);
    try {
      return await work();
    } finally {
      release();
      for (const key of unique) if (this.tails.get(key) === done) this.tails.delete(key);
    }
  }
}

export interface InstrumentOptions {
  /** An uninstrumented client to the same endpoint: its reads are not counted. */
  raw: DynamoDBClient;
  tableName: string;
  shape: TableShape;
  recorder: CapacityRecorder;
}

/** Adds the observing middleware to `client` (which the adapter under measure then uses). */
export function instrumentClient(client: DynamoDBClient, options: InstrumentOptions): void {
  const { raw, tableName, shape, recorder } = options;
  const keyNames = shape.KeySchema.map((element) => element.AttributeName!);
  const locks = new KeyLocks();
  const read = async (key: Item): Promise<Item | undefined> =>
    (await raw.send(new GetItemCommand({ TableName: tableName, Key: key as Record<string, AttributeValue>, ConsistentRead: true }))).Item;
  const lockName = (key: Item) => keyNames.map((name) => keyText(key[name])).join('\u0000');
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = (context as { commandName?: string }).commandName ?? '';
      // At the build step the input is the low-level request (the document client has marshalled it).
      const planned = plannedWrites(command, args.input as Input, tableName, keyNames);
      if (planned.length === 0) return next(args);
      return locks.with(
        planned.map((write) => lockName(write.key)),
        async () => {
          const before = await Promise.all(planned.map((write) => read(write.key)));
          let output: Awaited<ReturnType<typeof next>>;
          try {
            output = await next(args);
          } catch (error) {
            if ((error as { name?: string }).name === 'ConditionalCheckFailedException' && planned.length === 1) {
              const write = planned[0]!;
              recorder.record({
                command,
                conditionFailed: true,
                cost: writeCost(shape, { key: write.key, before: before[0], conditionFailed: true, transactional: write.transactional }),
              });
            } else {
              recorder.unmeasuredFailures += 1;
            }
            throw error;
          }
          const after = await Promise.all(planned.map((write) => read(write.key)));
          const unprocessed = JSON.stringify(
            ((output.output as unknown as Input).UnprocessedItems as Input | undefined)?.[tableName] ?? [],
          );
          planned.forEach((write, index) => {
            // A BatchWriteItem request DynamoDB left unprocessed wrote nothing (the caller sends it again).
            if (command === 'BatchWriteItemCommand' && unprocessed.includes(JSON.stringify(write.key))) return;
            recorder.record({
              command,
              conditionFailed: false,
              cost: writeCost(shape, { key: write.key, before: before[index], after: after[index], transactional: write.transactional }),
            });
          });
          return output;
        },
      );
    },
    { step: 'build', name: 'trailwardenCapacityCapture', priority: 'high' },
  );
}
