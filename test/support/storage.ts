/**
 * The three storage adapters (memory, SQLite in a temporary directory, DynamoDB on dynalite over
 * HTTP with the real SDK client), to run one suite over each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { dynamoDbStorage, FINDINGS_TABLE_DEFINITION, type DynamoDbFindingStoreOptions } from '../../shared/adapters/store/dynamodb';
import { memoryStorage } from '../../shared/adapters/store/memory';
import { openSqliteStorage } from '../../shared/adapters/store/sqlite';
import type { Storage } from '../../shared/app/storage';
import { startDynalite, type LocalService } from './local-aws';

export const TEST_CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };

/** A DynamoDB client for a local endpoint (one attempt: the tests inject their own failures). */
export function localDynamoDbClient(endpoint: string, options: { maxAttempts?: number } = {}): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: options.maxAttempts ?? 1 });
}

/** Creates the findings table as the stack defines it, and waits until it is ACTIVE. */
export async function createFindingsTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand({ TableName: tableName, BillingMode: 'PAY_PER_REQUEST', ...FINDINGS_TABLE_DEFINITION }));
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { TableName: tableName });
}

export type StorageFactory = (options?: DynamoDbFindingStoreOptions) => Promise<Storage>;

/**
 * Registers beforeAll/afterAll for dynalite and a temporary directory; returns the adapters to
 * `describe.each` over, each a factory of a fresh, empty storage.
 */
export function storageAdapters(prefix: string): Array<[string, StorageFactory]> {
  let dynalite: LocalService;
  let dir: string;
  let n = 0;
  const opened: Storage[] = [];
  beforeAll(async () => {
    dynalite = await startDynalite();
    dir = mkdtempSync(join(tmpdir(), `trailwarden-${prefix}-`));
  });
  afterAll(async () => {
    await Promise.allSettled(opened.map((storage) => storage.close()));
    await dynalite.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const keep = (storage: Storage) => {
    opened.push(storage);
    return storage;
  };
  return [
    ['memory', async () => memoryStorage()],
    ['sqlite', async () => keep(openSqliteStorage(join(dir, `${prefix}-${++n}.db`)))],
    [
      'dynamodb (dynalite)',
      async (options = {}) => {
        const client = localDynamoDbClient(dynalite.endpoint);
        const tableName = `${prefix}-${++n}`;
        await createFindingsTable(client, tableName);
        return keep(dynamoDbStorage({ client, tableName, ...options }));
      },
    ],
  ];
}
