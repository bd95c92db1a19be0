/**
 * Stateful detections: what a control declares when one event is not the signal, only a part of it
 * (a burst of failed sign-ins, many distinct secrets read, a region never used, a stop → modify → start
 * sequence). The control's `detection.detect` (model/control.ts) stays pure: it turns one event into signals, plain data the
 * pipeline applies to the detection state in event order (shared/core/detections). A signal raises a
 * finding only when the state says its window's threshold is crossed.
 */
/**
 * How a signal is applied to its window's state:
 * - `count`: one more occurrence (per event id) in a sliding window of event time;
 * - `distinct`: one more sighting of a value; the window counts distinct values;
 * - `follows`: nothing is added; raises when the window already holds its threshold before this event
 *   (a successful sign-in right after a burst of failures);
 * - `first-seen`: a member of a set kept per key (the regions of an account); raises when the member is new
 *   once the key has been observed for the window's length (its learning period);
 * - `step`: one step of a sequence (`DetectionWindow.steps`); raises when every step happened, in order,
 *   within the window.
 */
export type SignalKind = 'count' | 'distinct' | 'follows' | 'first-seen' | 'step';

/** A window and its threshold, as a control declares it (settings.detectionWindows may override both numbers). */
export interface DetectionWindow {
  /** The window's length in minutes of event time (for `first-seen`: the learning period). */
  minutes: number;
  /** Occurrences or distinct values that make a detection (steps and first-seen windows: 1). */
  threshold: number;
  /** What the window counts, for a message: "failed sign-ins", "distinct APIs refused". */
  counts: string;
  /** `step` windows: the steps of the sequence, in order. */
  steps?: readonly string[];
  /** `step` windows: the first and last steps must carry different values (e.g. another source address). */
  distinctEnds?: boolean;
}

/** The numbers of a window settings may override. */
export type WindowOverride = Partial<Pick<DetectionWindow, 'minutes' | 'threshold'>>;
