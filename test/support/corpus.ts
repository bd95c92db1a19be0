/**
 * The external labelled corpus in ../shared/corpus (not part of the repository): reads it and runs
 * every event through the same intake and evaluation as `trailwarden replay`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Area } from '../../shared/core/model/area';
import { toEvent } from '../../shared/core/intake/to-event';
import { evaluateEvent } from '../../shared/core/evaluation/evaluate';
import type { Engine } from '../../shared/app/compose';

export const CORPUS_FILE = process.env.TRAILWARDEN_CORPUS ?? resolve(__dirname, '../../../shared/corpus/events.jsonl');

export interface CorpusRow {
  id: string;
  source: string;
  source_rule: string;
  source_rule_severity?: string;
  source_rule_enabled?: boolean;
  expect_violation: boolean;
  area: Area;
  shape: string;
  event_name: string;
  notes: string[];
  event: unknown;
}

export interface CorpusVerdict {
  row: CorpusRow;
  /**
   * What trailwarden says. For a row labelled a violation: any control raised one, in the row's
   * area or another (trailwarden files some signals elsewhere, e.g. EBS snapshot sharing under host;
   * the user is alerted either way). For a row labelled compliant: a control of the row's area raised
   * one (the label speaks for that area's rule, not for unrelated concerns the event may show).
   */
  violation: boolean;
  /** Agreement reached only through a control of another area. */
  elsewhere: boolean;
  agrees: boolean;
  /** Controls (any area) that raised a violation. */
  controls: string[];
  /** Why intake refused the event, when it did. */
  rejected?: string;
}

export function corpusPresent(file = CORPUS_FILE): boolean {
  return existsSync(file);
}

export function loadCorpus(file = CORPUS_FILE): CorpusRow[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CorpusRow);
}

/** Panther's test cases write a record's time as its log schema stores it: UTC, `2024-11-25 17:51:21.000000000`. */
const PANTHER_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/;

/**
 * The record as CloudTrail delivered it: Panther's rows carry `eventTime` in Panther's normalized
 * layout (UTC without a zone designator), which strict intake rightly refuses; written back as the
 * RFC 3339 UTC time it stands for, so those rows measure detection rather than the test format.
 */
export function asDelivered(row: CorpusRow): unknown {
  const event = row.event as Record<string, unknown>;
  if (!row.source.startsWith('panther-labs/') || typeof event?.eventTime !== 'string') return row.event;
  const match = PANTHER_TIME.exec(event.eventTime);
  return match ? { ...event, eventTime: `${match[1]}T${match[2]}Z` } : row.event;
}

export function judge(rows: CorpusRow[], engine: Engine): CorpusVerdict[] {
  return rows.map((row, index) => {
    const item = toEvent(asDelivered(row), { file: 'events.jsonl', line: index + 1 });
    if (item.kind === 'rejected') {
      return { row, violation: false, elsewhere: false, agrees: !row.expect_violation, controls: [], rejected: item.reason };
    }
    const evaluation = evaluateEvent(item.event, engine.router, engine.context);
    const raised = evaluation.outcomes.filter((outcome) => outcome.violations.length > 0).map((outcome) => outcome.control);
    const inArea = raised.some((control) => control.area === row.area);
    const violation = row.expect_violation ? raised.length > 0 : inArea;
    return {
      row,
      violation,
      elsewhere: violation && !inArea,
      agrees: violation === row.expect_violation,
      controls: raised.map((control) => control.id),
    };
  });
}

export interface AreaAgreement {
  area: string;
  events: number;
  agreeing: number;
  /** Of the agreeing, those where the violation was raised by another area's control. */
  elsewhere: number;
  ratio: number;
}

export function agreementByArea(verdicts: CorpusVerdict[]): AreaAgreement[] {
  const byArea = new Map<string, { events: number; agreeing: number; elsewhere: number }>();
  for (const verdict of verdicts) {
    const entry = byArea.get(verdict.row.area) ?? { events: 0, agreeing: 0, elsewhere: 0 };
    entry.events += 1;
    if (verdict.agrees) entry.agreeing += 1;
    if (verdict.agrees && verdict.elsewhere) entry.elsewhere += 1;
    byArea.set(verdict.row.area, entry);
  }
  const rows = [...byArea.entries()].map(([area, entry]) => ({ area, ...entry, ratio: entry.agreeing / entry.events }));
  const events = verdicts.length;
  const agreeing = verdicts.filter((verdict) => verdict.agrees).length;
  const elsewhere = verdicts.filter((verdict) => verdict.agrees && verdict.elsewhere).length;
  return [
    ...rows.sort((a, b) => a.area.localeCompare(b.area)),
    { area: 'all', events, agreeing, elsewhere, ratio: events ? agreeing / events : 0 },
  ];
}
