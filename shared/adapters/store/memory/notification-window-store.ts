/** In-memory NotificationWindowStore (storm control), for unit tests and dry runs. */
import type { NotificationWindowStore } from '../../../core/notifications/notification-window-store';
import {
  claimInSlot,
  applyClose,
  applySent,
  byWindowEnd,
  isRollupDue,
  type RollupClaim,
  type RollupDecision,
  type RollupWindow,
} from '../../../core/notifications/rollup';

export class MemoryNotificationWindowStore implements NotificationWindowStore {
  private readonly windows = new Map<string, RollupWindow>();
  /** Claim decisions by `findingId \0 kind \0 eventId`, with when they were made. */
  private readonly claims = new Map<string, { decision: RollupDecision; at: string; findingId: string; kind: string }>();

  async claimNotification(claim: RollupClaim, individual: number): Promise<RollupDecision> {
    const key = [claim.item.findingId, claim.kind, claim.item.eventId].join('\u0000');
    const known = this.claims.get(key);
    if (known) return known.decision;
    const claimed = claimInSlot(claim, individual, (id) => this.windows.get(id));
    this.windows.set(claimed.window.id, structuredClone(claimed.window));
    this.claims.set(key, { decision: claimed.decision, at: claim.item.at, findingId: claim.item.findingId, kind: claim.kind });
    return claimed.decision;
  }

  async wasRolledUp(findingId: string): Promise<boolean> {
    let latest: { decision: RollupDecision; at: string } | undefined;
    for (const claim of this.claims.values()) {
      if (claim.findingId === findingId && claim.kind === 'opened' && (!latest || claim.at >= latest.at)) latest = claim;
    }
    return latest?.decision === 'held';
  }

  async closeRollupWindows(until: string, at: string): Promise<RollupWindow[]> {
    const due: RollupWindow[] = [];
    for (const window of this.windows.values()) {
      if (!isRollupDue(window, until)) continue;
      const closed = applyClose(window, at) ?? window;
      this.windows.set(window.id, closed);
      due.push(structuredClone(closed));
    }
    return due.sort(byWindowEnd);
  }

  async markRollupSent(windowId: string, at: string): Promise<void> {
    const window = this.windows.get(windowId);
    const sent = window && applySent(window, at);
    if (sent) this.windows.set(windowId, sent);
  }
}
