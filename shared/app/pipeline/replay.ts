/** Streams intake items through the pipeline, committing and notifying in batches. */
import type { IntakeItem } from '../../core/intake/types';
import type { EventResult } from './pipeline';
import type { EventBridgeEvent } from '../../core/model/event';
import { SummaryBuilder, type Rejection, type ReplaySummary } from './summary';
import type { RollupFlushResult } from '../jobs/rollups';

/** What replay drives: the Pipeline, or anything that wraps it (the benchmark times it). */
export interface EventProcessor {
  process(event: EventBridgeEvent): Promise<EventResult>;
  flush(): Promise<void>;
}

export interface ReplayOptions {
  /** Events between commits (and notification sends). */
  flushEvery?: number;
  onRejected?: (rejection: Rejection) => void;
  onControlError?: (eventId: string, controlId: string, message: string) => void;
  onNotificationError?: (error: unknown) => void;
  /**
   * At the end: sends the roll-ups of every notification window, also those still running
   * (`flushAllRollups`), so a replay leaves nothing held.
   */
  flushRollups?: () => Promise<RollupFlushResult>;
  onRollups?: (result: RollupFlushResult) => void;
}

function failureCount(error: unknown): number {
  return error instanceof AggregateError ? error.errors.length : 1;
}

export async function replay(
  items: AsyncIterable<IntakeItem>,
  pipeline: EventProcessor,
  options: ReplayOptions = {},
): Promise<ReplaySummary> {
  const flushEvery = options.flushEvery ?? 1000;
  const summary = new SummaryBuilder();
  let sinceFlush = 0;
  const flush = async () => {
    sinceFlush = 0;
    try {
      await pipeline.flush();
    } catch (error) {
      summary.notificationFailed(failureCount(error));
      options.onNotificationError?.(error);
    }
  };
  for await (const item of items) {
    if (item.kind === 'rejected') {
      const rejection = summary.rejected(item.where, item.reason);
      options.onRejected?.(rejection);
      continue;
    }
    const result = await pipeline.process(item.event);
    for (const error of result.controlErrors) options.onControlError?.(item.event.id, error.controlId, error.message);
    summary.event(result.changes, result.matched > 0, result.controlErrors.length);
    sinceFlush += 1;
    if (sinceFlush >= flushEvery) await flush();
  }
  await flush();
  if (options.flushRollups) {
    try {
      const rollups = await options.flushRollups();
      options.onRollups?.(rollups);
      if (rollups.notificationFailures > 0) {
        summary.notificationFailed(rollups.notificationFailures);
        options.onNotificationError?.(new Error(`roll-ups not sent (retried by the next run): ${rollups.errors.join('; ')}`));
      }
    } catch (error) {
      summary.notificationFailed(1);
      options.onNotificationError?.(error);
    }
  }
  return summary.build();
}
