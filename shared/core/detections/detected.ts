/**
 * A signal whose window crossed its threshold becomes an ordinary violation observation: the finding the
 * control named (one id per key and window, so a burst is one finding that repeats), its message completed
 * with what the window holds, and the window's tally in the evidence.
 */
import type { ViolationObservation } from '../findings/observation';
import { maskSecrets } from '../findings/mask';
import type { ObservedSignal, Tally } from './signal';

/** 90 → "90 minutes", 1440 → "24 hours", 20160 → "14 days". */
export function durationText(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  if (minutes % 60 === 0) return `${minutes / 60} hour${minutes === 60 ? '' : 's'}`;
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

function tallyText(signal: ObservedSignal, tally: Tally): string {
  const within = durationText(signal.minutes);
  switch (signal.kind) {
    case 'count':
    case 'distinct':
      return `${tally.count} ${signal.counts} within ${within} (threshold ${signal.threshold})`;
    case 'follows':
      return `after ${tally.count} ${signal.counts} within the ${within} before (threshold ${signal.threshold})`;
    case 'first-seen':
      return `not among the ${signal.counts} seen since ${tally.first ?? signal.at}`;
    case 'step':
      return `${(signal.steps ?? []).join(', then ')}, within ${within}`;
  }
}

/** The violation a detected signal raises: the finding it names (`raised`, raisedObservation) completed with the window's tally. */
export function detectedViolation(signal: ObservedSignal, tally: Tally, raised: ViolationObservation): ViolationObservation {
  const detection = {
    window: signal.window,
    kind: signal.kind,
    minutes: signal.minutes,
    threshold: signal.threshold,
    count: tally.count,
    first: tally.first ?? null,
    last: tally.last ?? null,
    ...(tally.values ? { values: maskSecrets(tally.values) } : {}),
  };
  return {
    ...raised,
    message: maskSecrets(`${raised.message}: ${tallyText(signal, tally)}`),
    evidence: { ...raised.evidence, fields: { ...raised.evidence.fields, detection } },
  };
}
