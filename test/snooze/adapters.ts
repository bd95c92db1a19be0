/** The three store adapters (memory, SQLite, DynamoDB on dynalite) and a recording notifier, for the snooze and deadline suites. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Notification } from '../../shared/core/notifications/notification';
import type { Notifier } from '../../shared/core/notifications/notifier';
import { DynamoDbFindingStore, FINDINGS_TABLE_DEFINITION } from '../../shared/adapters/store/dynamodb/dynamodb-finding-store';
import type { FindingStore } from '../../shared/core/findings/finding-store';
import { MemoryFindingStore } from '../../shared/adapters/store/memory/memory-finding-store';
import { SqliteFindingStore } from '../../shared/adapters/store/sqlite/sqlite-finding-store';
import { startDynalite, type LocalService } from '../support/local-aws';

/** Registers beforeAll/afterAll for dynalite and a temporary directory; returns the adapters to `describe.each` over. */
export function storeAdapters(prefix: string): Array<[string, () => Promise<FindingStore>]> {
  let dynalite: LocalService;
  let dir: string;
  let n = 0;
  beforeAll(async () => {
    dynalite = await startDynalite();
    dir = mkdtempSync(join(tmpdir(), `trailwarden-${prefix}-`));
  });
  afterAll(async () => {
    await dynalite.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return [
    ['memory', async () => new MemoryFindingStore()],
    ['sqlite', async () => new SqliteFindingStore(join(dir, `${prefix}-${++n}.db`))],
    [
      'dynamodb (dynalite)',
      async () => {
        const client = new DynamoDBClient({ endpoint: dynalite.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, maxAttempts: 1 });
        const tableName = `${prefix}-${++n}`;
        await client.send(new CreateTableCommand({ TableName: tableName, BillingMode: 'PAY_PER_REQUEST', ...FINDINGS_TABLE_DEFINITION }));
        return new DynamoDbFindingStore({ client, tableName });
      },
    ],
  ];
}

export function recordingNotifier(failing: () => boolean = () => false): Notifier & { sent: Notification[] } {
  const sent: Notification[] = [];
  return {
    sent,
    notify: async (notification) => {
      if (failing()) throw new Error('sink down');
      sent.push(structuredClone(notification));
    },
    close: async () => {},
  };
}
