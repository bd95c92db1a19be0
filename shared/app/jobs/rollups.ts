/**
 * Sends the roll-ups of closed notification windows (storm control, shared/core/notifications/rollup.ts):
 * one message per window with the count and the resources held. Run on a schedule in AWS (a
 * handler-ready job: `flushRollups(deps, new Date())`) and at the end of every local replay, which
 * also flushes the windows still running (`all`). Idempotent: a window's roll-up is recorded as
 * sent once the notifier accepted it; one that could not be sent stays due and goes with the next
 * flush (at least once: a crash between sending and recording sends it again, same dedup key).
 */
import type { Settings } from '../../core/settings/settings';
import type { FindingStore } from '../../core/findings/finding-store';
import type { Notifier } from '../../core/notifications/notifier';
import { rollupNotificationOf } from '../../core/notifications/notification';
import { END_OF_TIME } from '../../core/notifications/rollup';

export interface RollupFlushDeps {
  store: FindingStore;
  notifier: Notifier;
  settings: Pick<Settings, 'findingsUrl'>;
}

export interface RollupFlushResult {
  /** Roll-ups sent. */
  sent: number;
  /** Notifications they summarized. */
  summarized: number;
  /** Roll-ups that could not be sent (retried by the next flush). */
  notificationFailures: number;
  errors: string[];
}

export async function flushRollups(deps: RollupFlushDeps, now: Date, options: { all?: boolean } = {}): Promise<RollupFlushResult> {
  const { store, notifier, settings } = deps;
  const at = now.toISOString();
  // Held notifications are written by the pipeline's batch: make them durable before reading.
  await store.flush();
  const windows = await store.closeRollupWindows(options.all ? END_OF_TIME : at, at);
  const result: RollupFlushResult = { sent: 0, summarized: 0, notificationFailures: 0, errors: [] };
  for (const window of windows) {
    try {
      await notifier.notify(rollupNotificationOf(window, { findingsUrl: settings.findingsUrl }));
    } catch (error) {
      result.notificationFailures += 1;
      result.errors.push(`${window.id}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    await store.markRollupSent(window.id, at);
    result.sent += 1;
    result.summarized += window.held;
  }
  await store.flush();
  return result;
}
