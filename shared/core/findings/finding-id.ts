/** A finding's id, derived from what identifies it (kept apart from the types so they carry no Node import). */
import { createHash } from 'node:crypto';
import type { FindingKey } from './finding';

/** Deterministic: the same control, account, region and resource always give the same id. */
export function findingIdOf(key: FindingKey): string {
  return createHash('sha256')
    .update([key.controlId, key.account, key.region, key.resourceId, key.qualifier ?? ''].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}
