/**
 * The external labelled corpus in ../shared/corpus (not part of the repository): reads it and runs
 * every event through the same intake and evaluation as `trailwarden replay`, then judges each row
 * against the controls that cover its source rule's concern (test/corpus/concerns.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Area } from '../../shared/core/model/area';
import { toEvent } from '../../shared/core/intake/to-event';
import { evaluateEvent } from '../../shared/core/evaluation/evaluate';
import type { Engine } from '../../shared/app/compose';
import { memoryStorage } from '../../shared/adapters/store/memory';
import { replay } from '../../shared/app/pipeline/replay';
import { testApplication } from './application';

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

/** The controls that cover a source rule's concern, or why no control does. */
export type Concern = { controls: readonly string[] } | { outOfScope: string };

/** The public project a row comes from, as its id names it: `panther`, `streamalert`, `stratus`. */
export function familyOf(row: CorpusRow): string {
  return row.id.split(':')[0]!;
}

export interface CorpusVerdict {
  row: CorpusRow;
  /**
   * Whether the row is judged: its rule's concern is covered by at least one control and intake
   * reads the event. Rows of out-of-scope rules and events intake refuses are not judged.
   */
  judged: boolean;
  /** Why a row is not judged: the rule's out-of-scope reason, or intake's refusal. */
  notJudged?: string;
  /** A control of the row's concern raised a violation (any severity, activity records included). */
  violation: boolean;
  agrees: boolean;
  /** The concern's controls that raised a violation. */
  controls: string[];
  /** Every control (any concern) that raised a violation. */
  raised: string[];
  /** Why intake refused the event, when it did. */
  rejected?: string;
  /** When the row was judged on a stateful sequence built from it (judgeOnSequences): how many events it held. */
  sequence?: number;
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

/** Judges each row against the controls of its rule's concern; a rule missing from `concerns` is an error. */
export function judgeByConcern(rows: CorpusRow[], engine: Engine, concerns: Readonly<Record<string, Concern>>): CorpusVerdict[] {
  return rows.map((row, index) => {
    const concern = concerns[row.source_rule];
    if (!concern) throw new Error(`no concern mapped for source rule ${row.source_rule} (${row.id})`);
    const item = toEvent(asDelivered(row), { file: 'events.jsonl', line: index + 1 });
    const raised =
      item.kind === 'rejected'
        ? []
        : evaluateEvent(item.event, engine.router, engine.context)
            .outcomes.filter((outcome) => outcome.violations.length > 0)
            .map((outcome) => outcome.control.id);
    const mapped = 'controls' in concern ? concern.controls : [];
    const controls = raised.filter((id) => mapped.includes(id));
    const violation = controls.length > 0;
    const notJudged =
      'outOfScope' in concern
        ? `out of scope: ${concern.outOfScope}`
        : item.kind === 'rejected'
          ? `intake refuses it: ${item.reason}`
          : undefined;
    return {
      row,
      judged: notJudged === undefined,
      ...(notJudged !== undefined ? { notJudged } : {}),
      violation,
      agrees: violation === row.expect_violation,
      controls,
      raised,
      ...(item.kind === 'rejected' ? { rejected: item.reason } : {}),
    };
  });
}

export interface Agreement {
  /** A source family, or `all`. */
  group: string;
  rows: number;
  judged: number;
  agreeing: number;
  /** agreeing / judged. */
  ratio: number;
}

function agreementOf(group: string, verdicts: CorpusVerdict[]): Agreement {
  const judged = verdicts.filter((verdict) => verdict.judged);
  const agreeing = judged.filter((verdict) => verdict.agrees).length;
  return { group, rows: verdicts.length, judged: judged.length, agreeing, ratio: judged.length ? agreeing / judged.length : 0 };
}

/** Agreement on the judged rows, per source family and overall (`all`, last). */
export function agreementByFamily(verdicts: CorpusVerdict[]): Agreement[] {
  const families = [...new Set(verdicts.map((verdict) => familyOf(verdict.row)))].sort();
  return [
    ...families.map((family) =>
      agreementOf(
        family,
        verdicts.filter((verdict) => familyOf(verdict.row) === family),
      ),
    ),
    agreementOf('all', verdicts),
  ];
}

/** A row judged on a sequence built from it (test/corpus/volume-sequences.ts). */
export interface SequenceOfRow {
  expand(record: Record<string, unknown>): Array<Record<string, unknown>>;
}

/**
 * Judges the rows that need volume again, on their sequences: each replayed through the same pipeline as
 * `trailwarden replay` (memory storage), the row's verdict then taken from the findings of its concern's controls.
 */
export async function judgeOnSequences(
  verdicts: CorpusVerdict[],
  sequences: Readonly<Record<string, SequenceOfRow>>,
  concerns: Readonly<Record<string, Concern>>,
): Promise<void> {
  for (const verdict of verdicts) {
    const sequence = sequences[verdict.row.id];
    const concern = concerns[verdict.row.source_rule];
    if (!sequence || !verdict.judged || !concern || !('controls' in concern)) continue;
    const storage = memoryStorage();
    const app = testApplication({ storage, notifier: 'discard', now: () => new Date() });
    const records = sequence.expand(asDelivered(verdict.row) as Record<string, unknown>);
    async function* items() {
      for (const [index, record] of records.entries()) yield toEvent(record, { file: `${verdict.row.id} (sequence)`, line: index + 1 });
    }
    await replay(items(), app.pipeline());
    const raised = [...new Set((await storage.findings.listFindings({ limit: 500 })).map((finding) => finding.controlId))].sort();
    verdict.raised = raised;
    verdict.controls = raised.filter((id) => concern.controls.includes(id));
    verdict.violation = verdict.controls.length > 0;
    verdict.agrees = verdict.violation === verdict.row.expect_violation;
    verdict.sequence = records.length;
  }
}
