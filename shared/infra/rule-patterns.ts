/**
 * The EventBridge rule patterns that feed an area's function, generated from the area's controls:
 * one source of truth, no hand-copied patterns.
 *
 * A rule pattern is a coarse superset of the controls' own patterns: it keeps `source`,
 * `detail-type` and `detail.eventName` and drops the finer conditions, which the function applies
 * exactly (the router tests every candidate control's pattern). Patterns whose `source` is not a
 * plain list of values, and patterns that filter on detail without naming events, are kept whole. Patterns are packed under EventBridge's event pattern size
 * quota (2,048 characters by default; adjustable, so the limit is a parameter).
 */
import type { Control, EventPattern } from '../core/model/control';

/** EventBridge's default quota for the size of an event pattern, in characters. */
export const DEFAULT_MAX_PATTERN_CHARS = 2048;

interface Coarse {
  sources: string[];
  /** undefined: any detail-type. */
  detailTypes?: string[];
  /** undefined: any eventName. */
  eventNames?: string[];
}

function plainStrings(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.every((item) => typeof item === 'string') ? (value as string[]) : undefined;
}

/** The coarse form of a pattern, or undefined when its source is not a plain value list. */
function coarseOf(pattern: EventPattern): Coarse | undefined {
  if ('$or' in pattern) return undefined;
  const sources = plainStrings(pattern.source);
  if (!sources) return undefined;
  const detail = pattern.detail;
  if (detail === undefined) return { sources, detailTypes: plainStrings(pattern['detail-type']) };
  const eventNames =
    typeof detail === 'object' && detail !== null && !Array.isArray(detail) && !('$or' in detail)
      ? plainStrings((detail as Record<string, unknown>).eventName)
      : undefined;
  // Without an eventName, the detail conditions (an errorCode, a user agent) are what keeps the rule
  // narrow: dropping them would send every event of the sources. Such patterns are kept whole.
  if (!eventNames) return undefined;
  return { sources, detailTypes: plainStrings(pattern['detail-type']), eventNames };
}

function union(into: Set<string> | undefined, values: string[] | undefined): Set<string> | undefined {
  if (!into || !values) return undefined;
  for (const value of values) into.add(value);
  return into;
}

function render(sources: string[], detailTypes: string[] | undefined, eventNames: string[] | undefined): EventPattern {
  const pattern: EventPattern = { source: sources };
  if (detailTypes) pattern['detail-type'] = detailTypes;
  if (eventNames) pattern.detail = { eventName: eventNames };
  return pattern;
}

const size = (pattern: EventPattern): number => JSON.stringify(pattern).length;

/** Splits `values` into the fewest consecutive chunks for which `build(chunk)` fits in `max`. */
function chunked(values: string[], max: number, build: (chunk: string[]) => EventPattern, what: string): EventPattern[] {
  const patterns: EventPattern[] = [];
  let chunk: string[] = [];
  for (const value of values) {
    const next = [...chunk, value];
    if (chunk.length > 0 && size(build(next)) > max) {
      patterns.push(build(chunk));
      chunk = [value];
    } else {
      chunk = next;
    }
    if (chunk.length === 1 && size(build(chunk)) > max) {
      throw new Error(`${what} "${value}" alone makes a pattern of ${size(build(chunk))} characters, above ${max}`);
    }
  }
  if (chunk.length > 0) patterns.push(build(chunk));
  return patterns;
}

/**
 * The rule patterns for a set of controls (trigger and resolution patterns). Every event that
 * matches one of the controls' patterns matches at least one returned pattern.
 */
export function rulePatternsFor(controls: readonly Control[], maxChars = DEFAULT_MAX_PATTERN_CHARS): EventPattern[] {
  const named = { sources: new Set<string>(), detailTypes: new Set<string>() as Set<string> | undefined, eventNames: new Set<string>() };
  const unnamed = { sources: new Set<string>(), detailTypes: new Set<string>() as Set<string> | undefined };
  let anyNamed = false;
  let anyUnnamed = false;
  const whole: EventPattern[] = [];

  for (const control of controls) {
    for (const pattern of [...control.patterns, ...(control.resolution?.patterns ?? [])]) {
      const coarse = coarseOf(pattern);
      if (!coarse) {
        whole.push(pattern);
      } else if (coarse.eventNames) {
        anyNamed = true;
        for (const source of coarse.sources) named.sources.add(source);
        named.detailTypes = union(named.detailTypes, coarse.detailTypes);
        for (const name of coarse.eventNames) named.eventNames.add(name);
      } else {
        anyUnnamed = true;
        for (const source of coarse.sources) unnamed.sources.add(source);
        unnamed.detailTypes = union(unnamed.detailTypes, coarse.detailTypes);
      }
    }
  }

  const patterns: EventPattern[] = [];
  if (anyNamed) {
    const sources = [...named.sources].sort();
    const detailTypes = named.detailTypes && [...named.detailTypes].sort();
    const eventNames = [...named.eventNames].sort();
    // Over-selection across sources is harmless (the function matches exactly); size decides the split.
    patterns.push(...chunked(eventNames, maxChars, (chunk) => render(sources, detailTypes, chunk), 'eventName'));
  }
  if (anyUnnamed) {
    const detailTypes = unnamed.detailTypes && [...unnamed.detailTypes].sort();
    patterns.push(...chunked([...unnamed.sources].sort(), maxChars, (chunk) => render(chunk, detailTypes, undefined), 'source'));
  }
  for (const pattern of whole) {
    if (size(pattern) > maxChars)
      throw new Error(
        `a control pattern of ${size(pattern)} characters is above the ${maxChars}-character quota: ${JSON.stringify(pattern).slice(0, 120)}…`,
      );
    if (!patterns.some((existing) => JSON.stringify(existing) === JSON.stringify(pattern))) patterns.push(pattern);
  }
  return patterns;
}

const READ_ONLY_PREFIXES = ['Get', 'Describe', 'List'];

/**
 * Whether a rule with this pattern must be in state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS:
 * with plain ENABLED, EventBridge withholds read-only management events delivered through
 * CloudTrail whose names start with Get, Describe or List (EventBridge user guide, "Receiving
 * read-only management events from AWS services"). True when the pattern names such an event, or
 * selects CloudTrail API calls without naming events.
 */
export function needsReadOnlyManagementEvents(pattern: EventPattern): boolean {
  const detailTypes = plainStrings(pattern['detail-type']);
  const cloudTrail = !detailTypes || detailTypes.some((type) => type.endsWith('via CloudTrail'));
  if (!cloudTrail) return false;
  const detail = pattern.detail;
  const eventNames =
    typeof detail === 'object' && detail !== null && !Array.isArray(detail) ? (detail as Record<string, unknown>).eventName : undefined;
  if (eventNames === undefined) return true;
  const names = plainStrings(eventNames);
  if (!names) return true;
  return names.some((name) => READ_ONLY_PREFIXES.some((prefix) => name.startsWith(prefix)));
}
