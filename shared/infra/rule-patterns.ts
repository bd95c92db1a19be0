/**
 * The EventBridge rule patterns that feed an area's function (and that a member account forwards),
 * generated from the controls: one source of truth, no hand-copied patterns.
 *
 * A rule selects what the controls' own patterns select, filters included (userIdentity.type,
 * errorCode, request fields, wildcards): every event EventBridge delivers or forwards is an
 * invocation, and across accounts a billed event, so the rules keep every condition. Patterns are
 * only rewritten where nothing is lost:
 * - a pattern another pattern already covers is dropped;
 * - patterns identical but for one field's values become one, with the union of those values
 *   (a field's array is an OR of its values);
 * - what is left is packed into rules with `$or` (an event matches when it matches one
 *   alternative), the conditions all alternatives share written once, beside the `$or`.
 * A control pattern that itself uses `$or` gets a rule of its own (EventBridge expands `$or` into
 * rule combinations; keeping them unnested keeps that count plain).
 *
 * Limits (Amazon EventBridge User Guide): an event pattern has at most 2,048 characters ("Amazon
 * EventBridge quotas", Event pattern size, adjustable, so a parameter here); PutRule refuses a pattern
 * whose `$or` use results in over 1000 rule combinations ("Content filtering in Amazon EventBridge
 * event patterns", checked by compilePattern); a bus holds at most 30 rules with `wildcard` filters
 * (MAX_WILDCARD_RULES_PER_BUS), so wildcard alternatives are packed only with each other. Alternatives
 * that need read-only management events are packed apart too, so the other rules stay plain ENABLED.
 */
import { compilePattern } from '../core/matching';
import type { Control, EventPattern } from '../core/model/control';

/** EventBridge's default quota for the size of an event pattern, in characters. */
export const DEFAULT_MAX_PATTERN_CHARS = 2048;

/** A pattern without `$or`, as its fields: dotted key path → the field's array of values. */
type Flat = Map<string, unknown[]>;

const size = (pattern: EventPattern): number => JSON.stringify(pattern).length;
const keyOf = (value: unknown): string => JSON.stringify(value);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The fields of a pattern without `$or` (undefined when it has one, or a field that is not an array or object). */
function flatten(pattern: Record<string, unknown>, prefix = '', into: Flat = new Map()): Flat | undefined {
  for (const [key, value] of Object.entries(pattern)) {
    if (key === '$or') return undefined;
    const path = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value)) {
      const values = into.get(path) ?? [];
      for (const item of value) if (!values.some((known) => keyOf(known) === keyOf(item))) values.push(item);
      into.set(path, values);
    } else if (isObject(value)) {
      if (!flatten(value, path, into)) return undefined;
    } else {
      return undefined;
    }
  }
  return into;
}

/** The nested pattern object for dotted fields. */
function nest(fields: Iterable<[string, unknown]>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, value] of fields) {
    const steps = path.split('.');
    let node = root;
    for (const step of steps.slice(0, -1)) {
      if (!isObject(node[step])) node[step] = {};
      node = node[step] as Record<string, unknown>;
    }
    node[steps[steps.length - 1] as string] = value;
  }
  return root;
}

const valuesKey = (values: readonly unknown[]): string => values.map(keyOf).sort().join('\n');
const pathsKey = (flat: Flat): string => [...flat.keys()].sort().join('\n');

/** Whether every event `narrow` matches, `broad` matches too: broad's fields are among narrow's, each with at least narrow's values. */
function covers(broad: Flat, narrow: Flat): boolean {
  for (const [path, values] of broad) {
    const narrowValues = narrow.get(path);
    if (!narrowValues) return false;
    const allowed = new Set(values.map(keyOf));
    if (!narrowValues.every((value) => allowed.has(keyOf(value)))) return false;
  }
  return true;
}

/** Drops the patterns another one covers (of two equal ones, the first stays). */
function withoutCovered(flats: Flat[]): Flat[] {
  return flats.filter(
    (flat, index) => !flats.some((other, at) => at !== index && covers(other, flat) && (!covers(flat, other) || at < index)),
  );
}

/** The one field in which two patterns with the same fields differ, or undefined (none, or more than one). */
function soleDifference(a: Flat, b: Flat): string | undefined {
  if (pathsKey(a) !== pathsKey(b)) return undefined;
  let differing: string | undefined;
  for (const [path, values] of a) {
    if (valuesKey(values) === valuesKey(b.get(path) ?? [])) continue;
    if (differing !== undefined) return undefined;
    differing = path;
  }
  return differing;
}

/** Merges patterns that differ in one field only (union of that field's values) until none do. */
function merged(flats: Flat[]): Flat[] {
  let current = withoutCovered(flats.map(withoutImpliedEventSource));
  for (let changed = true; changed; ) {
    changed = false;
    outer: for (let i = 0; i < current.length; i += 1) {
      for (let j = i + 1; j < current.length; j += 1) {
        const a = current[i] as Flat;
        const b = current[j] as Flat;
        const path = soleDifference(a, b);
        if (path === undefined) continue;
        const union = new Map(a).set(path, sortedUnion([...(a.get(path) ?? []), ...(b.get(path) ?? [])]));
        current = withoutCovered([...current.slice(0, i), union, ...current.slice(i + 1, j), ...current.slice(j + 1)]);
        changed = true;
        break outer;
      }
    }
  }
  return current.map((flat) => new Map([...flat].map(([path, values]) => [path, sortedUnion(values)])));
}

const CLOUDTRAIL_SUFFIX = '.amazonaws.com';

/**
 * A CloudTrail call pattern without its `detail.eventSource` when its `source` names the same
 * services (aws.X for X.amazonaws.com): EventBridge derives a CloudTrail event's source from its
 * eventSource, so the one condition implies the other and the rule keeps `source` alone.
 */
function withoutImpliedEventSource(flat: Flat): Flat {
  const sources = flat.get('source');
  const eventSources = flat.get('detail.eventSource');
  if (!sources || !eventSources) return flat;
  const services = (values: unknown[], from: (value: string) => string | undefined) =>
    valuesKey(values.map((value) => (typeof value === 'string' ? from(value) : undefined) ?? `?${keyOf(value)}`));
  const implied =
    services(sources, (value) => (value.startsWith('aws.') ? value.slice(4) : undefined)) ===
    services(eventSources, (value) => (value.endsWith(CLOUDTRAIL_SUFFIX) ? value.slice(0, -CLOUDTRAIL_SUFFIX.length) : undefined));
  if (!implied) return flat;
  const without = new Map(flat);
  without.delete('detail.eventSource');
  return without;
}

/** The fields that name a call: its service and its name. */
const CALL_FIELDS = ['source', 'detail.eventName'];

const isCall = (flat: Flat): boolean =>
  !flat.has('detail.eventSource') &&
  CALL_FIELDS.every((path) => (flat.get(path) ?? []).length > 0 && (flat.get(path) ?? []).every((value) => typeof value === 'string'));

/**
 * Calls of several services with the same other conditions, as one alternative: the union of the
 * services and of the call names. Nearly exact: it also passes a call of one of these services
 * whose name only another of them was selected for (API names rarely repeat across services), and
 * it makes a rule a fraction of the length one alternative per service would.
 */
function byService(flats: readonly Flat[]): Flat[] {
  const groups = new Map<string, Flat[]>();
  const others: Flat[] = [];
  for (const flat of flats) {
    if (!isCall(flat)) {
      others.push(flat);
      continue;
    }
    const key = [...flat]
      .filter(([path]) => !CALL_FIELDS.includes(path))
      .map(([path, values]) => `${path}=${valuesKey(values)}`)
      .sort()
      .join('\n');
    groups.set(key, [...(groups.get(key) ?? []), flat]);
  }
  const unions = [...groups.values()].map((group) => {
    const union = new Map(group[0]);
    for (const path of CALL_FIELDS) union.set(path, sortedUnion(group.flatMap((flat) => flat.get(path) ?? [])));
    return union;
  });
  return withoutCovered([...unions, ...others]);
}

function sortedUnion(values: readonly unknown[]): unknown[] {
  const byKey = new Map(values.map((value) => [keyOf(value), value]));
  return [...byKey.keys()].sort().map((key) => byKey.get(key));
}

const hasWildcard = (pattern: unknown): boolean => JSON.stringify(pattern).includes('"wildcard"');

/** A rule's pattern for alternatives (see factored): calls of several services first joined by byService. */
function render(bin: readonly Flat[]): EventPattern {
  return factored(byService(bin));
}

/**
 * The pattern for alternatives, written compactly: the fields all of them share once, beside an
 * `$or` of what differs (placed in the deepest object all differing fields sit in), where
 * alternatives that share a field are grouped under it the same way, recursively. Nested `$or`
 * is Event Ruler's "Nested Or and And" (github.com/aws/event-ruler, README), the matcher
 * EventBridge rules use; each `$or` has two alternatives or more.
 */
function factored(alternatives: readonly Flat[]): EventPattern {
  if (alternatives.length === 1) return nest(alternatives[0] as Flat);
  const first = alternatives[0] as Flat;
  const shared = [...first.keys()].filter((path) =>
    alternatives.every((alt) => alt.has(path) && valuesKey(alt.get(path) as unknown[]) === valuesKey(first.get(path) as unknown[])),
  );
  const fields = (flat: Flat) => [...flat].filter(([path]) => !shared.includes(path));
  const rests = alternatives.map(fields);
  // An alternative with nothing of its own is the shared fields alone: it covers every other one.
  if (rests.some((rest) => rest.length === 0)) return nest(shared.map((path) => [path, first.get(path)]));
  const differing = rests.flat().map(([path]) => path.split('.'));
  const lead = differing[0] as string[];
  let depth = 0;
  while (
    differing.every((steps) => steps.length > depth + 1 && steps[depth] === lead[depth]) &&
    // The $or cannot sit under a field a shared condition is the value of.
    !shared.includes(lead.slice(0, depth + 1).join('.'))
  )
    depth += 1;
  const at = lead.slice(0, depth).join('.');
  const relative = (rest: Array<[string, unknown[]]>): Flat =>
    new Map(rest.map(([path, values]) => [at ? path.slice(at.length + 1) : path, values]));
  const or = groupedByField(rests.map(relative)).map(factored);
  return nest([...shared.map((path): [string, unknown] => [path, first.get(path)]), [at ? `${at}.$or` : '$or', or]]);
}

/**
 * Alternatives in groups that share a field (the field whose sharing saves the most characters
 * first), and the others alone; a group is written once with that field beside its own `$or`.
 */
function groupedByField(alternatives: Flat[]): Flat[][] {
  const groups: Flat[][] = [];
  let left = alternatives;
  for (;;) {
    const counts = new Map<string, { path: string; key: string; members: Flat[]; saving: number }>();
    for (const alt of left) {
      for (const [path, values] of alt) {
        const key = `${path}=${valuesKey(values)}`;
        const entry = counts.get(key) ?? { path, key, members: [], saving: 0 };
        entry.members.push(alt);
        entry.saving = (entry.members.length - 1) * (path.length + keyOf(values).length);
        counts.set(key, entry);
      }
    }
    const best = [...counts.values()]
      .filter((entry) => entry.members.length > 1 && entry.members.length < left.length)
      .sort((a, b) => b.saving - a.saving || a.key.localeCompare(b.key))[0];
    if (!best) break;
    groups.push(best.members);
    left = left.filter((alt) => !best.members.includes(alt));
  }
  return [...groups, ...left.map((alt) => [alt])];
}

/** An alternative too large for a rule of its own, split on its longest value list (the union of the parts is the whole). */
function split(flat: Flat, maxChars: number): Flat[] {
  if (size(render([flat])) <= maxChars) return [flat];
  const [path, values] = [...flat].sort(([, a], [, b]) => keyOf(b).length - keyOf(a).length)[0] as [string, unknown[]];
  if (values.length < 2) {
    throw new Error(
      `a control pattern of ${size(render([flat]))} characters is above the ${maxChars}-character quota: ${keyOf(nest(flat)).slice(0, 120)}…`,
    );
  }
  const half = Math.ceil(values.length / 2);
  return [new Map(flat).set(path, values.slice(0, half)), new Map(flat).set(path, values.slice(half))].flatMap((part) =>
    split(part, maxChars),
  );
}

/** Alternatives largest first, so the small ones fill the gaps the large ones leave. */
const bySizeDescending = (a: Flat, b: Flat): number =>
  Number(hasWildcard(nest(b))) - Number(hasWildcard(nest(a))) ||
  size(nest(b)) - size(nest(a)) ||
  keyOf(nest(a)).localeCompare(keyOf(nest(b)));

/**
 * Packs alternatives into rules within the size and `$or` limits: each goes to the rule it makes
 * grow least (alternatives alike share their conditions there), a new rule when none has room.
 */
function packed(alternatives: Flat[], maxChars: number): EventPattern[] {
  const bins: Array<{ alternatives: Flat[]; size: number }> = [];
  for (const alt of [...alternatives].sort(bySizeDescending)) {
    let best: { bin: (typeof bins)[number]; size: number } | undefined;
    for (const bin of bins) {
      const candidate = render([...bin.alternatives, alt]);
      const grown = size(candidate);
      if (grown > maxChars || (best && grown - bin.size >= best.size - best.bin.size) || !isValid(candidate)) continue;
      best = { bin, size: grown };
    }
    if (best) {
      best.bin.alternatives.push(alt);
      best.bin.size = best.size;
    } else {
      bins.push({ alternatives: [alt], size: size(render([alt])) });
    }
  }
  return bins.map((bin) => render(bin.alternatives));
}

function isValid(pattern: EventPattern): boolean {
  try {
    compilePattern(pattern);
    return true;
  } catch {
    return false;
  }
}

/** Every pattern of the controls: their triggers and their resolutions. */
function controlPatterns(controls: readonly Control[]): EventPattern[] {
  return controls.flatMap((control) => [...control.patterns, ...(control.resolution?.patterns ?? [])]);
}

/**
 * The rule patterns for a set of controls (trigger and resolution patterns), each within `maxChars`:
 * an event matches one of them exactly when it matches one of the controls' patterns.
 */
export function rulePatternsFor(controls: readonly Control[], maxChars = DEFAULT_MAX_PATTERN_CHARS): EventPattern[] {
  const whole: EventPattern[] = [];
  const flats: Flat[] = [];
  for (const pattern of controlPatterns(controls)) {
    const flat = flatten(pattern);
    if (flat) flats.push(flat);
    else if (!whole.some((known) => keyOf(known) === keyOf(pattern))) whole.push(pattern);
  }
  for (const pattern of whole) {
    if (size(pattern) > maxChars)
      throw new Error(
        `a control pattern of ${size(pattern)} characters is above the ${maxChars}-character quota: ${keyOf(pattern).slice(0, 120)}…`,
      );
  }
  // Packed apart: alternatives that need read-only management events (so the other rules stay
  // plain ENABLED), and among them those with wildcard filters (whose rules count against a quota
  // of their own) first, so they fill as few rules as they can.
  const groups = new Map<string, Flat[]>();
  for (const flat of merged(flats).flatMap((alt) => split(alt, maxChars))) {
    const group = String(needsReadOnlyManagementEvents(nest(flat)));
    groups.set(group, [...(groups.get(group) ?? []), flat]);
  }
  const rules = [...groups.keys()].sort().flatMap((group) => packed(groups.get(group) as Flat[], maxChars));
  return [...rules, ...whole];
}

/**
 * The plain patterns (without `$or`) a pattern stands for: an event matches the pattern exactly when
 * it matches one of them. Each `$or` is distributed over the fields beside it.
 */
export function alternativesOf(pattern: EventPattern): EventPattern[] {
  return expand(pattern, '').map((fields) => nest(fields));
}

function expand(pattern: Record<string, unknown>, prefix: string): Array<Array<[string, unknown]>> {
  let combos: Array<Array<[string, unknown]>> = [[]];
  for (const [key, value] of Object.entries(pattern)) {
    const path = prefix ? `${prefix}.${key}` : key;
    let options: Array<Array<[string, unknown]>>;
    if (key === '$or' && Array.isArray(value))
      options = value.flatMap((alternative) => (isObject(alternative) ? expand(alternative, prefix) : []));
    else if (isObject(value)) options = expand(value, path);
    else options = [[[path, value]]];
    combos = combos.flatMap((combo) => options.map((option) => [...combo, ...option]));
  }
  return combos;
}

const READ_ONLY_PREFIXES = ['Get', 'Describe', 'List'];

function plainStrings(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.every((item) => typeof item === 'string') ? (value as string[]) : undefined;
}

/** needsReadOnlyManagementEvents for a pattern without `$or`. */
function plainNeedsReadOnly(pattern: EventPattern): boolean {
  const detailTypes = plainStrings(pattern['detail-type']);
  const cloudTrail = !detailTypes || detailTypes.some((type) => type.endsWith('via CloudTrail'));
  if (!cloudTrail) return false;
  const detail = pattern.detail;
  const eventNames = isObject(detail) ? detail.eventName : undefined;
  if (eventNames === undefined) return true;
  const names = plainStrings(eventNames);
  if (!names) return true;
  return names.some((name) => READ_ONLY_PREFIXES.some((prefix) => name.startsWith(prefix)));
}

/**
 * Whether a rule with this pattern must be in state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS:
 * with plain ENABLED, EventBridge withholds read-only management events delivered through
 * CloudTrail whose names start with Get, Describe or List (EventBridge user guide, "Receiving
 * read-only management events from AWS services"). True when one of its alternatives (see
 * alternativesOf) names such an event, or selects CloudTrail API calls without naming events.
 */
export function needsReadOnlyManagementEvents(pattern: EventPattern): boolean {
  return alternativesOf(pattern).some(plainNeedsReadOnly);
}
