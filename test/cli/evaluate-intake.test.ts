/**
 * `trailwarden evaluate` and `replay` as a user runs them, on input that used to sink whole files or
 * the command: a record nested 20,000 levels deep, files that are not text, a secret next to a syntax
 * error, times that are not strict. One record's problem is that record's rejection; `--jsonl` keeps
 * answering every line. Times are judged against the test's clock.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCli } from '../support/cli';
import { DAY, HOUR, testClock } from '../support/clock';

const SAMPLES = resolve(__dirname, '../../events/network/security-group-open-to-internet');
const SSH_OPEN = JSON.parse(readFileSync(join(SAMPLES, '1-violating-ssh-ipv4.json'), 'utf8')) as Record<string, unknown>;
const SSH_PRIVATE = JSON.parse(readFileSync(join(SAMPLES, '2-compliant-private-cidr.json'), 'utf8')) as Record<string, unknown>;
const NOW = '2026-03-10T12:00:00Z';
const now = testClock(NOW).now;
const SECRET = 'AKIAIOSFODNN7SECRETXYZ/wJalrXUtnFEMI';

/** The violating sample nested 20,000 levels deep inside requestParameters, as text. */
const DEEP = JSON.stringify({ ...SSH_OPEN, eventID: 'deep-1', requestParameters: '@DEEP@' }).replace(
  '"@DEEP@"',
  `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`,
);
const OPEN = JSON.stringify(SSH_OPEN);
const PRIVATE = JSON.stringify(SSH_PRIVATE);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-evaluate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, data: string | Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, data);
  return file;
}

const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('a record nested 20,000 levels deep between two good ones', () => {
  it.each([
    ['a .json Records file', 'deep.json', `{"Records":[${OPEN},${DEEP},${PRIVATE}]}`, 'deep.json:1 Records[1]'],
    ['a gzip of it', 'deep.json.gz', gzipSync(`{"Records":[${OPEN},${DEEP},${PRIVATE}]}`), 'deep.json.gz:1 Records[1]'],
    ['JSON Lines', 'deep.jsonl', `${OPEN}\n${DEEP}\n${PRIVATE}\n`, 'deep.jsonl:2'],
  ])('in %s: evaluate prints the findings of the good ones and names the deep one on stderr', async (_kind, name, data, place) => {
    const file = write(name, data);
    const result = await runCli(['evaluate', file], { now });
    expect(result.code).toBe(0);
    const { findings } = JSON.parse(result.stdout) as { findings: Array<{ controlId: string }> };
    expect(findings.map((finding) => finding.controlId)).toContain('network.security-group-open-to-internet');
    expect(result.stderr.trim().split('\n')).toEqual([
      `rejected ${join(dir, place)}: nested more than 32 levels deep (objects and arrays); no CloudTrail record or EventBridge event nests that deep`,
    ]);
  });

  it('with --jsonl: one answer per line, an error for the deep line, and the lines after it answered', async () => {
    const file = write('deep.jsonl', [OPEN, DEEP, PRIVATE, `{"Records":[${OPEN},${DEEP}]}`, '{broken', ''].join('\n'));
    const result = await runCli(['evaluate', '--jsonl', file], { now });
    expect(result.code).toBe(0);
    const out = jsonLines(result.stdout);
    expect(out.map((line) => line.line)).toEqual([1, 2, 3, 4, 5]);
    expect((out[0]!.findings as unknown[]).length).toBeGreaterThan(0);
    expect(out[1]).toEqual({ line: 2, error: expect.stringMatching(/^nested more than 32 levels deep/) });
    expect(out[2]).toEqual({ line: 3, findings: expect.any(Array) });
    expect(out[3]).toEqual({
      line: 4,
      findings: expect.any(Array),
      errors: [expect.stringMatching(/^Records\[1\]: nested more than 32 levels/)],
    });
    expect((out[3]!.findings as unknown[]).length).toBeGreaterThan(0);
    expect(out[4]).toEqual({ line: 5, error: expect.stringMatching(/^malformed JSON/) });
  });

  it('replay records the good ones, counts the deep one as rejected and names it', async () => {
    const file = write('deep.json', `{"Records":[${OPEN},${DEEP},${PRIVATE}]}`);
    const result = await runCli(['replay', file, '--json', '--db', join(dir, 'replay.db')], { now });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ events: 2, rejected: 1, opened: expect.any(Number) });
    expect(JSON.parse(result.stdout).opened).toBeGreaterThan(0);
    expect(result.stderr).toContain(`rejected ${file}:1 Records[1]: nested more than 32 levels deep`);
  });
});

describe('files that are not text', () => {
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${OPEN}\n${PRIVATE}\n`, 'utf16le')]);
  /** Deterministic bytes that look random. */
  const lcg = (n: number) => {
    const bytes = Buffer.alloc(n);
    let state = 42;
    for (let i = 0; i < n; i += 1) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      bytes[i] = state >>> 24;
    }
    return bytes;
  };

  it.each([
    ['NUL bytes', 'zeros.json', Buffer.alloc(20_000), /is not a text file: it holds binary data/],
    ['UTF-16', 'utf16.jsonl', utf16, /is not a text file: it is UTF-16 text \(byte order mark\)/],
    ['gzip of garbage', 'garbage.json.gz', gzipSync(lcg(300_000)), /is not a text file: its gzip content holds binary data/],
  ])('%s: evaluate refuses the file once, naming it, and exits 1 (nothing read)', async (_kind, name, data, reason) => {
    const file = write(name, data);
    const result = await runCli(['evaluate', file], { now });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('{"findings":[]}\n');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^rejected ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:0: `));
    expect(lines[0]).toMatch(reason);
  });

  it('with --jsonl: refuses a UTF-16 file once on stderr and answers no line', async () => {
    const file = write('utf16.jsonl', utf16);
    const result = await runCli(['evaluate', '--jsonl', file], { now });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `evaluate: ${file} is not a text file: it is UTF-16 text (byte order mark); only UTF-8 is read; skipped\n`,
    });
  });

  it('with --jsonl: a line with bytes that are not UTF-8 is answered with an error, the others normally', async () => {
    const latin1 = Buffer.from(PRIVATE.replace('{', '{"note":"caf@",'), 'utf8');
    latin1[latin1.indexOf('@')] = 0xe9;
    const file = write('latin1.jsonl', Buffer.concat([Buffer.from(`${OPEN}\n`), latin1, Buffer.from(`\n${PRIVATE}\n`)]));
    const out = jsonLines((await runCli(['evaluate', '--jsonl', file], { now })).stdout);
    expect(out.map((line) => Object.keys(line))).toEqual([
      ['line', 'findings'],
      ['line', 'error'],
      ['line', 'findings'],
    ]);
    expect(out[1]!.error).toMatch(/^invalid UTF-8/);
  });
});

describe('a secret next to a syntax error', () => {
  const broken = [`{"eventName":"x","password": ${SECRET}}`, `{"eventName":"x" "password":"${SECRET}"}`, `{"token":"${SECRET}`];

  it('never reaches stderr or the answers: the reason names the place and the kind of error', async () => {
    const file = write('secret.jsonl', `${OPEN}\n${broken.join('\n')}\n${PRIVATE}\n`);
    const evaluated = await runCli(['evaluate', file], { now });
    const lines = await runCli(['evaluate', '--jsonl', file], { now });
    const replayed = await runCli(['replay', file, '--db', join(dir, 'secret.db')], { now });
    for (const text of [evaluated.stderr, evaluated.stdout, lines.stdout, lines.stderr, replayed.stderr]) {
      expect(text).not.toContain('AKIA');
      expect(text).not.toContain('wJalr');
    }
    expect(evaluated.stderr).toContain(`rejected ${file}:2: malformed JSON: unexpected character`);
    expect(jsonLines(lines.stdout).map((line) => line.error ?? 'findings')).toEqual([
      'findings',
      'malformed JSON: unexpected character',
      "malformed JSON: Expected ',' or '}' after property value at position 17",
      expect.stringMatching(/^malformed JSON: Unterminated string at position \d+$/),
      'findings',
    ]);
  });
});

describe('strict event times', () => {
  const at = (ms: number) => new Date(Date.parse(NOW) + ms).toISOString();

  it('refuses each loose time naming the record, and an event two days ahead of the clock; an hour ahead is evaluated', async () => {
    const loose = [
      '1',
      'March 7',
      '2025-02-30T10:00:00Z',
      '2025-03-04T10:12:41',
      '9999-12-31T23:59:59Z',
      '+010000-01-01T00:00:00Z',
      at(2 * DAY),
    ];
    const records = [
      ...loose.map((eventTime, i) => ({ ...SSH_OPEN, eventID: `loose-${i}`, eventTime })),
      { ...SSH_OPEN, eventTime: at(HOUR) },
    ];
    const file = write('times.json', JSON.stringify({ Records: records }));
    const result = await runCli(['evaluate', file], { now });
    expect(result.code).toBe(0);
    const { findings } = JSON.parse(result.stdout) as { findings: Array<{ eventTime: string }> };
    expect(findings.map((finding) => finding.eventTime)).toEqual([at(HOUR)]);
    const refused = result.stderr.trim().split('\n');
    expect(refused).toHaveLength(loose.length);
    for (const [i, line] of refused.entries()) {
      expect(line).toMatch(new RegExp(`^rejected ${file}:1 Records\\[${i}\\]\\.eventTime: CloudTrail record key "eventTime" is `));
    }
    expect(refused[loose.length - 1]).toMatch(/more than 1 day ahead of the clock$/);
  });

  it('stores the same instant whatever the zone the time is written in', async () => {
    const file = write('offset.json', JSON.stringify({ ...SSH_OPEN, eventTime: '2025-03-04T10:12:41-05:00' }));
    const { findings } = JSON.parse((await runCli(['evaluate', file], { now })).stdout) as { findings: Array<{ eventTime: string }> };
    expect(findings[0]!.eventTime).toBe('2025-03-04T15:12:41.000Z');
  });
});
