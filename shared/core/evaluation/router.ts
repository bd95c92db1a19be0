/**
 * Routes an event to the controls whose patterns can match it. Patterns are indexed by
 * source and detail.eventName (the exact values they name), so an event is tested only against
 * its candidates, never against every control in turn.
 */
import type { Control, EventPattern } from '../model/control';
import type { EventBridgeEvent } from '../model/event';
import { compilePattern, type CompiledPattern } from '../matching';

export type RouteKind = 'trigger' | 'resolve';

export interface RouteEntry {
  control: Control;
  kind: RouteKind;
  pattern: CompiledPattern;
}

export interface RoutedControl {
  control: Control;
  triggers: boolean;
  resolves: boolean;
}

const ANY = '*';
/** Candidate lists kept (distinct sources and event names seen); the map starts over past it. */
const COMBINED_KEPT = 4096;

/** Plain string values a pattern requires at a key, or undefined when the key is not an exact-string list. */
function exactStrings(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.every((item) => typeof item === 'string') ? (value as string[]) : undefined;
}

function indexKeysOf(pattern: EventPattern): string[] {
  const sources = exactStrings(pattern.source);
  if (!sources || '$or' in pattern) return [ANY];
  const detail = pattern.detail;
  const eventNames =
    detail !== null && typeof detail === 'object' && !Array.isArray(detail) && !('$or' in detail)
      ? exactStrings((detail as Record<string, unknown>).eventName)
      : undefined;
  const keys: string[] = [];
  for (const source of sources) {
    if (eventNames) for (const name of eventNames) keys.push(`${source}\u0000${name}`);
    else keys.push(`${source}\u0000${ANY}`);
  }
  return keys;
}

export class ControlRouter {
  private readonly index = new Map<string, RouteEntry[]>();
  private readonly unindexed: RouteEntry[] = [];
  readonly controls: readonly Control[];

  constructor(controls: readonly Control[]) {
    this.controls = controls;
    for (const control of controls) {
      for (const pattern of control.patterns) this.add({ control, kind: 'trigger', pattern: compilePattern(pattern) }, pattern);
      for (const pattern of control.resolution?.patterns ?? []) {
        this.add({ control, kind: 'resolve', pattern: compilePattern(pattern) }, pattern);
      }
    }
  }

  private add(entry: RouteEntry, pattern: EventPattern): void {
    for (const key of indexKeysOf(pattern)) {
      if (key === ANY) {
        this.unindexed.push(entry);
        continue;
      }
      const list = this.index.get(key);
      if (list) list.push(entry);
      else this.index.set(key, [entry]);
    }
  }

  /**
   * The candidate lists already put together, by source and eventName (every event of one API call has the
   * same): a look-up per event, no list built. Bounded, since the names come from the input.
   */
  private readonly combined = new Map<string, readonly RouteEntry[]>();

  /** The candidate entries for an event: indexed by its source and eventName, plus unindexed patterns. */
  candidates(event: EventBridgeEvent): readonly RouteEntry[] {
    const source = typeof event.source === 'string' ? event.source : '';
    const detail = event.detail as Record<string, unknown> | undefined;
    const eventName = detail && typeof detail.eventName === 'string' ? detail.eventName : undefined;
    // U+0001 cannot start an eventName that indexes anything: the key of events without one.
    const key = `${source}\u0000${eventName ?? '\u0001'}`;
    const known = this.combined.get(key);
    if (known) return known;
    const byName = eventName === undefined ? undefined : this.index.get(key);
    const bySource = this.index.get(`${source}\u0000${ANY}`);
    const list = !bySource && this.unindexed.length === 0 ? (byName ?? []) : [...(byName ?? []), ...(bySource ?? []), ...this.unindexed];
    if (this.combined.size >= COMBINED_KEPT) this.combined.clear();
    this.combined.set(key, list);
    return list;
  }

  /** The controls whose trigger or resolution patterns match the event, each once, in the order their patterns come. */
  route(event: EventBridgeEvent): RoutedControl[] {
    // An array, not a map: an event is routed to one or two controls, rarely more.
    const routed: RoutedControl[] = [];
    for (const entry of this.candidates(event)) {
      let target: RoutedControl | undefined;
      for (const existing of routed) if (existing.control === entry.control) target = existing;
      if (target && (entry.kind === 'trigger' ? target.triggers : target.resolves)) continue;
      if (!entry.pattern.matches(event)) continue;
      if (!target) {
        target = { control: entry.control, triggers: false, resolves: false };
        routed.push(target);
      }
      if (entry.kind === 'trigger') target.triggers = true;
      else target.resolves = true;
    }
    return routed;
  }
}
