/**
 * Routing checks of generated EventBridge rules against the controls' own patterns, on real events:
 * the labelled corpus (../shared/corpus/events.jsonl) and the bulk sample of CloudTrail records
 * (../shared/corpus/bulk), each wrapped in its EventBridge envelope as intake does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { compilePattern } from '../../shared/core/matching';
import { toEvent } from '../../shared/core/intake/to-event';
import type { Control, EventPattern } from '../../shared/core/model/control';
import type { EventBridgeEvent } from '../../shared/core/model/event';
import { asDelivered, CORPUS_FILE, corpusPresent, loadCorpus } from './corpus';

export const BULK_FILE =
  process.env.TRAILWARDEN_BULK_SAMPLE ?? resolve(__dirname, '../../../shared/corpus/bulk/invictus-ir_aws_dataset_cloudtrail.jsonl.gz');

export const routingCorporaPresent = (): boolean => corpusPresent() && existsSync(BULK_FILE);
export const ROUTING_CORPORA = `${CORPUS_FILE} and ${BULK_FILE}`;

function accepted(values: unknown[], file: string): EventBridgeEvent[] {
  const events: EventBridgeEvent[] = [];
  values.forEach((value, index) => {
    const item = toEvent(value, { file, line: index + 1 });
    if (item.kind === 'event') events.push(item.event);
  });
  return events;
}

/** The labelled corpus's events as intake delivers them (the rows intake refuses left out). */
export function labelledEvents(): EventBridgeEvent[] {
  return accepted(loadCorpus().map(asDelivered), 'events.jsonl');
}

/** The bulk sample's CloudTrail records, wrapped as EventBridge delivers them. */
export function bulkEvents(): EventBridgeEvent[] {
  const lines = gunzipSync(readFileSync(BULK_FILE)).toString('utf8').split('\n');
  return accepted(
    lines.filter((line) => line.trim() !== '').map((line) => JSON.parse(line)),
    'bulk',
  );
}

/** A rule as EventBridge runs it: its pattern and its state. */
export interface RoutedRule {
  pattern: EventPattern;
  state: string;
}

/**
 * Whether EventBridge hands `event` to a rule in `state`: with plain ENABLED, it withholds read-only
 * management events delivered through CloudTrail, those whose names start with Get, Describe or List
 * (EventBridge User Guide, "Receiving read-only management events from AWS services").
 */
export function reachesState(event: EventBridgeEvent, state: string): boolean {
  if (state === 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS') return true;
  const name = (event.detail as { eventName?: unknown }).eventName;
  const readOnly = event['detail-type'].endsWith('via CloudTrail') && typeof name === 'string' && /^(Get|Describe|List)/.test(name);
  return state === 'ENABLED' && !readOnly;
}

/** The controls' own patterns (triggers and resolutions). */
export const patternsOf = (controls: readonly Control[]): EventPattern[] =>
  controls.flatMap((control) => [...control.patterns, ...(control.resolution?.patterns ?? [])]);

export interface Routing {
  /** Events a control pattern matches. */
  needed: number;
  /** Of those, the events no rule delivers. */
  missed: EventBridgeEvent[];
  /** Events some rule delivers. */
  routed: number;
}

/** How `rules` route `events` compared with what the `controls` read. */
export function routing(controls: readonly Control[], rules: readonly RoutedRule[], events: readonly EventBridgeEvent[]): Routing {
  const wanted = patternsOf(controls).map((pattern) => compilePattern(pattern));
  const compiled = rules.map((rule) => ({ matcher: compilePattern(rule.pattern), state: rule.state }));
  let needed = 0;
  let routed = 0;
  const missed: EventBridgeEvent[] = [];
  for (const event of events) {
    const delivered = compiled.some((rule) => reachesState(event, rule.state) && rule.matcher.matches(event));
    if (delivered) routed += 1;
    if (wanted.some((matcher) => matcher.matches(event))) {
      needed += 1;
      if (!delivered) missed.push(event);
    }
  }
  return { needed, missed, routed };
}

/** An event, named for a failure message. */
export const described = (event: EventBridgeEvent): string =>
  `${event.source} ${event['detail-type']} ${String((event.detail as { eventName?: unknown }).eventName ?? '')} ${event.id}`;
