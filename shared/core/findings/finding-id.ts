/** A finding's id, derived from what identifies it (kept apart from the types so they carry no Node import). */
import { createHash } from 'node:crypto';
import { remembered } from '../kernel/remembered';
import type { FindingKey } from './finding';

const RECENT_IDS_KEPT = 4096;

/**
 * The 32-hex-digit SHA-256 id of a key's text, hashed once while it keeps coming back: a finding (or a
 * detection's window) repeats from event to event, and a hash costs more than the look-up.
 */
export const idOfKeyText: (text: string) => string = remembered(RECENT_IDS_KEPT, (text) =>
  createHash('sha256').update(text).digest('hex').slice(0, 32),
);

/** Deterministic: the same control, account, region and resource always give the same id. */
export function findingIdOf(key: FindingKey): string {
  return idOfKeyText([key.controlId, key.account, key.region, key.resourceId, key.qualifier ?? ''].join('\u0000'));
}
