/**
 * Bad input never costs its neighbours: crafted files (deep nesting, huge records, files that are not
 * text, invalid UTF-8, broken JSON next to a secret, loose and future times) given to `replay` and
 * `evaluate`, and one large document given to `evaluate`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { ROOT, runCliProcess } from '../../support/cli-process';
import { generateEvents } from '../../support/generated-events';
import { section, type Section } from './cases';
import { mb, measuredRun, s } from './processes';

const SAMPLE = JSON.parse(
  readFileSync(join(ROOT, 'events/network/security-group-open-to-internet/1-violating-ssh-ipv4.json'), 'utf8'),
) as Record<string, unknown>;

function record(n: number, changes: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...SAMPLE, eventID: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, ...changes };
}

const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

interface ReplayOutcome {
  code: number | null;
  events: number;
  rejected: number;
  reasons: string[];
  stderr: string;
}

async function replayOf(cli: string, file: string): Promise<ReplayOutcome> {
  const run = await runCliProcess(cli, ['replay', file, '--db', ':memory:', '--json']);
  let summary: { events?: number; rejected?: number } = {};
  try {
    summary = JSON.parse(run.stdout) as typeof summary;
  } catch {
    // No summary: counted as nothing read.
  }
  const reasons = run.stderr.split('\n').filter((line) => line.startsWith('rejected '));
  return { code: run.code, events: summary.events ?? 0, rejected: summary.rejected ?? 0, reasons, stderr: run.stderr };
}

export interface IntakeInputs {
  cli: string;
  dir: string;
  /** Events in the one large CloudTrail document given to `evaluate` (and a quarter of it, to compare memory). */
  largeDocumentEvents: number;
}

export async function intakeSection({ cli, dir, largeDocumentEvents }: IntakeInputs): Promise<Section> {
  const result = section(
    'Intake: bad input never costs its neighbours',
    'Crafted files given to `replay` (the JSON summary and the `rejected` lines on standard error) and `evaluate`. A good record ' +
      'is a copy of the SSH-open-to-the-world sample; each broken one sits between good ones.',
  );
  const file = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const good = (n: number) => JSON.stringify(record(n));

  const cases: Array<{
    name: string;
    name2: string;
    content: string | Buffer;
    input: string;
    expected: string;
    events: number;
    rejected: number;
    reason: RegExp;
    notIn?: string;
  }> = [
    {
      name: 'a record nested 20,000 levels deep in a CloudTrail log file',
      name2: 'deep.json',
      content: `{"Records":[${good(1)},${JSON.stringify(record(2)).slice(0, -1)},"requestParameters":${nested(20_000)}},${good(3)}]}`,
      input: 'Records[1].requestParameters nested 20,000 levels; Records[0] and [2] good',
      expected: 'Records[1] refused (file, line, Records[i], why); the two good records read',
      events: 2,
      rejected: 1,
      reason: /deep\.json:1 Records\[1\]: nested more than 32 levels/,
    },
    {
      name: 'the same in JSON Lines',
      name2: 'deep.jsonl',
      content: `${good(1)}\n${JSON.stringify(record(2)).slice(0, -1)},"x":${'['.repeat(20_000)}${']'.repeat(20_000)}}\n${good(3)}\n`,
      input: 'line 2 nested 20,000 levels (arrays); lines 1 and 3 good',
      expected: 'line 2 refused with its line number; lines 1 and 3 read',
      events: 2,
      rejected: 1,
      reason: /deep\.jsonl:2: nested more than 32 levels/,
    },
    {
      name: 'a record above the event size limit',
      name2: 'large-record.jsonl',
      content: `${good(1)}\n${JSON.stringify(record(2, { requestParameters: { blob: 'A'.repeat(1_100_000) } }))}\n${good(3)}\n`,
      input: 'line 2 is 1.1 MB; lines 1 and 3 good',
      expected: 'line 2 refused with its size and the limit; lines 1 and 3 read',
      events: 2,
      rejected: 1,
      reason: /large-record\.jsonl:2: event is \d+ bytes serialized, above the 1048576-byte/,
    },
    {
      name: 'a file of NUL bytes and JSON',
      name2: 'nul.json',
      content: Buffer.concat([Buffer.alloc(100), Buffer.from(good(1))]),
      input: '100 NUL bytes, then a record',
      expected: 'one refusal for the file: not text',
      events: 0,
      rejected: 1,
      reason: /nul\.json:0: .*not a text file/,
    },
    {
      name: 'a UTF-16 file',
      name2: 'utf16.json',
      content: Buffer.from(`\ufeff{"Records":[${good(1)}]}`, 'utf16le'),
      input: 'a CloudTrail log file in UTF-16LE with its byte order mark',
      expected: 'one refusal for the file: UTF-16, only UTF-8 is read',
      events: 0,
      rejected: 1,
      reason: /utf16\.json:0: .*UTF-16/,
    },
    {
      name: 'a gzip of random bytes',
      name2: 'garbage.json.gz',
      content: gzipSync(randomBytes(200_000)),
      input: '200 KB of random bytes, gzipped',
      expected: 'one refusal for the file (not one per "line" of garbage)',
      events: 0,
      rejected: 1,
      reason: /garbage\.json\.gz:0: .*not a text file/,
    },
    {
      name: 'invalid UTF-8 inside a record',
      name2: 'bad-utf8.jsonl',
      content: Buffer.concat([
        Buffer.from(`${good(1)}\n`),
        Buffer.from(`${JSON.stringify(record(2, { userAgent: 'agent-XX' }))}\n`.replace('agent-XX', 'agent-\u0000')).map((byte) =>
          byte === 0 ? 0xff : byte,
        ),
        Buffer.from(`${good(3)}\n`),
      ]),
      input: 'line 2 holds the byte 0xFF in its userAgent',
      expected: 'line 2 refused as invalid UTF-8 (not read as U+FFFD); lines 1 and 3 read',
      events: 2,
      rejected: 1,
      reason: /bad-utf8\.jsonl:2: invalid UTF-8/,
    },
    {
      name: 'broken JSON next to a secret',
      name2: 'broken-secret.jsonl',
      content: `${good(1)}\n{"password": "hunter2-campaign" oops}\n${good(3)}\n`,
      input: 'line 2: {"password": "hunter2-campaign" oops}',
      expected: 'line 2 refused naming the place and the reason, without echoing the input',
      events: 2,
      rejected: 1,
      reason: /broken-secret\.jsonl:2: malformed JSON/,
      notIn: 'hunter2',
    },
  ];
  for (const c of cases) {
    const outcome = await replayOf(cli, file(c.name2, c.content));
    const reasonShown = outcome.reasons.some((line) => c.reason.test(line));
    const leaked = c.notIn !== undefined && outcome.stderr.includes(c.notIn);
    result.cases.push({
      name: c.name,
      input: c.input,
      expected: c.expected,
      observed:
        `${outcome.events} read, ${outcome.rejected} refused: ${outcome.reasons.map((line) => line.replaceAll(`${dir}/`, '')).join(' / ') || 'no reason'}` +
        (c.notIn !== undefined ? `; input echoed: ${leaked ? 'yes' : 'no'}` : ''),
      passed:
        outcome.events === c.events && outcome.rejected === c.rejected && outcome.reasons.length === c.rejected && reasonShown && !leaked,
    });
  }

  // Loose and future times, one record each, between good ones.
  const times = [
    '1',
    'March 7',
    '2025-02-30T10:00:00Z',
    '2025-03-04T10:12:41',
    '2025-03-04T10:12Z',
    '9999-12-31T00:00:00Z',
    '+010000-01-01T00:00:00Z',
    new Date(Date.now() + 2 * 86_400_000).toISOString(),
  ];
  const timesFile = file(
    'times.json',
    JSON.stringify({ Records: [record(1), ...times.map((eventTime, i) => record(10 + i, { eventTime })), record(3)] }),
  );
  const timed = await replayOf(cli, timesFile);
  result.cases.push({
    name: 'loose, impossible and future event times',
    input: times.map((time) => JSON.stringify(time)).join(', '),
    expected: `each refused with its Records[i] and why (RFC 3339 with a zone, a real date, at most 1 day ahead); the 2 good records read`,
    observed: `${timed.events} read, ${timed.rejected} refused: ${[...new Set(timed.reasons.map((line) => line.replace(/^.*eventTime: /, '')))].join(' / ')}`,
    passed: timed.events === 2 && timed.rejected === times.length && timed.reasons.length === times.length,
  });

  // evaluate --jsonl keeps one answer per line.
  const jsonl = await runCliProcess(cli, ['evaluate', '--jsonl', join(dir, 'deep.jsonl')]);
  const answers = jsonl.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { line: number; error?: string; findings?: unknown[] });
  result.cases.push({
    name: '`evaluate --jsonl` on the deeply nested line',
    input: 'deep.jsonl above',
    expected: 'one answer per line: findings for 1 and 3, an error for 2; exit 0',
    observed: `exit ${jsonl.code}; ${answers.map((a) => `line ${a.line}: ${a.error ? `error (${a.error.slice(0, 40)}…)` : `${a.findings?.length} findings`}`).join(', ')}`,
    passed:
      jsonl.code === 0 &&
      answers.length === 3 &&
      answers[1]?.error !== undefined &&
      (answers[0]?.findings?.length ?? 0) > 0 &&
      (answers[2]?.findings?.length ?? 0) > 0,
  });

  // One large document: evaluate streams it; memory does not grow with it.
  const sizes = [Math.round(largeDocumentEvents / 4), largeDocumentEvents];
  const runs = [];
  for (const events of sizes) {
    const generated = generateEvents(events, {
      samplesDir: join(ROOT, 'events'),
      dir: join(dir, `large-${events}`),
      recordsPerFile: Number.POSITIVE_INFINITY,
    });
    const document = generated.files.find((name) => name.endsWith('.json'))!;
    const bytes = readFileSync(document).length;
    const run = await measuredRun(cli, ['evaluate', document]);
    let findings = -1;
    try {
      findings = (JSON.parse(run.stdout) as { findings: unknown[] }).findings.length;
    } catch {
      // Not one JSON document: counted as -1.
    }
    runs.push({ events, bytes, run, findings });
  }
  const [small, large] = runs as [(typeof runs)[0], (typeof runs)[0]];
  result.cases.push({
    name: '`evaluate` on one large `{"Records":[...]}` document',
    input: `${large.events.toLocaleString('en-US')} CloudTrail records in one ${mb(large.bytes / 1024 / 1024)} document (and one of ${small.events.toLocaleString('en-US')})`,
    expected: 'exit 0, one JSON document of findings; peak memory well below the document size, not growing with it',
    observed:
      `exit ${large.run.code}, ${large.findings} findings in ${s(large.run.seconds)}; peak RSS ${mb(large.run.peakRssMb)} ` +
      `(${mb(small.run.peakRssMb)} for the ${mb(small.bytes / 1024 / 1024)} document)`,
    passed: large.run.code === 0 && large.findings > 0 && large.run.peakRssMb < large.bytes / 1024 / 1024,
  });
  result.figures.push([
    '`evaluate` peak RSS, ¼ document → whole document',
    `${mb(small.run.peakRssMb)} → ${mb(large.run.peakRssMb)} (document ${mb(small.bytes / 1048576)} → ${mb(large.bytes / 1048576)})`,
  ]);
  return result;
}
