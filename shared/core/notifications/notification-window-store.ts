/**
 * The notification windows port (storm control, rollup.ts): counts notifications in their window
 * atomically, and keeps what was held for the window's roll-up until it is sent.
 */
import type { RollupClaim, RollupDecision, RollupWindow } from './rollup';

export interface NotificationWindowStore {
  /**
   * Counts one notification in its window, atomically, once per (finding, kind, event): the same
   * claim again returns the decision it got the first time. `individual` while the window has
   * counted at most `individual` notifications (or once it is closed), else `held`: kept in the
   * window for its roll-up.
   */
  claimNotification(claim: RollupClaim, individual: number): Promise<RollupDecision>;
  /** Whether the finding's latest opening notification was held for a roll-up. */
  wasRolledUp(findingId: string): Promise<boolean>;
  /**
   * Closes every window that ended at or before `until` (ISO) and holds notifications whose roll-up
   * was not sent, and returns them (closed: later claims there go out on their own). A window
   * closed earlier and still unsent is returned again. Durable when it resolves.
   */
  closeRollupWindows(until: string, at: string): Promise<RollupWindow[]>;
  /** Records that the window's roll-up was sent; it is never returned again. Durable when it resolves. */
  markRollupSent(windowId: string, at: string): Promise<void>;
}
