/**
 * A signal as the pipeline applies it: one event's contribution to one window of a stateful detection,
 * with everything the state needs (the window's effective minutes and threshold, the event's time and id)
 * and whether it names a finding to raise when the state says so. Plain JSON, computed with the event's evaluation (in a
 * worker thread of a parallel replay, perhaps) and applied on the writer, in input order.
 */
import { idOfKeyText } from '../findings/finding-id';
import type { Control } from '../model/control';
import type { SignalKind } from '../model/detection';

export interface ObservedSignal {
  controlId: string;
  window: string;
  kind: SignalKind;
  key: string;
  value?: string;
  step?: string;
  /** The window's length in minutes of event time, after settings. */
  minutes: number;
  /** After settings. */
  threshold: number;
  /** What the window counts, for the finding's message. */
  counts: string;
  steps?: readonly string[];
  distinctEnds?: boolean;
  /** The event's time (ISO, UTC): windows run on event time only, never the clock. */
  at: string;
  /** The event's id: an event is counted once however often it is delivered. */
  eventId: string;
  /**
   * The signal names a finding, raised when the window's threshold is crossed (a new member, a whole
   * sequence); absent: counted only. The finding is made from the event then (raisedObservation), not before.
   */
  raising?: true;
}

/** What the state says after a signal was applied. */
export interface Tally {
  /** The threshold is crossed (the member is new, the sequence is whole) with this event in the window. */
  detected: boolean;
  /** Occurrences, distinct values or steps in the window that decided it. */
  count: number;
  /** Event times of the first and last of them. */
  first?: string;
  last?: string;
  /** `distinct`: the values counted (at most 20). */
  values?: string[];
  /**
   * The state cannot tell what this event decided when it was applied before (it is older than the window the
   * state holds now, or its sighting was replaced by a newer one): a redelivery after a crash, perhaps. It raises
   * nothing now; the caller sends what the finding still owes for this event, if anything.
   */
  undecided?: true;
}

/** The id of the state a signal is applied to: per control, window and key (hashed: keys may be long ARNs). */
export function stateIdOf(signal: Pick<ObservedSignal, 'controlId' | 'window' | 'key'>): string {
  return idOfKeyText([signal.controlId, signal.window, signal.key].join('\u0000'));
}

/** The windows each stateful control declares, by control id: what settings.detectionWindows may name. */
export function detectionWindowsOf(controls: ReadonlyArray<Control>): Map<string, string[]> {
  return new Map(
    controls
      .flatMap((control) => (control.detection ? [[control.id, Object.keys(control.detection.windows)] as const] : []))
      .map(([id, windows]) => [id, [...windows]]),
  );
}
