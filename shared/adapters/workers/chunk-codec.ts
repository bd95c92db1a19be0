/**
 * How a chunk of replay items crosses from a worker thread to the writer: JSON text (one string is one
 * copy; the structured clone of the observations' object graphs cost more on both sides), with what
 * repeats from signal to signal written once. On real CloudTrail nearly every event carries a stateful
 * detection's signal, and each signal repeated its control's names, its window's numbers and its event's
 * draft: three times the bytes of the CloudTrail record itself.
 *
 * - a signal's window numbers (minutes, threshold, counts, steps, distinctEnds) and its control's names in
 *   the draft of the finding it may raise (area, title, resolvable) go into the chunk's tables, once each;
 * - a signal's time, event id, account and region, and its draft's event part, are its event's: written
 *   once per event.
 * `decodeChunk(encodeChunk(items))` gives items equal to `items` (test/engine/parallel-replay.test.ts
 * compares whole replays).
 */
import type { ReplayItem } from '../../app/pipeline/replay';
import type { ObservedSignal } from '../../core/detections/signal';
import type { ObservedEvent, ObservedOutcome } from '../../core/evaluation/observed-event';
import type { EventDraft, ViolationDraft } from '../../core/findings/observation';

/** A window's numbers as the signal carried them. */
type WindowNumbers = Pick<ObservedSignal, 'minutes' | 'threshold' | 'counts' | 'steps' | 'distinctEnds'>;
/** A control's names as a draft carried them. */
type ControlNames = Pick<ViolationDraft, 'area' | 'title' | 'resolvable'>;

/** A signal without what its event, its window or its control says: `w` and `c` index the chunk's tables. */
type WireSignal = Omit<ObservedSignal, keyof WindowNumbers | 'controlId' | 'at' | 'eventId' | 'raises'> & {
  w: number;
  raises?: { c: number; violation: ViolationDraft['violation']; event?: EventDraft };
};

/** What the signals of one observed event share. */
interface WireEvent {
  at: string;
  account: string;
  region: string;
  draft?: EventDraft;
}

interface WireChunk {
  items: unknown[];
  windows: WindowNumbers[];
  controls: ControlNames[];
}

function windowNumbersOf(signal: ObservedSignal): WindowNumbers {
  return {
    minutes: signal.minutes,
    threshold: signal.threshold,
    counts: signal.counts,
    ...(signal.steps ? { steps: signal.steps } : {}),
    ...(signal.distinctEnds ? { distinctEnds: signal.distinctEnds } : {}),
  };
}

export function encodeChunk(items: readonly ReplayItem[]): string {
  const windows: WindowNumbers[] = [];
  const windowIndex = new Map<string, number>();
  const controls: ControlNames[] = [];
  const controlIndex = new Map<string, number>();
  const encoded = items.map((item) => {
    if (item.kind !== 'observed' || !item.observed.outcomes.some((outcome) => outcome.signals)) return item;
    let shared: WireEvent | undefined;
    const outcomes = item.observed.outcomes.map((outcome) => {
      if (!outcome.signals) return outcome;
      const signals = outcome.signals.map((signal): WireSignal => {
        const { controlId, minutes, threshold, counts, steps, distinctEnds, at, eventId, raises, ...rest } = signal;
        const windowKey = `${controlId}\u0000${signal.window}`;
        let w = windowIndex.get(windowKey);
        if (w === undefined) {
          w = windows.push(windowNumbersOf(signal)) - 1;
          windowIndex.set(windowKey, w);
        }
        const wire: WireSignal = { ...rest, w };
        if (raises) {
          let c = controlIndex.get(raises.controlId);
          if (c === undefined) {
            c = controls.push({ area: raises.area, title: raises.title, resolvable: raises.resolvable }) - 1;
            controlIndex.set(raises.controlId, c);
          }
          shared ??= { at, account: raises.account, region: raises.region };
          if (shared.draft === undefined) Object.assign(shared, { account: raises.account, region: raises.region, draft: raises.event });
          wire.raises = { c, violation: raises.violation, ...(raises.event === shared.draft ? {} : { event: raises.event }) };
        }
        shared ??= { at, account: '', region: '' };
        return wire;
      });
      return { ...outcome, signals };
    });
    return { kind: 'observed', observed: { ...item.observed, outcomes }, shared };
  });
  const chunk: WireChunk = { items: encoded, windows, controls };
  return JSON.stringify(chunk);
}

export function decodeChunk(text: string): ReplayItem[] {
  const chunk = JSON.parse(text) as WireChunk;
  for (const item of chunk.items as Array<ReplayItem & { shared?: WireEvent }>) {
    if (item.kind !== 'observed' || item.shared === undefined) continue;
    const shared = item.shared;
    delete item.shared;
    const observed: ObservedEvent = item.observed;
    for (const outcome of observed.outcomes as Array<ObservedOutcome & { signals?: unknown[] }>) {
      if (!outcome.signals) continue;
      outcome.signals = (outcome.signals as WireSignal[]).map((wire): ObservedSignal => {
        const { w, raises, ...rest } = wire;
        const signal: ObservedSignal = {
          controlId: outcome.controlId,
          ...rest,
          ...chunk.windows[w]!,
          at: shared.at,
          eventId: observed.eventId,
        };
        if (raises) {
          const names = chunk.controls[raises.c]!;
          signal.raises = {
            controlId: outcome.controlId,
            ...names,
            account: shared.account,
            region: shared.region,
            violation: raises.violation,
            event: raises.event ?? (shared.draft as EventDraft),
          };
        }
        return signal;
      });
    }
  }
  return chunk.items as ReplayItem[];
}
