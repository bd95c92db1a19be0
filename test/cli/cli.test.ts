/** The `trailwarden` commands as a user runs them (in-process, output captured). */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../support/cli';
import { AREAS } from '../../shared/core/model/area';

const EVENTS = resolve(__dirname, '../../events');
const sample = (controlDir: string, polarity: string) => {
  const dir = join(EVENTS, controlDir);
  return join(dir, readdirSync(dir).find((name) => name.includes(polarity))!);
};
const SSH_OPEN = sample('network/security-group-open-to-internet', 'violating');
const SSH_COMPLIANT = sample('network/security-group-open-to-internet', 'compliant');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('trailwarden test-pattern', () => {
  const event = JSON.stringify({
    source: 'aws.ec2',
    'detail-type': 'AWS API Call via CloudTrail',
    detail: { eventName: 'AuthorizeSecurityGroupIngress' },
  });

  it('prints {"Result":true} when the pattern matches', async () => {
    const result = await runCli([
      'test-pattern',
      '--pattern',
      '{"source":["aws.ec2"],"detail":{"eventName":[{"prefix":"Authorize"}]}}',
      '--event',
      event,
    ]);
    expect(result).toEqual({ code: 0, stdout: '{"Result":true}\n', stderr: '' });
  });

  it('prints {"Result":false} when it does not, reading file:// arguments', async () => {
    const patternFile = join(dir, 'pattern.json');
    writeFileSync(patternFile, JSON.stringify({ source: ['aws.s3'] }));
    const eventFile = join(dir, 'event.json');
    writeFileSync(eventFile, event);
    const result = await runCli(['test-pattern', '--pattern', `file://${patternFile}`, '--event', `file://${eventFile}`]);
    expect(result).toEqual({ code: 0, stdout: '{"Result":false}\n', stderr: '' });
  });

  it('exits 2 with the reason on stderr for an invalid pattern', async () => {
    const result = await runCli(['test-pattern', '--pattern', '{"source":"aws.ec2"}', '--event', event]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/source/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 when an argument is not JSON', async () => {
    const result = await runCli(['test-pattern', '--pattern', '{nope', '--event', event]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--pattern: not valid JSON/);
  });
});

describe('trailwarden evaluate', () => {
  it('prints the findings of one event without storing anything', async () => {
    const result = await runCli(['evaluate', SSH_OPEN]);
    expect(result.code).toBe(0);
    const { findings } = JSON.parse(result.stdout) as { findings: Array<Record<string, unknown>> };
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0]).toMatchObject({
      controlId: 'network.security-group-open-to-internet',
      area: 'network',
      severity: expect.stringMatching(/HIGH|CRITICAL/),
      resourceId: expect.stringMatching(/^sg-/),
      title: expect.any(String),
    });
  });

  it('reads the event from stdin', async () => {
    const result = await runCli(['evaluate', '-'], { stdin: readFileSync(SSH_COMPLIANT, 'utf8') });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ findings: [] });
  });

  it('with --jsonl prints exactly one JSON line per input line, errors included', async () => {
    const one = (file: string) => JSON.stringify(JSON.parse(readFileSync(file, 'utf8')));
    const input = join(dir, 'events.jsonl');
    writeFileSync(input, [one(SSH_OPEN), '{broken', one(SSH_COMPLIANT), '42', ''].join('\n'));
    const result = await runCli(['evaluate', '--jsonl', input]);
    expect(result.code).toBe(0);
    const out = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(out.map((o) => o.line)).toEqual([1, 2, 3, 4]);
    expect((out[0]!.findings as unknown[]).length).toBeGreaterThan(0);
    expect(out[1]).toEqual({ line: 2, error: expect.stringMatching(/malformed JSON/) });
    expect(out[2]).toEqual({ line: 3, findings: [] });
    expect(out[3]).toEqual({ line: 4, error: expect.stringMatching(/object/) });
  });
});

describe('trailwarden replay, findings, controls', () => {
  it('replays into the database given by TRAILWARDEN_DB and prints the summary as JSON', async () => {
    const db = join(dir, 'env.db');
    const result = await runCli(['replay', EVENTS, '--json'], { env: { TRAILWARDEN_DB: db } });
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ events: expect.any(Number), rejected: 0, opened: expect.any(Number), resolved: expect.any(Number) });
    expect(Object.keys(summary.byArea as object).sort()).toEqual([...AREAS].sort());
    expect(Object.keys(summary.bySeverity as object)).toContain('CRITICAL');

    const listed = await runCli(['findings', '--area', 'network', '--status', 'open', '--format', 'json'], { env: { TRAILWARDEN_DB: db } });
    expect(listed.code).toBe(0);
    const findings = JSON.parse(listed.stdout) as Array<{ area: string; status: string }>;
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.area === 'network' && f.status === 'open')).toBe(true);

    const table = await runCli(['findings', '--db', db, '--severity', 'critical']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^SEVERITY\s+AREA\s+STATUS\s+CONTROL/);
    expect(
      table.stdout
        .split('\n')
        .slice(2)
        .filter(Boolean)
        .every((line) => line.startsWith('CRITICAL')),
    ).toBe(true);
  });

  it('refuses unknown filter values with the flag and the allowed values', async () => {
    const result = await runCli(['findings', '--db', join(dir, 'x.db'), '--area', "network' OR 1=1 --"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--area .*expected one of image, host, network, data, iam, runtime, audit/);
  });

  it('reports each rejected event with file and line, exits 0, and exits 1 with --strict', async () => {
    const input = join(dir, 'mixed.jsonl');
    writeFileSync(input, `${JSON.stringify(JSON.parse(readFileSync(SSH_OPEN, 'utf8')))}\nnot json\n`);
    const lenient = await runCli(['replay', input, '--db', join(dir, 'a.db')]);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toContain(`rejected ${input}:2`);
    expect(lenient.stdout).toMatch(/1 events read, 1 rejected/);
    const strict = await runCli(['replay', input, '--db', join(dir, 'b.db'), '--strict']);
    expect(strict.code).toBe(1);
  });

  it('exits 2 when replay is given history flags without a trail bucket or --lookup-events, before reading anything', async () => {
    const db = join(dir, 'history-flags.db');
    const result = await runCli(['replay', resolve(__dirname, '../../events/network'), '--since', '7d', '--db', db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--since: only for s3:\/\/ inputs and --lookup-events/);
    expect(readdirSync(dir)).not.toContain('history-flags.db');
  });

  it('exits non-zero when nothing could be read', async () => {
    const result = await runCli(['replay', join(dir, 'missing.json'), '--db', join(dir, 'c.db')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot read .*missing\.json/);
  });

  it('refuses an unknown notification sink', async () => {
    const result = await runCli(['replay', EVENTS, '--db', join(dir, 'd.db'), '--notify', 'carrier-pigeon']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown sink/);
  });

  it('lists every control with its metadata as JSON', async () => {
    const result = await runCli(['controls', '--format', 'json']);
    const controls = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    for (const area of AREAS) expect(controls.filter((c) => c.area === area).length).toBeGreaterThanOrEqual(3);
    const shape = { id: 'string', severity: 'string', rationale: 'string', runbook: 'array', frameworks: 'array', patterns: 'array' };
    for (const control of controls) {
      const kinds = Object.fromEntries(Object.keys(shape).map((key) => [key, Array.isArray(control[key]) ? 'array' : typeof control[key]]));
      expect(kinds).toEqual(shape);
    }
  });
});
