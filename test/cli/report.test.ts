/** `trailwarden report` end to end: the bundled samples replayed into a temporary SQLite database. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../support/cli';
import { parseCsv } from '../export/fixtures';

const EVENTS = resolve(__dirname, '../../events');
let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-report-'));
  db = join(dir, 'findings.db');
  const replay = await runCli(['replay', EVENTS, '--db', db, '--json']);
  expect(replay.code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('trailwarden report', () => {
  it('prints a Markdown report by default, requirements in natural order', async () => {
    const result = await runCli(['report', '--framework', 'cis-aws', '--db', db]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('# CIS Amazon Web Services Foundations Benchmark v3.0.0: compliance report');
    const requirements = result.stdout
      .split('## Requirements')[1]!
      .split('## Open')[0]!
      .split('\n')
      .filter((line) => /^\| \d/.test(line))
      .map((line) => line.split(' | ')[0]!.slice(2));
    expect(requirements.length).toBeGreaterThan(5);
    expect(requirements.indexOf('1.9')).toBeLessThan(requirements.indexOf('1.10'));
    expect(result.stdout).toMatch(/\| FAILING \|/);
  });

  it('writes a self-contained HTML page to --output', async () => {
    const output = join(dir, 'pci.html');
    const result = await runCli(['report', '--framework', 'pci-dss-4.0', '--db', db, '--format', 'html', '--output', output]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/PCI DSS v4\.0: \d+ failing, \d+ passing, \d+ not evaluated; written to /);
    const html = readFileSync(output, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<svg ');
    expect(html).not.toMatch(/<script|<link|https?:\/\//i);
  });

  it('prints CSV with one row per requirement, and honours disabled controls from the settings', async () => {
    const config = join(dir, 'settings.json');
    writeFileSync(config, JSON.stringify({ disabledControls: ['data.rds-log-file-downloaded'] }));
    const result = await runCli(['report', '--framework', 'pci-dss-4.0', '--db', db, '--format', 'csv', '--config', config]);
    expect(result.code).toBe(0);
    const rows = parseCsv(result.stdout);
    expect(rows[0]!.slice(0, 3)).toEqual(['framework', 'requirement', 'verdict']);
    const row = rows.find((r) => r[1] === '10.3.1')!;
    expect(row[8]).toBe('data.rds-log-file-downloaded');
    for (const r of rows.slice(1)) expect(['failing', 'passing', 'not-evaluated']).toContain(r[2]);
  });

  it('exits 2 naming --framework when it is missing or unknown', async () => {
    const missing = await runCli(['report', '--db', db]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--framework is required: one of cis-aws, fsbp, pci-dss-4\.0, hipaa, nist-800-53-r5, gdpr/);
    const unknown = await runCli(['report', '--framework', 'sox', '--db', db]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--framework sox: expected one of cis-aws, fsbp/);
    expect(unknown.stdout).toBe('');
  });

  it('exits 2 naming --format when the format is unknown', async () => {
    const result = await runCli(['report', '--framework', 'hipaa', '--db', db, '--format', 'pdf']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--format pdf: expected one of markdown, html, csv, json/);
  });
});
