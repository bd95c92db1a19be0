/** A finding's id, derived from what identifies it (kept apart from the types so they carry no Node import). */
import { createHash } from 'node:crypto';
import type { FindingKey } from './finding';

/**
 * Ids computed lately, by key text: a finding (or a detection's window) repeats from event to event, and a
 * hash costs more than the look-up. Bounded: cleared when full.
 */
const recentIds = new Map<string, string>();
const RECENT_IDS_KEPT = 4096;

/** The 32-hex-digit SHA-256 id of a key's text, hashed once while it keeps coming back. */
export function idOfKeyText(text: string): string {
  let id = recentIds.get(text);
  if (id === undefined) {
    id = createHash('sha256').update(text).digest('hex').slice(0, 32);
    if (recentIds.size >= RECENT_IDS_KEPT) recentIds.clear();
    recentIds.set(text, id);
  }
  return id;
}

/** Deterministic: the same control, account, region and resource always give the same id. */
export function findingIdOf(key: FindingKey): string {
  return idOfKeyText([key.controlId, key.account, key.region, key.resourceId, key.qualifier ?? ''].join('\u0000'));
}
