/** `trailwarden findings --format csv|ocsf|asff` over the bundled samples replayed into a temporary SQLite database. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../support/cli';
import { parseCsv } from '../export/fixtures';

const EVENTS = resolve(__dirname, '../../events');
let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-export-'));
  db = join(dir, 'findings.db');
  const replay = await runCli(['replay', EVENTS, '--db', db, '--json']);
  expect(replay.code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('trailwarden findings --format', () => {
  it('csv: RFC 4180 with CRLF, one row per finding the filters select', async () => {
    const json = await runCli(['findings', '--db', db, '--area', 'network', '--format', 'json']);
    const expected = JSON.parse(json.stdout) as Array<{ id: string }>;
    expect(expected.length).toBeGreaterThan(0);
    const result = await runCli(['findings', '--db', db, '--area', 'network', '--format', 'csv']);
    expect(result.code).toBe(0);
    expect(result.stdout.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(result.stdout);
    expect(rows[0]![0]).toBe('id');
    expect(rows.slice(1).map((r) => r[0])).toEqual(expected.map((f) => f.id));
    expect(rows.slice(1).every((r) => r[2] === 'network')).toBe(true);
  });

  it('ocsf: Compliance Findings (class 2003) for every finding', async () => {
    const result = await runCli(['findings', '--db', db, '--status', 'open', '--format', 'ocsf']);
    expect(result.code).toBe(0);
    const events = JSON.parse(result.stdout) as Array<{ type_uid: number; activity_id: number; compliance: { standards: string[] } }>;
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      expect(event).toMatchObject({ class_uid: 2003, category_uid: 2, status_id: 1, metadata: { version: '1.1.0' } });
      expect(event.type_uid).toBe(200300 + event.activity_id);
      expect(event.compliance.standards.length).toBeGreaterThan(0);
    }
  });

  it('asff: Security Hub findings with the default product ARN of each account', async () => {
    const result = await runCli(['findings', '--db', db, '--min-severity', 'high', '--format', 'asff']);
    expect(result.code).toBe(0);
    const findings = JSON.parse(result.stdout) as Array<{
      SchemaVersion: string;
      ProductArn: string;
      Region: string;
      AwsAccountId: string;
      Severity: { Label: string };
      Title: string;
      Description: string;
    }>;
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.SchemaVersion).toBe('2018-10-08');
      expect(f.ProductArn).toBe(`arn:aws:securityhub:${f.Region}:${f.AwsAccountId}:product/${f.AwsAccountId}/default`);
      expect(['HIGH', 'CRITICAL']).toContain(f.Severity.Label);
      expect(f.Title.length).toBeLessThanOrEqual(256);
      expect(f.Description.length).toBeLessThanOrEqual(1024);
    }
  });

  it('never prints a secret: exports hold the masked evidence only', async () => {
    for (const format of ['json', 'csv', 'ocsf', 'asff']) {
      const result = await runCli(['findings', '--db', db, '--format', format]);
      expect(result.stdout).not.toMatch(/AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|wJalrXUtnFEMI/);
    }
  });

  it('refuses an unknown format with exit 2, naming the flag and the formats', async () => {
    const result = await runCli(['findings', '--db', db, '--format', 'xml']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/--format xml: expected one of table, csv, json, ocsf, asff/);
  });
});
