/**
 * SQLite NotificationWindowStore (storm control). Claims are written in the storage's batch
 * transaction: a burst claims the same window hundreds of times in one transaction, so the window
 * is kept here and written once, right before the transaction commits (with the claims, all or
 * nothing).
 */
import type { NotificationWindowStore } from '../../../core/notifications/notification-window-store';
import {
  claimInSlot,
  applyClose,
  applySent,
  type RollupClaim,
  type RollupDecision,
  type RollupWindow,
} from '../../../core/notifications/rollup';
import type { BodyRow, SqliteDatabase } from './database';

export class SqliteNotificationWindowStore implements NotificationWindowStore {
  private readonly statements;
  /**
   * Windows read or claimed in the open transaction (forgotten when it commits): `unsaved` when
   * claims changed it since it was written.
   */
  private readonly claimedWindows = new Map<string, { window: RollupWindow | undefined; unsaved: boolean }>();

  constructor(private readonly database: SqliteDatabase) {
    const { db } = database;
    this.statements = {
      getClaim: db.prepare<[string, string, string], { decision: RollupDecision }>(
        'SELECT decision FROM notification_claims WHERE finding_id = ? AND kind = ? AND event_id = ?',
      ),
      addClaim: db.prepare('INSERT OR IGNORE INTO notification_claims (finding_id, kind, event_id, at, decision) VALUES (?, ?, ?, ?, ?)'),
      latestOpening: db.prepare<[string], { decision: RollupDecision }>(
        "SELECT decision FROM notification_claims WHERE finding_id = ? AND kind = 'opened' ORDER BY at DESC, decision DESC LIMIT 1",
      ),
      getWindow: db.prepare<[string], BodyRow>('SELECT body FROM rollup_windows WHERE id = ?'),
      putWindow: db.prepare(
        `INSERT INTO rollup_windows (id, window_end, held, sent_at, body) VALUES (@id, @windowEnd, @held, @sentAt, @body)
         ON CONFLICT (id) DO UPDATE SET held = excluded.held, sent_at = excluded.sent_at, body = excluded.body`,
      ),
      dueWindows: db.prepare<[string], BodyRow>(
        'SELECT body FROM rollup_windows WHERE sent_at IS NULL AND held > 0 AND window_end <= ? ORDER BY window_end, id',
      ),
    };
    // What was read in the transaction may change once it ends (another process's sweep closing a window).
    database.onCommit({ before: () => this.settleClaimedWindows(), after: () => this.claimedWindows.clear() });
  }

  private saveWindow(window: RollupWindow): void {
    this.statements.putWindow.run({
      id: window.id,
      windowEnd: window.windowEnd,
      held: window.held,
      sentAt: window.sentAt ?? null,
      body: JSON.stringify(window),
    });
  }

  /** A window as the open transaction sees it: claimed here, or read (undefined: none). */
  private claimedWindowOf(id: string): RollupWindow | undefined {
    const known = this.claimedWindows.get(id);
    if (known) return known.window;
    const row = this.statements.getWindow.get(id);
    const window = row ? (JSON.parse(row.body) as RollupWindow) : undefined;
    this.claimedWindows.set(id, { window, unsaved: false });
    return window;
  }

  /**
   * Writes the windows claims changed in the open transaction and forgets them: before it commits,
   * and before windows are queried or written otherwise (outside any savepoint, so a write that
   * fails and rolls back cannot take them along).
   */
  private settleClaimedWindows(): void {
    for (const entry of this.claimedWindows.values()) {
      if (!entry.unsaved || !entry.window) continue;
      this.saveWindow(entry.window);
      entry.unsaved = false;
    }
    this.claimedWindows.clear();
  }

  async claimNotification(claim: RollupClaim, individual: number): Promise<RollupDecision> {
    // One synchronous read-decide-write in the write transaction: nothing interleaves.
    return this.database.writeOneStatement(() => {
      const known = this.statements.getClaim.get(claim.item.findingId, claim.kind, claim.item.eventId);
      if (known) return known.decision;
      const claimed = claimInSlot(claim, individual, (id) => this.claimedWindowOf(id));
      this.statements.addClaim.run(claim.item.findingId, claim.kind, claim.item.eventId, claim.item.at, claimed.decision);
      this.claimedWindows.set(claimed.window.id, { window: claimed.window, unsaved: true });
      return claimed.decision;
    });
  }

  async wasRolledUp(findingId: string): Promise<boolean> {
    return this.statements.latestOpening.get(findingId)?.decision === 'held';
  }

  async closeRollupWindows(until: string, at: string): Promise<RollupWindow[]> {
    this.settleClaimedWindows();
    const due = this.database.write(() =>
      this.statements.dueWindows.all(until).map((row) => {
        const window = JSON.parse(row.body) as RollupWindow;
        const closed = applyClose(window, at);
        if (closed) this.saveWindow(closed);
        return closed ?? window;
      }),
    );
    // Claims from other processes must see the windows closed before the roll-ups go out.
    this.database.commit();
    return due;
  }

  async markRollupSent(windowId: string, at: string): Promise<void> {
    this.settleClaimedWindows();
    this.database.write(() => {
      const row = this.statements.getWindow.get(windowId);
      const sent = row && applySent(JSON.parse(row.body) as RollupWindow, at);
      if (sent) this.saveWindow(sent);
    });
    this.database.commit();
  }
}
