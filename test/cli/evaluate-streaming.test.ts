/**
 * `trailwarden evaluate` on one large document: a `{"Records":[...]}` of a few hundred MB is read
 * record by record and its findings printed as they come, so neither the input nor the output is ever
 * held whole (a million-event document used to die with "Invalid string length" at 2.8 GB). Checked
 * structurally (stdout is written in bounded pieces; one JSON Lines line longer than the whole-line
 * limit is streamed) and, loosely, by the process's resident memory. No timing is asserted.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { main } from '../../shared/shells/cli/main';
import { testClock } from '../support/clock';

const SAMPLES = resolve(__dirname, '../../events/network/security-group-open-to-internet');
const SSH_OPEN = JSON.parse(readFileSync(join(SAMPLES, '1-violating-ssh-ipv4.json'), 'utf8')) as Record<string, unknown>;
/** A read-only call no control looks at. */
const QUIET = {
  ...SSH_OPEN,
  eventName: 'DescribeSecurityGroups',
  readOnly: true,
  requestParameters: { groupSet: { items: [{ groupId: 'sg-1' }] } },
};
const now = testClock('2026-03-10T12:00:00Z').now;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-streaming-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Writes `{"Records":[...]}` on one line, `count` records, every `every`-th one violating, record
 * `deepAt` (if any) nested 20,000 levels deep, without ever holding the document. Returns how many violate.
 */
function writeRecords(file: string, count: number, every: number, deepAt = -1): number {
  const fd = openSync(file, 'w');
  let violating = 0;
  let batch: string[] = [];
  writeSync(fd, '{"Records":[');
  for (let i = 0; i < count; i += 1) {
    let text: string;
    if (i === deepAt) {
      text = JSON.stringify({ ...QUIET, eventID: `deep-${i}`, requestParameters: '@' }).replace(
        '"@"',
        `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
      );
    } else if (i % every === 0) {
      violating += 1;
      text = JSON.stringify({ ...SSH_OPEN, eventID: `open-${i}` });
    } else {
      text = JSON.stringify({ ...QUIET, eventID: `quiet-${i}` });
    }
    batch.push(text);
    if (batch.length === 2000) {
      writeSync(fd, (i >= 2000 ? ',' : '') + batch.join(','));
      batch = [];
    }
  }
  if (batch.length > 0) writeSync(fd, (count > batch.length ? ',' : '') + batch.join(','));
  writeSync(fd, ']}');
  closeSync(fd);
  return violating;
}

/** Runs the CLI with stdout captured piece by piece, sampling the resident memory while it runs. */
async function runMeasured(args: string[]): Promise<{ code: number; pieces: string[]; stderr: string; rssGrowth: number }> {
  const pieces: string[] = [];
  let stderr = '';
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const code = await main(args, {
      out: (text) => {
        pieces.push(text);
      },
      err: (text) => {
        stderr += `${text}\n`;
      },
      stdin: Readable.from(['']),
      env: {},
      now,
    });
    peak = Math.max(peak, process.memoryUsage().rss);
    return { code, pieces, stderr, rssGrowth: peak - before };
  } finally {
    clearInterval(sampler);
  }
}

const MB = 1024 * 1024;
/** evaluate-command.ts OUTPUT_PIECE_CHARS and read-json-lines.ts MAX_WHOLE_LINE_CHARS (spelled out: this file also runs against code without them). */
const OUTPUT_PIECE_CHARS = MB;
const MAX_WHOLE_LINE_CHARS = 16 * MB;

describe('evaluate on a document of a few hundred MB', () => {
  it('reads it record by record and prints the findings in bounded pieces, as one JSON document', async () => {
    const file = join(dir, 'large.json');
    const violating = writeRecords(file, 180_000, 25);
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(250 * MB);

    const { code, pieces, stderr, rssGrowth } = await runMeasured(['evaluate', file]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // Printed as it came: many pieces, none much longer than one output piece (one finding at most past it).
    expect(pieces.length).toBeGreaterThan(2);
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThan(OUTPUT_PIECE_CHARS + 64 * 1024);
    const { findings } = JSON.parse(pieces.join('\n')) as { findings: Array<{ controlId: string; eventId: string }> };
    expect(findings.filter((finding) => finding.controlId === 'network.security-group-open-to-internet')).toHaveLength(violating);
    // Loosely (the collector runs when it likes): less than the document itself. Holding it would take its size
    // twice over (the bytes read and their text), and parsing it several times more.
    expect(rssGrowth).toBeLessThan(size);
  }, 300_000);
});

describe('evaluate on a document with many resolutions', () => {
  it('prints them after the findings, in order, past what it keeps in memory (8 MB of them)', async () => {
    const revoke = JSON.parse(readFileSync(join(SAMPLES, '3-resolving-revoke-ssh.json'), 'utf8')) as Record<string, unknown>;
    const file = join(dir, 'resolving.jsonl');
    const fd = openSync(file, 'w');
    for (let i = 0; i < 40_000; i += 1) writeSync(fd, `${JSON.stringify({ ...revoke, eventID: `revoke-${i}` })}\n`);
    closeSync(fd);

    const { code, pieces, stderr } = await runMeasured(['evaluate', file]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const { findings, resolutions } = JSON.parse(pieces.join('\n')) as { findings: unknown[]; resolutions: Array<{ eventId: string }> };
    expect(findings).toEqual([]);
    expect(JSON.stringify(resolutions).length).toBeGreaterThan(8 * MB);
    const order = resolutions.map((resolution) => Number(resolution.eventId.slice('revoke-'.length)));
    expect(new Set(order).size).toBe(40_000);
    expect(order.every((n, i) => i === 0 || n >= order[i - 1]!)).toBe(true);
    expect([order[0], order.at(-1)]).toEqual([0, 39_999]);
  }, 120_000);
});

describe('evaluate --jsonl on a line longer than the whole-line limit', () => {
  it('streams the line record by record and answers it with one line, a deep record named in its errors', async () => {
    const file = join(dir, 'one-line.jsonl');
    const violating = writeRecords(file, 14_000, 10, 7_001);
    expect(statSync(file).size).toBeGreaterThan(MAX_WHOLE_LINE_CHARS);

    const { code, pieces, stderr } = await runMeasured(['evaluate', '--jsonl', file]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(pieces).toHaveLength(1);
    const answer = JSON.parse(pieces[0]!) as { line: number; findings: unknown[]; errors: string[] };
    expect(answer.line).toBe(1);
    expect(answer.findings.length).toBeGreaterThanOrEqual(violating);
    expect(answer.errors).toEqual([expect.stringMatching(/^Records\[7001\]: nested more than 32 levels deep/)]);
  }, 120_000);
});
