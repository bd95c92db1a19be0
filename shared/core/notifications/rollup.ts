/**
 * Storm control: the windows notifications are counted in, and the pure decisions every store
 * adapter applies atomically (memory, SQLite, DynamoDB with a conditional Put).
 *
 * A window is one fixed slot of the clock (`notifyBurst.windowMinutes`, aligned to the epoch, so
 * every process and Lambda invocation agrees on it) for one control, one account and one kind:
 * openings (opened, reopened), or resolutions of findings whose opening was rolled up. The first
 * `notifyBurst.individual` notifications counted in a window go out one by one; the rest are held
 * in the window and summarized by ONE roll-up when it closes (`flushRollups`).
 *
 * A window can close before its end: a local replay flushes every window when it finishes, and a
 * scheduled flush may close one while a claim that read the clock just before the end is on its
 * way. A claim for a closed window goes to the window's next part (same slot, same count carried
 * on, its own roll-up and dedup key `…/<part>`), so a burst is never let loose by an early close.
 */
import { maxSeverity, type Severity } from '../model/severity';
import type { Area } from '../model/area';
import type { ControlSummary } from '../model/control-metadata';

/** What a window counts. */
export type RollupKind = 'opened' | 'resolved';

/** How one notification goes out. */
export type RollupDecision = 'individual' | 'held';

/** A notification held for a roll-up: enough to list it. */
export interface HeldNotification {
  findingId: string;
  eventId: string;
  resourceId: string;
  resourceType: string;
  region: string;
  severity: Severity;
  /** When it was held (the claim's clock). */
  at: string;
}

/** What a window counts: one kind of notification of one control in one account, in one slot of the clock. */
export interface RollupSlot {
  kind: RollupKind;
  controlId: string;
  area: Area;
  account: string;
  windowStart: string;
  windowEnd: string;
  control: ControlSummary;
}

/** One notification counted in its window. Idempotent by (finding, kind, event). */
export interface RollupClaim extends RollupSlot {
  item: HeldNotification;
}

/** The held notifications listed in a window; beyond these only the count is kept. */
export const ROLLUP_ITEMS_KEPT = 100;

export interface RollupWindow extends RollupSlot {
  /** Also the roll-up's dedup key: `rollup/<kind>/<controlId>/<account>/<windowStart>`, then `/<part>` from part 2. */
  id: string;
  /** 1, or more when earlier parts of the slot were closed before it ended. */
  part: number;
  /** Notifications counted here (individual and held). */
  claimed: number;
  /** Notifications held for the roll-up. */
  held: number;
  /** The highest severity held. */
  severity?: Severity;
  /** The first ROLLUP_ITEMS_KEPT held notifications, in the order they were held. */
  items: HeldNotification[];
  /** Set when the window was closed for its roll-up: later claims go out on their own. */
  closedAt?: string;
  /** Set once the roll-up was sent. */
  sentAt?: string;
  /** Bumped on every write (optimistic concurrency in DynamoDB). */
  version: number;
}

export function rollupIdOf(key: { kind: RollupKind; controlId: string; account: string; windowStart: string }, part = 1): string {
  return `rollup/${key.kind}/${key.controlId}/${key.account}/${key.windowStart}${part > 1 ? `/${part}` : ''}`;
}

/** The fixed window `at` falls in. */
export function windowOf(at: Date, windowMinutes: number): { windowStart: string; windowEnd: string } {
  const length = windowMinutes * 60_000;
  const start = Math.floor(at.getTime() / length) * length;
  return { windowStart: new Date(start).toISOString(), windowEnd: new Date(start + length).toISOString() };
}

/**
 * Counts the claim in one part of its window (pure): `existing` is that part as stored (undefined
 * when there is none yet) and `previous` the part before it (when `part` > 1). Undefined when that
 * part is closed: claim in the next one.
 */
export function applyClaim(
  existing: RollupWindow | undefined,
  claim: RollupClaim,
  individual: number,
  part = 1,
  previous?: RollupWindow,
): { decision: RollupDecision; window: RollupWindow } | undefined {
  if (existing?.closedAt !== undefined) return undefined;
  const base: RollupWindow = existing ?? {
    id: rollupIdOf(claim, part),
    part,
    kind: claim.kind,
    controlId: claim.controlId,
    area: claim.area,
    account: claim.account,
    windowStart: claim.windowStart,
    windowEnd: claim.windowEnd,
    control: claim.control,
    claimed: previous?.claimed ?? 0,
    held: 0,
    items: [],
    version: 0,
  };
  const claimed = base.claimed + 1;
  if (claimed <= individual) return { decision: 'individual', window: { ...base, claimed, version: base.version + 1 } };
  const listed = base.items.some((item) => item.findingId === claim.item.findingId && item.eventId === claim.item.eventId);
  return {
    decision: 'held',
    window: {
      ...base,
      claimed,
      held: listed ? base.held : base.held + 1,
      severity: base.severity ? maxSeverity(base.severity, claim.item.severity) : claim.item.severity,
      items: listed || base.items.length >= ROLLUP_ITEMS_KEPT ? base.items : [...base.items, claim.item],
      version: base.version + 1,
    },
  };
}

/**
 * Counts the claim in the first part of its slot that is still open (pure over `stored`, which reads
 * a part by id: undefined when there is none yet): the decision and the part as it is to be written.
 */
export function claimInSlot(
  claim: RollupClaim,
  individual: number,
  stored: (windowId: string) => RollupWindow | undefined,
): { decision: RollupDecision; window: RollupWindow } {
  let previous: RollupWindow | undefined;
  for (let part = 1; ; part += 1) {
    const existing = stored(rollupIdOf(claim, part));
    const claimed = applyClaim(existing, claim, individual, part, previous);
    if (claimed) return claimed;
    previous = existing;
  }
}

/** The order due windows are sent in: by end, then id (every adapter's). */
export function byWindowEnd(a: RollupWindow, b: RollupWindow): number {
  if (a.windowEnd !== b.windowEnd) return a.windowEnd < b.windowEnd ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Whether the window is waiting for its roll-up at `until`: it ended by then, holds something, and was not sent. */
export function isRollupDue(window: RollupWindow, until: string): boolean {
  return window.held > 0 && window.sentAt === undefined && window.windowEnd <= until;
}

/** Closes the window (pure); undefined when it is closed already. */
export function applyClose(window: RollupWindow, at: string): RollupWindow | undefined {
  if (window.closedAt !== undefined) return undefined;
  return { ...window, closedAt: at, version: window.version + 1 };
}

/** Records the roll-up as sent (pure); undefined when it was already. */
export function applySent(window: RollupWindow, at: string): RollupWindow | undefined {
  if (window.sentAt !== undefined) return undefined;
  return { ...window, closedAt: window.closedAt ?? at, sentAt: at, version: window.version + 1 };
}

/** The latest time any window can end: passing it to `closeRollupWindows` closes every window. */
export const END_OF_TIME = '9999-12-31T23:59:59.999Z';
