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

  /** The candidate entries for an event: indexed by its source and eventName, plus unindexed patterns. */
  candidates(event: EventBridgeEvent): RouteEntry[] {
    const source = typeof event.source === 'string' ? event.source : '';
    const detail = event.detail as Record<string, unknown> | undefined;
    const eventName = detail && typeof detail.eventName === 'string' ? detail.eventName : undefined;
    const byName = eventName === undefined ? undefined : this.index.get(`${source}\u0000${eventName}`);
    const bySource = this.index.get(`${source}\u0000${ANY}`);
    if (!bySource && this.unindexed.length === 0) return byName ?? [];
    return [...(byName ?? []), ...(bySource ?? []), ...this.unindexed];
  }

  /** The controls whose trigger or resolution patterns match the event, each once. */
  route(event: EventBridgeEvent): RoutedControl[] {
    const routed = new Map<string, RoutedControl>();
    for (const entry of this.candidates(event)) {
      const existing = routed.get(entry.control.id);
      if (existing && (entry.kind === 'trigger' ? existing.triggers : existing.resolves)) continue;
      if (!entry.pattern.matches(event)) continue;
      const target = existing ?? { control: entry.control, triggers: false, resolves: false };
      if (entry.kind === 'trigger') target.triggers = true;
      else target.resolves = true;
      routed.set(entry.control.id, target);
    }
    return [...routed.values()];
  }
}
