/**
 * The state of one window of a stateful detection, per control, window and key, and the one pure step
 * every store applies: `applySignal(stored, signal)` → the state to write (or none) and the tally.
 *
 * - Event time only: windows slide on the events' own times, and a state is forgotten once the newest
 *   event it holds is older than its window (`expiresAt`, event time). The clock is never read.
 * - Order-tolerant within a window: an event arriving late is placed by its time, and a burst it completes
 *   is found whichever window end holds it; an event older than the window of the newest is ignored.
 * - Idempotent: an event is counted once, by its id (a redelivery finds it and decides as the first time; one
 *   the state can no longer place, older than its window, is `undecided`: it raises nothing again, and the
 *   pipeline sends what its finding still owes for it).
 * - Bounded: a count or distinct state keeps its newest entries, at most twice the threshold (at least 10,
 *   at most 200); a sequence the newest 4 sightings of each step; a first-seen set 200 members, the least
 *   recently seen dropped first, each forgotten 90 days after the key was last written.
 */
import type { ObservedSignal, Tally } from './signal';
import { stateIdOf } from './signal';

export interface StateEntry {
  at: string;
  eventId: string;
  value?: string;
  step?: string;
  /** Whether the event that made the entry raised a finding: what a redelivery of that event decides again. */
  raised?: boolean;
}

export interface FirstSeenMember {
  first: string;
  last: string;
  /** The event that added it, and whether that raised a finding (what a redelivery of it decides again). */
  eventId: string;
  raised: boolean;
}

export interface DetectionState {
  id: string;
  controlId: string;
  window: string;
  key: string;
  /** The newest event time applied (ISO). */
  latest: string;
  /** The event time after which the state is forgotten (ISO): a store may drop it then. */
  expiresAt: string;
  /** Grows with every write (conditional writes compare it). */
  version: number;
  /** count, distinct and step windows. */
  entries?: StateEntry[];
  /** first-seen windows: the earliest event time observed for the key, and its members. */
  since?: string;
  members?: Record<string, FirstSeenMember>;
}

export interface AppliedSignal {
  /** The state to write; undefined: nothing changed. */
  state?: DetectionState;
  tally: Tally;
}

const MINUTE = 60_000;
const DAY = 1_440 * MINUTE;
/** How long a first-seen set is kept after its key was last written, in event time. */
export const FIRST_SEEN_RETENTION_DAYS = 90;
export const FIRST_SEEN_CAP = 200;
export const STEP_CAP = 4;
/** The most a window's threshold may be (settings are validated against it). */
export const MAX_THRESHOLD = 100;

/** An ISO time in milliseconds; the last one parsed is kept (a signal's time is read several times over). */
let lastIso = '';
let lastMs = Number.NaN;
const ms = (iso: string): number => {
  if (iso !== lastIso) {
    lastIso = iso;
    lastMs = Date.parse(iso);
  }
  return lastMs;
};
/** The earlier and the later of two ISO times (ISO strings of one form sort as times). */
const earlier = (a: string, b: string) => (b < a ? b : a);
const later = (a: string, b: string) => (b > a ? b : a);
const iso = (time: number) => new Date(time).toISOString();
const byTime = (a: StateEntry, b: StateEntry) =>
  a.at < b.at ? -1 : a.at > b.at ? 1 : a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;

/** Entries kept by a count or distinct window. */
export function entryCapOf(threshold: number): number {
  return Math.min(Math.max(2 * threshold, 10), 2 * MAX_THRESHOLD);
}

/** The stored state as the signal sees it: none once it expired by the signal's time. */
function liveState(stored: DetectionState | undefined, signal: ObservedSignal): DetectionState | undefined {
  return stored && stored.expiresAt >= signal.at ? stored : undefined;
}

function nextState(base: DetectionState | undefined, signal: ObservedSignal, latest: string, retentionMs: number): DetectionState {
  return {
    id: stateIdOf(signal),
    controlId: signal.controlId,
    window: signal.window,
    key: signal.key,
    latest,
    expiresAt: iso(ms(latest) + retentionMs),
    version: (base?.version ?? 0) + 1,
  };
}

/** Whether entries are in time order (as every state is written). */
function inTimeOrder(entries: readonly StateEntry[]): boolean {
  for (let i = 1; i < entries.length; i += 1) if (byTime(entries[i - 1]!, entries[i]!) > 0) return false;
  return true;
}

/**
 * The most entries in one window of `windowMs` that ends at an entry at or after `at` and still holds `at`.
 * Entries in time order: the window ending at each entry is a run of them, found with two indexes that only
 * move forward (each time read once, not once per pair: a full count window holds 200 entries).
 */
function bestWindow(unordered: readonly StateEntry[], at: string, windowMs: number): Tally {
  const entries = inTimeOrder(unordered) ? unordered : [...unordered].sort(byTime);
  const times = entries.map((entry) => ms(entry.at));
  const time = ms(at);
  let best: Tally = { detected: false, count: 0 };
  // [from, to): the entries of the window ending at the current entry's time.
  let from = 0;
  let to = 0;
  for (let end = 0; end < entries.length; end += 1) {
    const endTime = times[end]!;
    if (endTime < time || endTime - windowMs > time) continue;
    while (to < entries.length && times[to]! <= endTime) to += 1;
    while (from < to && times[from]! < endTime - windowMs) from += 1;
    if (to - from > best.count) {
      const inside = entries.slice(from, to);
      const values = inside.flatMap((entry) => (entry.value === undefined ? [] : [entry.value])).slice(0, 20);
      best = { detected: false, count: inside.length, first: inside[0]!.at, last: entries[end]!.at, ...(values.length ? { values } : {}) };
    }
  }
  return best;
}

function applyCounted(base: DetectionState | undefined, signal: ObservedSignal): AppliedSignal {
  const windowMs = signal.minutes * MINUTE;
  const latest = base ? later(base.latest, signal.at) : signal.at;
  if (ms(signal.at) < ms(latest) - windowMs) return { tally: { detected: false, count: 0, undecided: true } };
  let entries = [...(base?.entries ?? [])];
  const known =
    signal.kind === 'count'
      ? entries.find((entry) => entry.eventId === signal.eventId)
      : entries.find((entry) => entry.value === (signal.value ?? ''));
  if (known?.eventId === signal.eventId) {
    // A redelivery: decided as the first time, nothing written.
    const tally = bestWindow(entries, known.at, windowMs);
    tally.detected = known.raised === true;
    return { tally };
  }
  if (known && known.at >= signal.at) {
    const tally = bestWindow(entries, known.at, windowMs);
    tally.undecided = true;
    return { tally };
  }
  // At its bound, the state dropped its oldest entries: an event no newer than the oldest kept may be one of them.
  const oldest = entries.reduce<string | undefined>((min, entry) => (min === undefined || entry.at < min ? entry.at : min), undefined);
  if (!known && oldest !== undefined && entries.length >= entryCapOf(signal.threshold) && signal.at <= oldest)
    return { tally: { detected: false, count: 0, undecided: true } };
  const added: StateEntry = {
    at: signal.at,
    eventId: signal.eventId,
    ...(signal.kind === 'distinct' ? { value: signal.value ?? '' } : {}),
  };
  entries = known ? entries.map((entry) => (entry === known ? added : entry)) : [...entries, added];
  const windowStart = ms(latest) - windowMs;
  entries = entries.filter((entry) => ms(entry.at) >= windowStart).sort(byTime);
  entries = entries.slice(Math.max(0, entries.length - entryCapOf(signal.threshold)));
  const tally = bestWindow(entries, signal.at, windowMs);
  tally.detected = tally.count >= signal.threshold;
  added.raised = tally.detected;
  const state = nextState(base, signal, latest, windowMs);
  state.entries = entries;
  return { state, tally };
}

function applyFollows(base: DetectionState | undefined, signal: ObservedSignal): AppliedSignal {
  const windowMs = signal.minutes * MINUTE;
  const time = ms(signal.at);
  const before = (base?.entries ?? []).filter(
    (entry) => entry.eventId !== signal.eventId && ms(entry.at) <= time && ms(entry.at) >= time - windowMs,
  );
  const tally: Tally = { detected: before.length >= signal.threshold, count: before.length };
  if (before.length > 0) Object.assign(tally, { first: before[0]!.at, last: before[before.length - 1]!.at });
  // Entries older than the newest one's window are gone: an event before it (a redelivery) cannot be decided again.
  if (!tally.detected && base !== undefined && base.latest > signal.at) tally.undecided = true;
  return { tally };
}

const dayOf = (at: string) => at.slice(0, 10);

function applyFirstSeen(base: DetectionState | undefined, signal: ObservedSignal): AppliedSignal {
  const member = signal.value ?? '';
  const since = base?.since !== undefined ? earlier(base.since, signal.at) : signal.at;
  const latest = base ? later(base.latest, signal.at) : signal.at;
  const stored = base?.members ?? {};
  const known = stored[member];
  const count = Object.keys(stored).length;
  if (known) {
    if (known.eventId === signal.eventId) return { tally: { detected: known.raised, count, first: known.first, last: known.last } };
    const first = earlier(known.first, signal.at);
    const last = later(known.last, signal.at);
    // Written once a day at most per member (and when an earlier sighting arrives late): a busy account costs no write per event.
    const changed = first !== known.first || dayOf(last) !== dayOf(known.last) || since !== base?.since;
    const tally: Tally = { detected: false, count, first, last };
    if (!changed) return { tally };
    const members = { ...stored };
    members[member] = { ...known, first, last };
    return { state: firstSeenState(base, signal, latest, since, members), tally };
  }
  // Copied only when it changes (most sightings are of a known member).
  const members = { ...stored };
  const raised = base?.since !== undefined && ms(signal.at) - ms(base.since) >= signal.minutes * MINUTE;
  members[member] = { first: signal.at, last: signal.at, eventId: signal.eventId, raised };
  const names = Object.keys(members);
  if (names.length > FIRST_SEEN_CAP) {
    names.sort((a, b) => (members[a]!.last < members[b]!.last ? -1 : members[a]!.last > members[b]!.last ? 1 : a < b ? -1 : 1));
    for (const name of names.slice(0, names.length - FIRST_SEEN_CAP)) delete members[name];
  }
  return {
    state: firstSeenState(base, signal, latest, since, members),
    tally: { detected: raised, count: names.length, first: since, last: signal.at },
  };
}

function firstSeenState(
  base: DetectionState | undefined,
  signal: ObservedSignal,
  latest: string,
  since: string,
  members: Record<string, FirstSeenMember>,
): DetectionState {
  const state = nextState(base, signal, latest, FIRST_SEEN_RETENTION_DAYS * DAY);
  state.since = since;
  state.members = members;
  return state;
}

/** A whole sequence (one entry per step, in order, within the window) that includes `self`, if there is one. */
function sequenceWith(
  entries: readonly StateEntry[],
  self: StateEntry,
  signal: ObservedSignal,
  windowMs: number,
): StateEntry[] | undefined {
  const steps = signal.steps ?? [];
  const search = (index: number, chosen: StateEntry[]): StateEntry[] | undefined => {
    if (index === steps.length) {
      const first = chosen[0]!;
      const last = chosen[chosen.length - 1]!;
      if (ms(last.at) - ms(first.at) > windowMs) return undefined;
      if (signal.distinctEnds && (first.value === undefined || first.value === last.value)) return undefined;
      return chosen.includes(self) ? chosen : undefined;
    }
    const previous = chosen[chosen.length - 1];
    const candidates = steps[index] === self.step ? [self] : entries.filter((entry) => entry.step === steps[index]);
    for (const candidate of candidates) {
      if (previous && candidate.at < previous.at) continue;
      const found = search(index + 1, [...chosen, candidate]);
      if (found) return found;
    }
    return undefined;
  };
  return search(0, []);
}

/** What a sequence decides: detected, with its steps' count and times, when there is a whole one. */
function sequenceTally(sequence: readonly StateEntry[] | undefined): Tally {
  return sequence
    ? { detected: true, count: sequence.length, first: sequence[0]!.at, last: sequence[sequence.length - 1]!.at }
    : { detected: false, count: 0 };
}

function applyStep(base: DetectionState | undefined, signal: ObservedSignal): AppliedSignal {
  const windowMs = signal.minutes * MINUTE;
  const latest = base ? later(base.latest, signal.at) : signal.at;
  if (ms(signal.at) < ms(latest) - windowMs) return { tally: { detected: false, count: 0, undecided: true } };
  const stored = base?.entries ?? [];
  // A step with a value is kept at its first sighting (a key's first use from an address); one without, per event.
  const known = stored.find(
    (entry) => entry.step === signal.step && (signal.value !== undefined ? entry.value === signal.value : entry.eventId === signal.eventId),
  );
  if (known) {
    // Seen before (most uses of a key, from its usual address): the state stays as it is; the sequence decides.
    if (known.eventId === signal.eventId) return { tally: { detected: known.raised === true, count: 0 } };
    return { tally: sequenceTally(sequenceWith(stored, known, signal, windowMs)) };
  }
  let entries = [...stored];
  const self: StateEntry = {
    at: signal.at,
    eventId: signal.eventId,
    step: signal.step ?? '',
    ...(signal.value !== undefined ? { value: signal.value } : {}),
  };
  entries.push(self);
  entries = entries.filter((entry) => ms(entry.at) >= ms(latest) - windowMs).sort(byTime);
  for (const step of new Set(entries.map((entry) => entry.step))) {
    const ofStep = entries.filter((entry) => entry.step === step);
    if (ofStep.length > STEP_CAP) {
      const dropped = new Set(ofStep.slice(0, ofStep.length - STEP_CAP));
      entries = entries.filter((entry) => !dropped.has(entry));
    }
  }
  const sequence = entries.includes(self) ? sequenceWith(entries, self, signal, windowMs) : undefined;
  self.raised = sequence !== undefined;
  const tally = sequenceTally(sequence);
  const state = nextState(base, signal, latest, windowMs);
  state.entries = entries;
  return { state, tally };
}

/** Applies one signal to the state stored for its control, window and key (undefined: none, or expired). */
export function applySignal(stored: DetectionState | undefined, signal: ObservedSignal): AppliedSignal {
  const base = liveState(stored, signal);
  switch (signal.kind) {
    case 'count':
    case 'distinct':
      return applyCounted(base, signal);
    case 'follows':
      return applyFollows(base, signal);
    case 'first-seen':
      return applyFirstSeen(base, signal);
    case 'step':
      return applyStep(base, signal);
  }
}
