/**
 * How a chunk of replay items crosses from a worker thread to the writer: JSON text (one string is one
 * copy; the structured clone of the observations' object graphs cost more on both sides), with what
 * repeats from signal to signal written once, and beside it the JSON texts of the events whose stateful
 * signals name a finding, as intake read them (never serialized again), in one buffer of UTF-8 bytes that
 * is transferred, not copied, and parsed only for an event whose window raises its finding.
 *
 * - a signal's window (its id, minutes, threshold, counts, steps, distinctEnds) goes into the chunk's table,
 *   once per window, and the rest of it is a tuple;
 * - a signal's time and event id are its event's: written once per event.
 * `decodeChunk(encodeChunk(items))` gives items equal to `items`, but for an event given as an object, which
 * comes back as its JSON text (test/engine/chunk-codec.test.ts; test/engine/parallel-replay.test.ts compares
 * whole replays).
 */
import type { ObservedItem, ReplayItem } from '../../app/pipeline/replay';
import type { ObservedSignal } from '../../core/detections/signal';
import type { ObservedEvent, ObservedOutcome } from '../../core/evaluation/observed-event';

/** A window's id and numbers as the signal carried them. */
type WindowNumbers = Pick<ObservedSignal, 'window' | 'minutes' | 'threshold' | 'counts' | 'steps' | 'distinctEnds'>;

/** A signal as a tuple: its window (`w` indexes the chunk's windows), kind, key, value, step, and whether it names a finding. */
type WireSignal = [w: number, kind: ObservedSignal['kind'], key: string, value: string | null, step: string | null, raising: 0 | 1];

/** An outcome with signals only (most of them): its control and its signals. */
type WireSignalsOutcome = [controlId: string, signals: WireSignal[]];

/**
 * An observed item on the wire: its event's ids (`v`: the envelope's id, when not the event id), the
 * outcomes (those with signals only as tuples), its signals' time once (`at`), its event's text by index (`s`).
 */
interface WireObserved {
  k: 'o';
  id: string;
  v?: string;
  m: number;
  o: Array<ObservedOutcome | WireSignalsOutcome>;
  e?: ObservedEvent['controlErrors'];
  at?: string;
  s?: number;
}

interface WireChunk {
  items: Array<Exclude<ReplayItem, ObservedItem> | WireObserved>;
  windows: WindowNumbers[];
}

/** A chunk as a worker posts it. */
export interface EncodedChunk {
  /** The items, as JSON text. */
  items: string;
  /**
   * The JSON texts of the events items name by index, as UTF-8 bytes one after the other (`ends[i]`: where
   * text i ends): one buffer, transferred to the writer, not copied, and never made strings there but for
   * the few events whose finding is raised.
   */
  sources?: { bytes: Uint8Array; ends: number[] };
}

/** The texts (strings, or UTF-8 bytes already) as one buffer of UTF-8 bytes (its own, not the pool's: it is transferred). */
function sourceBytes(texts: ReadonlyArray<string | Uint8Array>): { bytes: Uint8Array; ends: number[] } {
  let size = 0;
  for (const text of texts) size += typeof text === 'string' ? Buffer.byteLength(text, 'utf8') : text.byteLength;
  const bytes = Buffer.allocUnsafeSlow(size);
  const ends: number[] = [];
  let offset = 0;
  for (const text of texts) {
    if (typeof text === 'string') offset += bytes.write(text, offset, 'utf8');
    else {
      bytes.set(text, offset);
      offset += text.byteLength;
    }
    ends.push(offset);
  }
  return { bytes, ends };
}

/** What a worker transfers with a chunk (the sources' buffer), so that it is moved, not copied. */
export function transferablesOf(chunk: EncodedChunk): ArrayBuffer[] {
  return chunk.sources ? [chunk.sources.bytes.buffer as ArrayBuffer] : [];
}

function windowNumbersOf(signal: ObservedSignal): WindowNumbers {
  return {
    window: signal.window,
    minutes: signal.minutes,
    threshold: signal.threshold,
    counts: signal.counts,
    ...(signal.steps ? { steps: signal.steps } : {}),
    ...(signal.distinctEnds ? { distinctEnds: signal.distinctEnds } : {}),
  };
}

export function encodeChunk(items: readonly ReplayItem[]): EncodedChunk {
  const windows: WindowNumbers[] = [];
  const windowIndex = new Map<string, number>();
  const sources: Array<string | Uint8Array> = [];
  const wireSignal = (signal: ObservedSignal): WireSignal => {
    const windowKey = `${signal.controlId}\u0000${signal.window}`;
    let w = windowIndex.get(windowKey);
    if (w === undefined) {
      w = windows.push(windowNumbersOf(signal)) - 1;
      windowIndex.set(windowKey, w);
    }
    return [w, signal.kind, signal.key, signal.value ?? null, signal.step ?? null, signal.raising ? 1 : 0];
  };
  const encoded: WireChunk['items'] = items.map((item) => {
    if (item.kind !== 'observed') return item;
    const { observed } = item;
    const wire: WireObserved = { k: 'o', id: observed.eventId, m: observed.matched, o: [] };
    if (observed.envelopeId !== observed.eventId) wire.v = observed.envelopeId;
    if (observed.controlErrors.length > 0) wire.e = observed.controlErrors;
    for (const outcome of observed.outcomes) {
      const { signals } = outcome;
      if (!signals) {
        wire.o.push(outcome);
        continue;
      }
      wire.at ??= signals[0]?.at;
      const tuples = signals.map(wireSignal);
      if (outcome.resolutions.length === 0 && outcome.violations.length === 0) wire.o.push([outcome.controlId, tuples]);
      else wire.o.push({ ...outcome, signals: tuples as unknown as ObservedSignal[] });
    }
    const { source } = item;
    if (source !== undefined) {
      // An event read without its text (this thread's own reads) is serialized; a text goes as it is.
      wire.s = sources.push(typeof source === 'string' || source instanceof Uint8Array ? source : JSON.stringify(source)) - 1;
    }
    return wire;
  });
  const chunk: WireChunk = { items: encoded, windows };
  return { items: JSON.stringify(chunk), ...(sources.length > 0 ? { sources: sourceBytes(sources) } : {}) };
}

export function decodeChunk(encoded: EncodedChunk): ReplayItem[] {
  const chunk = JSON.parse(encoded.items) as WireChunk;
  const signalOf = (controlId: string, eventId: string, at: string, [w, kind, key, value, step, raising]: WireSignal): ObservedSignal => {
    const window = chunk.windows[w]!;
    // Properties set one by one, in one order: every decoded signal has the same shape.
    const signal: ObservedSignal = {
      controlId,
      window: window.window,
      kind,
      key,
      minutes: window.minutes,
      threshold: window.threshold,
      counts: window.counts,
      at,
      eventId,
    };
    if (value !== null) signal.value = value;
    if (step !== null) signal.step = step;
    if (window.steps) signal.steps = window.steps;
    if (window.distinctEnds) signal.distinctEnds = window.distinctEnds;
    if (raising) signal.raising = true;
    return signal;
  };
  return chunk.items.map((wire): ReplayItem => {
    if (!('k' in wire)) return wire;
    const at = wire.at ?? '';
    const outcomes = wire.o.map((outcome): ObservedOutcome => {
      if (Array.isArray(outcome)) {
        const [controlId, tuples] = outcome;
        return { controlId, resolutions: [], violations: [], signals: tuples.map((tuple) => signalOf(controlId, wire.id, at, tuple)) };
      }
      if (!outcome.signals) return outcome;
      const tuples = outcome.signals as unknown as WireSignal[];
      return { ...outcome, signals: tuples.map((tuple) => signalOf(outcome.controlId, wire.id, at, tuple)) };
    });
    const observed: ObservedEvent = {
      eventId: wire.id,
      envelopeId: wire.v ?? wire.id,
      matched: wire.m,
      outcomes,
      controlErrors: wire.e ?? [],
    };
    const item: ObservedItem = { kind: 'observed', observed };
    if (wire.s !== undefined && encoded.sources) {
      const { bytes, ends } = encoded.sources;
      item.source = bytes.subarray(wire.s === 0 ? 0 : ends[wire.s - 1]!, ends[wire.s]!);
    }
    return item;
  });
}
