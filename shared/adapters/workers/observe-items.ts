/**
 * What a replay worker does with the items of one input: evaluates every event into what the store
 * applies (core/evaluation/observed-event.ts) and hands them out in chunks, in the input's order.
 * Events that change nothing are counted into `passed` runs instead of being sent one by one.
 */
import type { ObservedItem, PassedItem, ReplayItem } from '../../app/pipeline/replay';
import { observeEvent } from '../../core/evaluation/observed-event';
import type { ControlRouter } from '../../core/evaluation/router';
import type { IntakeItem } from '../../core/intake/types';
import type { EvaluationContext } from '../../core/model/control';

/** Events per chunk: large enough that messaging costs little per event, small enough to keep the writer busy. */
export const CHUNK_EVENTS = 500;

export interface ObservingEngine {
  router: ControlRouter;
  context: EvaluationContext;
}

/** The items of `items` observed by `engine`, in chunks of about `chunkEvents` events; the last chunk may be empty. */
export async function* observedChunks(
  items: AsyncIterable<IntakeItem>,
  engine: ObservingEngine,
  chunkEvents = CHUNK_EVENTS,
): AsyncGenerator<ReplayItem[]> {
  let chunk: ReplayItem[] = [];
  let passed: PassedItem | undefined;
  let events = 0;
  const endRun = () => {
    if (passed) chunk.push(passed);
    passed = undefined;
  };
  for await (const item of items) {
    if (item.kind === 'rejected') {
      endRun();
      chunk.push(item);
    } else {
      events += 1;
      const observed = observeEvent(item.event, engine.router, engine.context);
      if (observed.outcomes.length === 0 && observed.controlErrors.length === 0) {
        passed ??= { kind: 'passed', events: 0, unmatched: 0 };
        passed.events += 1;
        if (observed.matched === 0) passed.unmatched += 1;
      } else {
        endRun();
        const observedItem: ObservedItem = { kind: 'observed', observed };
        // What a raised finding is made from: the record's own text when intake kept it (nothing to serialize).
        if (observed.outcomes.some((outcome) => outcome.signals?.some((signal) => signal.raising))) {
          observedItem.source = item.text ?? item.event;
        }
        chunk.push(observedItem);
      }
    }
    if (events >= chunkEvents || chunk.length >= chunkEvents) {
      endRun();
      yield chunk;
      chunk = [];
      events = 0;
    }
  }
  endRun();
  yield chunk;
}
