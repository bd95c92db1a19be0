/**
 * DynamoDB DetectionStateStore: one item per control, window and key (`DETECT#<state id>` / `STATE`),
 * following the finding pattern: consistent read → the pure `applySignal` → one conditional Put on the
 * state's version (`attribute_not_exists` when new), retried from the read on contention, so concurrent
 * invocations never lose a count. A signal that changes nothing (an event already counted, a first-seen
 * member seen today) writes nothing.
 *
 * Windows run on event time (state.ts); the item's TTL attribute `expiresAt` only collects garbage: the
 * state's own expiry in event time, or the clock plus the state's retention when that is later (a backfill
 * of old events keeps its state while it runs). DynamoDB deletes expired items within days, not at once,
 * and dynalite never does: an item past its TTL is read as absent, as if it were gone.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DetectionStateStore } from '../../../core/detections/detection-state-store';
import { stateIdOf, type ObservedSignal, type Tally } from '../../../core/detections/signal';
import { applySignal, type DetectionState } from '../../../core/detections/state';
import { backoff, detectionStateKey, FINDINGS_TABLE_TTL_ATTRIBUTE, isConditionFailure, type DynamoDbTable } from './table';

/** Read-apply-write attempts of one state under contention (a burst on one key). */
const STATE_ATTEMPTS = 40;

export class DynamoDbDetectionStateStore implements DetectionStateStore {
  constructor(
    private readonly table: DynamoDbTable,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async apply(signal: ObservedSignal): Promise<Tally> {
    const key = detectionStateKey(stateIdOf(signal));
    for (let attempt = 1; ; attempt += 1) {
      const { Item } = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: key, ConsistentRead: true }));
      const live = Item && Number(Item[FINDINGS_TABLE_TTL_ATTRIBUTE]) * 1000 > this.now().getTime() ? Item : undefined;
      const stored = live ? (JSON.parse(String(live.doc)) as DetectionState) : undefined;
      const { state, tally } = applySignal(stored, signal);
      if (!state) return tally;
      try {
        await this.table.doc.send(
          new PutCommand({
            TableName: this.table.name,
            Item: { ...key, version: state.version, doc: JSON.stringify(state), [FINDINGS_TABLE_TTL_ATTRIBUTE]: this.expiryOf(state) },
            ...(Item
              ? {
                  ConditionExpression: '#version = :expected',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':expected': Item.version },
                }
              : { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'PK' } }),
          }),
        );
        return tally;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        if (attempt >= STATE_ATTEMPTS)
          throw new Error(`detection state ${state.id}: still changed by concurrent writers after ${attempt} attempts; retry the event`, {
            cause: error,
          });
        await backoff(attempt);
      }
    }
  }

  /** Epoch seconds: the state's expiry in event time, or the clock plus its retention when later. */
  private expiryOf(state: DetectionState): number {
    const retention = Date.parse(state.expiresAt) - Date.parse(state.latest);
    return Math.ceil(Math.max(Date.parse(state.expiresAt), this.now().getTime() + retention) / 1000);
  }
}
