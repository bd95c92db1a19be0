/**
 * `trailwarden evaluate [FILE|-] [--jsonl FILE]`: evaluation without storage.
 * One input prints `{"findings":[...]}`; `--jsonl` prints exactly one JSON line per input line,
 * `{"line":N,"findings":[...]}` or `{"line":N,"error":"..."}`.
 *
 * Both stream: the input is read through the intake readers (a CloudTrail log file of a million
 * records is never held whole), and the findings are printed as they come, in pieces of about
 * OUTPUT_PIECE_CHARS (each piece ends a line of stdout: the one JSON document may span several lines,
 * whitespace to a JSON reader). A record or line that fails is reported, and the next one is read.
 */
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readEvents, readJsonLines } from '../../adapters/intake';
import { intakeOptionsOf, locationText, type IntakeItem, type IntakeOptions } from '../../core/intake/types';
import { evaluateEvent } from '../../core/evaluation/evaluate';
import type { EventBridgeEvent } from '../../core/model/event';
import { observeResolution, observeViolation, type ViolationObservation } from '../../core/findings/observation';
import type { Control } from '../../core/model/control';
import { createEngine, type Engine } from '../../app/compose';
import { ALL_CONTROLS } from '../../core/controls';
import { settingsFor } from './compose';
import type { Io } from './io';
import { defineCommand, type ParsedArgs } from './command-line';
import { CONFIG_ENV, CONFIG_OPTION, FAIL_ON_OPTION, severityOf } from './shared-options';
import { EXIT_FINDINGS } from './exit-codes';
import { type Severity, severityRank } from '../../core/model/severity';

/** What `evaluate` prints per violation (enough to act on, nothing stored) and per resolution. */
export function evaluateToFindings(event: EventBridgeEvent, engine: Engine) {
  const evaluation = evaluateEvent(event, engine.router, engine.context);
  const findings: FindingLine[] = [];
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

/** What `evaluate` prints of one violation. */
export type FindingLine = Record<string, unknown> & { severity: Severity };

function findingLineOf(observed: ViolationObservation, control: Control): FindingLine {
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

/** `Records[3]: reason` (the place inside the line or file, then why). */
function errorMessage(item: Extract<IntakeItem, { kind: 'rejected' }>): string {
  return item.where.path ? `${item.where.path}: ${item.reason}` : item.reason;
}

/** An exception evaluating one event, by kind: its message is the program's, but could quote the event. */
function failureOf(error: unknown): string {
  return error instanceof Error ? error.name : 'error';
}

/** Output is handed to stdout in pieces of about this many characters (a piece ends with a line break). */
export const OUTPUT_PIECE_CHARS = 1024 * 1024;

/** Resolutions are held in memory up to this many characters of JSON, then in a temporary file. */
const RESOLUTIONS_IN_MEMORY_CHARS = 8 * 1024 * 1024;

/**
 * A list of JSON texts that may outgrow memory: held in memory, then appended to a temporary file
 * (one text per line: JSON.stringify never writes a raw line break), read back in order.
 */
class SpillList {
  private held: string[] = [];
  private heldChars = 0;
  private spill: { dir: string; path: string; fd: number } | undefined;
  count = 0;

  add(json: string): void {
    this.count += 1;
    this.held.push(json);
    this.heldChars += json.length;
    if (this.heldChars > RESOLUTIONS_IN_MEMORY_CHARS) this.toFile();
  }

  private toFile(): void {
    if (this.spill === undefined) {
      const dir = mkdtempSync(join(tmpdir(), 'trailwarden-evaluate-'));
      const path = join(dir, 'resolutions.jsonl');
      this.spill = { dir, path, fd: openSync(path, 'w') };
    }
    writeSync(this.spill.fd, `${this.held.join('\n')}\n`);
    this.held = [];
    this.heldChars = 0;
  }

  /** Every text added, in order. */
  async *texts(): AsyncGenerator<string> {
    if (this.spill !== undefined) {
      closeSync(this.spill.fd);
      this.spill.fd = -1;
      for await (const line of createInterface({ input: createReadStream(this.spill.path), crlfDelay: Number.POSITIVE_INFINITY }))
        yield line;
    }
    yield* this.held;
  }

  /** Removes the temporary file, if any. */
  dispose(): void {
    if (this.spill === undefined) return;
    if (this.spill.fd >= 0) closeSync(this.spill.fd);
    rmSync(this.spill.dir, { recursive: true, force: true });
    this.spill = undefined;
  }
}

/**
 * `{"findings":[...],"resolutions":[...]}` (resolutions only when there are some), printed as it is
 * produced. Byte for byte what JSON.stringify would print; one line of stdout when it is shorter than
 * OUTPUT_PIECE_CHARS, several otherwise.
 */
class StreamedResult {
  private text = '{"findings":[';
  private findings = 0;
  private readonly resolutions = new SpillList();

  constructor(private readonly io: Io) {}

  finding(json: string): void {
    this.text += this.findings > 0 ? `,${json}` : json;
    this.findings += 1;
    if (this.text.length >= OUTPUT_PIECE_CHARS) this.flush();
  }

  resolution(json: string): void {
    this.resolutions.add(json);
  }

  /** Prints the rest, closing the document. */
  async end(): Promise<void> {
    try {
      this.text += ']';
      if (this.resolutions.count > 0) {
        this.text += ',"resolutions":[';
        let first = true;
        for await (const json of this.resolutions.texts()) {
          this.text += first ? json : `,${json}`;
          first = false;
          if (this.text.length >= OUTPUT_PIECE_CHARS) this.flush();
        }
        this.text += ']';
      }
      this.text += '}';
      this.flush();
    } finally {
      this.resolutions.dispose();
    }
  }

  private flush(): void {
    if (this.text.length > 0) this.io.out(this.text);
    this.text = '';
  }
}

const EVALUATE_OPTIONS = {
  jsonl: {
    type: 'string',
    value: 'FILE',
    description: 'read JSON Lines from FILE (- for stdin) and print exactly one JSON line per input line',
  },
  ...CONFIG_OPTION,
  ...FAIL_ON_OPTION,
} as const;

export async function evaluateCommand({ values, positionals }: ParsedArgs<typeof EVALUATE_OPTIONS>, io: Io): Promise<number> {
  const gate = new SeverityGate(values['fail-on'] === undefined ? undefined : severityOf('--fail-on', values['fail-on']));
  const settings = settingsFor(values.config, io.env);
  const engine = createEngine(settings, ALL_CONTROLS);
  const intake = intakeOptionsOf(settings, io.now);
  if (values.jsonl !== undefined) {
    const code = await evaluateLines(values.jsonl, engine, intake, io, gate);
    return code === 0 ? gate.exitCode(io) : code;
  }
  const inputs = positionals.length > 0 ? positionals : ['-'];
  const result = new StreamedResult(io);
  let events = 0;
  try {
    for await (const item of readEvents(inputs, intake, io.stdin)) {
      if (item.kind === 'rejected') {
        io.err(`rejected ${locationText(item.where)}: ${item.reason}`);
        continue;
      }
      events += 1;
      let evaluated: ReturnType<typeof evaluateToFindings>;
      try {
        evaluated = evaluateToFindings(item.event, engine);
      } catch (error) {
        io.err(`evaluate: could not evaluate the event at ${locationText(item.where)} (${failureOf(error)})`);
        continue;
      }
      for (const finding of evaluated.findings) {
        gate.found(finding.severity);
        result.finding(JSON.stringify(finding));
      }
      for (const resolution of evaluated.resolutions) result.resolution(JSON.stringify(resolution));
      for (const error of evaluated.errors) io.err(`control ${error.controlId} failed on event ${item.event.id}: ${error.message}`);
    }
  } finally {
    await result.end();
  }
  // Non-zero when nothing could be read, or with --fail-on when a finding at or above it was found.
  return events === 0 ? 1 : gate.exitCode(io);
}

/** `--fail-on`: counts the findings at or above its severity; exit 3 when there were any. */
class SeverityGate {
  private count = 0;

  constructor(private readonly threshold: Severity | undefined) {}

  found(severity: Severity): void {
    if (this.threshold !== undefined && severityRank(severity) >= severityRank(this.threshold)) this.count += 1;
  }

  exitCode(io: Pick<Io, 'err'>): number {
    if (this.count === 0) return 0;
    io.err(`evaluate: ${this.count} findings at or above ${this.threshold} (--fail-on ${this.threshold}): exit ${EXIT_FINDINGS}`);
    return EXIT_FINDINGS;
  }
}

/** The answer to one line of JSON Lines is at most this long; a Records line with more findings is answered with an error. */
export const MAX_LINE_ANSWER_CHARS = 64 * 1024 * 1024;

/** The reasons listed for one line stop at this many characters (a Records line of a million bad records). */
const MAX_LINE_ERRORS_CHARS = 1024 * 1024;

/** What one JSON Lines line has produced so far. */
class LineAnswer {
  private items = 0;
  private findings: string[] = [];
  private findingsChars = 0;
  private errors: string[] = [];
  private errorsChars = 0;
  private errorsLeftOut = 0;
  /** Set when the line fails as a whole: its answer is this error. */
  private failure: string | undefined;

  add(item: IntakeItem, engine: Engine, gate: SeverityGate): void {
    this.items += 1;
    if (item.kind === 'rejected') {
      const message = errorMessage(item);
      if (this.errorsChars + message.length > MAX_LINE_ERRORS_CHARS) {
        this.errorsLeftOut += 1;
        return;
      }
      this.errors.push(message);
      this.errorsChars += message.length;
      return;
    }
    if (this.failure !== undefined) return;
    try {
      for (const finding of evaluateToFindings(item.event, engine).findings) {
        gate.found(finding.severity);
        const json = JSON.stringify(finding);
        this.findingsChars += json.length + 1;
        if (this.findingsChars > MAX_LINE_ANSWER_CHARS) {
          this.fail(`the findings of this line exceed ${MAX_LINE_ANSWER_CHARS} characters; evaluate the file without --jsonl`);
          return;
        }
        this.findings.push(json);
      }
    } catch (error) {
      this.fail(`could not evaluate ${item.where.path ? `${item.where.path} of this line` : 'this line'} (${failureOf(error)})`);
    }
  }

  private fail(reason: string): void {
    this.failure = reason;
    this.findings = [];
  }

  /** The line of output for line `line`. */
  render(line: number, blank: boolean): string {
    if (blank) return JSON.stringify({ line, error: 'empty line' });
    if (this.failure !== undefined) return JSON.stringify({ line, error: this.failure });
    if (this.items === 1 && this.errors.length === 1) return JSON.stringify({ line, error: this.errors[0] });
    if (this.errorsLeftOut > 0) this.errors.push(`… and ${this.errorsLeftOut} more rejected records`);
    const errors = this.errors.length > 0 ? `,"errors":${JSON.stringify(this.errors)}` : '';
    return `{"line":${line},"findings":[${this.findings.join(',')}]${errors}}`;
  }
}

async function evaluateLines(file: string, engine: Engine, intake: IntakeOptions, io: Io, gate: SeverityGate): Promise<number> {
  let answer = new LineAnswer();
  for await (const item of readJsonLines(file, intake, io.stdin)) {
    if (item.kind === 'line-end') {
      io.out(answer.render(item.line, item.blank));
      answer = new LineAnswer();
    } else if (item.kind === 'rejected' && item.where.line === 0) {
      // The input as a whole: not text, or unreadable. No line can be answered.
      io.err(`evaluate: ${item.reason}`);
      return 1;
    } else {
      answer.add(item, engine, gate);
    }
  }
  return 0;
}

export const EVALUATE = defineCommand({
  name: 'evaluate',
  summary: 'evaluates events without storing anything: {"findings":[...]}, or with --jsonl one JSON line per input line',
  description: [
    'Evaluates events against the controls and prints what they violate and resolve, storing nothing:',
    '{"findings":[...],"resolutions":[...]} for the inputs (streamed), or with --jsonl exactly one line per input line,',
    '{"line":N,"findings":[...]} or {"line":N,"error":"..."}.',
  ].join(' '),
  arguments: { name: 'files', shown: '[FILE|-]...', description: 'event files or directories; - or nothing: stdin' },
  options: EVALUATE_OPTIONS,
  environment: [CONFIG_ENV],
  examples: [
    { what: 'one sample event', run: 'evaluate events/network/security-group-open-to-internet/1-violating-ssh-ipv4.json' },
    { what: 'a CI gate on test events: exit 3 when one violates a HIGH or CRITICAL control', run: 'evaluate test/events/ --fail-on HIGH' },
    { what: 'events from another tool, one answer per line', run: 'evaluate --jsonl - < events.jsonl' },
  ],
  run: evaluateCommand,
});
