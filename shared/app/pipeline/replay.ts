/** Streams intake items through the pipeline, committing and notifying in batches. */
import type { ObservedEvent } from '../../core/evaluation/observed-event';
import type { IntakeItem } from '../../core/intake/types';
import type { EventResult, EventSource } from './pipeline';
import type { EventBridgeEvent } from '../../core/model/event';
import { SummaryBuilder, type Rejection, type ReplaySummary } from './summary';
import type { RollupFlushResult } from '../jobs/rollups';

/** What replay drives: the Pipeline, or anything that wraps it (the benchmark times it). */
export interface EventProcessor {
  process(event: EventBridgeEvent): Promise<EventResult>;
  /** An event evaluated already (a worker thread of a parallel replay did): recorded as `process` would. */
  record?(observed: ObservedEvent, source?: EventSource): Promise<EventResult>;
  flush(): Promise<void>;
}

/** An event a worker thread read and evaluated: what the pipeline records. */
export interface ObservedItem {
  kind: 'observed';
  observed: ObservedEvent;
  /**
   * The event (or the JSON text it was read from) when a stateful signal of it names a finding: what that
   * finding is made from if its window raises it (Pipeline.record).
   */
  source?: EventSource;
}

/**
 * Events a worker thread read and evaluated that change nothing: no control found a violation or a
 * resolution in them and none failed. Counted, not recorded (`unmatched`: how many no pattern selected).
 */
export interface PassedItem {
  kind: 'passed';
  events: number;
  unmatched: number;
}

/** What a replay reads: events to evaluate here, events evaluated already, and rejections. */
export type ReplayItem = IntakeItem | ObservedItem | PassedItem;

/**
 * Events between commits (and notification sends) by default. A commit writes every page the batch
 * dirtied to the WAL once: at 1,000 events a replay spent as long committing as inserting findings;
 * at 5,000 half as long. A crash loses at most one batch, which the next run applies again.
 */
export const DEFAULT_FLUSH_EVERY = 5000;

/** How long a batch may stay open by default: `serve`'s writes during a replay wait at most about this long. */
export const DEFAULT_FLUSH_AFTER_MS = 500;

export interface ReplayOptions {
  /** Events between commits (and notification sends). */
  flushEvery?: number;
  /**
   * Also commit once a batch has been open this long (milliseconds): a batch holds the database's write
   * lock, and another process writing the same file (`serve`) waits for it. Default DEFAULT_FLUSH_AFTER_MS.
   */
  flushAfterMs?: number;
  /** The clock batches are timed by, in milliseconds (default Date.now). */
  now?: () => number;
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

/** One event through the pipeline: evaluated and recorded, or (evaluated elsewhere) recorded. */
function recorded(item: (IntakeItem & { kind: 'event' }) | ObservedItem, pipeline: EventProcessor): Promise<EventResult> {
  if (item.kind === 'event') return pipeline.process(item.event);
  if (!pipeline.record) throw new Error('this replay cannot record events evaluated in worker threads (its processor has no record)');
  return pipeline.record(item.observed, item.source);
}

export async function replay(
  items: AsyncIterable<ReplayItem>,
  pipeline: EventProcessor,
  options: ReplayOptions = {},
): Promise<ReplaySummary> {
  const flushEvery = options.flushEvery ?? DEFAULT_FLUSH_EVERY;
  const flushAfterMs = options.flushAfterMs ?? DEFAULT_FLUSH_AFTER_MS;
  const now = options.now ?? Date.now;
  let openedAt = now();
  /** Whether the batch is full, by events or by time (the clock read every 64 events). */
  const batchDone = () => sinceFlush >= flushEvery || ((sinceFlush & 63) === 0 && now() - openedAt >= flushAfterMs);
  const summary = new SummaryBuilder();
  let sinceFlush = 0;
  const flush = async () => {
    sinceFlush = 0;
    openedAt = now();
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
    if (item.kind === 'passed') {
      summary.passed(item.events, item.unmatched);
      sinceFlush += item.events;
      if (sinceFlush >= flushEvery || now() - openedAt >= flushAfterMs) await flush();
      continue;
    }
    const result = await recorded(item, pipeline);
    const eventId = item.kind === 'event' ? item.event.id : item.observed.envelopeId;
    for (const error of result.controlErrors) options.onControlError?.(eventId, error.controlId, error.message);
    summary.event(result.changes, result.matched > 0, result.controlErrors.length);
    sinceFlush += 1;
    if (batchDone()) await flush();
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
