/**
 * The command line as a newcomer meets it: help on every command, the version, suggestions for typos,
 * exit codes, tables that fit the terminal (most severe first, coloured only where colours belong), and
 * where the first run leads.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../support/cli';
import { bundleCli, runCliProcess } from '../support/cli-process';
import { COMMANDS } from '../../shared/shells/cli/main';
import { coloursEnabled } from '../../shared/shells/cli/style';
import { DB_OPTION } from '../../shared/shells/cli/shared-options';
import { renderTable, shortenMiddle } from '../../shared/shells/cli/table';
import { SEVERITIES } from '../../shared/core/model/severity';

const ROOT = resolve(__dirname, '../..');
const EVENTS = join(ROOT, 'events');
const COMPLIANT_DIR = join(EVENTS, 'network/security-group-open-to-internet');
const COMPLIANT = readdirSync(COMPLIANT_DIR)
  .filter((name) => name.includes('compliant'))
  .map((name) => join(COMPLIANT_DIR, name));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const ANSI = /\u001b\[[0-9;]*m/;

let dir: string;
/** The bundled samples replayed once, for the read-only tests. */
let db: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-command-line-'));
  db = join(dir, 'samples.db');
  expect((await runCli(['replay', EVENTS, '--db', db])).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The data rows of a findings table (after its header and rule). */
const rowsOf = (table: string) => table.split('\n').slice(2).filter(Boolean);

describe('help and version', () => {
  it.each(COMMANDS.map((command) => command.name))(
    '%s --help: exit 0, its options, environment variables and 2 or 3 examples',
    async (name) => {
      const result = await runCli([name, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: trailwarden ${name} `));
      const spec = COMMANDS.find((command) => command.name === name)!;
      for (const option of Object.keys(spec.options)) expect(result.stdout).toContain(`--${option}`);
      expect(result.stdout).toMatch(/\nEnvironment:\n {2}\S/);
      expect(result.stdout).toContain('TRAILWARDEN_DEBUG');
      const examples = result.stdout.split('\n').filter((line) => line.startsWith(`  trailwarden ${name}`));
      expect(examples.length).toBeGreaterThanOrEqual(2);
      expect(examples.length).toBeLessThanOrEqual(3);
    },
  );

  it('commands that read the database name TRAILWARDEN_DB and the shared --db option the same way', async () => {
    const withDb = COMMANDS.filter((command) => 'db' in command.options).map((command) => command.name);
    expect(withDb.sort()).toEqual(['digest', 'findings', 'replay', 'report', 'serve', 'snooze']);
    for (const name of withDb) {
      expect(COMMANDS.find((command) => command.name === name)!.options.db).toBe(DB_OPTION.db);
      const help = (await runCli([name, '--help'])).stdout.replace(/\s+/g, ' ');
      expect(help).toContain(`--db <FILE> ${DB_OPTION.db.description}`);
      expect(help).toContain('TRAILWARDEN_DB');
    }
  });

  it('trailwarden --help lists every command and the exit codes; help COMMAND is the command help', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of COMMANDS) expect(result.stdout).toMatch(new RegExp(`\\n {2}${command.name} `));
    expect(result.stdout).toMatch(/Exit codes:\n {3}0 {2}done\n {3}1 .*\n {3}2 .*usage.*\n {3}3 .*--fail-on.*\n {2}75 /);
    const help = await runCli(['help', 'findings']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: trailwarden findings /);
  });

  it('--version prints the version of package.json', async () => {
    for (const flag of ['--version', '-v']) expect(await runCli([flag])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('no command: the overview on stderr, exit 2', async () => {
    const result = await runCli([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^Usage: trailwarden <command>/);
  });
});

describe('mistakes', () => {
  it('a mistyped command: exit 2 and the command meant', async () => {
    const result = await runCli(['replya', 'events']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("unknown command 'replya'");
    expect(result.stderr).toContain('Did you mean replay?');
  });

  it('a mistyped option: exit 2 and the option meant, before anything runs', async () => {
    const result = await runCli(['findings', '--db', join(dir, 'never.db'), '--min-severty', 'HIGH']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--min-severty'");
    expect(result.stderr).toContain('Did you mean --min-severity?');
    expect(readdirSync(dir)).not.toContain('never.db');
  });

  it('an option without its value, or an argument too many: exit 2', async () => {
    expect((await runCli(['findings', '--db'])).code).toBe(2);
    expect((await runCli(['findings', 'extra', '--db', db])).code).toBe(2);
  });
});

describe('--fail-on, a CI gate', () => {
  it('replay exits 3 on the bundled samples with --fail-on HIGH, naming the count on stderr', async () => {
    const result = await runCli(['replay', EVENTS, '--db', ':memory:', '--fail-on', 'HIGH', '--json']);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toMatchObject({ opened: expect.any(Number) });
    expect(result.stderr).toMatch(/replay: \d+ findings at or above HIGH opened.*--fail-on HIGH/);
  });

  it('replay exits 0 on compliant events with --fail-on HIGH (and on LOW)', async () => {
    expect(COMPLIANT.length).toBeGreaterThan(0);
    for (const level of ['HIGH', 'low']) {
      const result = await runCli(['replay', ...COMPLIANT, '--db', ':memory:', '--fail-on', level]);
      expect(result.code).toBe(0);
    }
  });

  it('replay gates on what this run opened: a second replay of the same events opens nothing and exits 0', async () => {
    const gated = join(dir, 'gated.db');
    expect((await runCli(['replay', EVENTS, '--db', gated, '--fail-on', 'CRITICAL'])).code).toBe(3);
    expect((await runCli(['replay', EVENTS, '--db', gated, '--fail-on', 'CRITICAL'])).code).toBe(0);
  });

  it('evaluate exits 3 when a finding at or above the severity is found, 0 otherwise, with and without --jsonl', async () => {
    const violating = join(COMPLIANT_DIR, readdirSync(COMPLIANT_DIR).find((name) => name.includes('violating'))!);
    expect((await runCli(['evaluate', violating, '--fail-on', 'HIGH'])).code).toBe(3);
    expect((await runCli(['evaluate', violating])).code).toBe(0);
    expect((await runCli(['evaluate', ...COMPLIANT, '--fail-on', 'LOW'])).code).toBe(0);
    const line = JSON.stringify(JSON.parse(readFileSync(violating, 'utf8')));
    const jsonl = await runCli(['evaluate', '--jsonl', '-', '--fail-on', 'MEDIUM'], { stdin: `${line}\n` });
    expect(jsonl.code).toBe(3);
    expect(jsonl.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('an unknown severity is a usage error (exit 2) before anything is read', async () => {
    const result = await runCli(['replay', EVENTS, '--db', join(dir, 'never.db'), '--fail-on', 'SEVERE']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--fail-on SEVERE: expected one of ${SEVERITIES.join(', ')}`);
    expect(readdirSync(dir)).not.toContain('never.db');
  });
});

describe('tables for people', () => {
  it('with COLUMNS=120, findings prints no line longer than 120 characters, the most severe first', async () => {
    const result = await runCli(['findings', '--db', db], { env: { COLUMNS: '120' } });
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(Math.max(...lines.map((line) => Array.from(line).length))).toBeLessThanOrEqual(120);
    const rows = rowsOf(result.stdout);
    const json = JSON.parse((await runCli(['findings', '--db', db, '--format', 'json'])).stdout) as Array<{
      severity: string;
      resourceId: string;
    }>;
    const highest = [...SEVERITIES].reverse().find((severity) => json.some((finding) => finding.severity === severity))!;
    expect(rows[0]).toMatch(new RegExp(`^${highest}\\s`));
    // Long resource ids are shortened in the middle in the table, and whole in the exports.
    const longest = json.map((finding) => finding.resourceId).sort((a, b) => b.length - a.length)[0]!;
    expect(longest.length).toBeGreaterThan(40);
    expect(result.stdout).not.toContain(longest);
    expect(rows.some((row) => row.includes(longest.slice(0, 6)) && row.includes('…'))).toBe(true);
    const csv = (await runCli(['findings', '--db', db, '--format', 'csv'], { env: { COLUMNS: '120' } })).stdout;
    expect(csv).toContain(longest);
  });

  it('orders by severity, then most recent activity', async () => {
    const rows = rowsOf((await runCli(['findings', '--db', db])).stdout);
    const severities = rows.map((row) => row.split(/\s+/)[0]!);
    const ranks = severities.map((severity) => SEVERITIES.indexOf(severity as (typeof SEVERITIES)[number]));
    expect(ranks.every((rank) => rank >= 0)).toBe(true);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(new Set(severities).size).toBeGreaterThan(1);
    // Within one severity, the last seen times (the last column) never go up.
    const critical = rows.filter((row) => row.startsWith('CRITICAL')).map((row) => row.trim().split(/\s+/).at(-1)!);
    expect(critical.length).toBeGreaterThan(1);
    expect(critical).toEqual([...critical].sort().reverse());
  });

  it('fits narrower terminals by leaving columns out, never cutting a line past the width', async () => {
    for (const columns of ['80', '100', '160']) {
      const result = await runCli(['findings', '--db', db, '--status', 'open'], { env: { COLUMNS: columns } });
      const widest = Math.max(
        ...result.stdout
          .trimEnd()
          .split('\n')
          .map((line) => Array.from(line).length),
      );
      expect(widest).toBeLessThanOrEqual(Number(columns));
      expect(result.stdout.split('\n')[0]).toMatch(/^SEVERITY\s+.*CONTROL\s+RESOURCE/);
    }
  });

  it('colours severities only when asked for or on a terminal, never with NO_COLOR', async () => {
    const plain = await runCli(['findings', '--db', db]);
    expect(plain.stdout).not.toMatch(ANSI);
    const forced = await runCli(['findings', '--db', db], { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(ANSI);
    expect(rowsOf(forced.stdout)[0]).toMatch(/^\u001b\[1m\u001b\[31mCRITICAL/);
    const refused = await runCli(['findings', '--db', db], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(refused.stdout).not.toMatch(ANSI);
    // Exports are never coloured.
    expect((await runCli(['findings', '--db', db, '--format', 'csv'], { env: { FORCE_COLOR: '1' } })).stdout).not.toMatch(ANSI);

    expect(coloursEnabled({ outIsTerminal: true, env: {} })).toBe(true);
    expect(coloursEnabled({ outIsTerminal: false, env: {} })).toBe(false);
    expect(coloursEnabled({ outIsTerminal: true, env: { NO_COLOR: '1' } })).toBe(false);
    expect(coloursEnabled({ outIsTerminal: true, env: { NO_COLOR: '' } })).toBe(true);
    expect(coloursEnabled({ outIsTerminal: true, env: { FORCE_COLOR: '0' } })).toBe(false);
    expect(coloursEnabled({ outIsTerminal: true, env: { TERM: 'dumb' } })).toBe(false);
  });

  it('shortens in the middle, keeping the start and the end', () => {
    const arn = 'arn:aws:iam::111122223333:role/service-role/very-long-deployment-role-name';
    const short = shortenMiddle(arn, 30);
    expect(Array.from(short)).toHaveLength(30);
    expect(short.startsWith(arn.slice(0, 14))).toBe(true);
    expect(short.endsWith(arn.slice(-15))).toBe(true);
    expect(short).toContain('…');
    expect(shortenMiddle('short', 30)).toBe('short');
    const table = renderTable(['ID', 'ARN'], [['1', arn]], { width: 20 });
    expect(Math.max(...table.split('\n').map((line) => Array.from(line).length))).toBeLessThanOrEqual(20);
    expect(table).toContain('…');
  });
});

describe('a first run that leads somewhere', () => {
  it('npm start (its script, on a fresh database) ends with the next steps', async () => {
    const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    const [node, bin, ...args] = start.split(' ');
    expect([node, bin]).toEqual(['node', 'bin/trailwarden.js']);
    const result = await runCli([...args.map((arg) => (arg === 'events' ? EVENTS : arg)), '--db', join(dir, 'npm-start.db')]);
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n').at(-4)).toBe('Next steps:');
    expect(result.stdout).toContain('First step: ');
  });

  it('the installed command answers --version and a typo with its exit codes, as a process', async () => {
    const script = await bundleCli();
    expect(await runCliProcess(script, ['--version'])).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    const typo = await runCliProcess(script, ['replya']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('Did you mean replay?');
    const gated = await runCliProcess(script, ['replay', EVENTS, '--db', ':memory:', '--fail-on', 'HIGH']);
    expect(gated.code).toBe(3);
  }, 60_000);

  it('replay --show-findings ends with the three most severe open findings, their first runbook step, and the next steps', async () => {
    const result = await runCli(['replay', EVENTS, '--db', join(dir, 'first-run.db'), '--show-findings'], { env: { COLUMNS: '120' } });
    expect(result.code).toBe(0);
    expect(
      Math.max(
        ...result.stdout
          .trimEnd()
          .split('\n')
          .map((line) => Array.from(line).length),
      ),
    ).toBeLessThanOrEqual(120);
    const controls = JSON.parse((await runCli(['controls', '--format', 'json'])).stdout) as Array<{ id: string; runbook: string[] }>;
    const tail = result.stdout.slice(result.stdout.indexOf('The 3 most severe open findings:'));
    expect(tail).not.toBe(result.stdout);
    const shown = [...tail.matchAll(/^(\d)\. (CRITICAL|HIGH) (\S+) on /gm)].map((match) => match[3]!);
    expect(shown).toHaveLength(3);
    for (const id of shown) {
      const firstStep = controls.find((control) => control.id === id)!.runbook[0]!;
      expect(tail.replace(/\n {3}/g, ' ')).toContain(`First step: ${firstStep}`);
    }
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.slice(-4).map((line) => line.trim().split(/\s{2,}/)[0])).toEqual([
      'Next steps:',
      expect.stringMatching(/trailwarden serve --db \S+first-run\.db$/),
      expect.stringMatching(/trailwarden report --framework cis-aws --db /),
      expect.stringMatching(/trailwarden findings --min-severity HIGH --db /),
    ]);
  });
});
