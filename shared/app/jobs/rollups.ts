/**
 * Sends the roll-ups of closed notification windows (storm control, shared/core/notifications/rollup.ts):
 * one message per window with the count and the resources held. Scheduled every minute in AWS, and
 * at the end of every local replay, which also flushes the windows still running
 * (`flushAllRollups`). Idempotent: a window's roll-up is recorded as sent once the notifier
 * accepted it; one that could not be sent stays due and goes with the next flush (at least once: a
 * crash between sending and recording sends it again, same dedup key).
 */
import { END_OF_TIME } from '../../core/notifications/rollup';
import type { RollupDeliveryResult } from '../delivery/delivery';
import type { JobDeps } from './job-deps';

export type RollupFlushResult = RollupDeliveryResult;

/** The windows that ended by `now`. */
export function flushRollups(deps: Pick<JobDeps, 'storage' | 'delivery'>, now: Date): Promise<RollupFlushResult> {
  return flush(deps, now, now.toISOString());
}

/** Every window, also those still running: the end of a local replay leaves nothing held. */
export function flushAllRollups(deps: Pick<JobDeps, 'storage' | 'delivery'>, now: Date): Promise<RollupFlushResult> {
  return flush(deps, now, END_OF_TIME);
}

async function flush({ storage, delivery }: Pick<JobDeps, 'storage' | 'delivery'>, now: Date, until: string): Promise<RollupFlushResult> {
  const at = now.toISOString();
  // Held notifications are written by the pipeline's batch: make them durable before reading.
  await storage.flush();
  const windows = await storage.windows.closeRollupWindows(until, at);
  const result = await delivery.deliverRollups(windows, at);
  await storage.flush();
  return result;
}
