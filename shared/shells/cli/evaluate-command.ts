/**
 * `trailwarden evaluate [FILE|-] [--jsonl FILE]`: evaluation without storage.
 * One input prints `{"findings":[...]}`; `--jsonl` prints exactly one JSON line per input line,
 * `{"line":N,"findings":[...]}` or `{"line":N,"error":"..."}`.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { readEvents } from '../../adapters/intake';
import { toEvent } from '../../core/intake/to-event';
import type { IntakeItem } from '../../core/intake/types';
import { evaluateEvent } from '../../core/evaluation/evaluate';
import type { EventBridgeEvent } from '../../core/model/event';
import { observeResolution, observeViolation, type ViolationObservation } from '../../core/findings/observation';
import type { Control } from '../../core/model/control';
import { createEngine, type Engine } from '../../app/compose';
import { ALL_CONTROLS } from '../../core/controls';
import { settingsFor } from './compose';
import type { Io } from './io';

/** What `evaluate` prints per violation (enough to act on, nothing stored) and per resolution. */
export function evaluateToFindings(event: EventBridgeEvent, engine: Engine) {
  const evaluation = evaluateEvent(event, engine.router, engine.context);
  const findings: Array<Record<string, unknown>> = [];
  const resolutions: Array<Record<string, unknown>> = [];
  for (const { control, violations, resolutions: resolved } of evaluation.outcomes) {
    for (const violation of violations) findings.push(findingLineOf(observeViolation(event, control, violation), control));
    for (const resolution of resolved) {
      const observed = observeResolution(event, control, resolution);
      resolutions.push({
        controlId: control.id,
        area: control.area,
        resourceId: observed.resourceId,
        message: observed.message,
        eventId: observed.eventId,
      });
    }
  }
  return { findings, resolutions, errors: evaluation.errors };
}

function findingLineOf(observed: ViolationObservation, control: Control): Record<string, unknown> {
  return {
    findingId: observed.findingId,
    controlId: control.id,
    area: control.area,
    severity: observed.severity,
    title: control.title,
    resourceId: observed.resourceId,
    resourceType: observed.resourceType,
    ...(observed.qualifier !== undefined ? { qualifier: observed.qualifier } : {}),
    message: observed.message,
    account: observed.account,
    region: observed.region,
    eventId: observed.eventId,
    eventTime: observed.eventTime,
    evidence: observed.evidence,
  };
}

function errorMessage(item: Extract<IntakeItem, { kind: 'rejected' }>): string {
  return item.where.path ? `${item.where.path}: ${item.reason}` : item.reason;
}

export async function evaluateCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { jsonl: { type: 'string' }, config: { type: 'string' } },
  });
  const engine = createEngine(settingsFor(values.config, io.env), ALL_CONTROLS);
  if (values.jsonl !== undefined) return evaluateLines(values.jsonl, engine, io);
  const inputs = positionals.length > 0 ? positionals : ['-'];
  const findings: unknown[] = [];
  const resolutions: unknown[] = [];
  let events = 0;
  for await (const item of readEvents(inputs, {}, io.stdin)) {
    if (item.kind === 'rejected') {
      io.err(`rejected ${item.where.file}:${item.where.line}${item.where.path ? ` ${item.where.path}` : ''}: ${item.reason}`);
      continue;
    }
    events += 1;
    const result = evaluateToFindings(item.event, engine);
    findings.push(...result.findings);
    resolutions.push(...result.resolutions);
    for (const error of result.errors) io.err(`control ${error.controlId} failed on event ${item.event.id}: ${error.message}`);
  }
  io.out(JSON.stringify({ findings, ...(resolutions.length > 0 ? { resolutions } : {}) }));
  // Non-zero only when nothing could be read.
  return events === 0 ? 1 : 0;
}

async function evaluateLines(file: string, engine: Engine, io: Io): Promise<number> {
  const input = file === '-' ? io.stdin : createReadStream(file);
  const opened = new Promise<void>((resolve, reject) => {
    if (file === '-') resolve();
    else (input as ReturnType<typeof createReadStream>).once('open', () => resolve()).once('error', reject);
  });
  try {
    await opened;
  } catch (error) {
    io.err(`evaluate: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return 1;
  }
  let lineNumber = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber += 1;
    const where = { file, line: lineNumber };
    if (line.trim() === '') {
      io.out(JSON.stringify({ line: lineNumber, error: 'empty line' }));
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      io.out(JSON.stringify({ line: lineNumber, error: `malformed JSON: ${(error as Error).message}` }));
      continue;
    }
    const records =
      value !== null && typeof value === 'object' && Array.isArray((value as { Records?: unknown }).Records)
        ? (value as { Records: unknown[] }).Records.map((record, i) => toEvent(record, { ...where, path: `Records[${i}]` }))
        : [toEvent(value, where)];
    const rejected = records.find((item) => item.kind === 'rejected');
    if (rejected && rejected.kind === 'rejected' && records.length === 1) {
      io.out(JSON.stringify({ line: lineNumber, error: errorMessage(rejected) }));
      continue;
    }
    const findings = records.flatMap((item) => (item.kind === 'event' ? evaluateToFindings(item.event, engine).findings : []));
    const errors = records.flatMap((item) => (item.kind === 'rejected' ? [errorMessage(item)] : []));
    io.out(JSON.stringify({ line: lineNumber, findings, ...(errors.length > 0 ? { errors } : {}) }));
  }
  return 0;
}
