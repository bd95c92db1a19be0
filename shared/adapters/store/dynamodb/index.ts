/** The AWS storage: one DynamoDB table holding findings, exemptions, notification windows and detection state (docs/dynamodb-table.md). */
import type { Storage } from '../../../app/storage';
import { DynamoDbDetectionStateStore } from './detection-state-store';
import { DynamoDbExemptionStore } from './exemption-store';
import { DynamoDbFindingStore, type DynamoDbFindingStoreOptions } from './finding-store';
import { DynamoDbNotificationWindowStore } from './notification-window-store';
import { DynamoDbTable, type DynamoDbTableOptions } from './table';

export { planQuery } from './finding-queries';
export { DynamoDbDetectionStateStore, DynamoDbExemptionStore, DynamoDbFindingStore, DynamoDbNotificationWindowStore, DynamoDbTable };
export type { DynamoDbFindingStoreOptions, DynamoDbTableOptions };
export { FINDINGS_TABLE_DEFINITION, FINDINGS_TABLE_INDEXES, FINDINGS_TABLE_TIME_TO_LIVE } from './table';

/** The storage over one table. The client belongs to the caller: `close()` waits for writes in flight and leaves it open. */
export function dynamoDbStorage(options: DynamoDbTableOptions & DynamoDbFindingStoreOptions): Storage {
  const table = new DynamoDbTable(options);
  const findings = new DynamoDbFindingStore(table, options);
  return {
    findings,
    exemptions: new DynamoDbExemptionStore(table, options.maxAttempts),
    windows: new DynamoDbNotificationWindowStore(table),
    state: new DynamoDbDetectionStateStore(table, options.now),
    flush: () => findings.settle(),
    close: () => findings.settle(),
  };
}
