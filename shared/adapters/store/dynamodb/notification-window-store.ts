/**
 * DynamoDB NotificationWindowStore (storm control). A window follows the finding pattern: read it
 * (consistent), apply the pure claim, one conditional Put on its version, retried on contention;
 * then the claim's decision is put once (`attribute_not_exists`) under the finding, so a
 * redelivered event gets the decision it got the first time (a crash between the two Puts counts
 * that notification twice in the window, erring towards the roll-up). A window is listed in the
 * `ROLLUP#DUE` partition, by its end, before its first held notification is written; closing it is a
 * conditional Put too, so a claim and the close never both win. Windows and due items expire (TTL)
 * 30 days after the window ended; claim decisions stay (`wasRolledUp` reads them when a finding
 * resolves, months later perhaps). In a burst the window item is the hot key.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { decodeDocument, encodeDocument, ITEM } from './finding-item';
import type { NotificationWindowStore } from '../../../core/notifications/notification-window-store';
import {
  applyClaim,
  applyClose,
  applySent,
  isRollupDue,
  rollupIdOf,
  type RollupClaim,
  type RollupDecision,
  type RollupWindow,
} from '../../../core/notifications/rollup';
import {
  backoff,
  CLAIM_ATTEMPTS,
  claimKey,
  defined,
  FINDINGS_TABLE_TTL_ATTRIBUTE,
  isConditionFailure,
  ROLLUP_DUE_PARTITION,
  ROLLUP_TTL_SECONDS,
  rollupDueKey,
  rollupWindowKey,
  type DynamoDbTable,
} from './table';

/**
 * The window as stored: deflated (finding-item.ts), since it carries the control's summary for its
 * roll-up message and a DynamoDB write is billed by the whole item's size.
 */
const WINDOW_BODY = ITEM.body;

export class DynamoDbNotificationWindowStore implements NotificationWindowStore {
  constructor(private readonly table: DynamoDbTable) {}

  async claimNotification(claim: RollupClaim, individual: number): Promise<RollupDecision> {
    const key = claimKey(claim.item.findingId, claim.kind, claim.item.eventId);
    for (let attempt = 1; ; attempt += 1) {
      const { Item: known } = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: key, ConsistentRead: true }));
      if (known) return known.decision as RollupDecision;
      // The first part of the window still open (parts after an early close are rare).
      let previous: RollupWindow | undefined;
      let before: RollupWindow | undefined;
      let claimed: ReturnType<typeof applyClaim>;
      for (let part = 1; ; part += 1) {
        const { Item: stored } = await this.table.doc.send(
          new GetCommand({ TableName: this.table.name, Key: rollupWindowKey(rollupIdOf(claim, part)), ConsistentRead: true }),
        );
        before = stored && decodeDocument<RollupWindow>(stored[WINDOW_BODY] as Uint8Array, `roll-up window ${rollupIdOf(claim, part)}`);
        claimed = applyClaim(before, claim, individual, part, previous);
        if (claimed) break;
        previous = before;
      }
      const { decision, window } = claimed;
      // Listed as due before it holds anything, so no held notification is ever unlisted.
      if (window.held > 0 && !(before && before.held > 0))
        await this.table.put({ ...rollupDueKey(window), windowId: window.id, [FINDINGS_TABLE_TTL_ATTRIBUTE]: this.rollupExpiry(window) });
      try {
        await this.putWindow(window, before);
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        if (attempt >= CLAIM_ATTEMPTS)
          throw new Error(`roll-up window ${window.id}: still changed by concurrent writers after ${attempt} attempts; retry the event`, {
            cause: error,
          });
        await backoff(attempt);
        continue;
      }
      try {
        await this.table.doc.send(
          new PutCommand({
            TableName: this.table.name,
            Item: { ...key, decision, at: claim.item.at },
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: { '#pk': 'PK' },
          }),
        );
        return decision;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        // A concurrent delivery of the same event decided first: its decision stands.
        const { Item } = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: key, ConsistentRead: true }));
        return (Item?.decision as RollupDecision | undefined) ?? decision;
      }
    }
  }

  async wasRolledUp(findingId: string): Promise<boolean> {
    const items = await this.table.queryAll({
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :kind)',
      ExpressionAttributeNames: { '#pk': 'PK', '#sk': 'SK' },
      ExpressionAttributeValues: { ':pk': `NOTIFY#${findingId}`, ':kind': 'opened#' },
      ConsistentRead: true,
    });
    let latest: Record<string, unknown> | undefined;
    for (const item of items) if (!latest || String(item.at) >= String(latest.at)) latest = item;
    return latest?.decision === 'held';
  }

  async closeRollupWindows(until: string, at: string): Promise<RollupWindow[]> {
    const due = await this.table.queryAll({
      KeyConditionExpression: '#pk = :pk AND #sk <= :high',
      FilterExpression: 'attribute_not_exists(#sentAt)',
      ExpressionAttributeNames: { '#pk': 'PK', '#sk': 'SK', '#sentAt': 'sentAt' },
      ExpressionAttributeValues: { ':pk': ROLLUP_DUE_PARTITION, ':high': `${until}#\uffff` },
      ConsistentRead: true,
    });
    const closed: RollupWindow[] = [];
    for (const item of due) {
      const window = await this.changeWindow(String(item.windowId), (stored) =>
        isRollupDue(stored, until) ? (applyClose(stored, at) ?? null) : undefined,
      );
      if (window) closed.push(window);
    }
    return closed;
  }

  async markRollupSent(windowId: string, at: string): Promise<void> {
    const sent = await this.changeWindow(windowId, (stored) => applySent(stored, at));
    if (sent?.sentAt === at)
      await this.table.put({
        ...rollupDueKey(sent),
        windowId: sent.id,
        sentAt: at,
        [FINDINGS_TABLE_TTL_ATTRIBUTE]: this.rollupExpiry(sent),
      });
  }

  /**
   * Read → change → conditional Put of one window, retried on contention. `change` returns the new
   * window, null to keep it as it is (and return it), or undefined to skip it (returns undefined).
   */
  private async changeWindow(
    id: string,
    change: (stored: RollupWindow) => RollupWindow | null | undefined,
  ): Promise<RollupWindow | undefined> {
    for (let attempt = 1; ; attempt += 1) {
      const { Item } = await this.table.doc.send(
        new GetCommand({ TableName: this.table.name, Key: rollupWindowKey(id), ConsistentRead: true }),
      );
      const stored = Item && decodeDocument<RollupWindow>(Item[WINDOW_BODY] as Uint8Array, `roll-up window ${id}`);
      if (!stored) return undefined;
      const next = change(stored);
      if (next === undefined) return undefined;
      if (next === null) return stored;
      try {
        await this.putWindow(next, stored);
        return next;
      } catch (error) {
        if (!isConditionFailure(error) || attempt >= CLAIM_ATTEMPTS) throw error;
        await backoff(attempt);
      }
    }
  }

  private async putWindow(window: RollupWindow, before: RollupWindow | undefined): Promise<void> {
    await this.table.doc.send(
      new PutCommand({
        TableName: this.table.name,
        Item: {
          ...rollupWindowKey(window.id),
          version: window.version,
          [WINDOW_BODY]: encodeDocument(defined(window)),
          [FINDINGS_TABLE_TTL_ATTRIBUTE]: this.rollupExpiry(window),
        },
        ...(before
          ? {
              ConditionExpression: '#version = :expected',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':expected': before.version },
            }
          : { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'PK' } }),
      }),
    );
  }

  private rollupExpiry(window: RollupWindow): number {
    return Math.floor(Date.parse(window.windowEnd) / 1000) + ROLLUP_TTL_SECONDS;
  }
}
