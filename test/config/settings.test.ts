/** The settings file: validated completely before anything starts, and honoured by the controls. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadSettingsFile, SettingsError } from '../../shared/adapters/config/load-settings';
import { DEFAULT_SETTINGS } from '../../shared/core/settings/settings';
import { ALL_CONTROLS } from '../../shared/core/controls';
import { runCli } from '../support/cli';

const KNOWN = new Set(ALL_CONTROLS.map((c) => c.id));
const EVENTS = resolve(__dirname, '../../events');
const SG_DIR = join(EVENTS, 'network/security-group-open-to-internet');
const SSH_OPEN = join(SG_DIR, readdirSync(SG_DIR).find((name) => name.includes('violating'))!);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function issuesOf(file: string): SettingsError['issues'] {
  try {
    loadSettingsFile(file, KNOWN);
  } catch (error) {
    if (error instanceof SettingsError) return error.issues;
    throw error;
  }
  throw new Error('expected the settings to be refused');
}

describe('loading settings', () => {
  it('reads YAML and JSON, keeping defaults for what the file does not set', () => {
    const yaml = write('s.yml', "trustedAccounts:\n  - '444455556666'\nminLogRetentionDays: 90\n");
    expect(loadSettingsFile(yaml, KNOWN)).toEqual({ ...DEFAULT_SETTINGS, trustedAccounts: ['444455556666'], minLogRetentionDays: 90 });
    const json = write('s.json', JSON.stringify({ sensitivePorts: [22], disabledControls: ['network.security-group-open-to-internet'] }));
    expect(loadSettingsFile(json, KNOWN)).toMatchObject({
      sensitivePorts: [22],
      disabledControls: ['network.security-group-open-to-internet'],
    });
  });

  it.each([
    ['an unknown key', 'sensitivePort: [22]\n', 'sensitivePort', 1, /unknown setting/],
    ['a port that is not a number', 'sensitivePorts:\n  - 22\n  - ssh\n', 'sensitivePorts[1]', 3, /port number/],
    [
      'an account id written as a number',
      'trustedAccounts:\n  - 444455556666\n',
      'trustedAccounts[0]',
      2,
      /12-digit AWS account id as a string/,
    ],
    ['a malformed CIDR', "allowedCidrs: ['10.0.0.0/33']\n", 'allowedCidrs[0]', 1, /CIDR/],
    ['a list where a number belongs', 'minLogRetentionDays: [30]\n', 'minLogRetentionDays', 1, /whole number of days/],
    [
      'an unknown severity',
      'severityOverrides:\n  network.security-group-open-to-internet: URGENT\n',
      'severityOverrides.network.security-group-open-to-internet',
      2,
      /one of INFORMATIONAL/,
    ],
    ['an unknown control', 'disabledControls:\n  - network.nope\n', 'disabledControls[0]', 2, /id of a control/],
    [
      'an unknown notification threshold',
      'notifyMinSeverity: loud\n',
      'notifyMinSeverity',
      1,
      /one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL/,
    ],
    ['a mapping where a list belongs', 'approvedRegistries:\n  a: b\n', 'approvedRegistries', 2, /expected a list/],
  ])('refuses %s, naming the key path and line', (_what, text, path, line, message) => {
    const issues = issuesOf(write('bad.yml', text));
    expect(issues).toEqual([expect.objectContaining({ path, line, message: expect.stringMatching(message) })]);
  });

  it('reports every problem of a file at once', () => {
    const issues = issuesOf(write('bad.yml', 'sensitivePorts: [70000]\nbogus: 1\nminLogRetentionDays: 0\n'));
    expect(issues.map((i) => i.path)).toEqual(['sensitivePorts[0]', 'bogus', 'minLogRetentionDays']);
  });

  it('refuses YAML that does not parse, with its line', () => {
    const issues = issuesOf(write('bad.yml', 'sensitivePorts:\n  - 22\n - 23\n'));
    expect(issues[0]).toMatchObject({ path: '(syntax)', line: expect.any(Number) });
  });

  it('refuses a file that is not a mapping, and a missing file', () => {
    expect(issuesOf(write('list.yml', '- 1\n- 2\n'))[0]).toMatchObject({ path: '(root)', message: expect.stringMatching(/mapping/) });
    expect(issuesOf(join(dir, 'missing.yml'))[0]).toMatchObject({ message: expect.stringMatching(/ENOENT/) });
  });
});

describe('settings in the CLI', () => {
  it('fails fast with exit 2 and the key path, before touching the database', async () => {
    const config = write('bad.yml', 'sensitivePorts: [ssh]\n');
    const db = join(dir, 'never.db');
    const result = await runCli(['replay', SSH_OPEN, '--db', db, '--config', config]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${config}:1: sensitivePorts[0]: expected a port number`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir)).not.toContain('never.db');
  });

  it('honours disabled controls, severity overrides and allowed CIDRs (from TRAILWARDEN_CONFIG too)', async () => {
    const controlId = 'network.security-group-open-to-internet';
    const base = await runCli(['evaluate', SSH_OPEN]);
    const baseFindings = (JSON.parse(base.stdout) as { findings: Array<{ controlId: string; severity: string }> }).findings.filter(
      (f) => f.controlId === controlId,
    );
    expect(baseFindings.length).toBeGreaterThan(0);

    const disabled = write('disabled.yml', `disabledControls: [${controlId}]\n`);
    const off = await runCli(['evaluate', SSH_OPEN, '--config', disabled]);
    expect(
      (JSON.parse(off.stdout) as { findings: Array<{ controlId: string }> }).findings.filter((f) => f.controlId === controlId),
    ).toEqual([]);

    const lowered = write('lowered.yml', `severityOverrides:\n  ${controlId}: LOW\n`);
    const low = await runCli(['evaluate', SSH_OPEN], { env: { TRAILWARDEN_CONFIG: lowered } });
    const lowFindings = (JSON.parse(low.stdout) as { findings: Array<{ controlId: string; severity: string }> }).findings.filter(
      (f) => f.controlId === controlId,
    );
    expect(lowFindings.map((f) => f.severity)).toEqual(baseFindings.map(() => 'LOW'));

    const allowed = write('allowed.yml', "allowedCidrs: ['0.0.0.0/0', '::/0']\n");
    const none = await runCli(['evaluate', SSH_OPEN, '--config', allowed]);
    expect(
      (JSON.parse(none.stdout) as { findings: Array<{ controlId: string }> }).findings.filter((f) => f.controlId === controlId),
    ).toEqual([]);
  });
});

describe('the README settings example', () => {
  it('is a valid settings file', () => {
    const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
    const example = /### Settings[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    expect(loadSettingsFile(write('readme.yml', example!), KNOWN)).toMatchObject({
      minLogRetentionDays: 365,
      disabledControls: ['host.serial-console-enabled'],
    });
  });
});
