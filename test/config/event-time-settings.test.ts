/** The `maxEventAheadMinutes` setting: how far ahead of the clock an event's time may be before intake refuses it. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ALL_CONTROLS } from '../../shared/core/controls';
import { intakeOptionsOf } from '../../shared/core/intake/types';
import { DEFAULT_SETTINGS } from '../../shared/core/settings/settings';
import { MAX_EVENT_AHEAD_MINUTES, pathText, validateSettings } from '../../shared/core/settings/validate-settings';
import { runCli } from '../support/cli';
import { HOUR, testClock } from '../support/clock';

const KNOWN = new Set(ALL_CONTROLS.map((control) => control.id));
const SSH_OPEN = JSON.parse(
  readFileSync(resolve(__dirname, '../../events/network/security-group-open-to-internet/1-violating-ssh-ipv4.json'), 'utf8'),
) as Record<string, unknown>;
const NOW = '2026-03-10T12:00:00Z';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-event-time-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('maxEventAheadMinutes', () => {
  it('defaults to one day, and becomes the intake bound in milliseconds', () => {
    expect(DEFAULT_SETTINGS.maxEventAheadMinutes).toBe(1440);
    const now = testClock(NOW).now;
    expect(intakeOptionsOf({ maxEventAheadMinutes: 30 }, now)).toEqual({ now, maxEventAheadMs: 30 * 60_000 });
  });

  it('accepts a whole number of minutes from 1 to 30 days', () => {
    for (const minutes of [1, 60, MAX_EVENT_AHEAD_MINUTES]) {
      expect(validateSettings({ maxEventAheadMinutes: minutes }, KNOWN).settings?.maxEventAheadMinutes).toBe(minutes);
    }
  });

  it.each([0, -5, 1.5, '60', null, MAX_EVENT_AHEAD_MINUTES + 1])('refuses %p, naming the key', (value) => {
    const { settings, issues } = validateSettings({ maxEventAheadMinutes: value }, KNOWN);
    expect(settings).toBeUndefined();
    expect(issues.map((issue) => `${pathText(issue.path)}: ${issue.message}`)).toEqual([
      expect.stringMatching(/^maxEventAheadMinutes: expected a whole number of minutes from 1 to 43200, got /),
    ]);
  });

  it('is the bound `evaluate` applies: an event an hour ahead passes by default and is refused under 30 minutes', async () => {
    const ahead = new Date(Date.parse(NOW) + HOUR).toISOString();
    const input = join(dir, 'ahead.json');
    writeFileSync(input, JSON.stringify({ ...SSH_OPEN, eventTime: ahead }));
    const config = join(dir, 'settings.yml');
    writeFileSync(config, 'maxEventAheadMinutes: 30\n');
    const now = testClock(NOW).now;

    const lenient = await runCli(['evaluate', input], { now });
    expect(lenient.code).toBe(0);
    expect((JSON.parse(lenient.stdout) as { findings: unknown[] }).findings.length).toBeGreaterThan(0);

    const strict = await runCli(['evaluate', input, '--config', config], { now });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toBe(
      `rejected ${input}:1 eventTime: CloudTrail record key "eventTime" is more than 30 minutes ahead of the clock\n`,
    );
  });

  it('is the bound `replay` applies, against its clock', async () => {
    const ahead = new Date(Date.parse(NOW) + HOUR).toISOString();
    const input = join(dir, 'ahead.json');
    writeFileSync(input, JSON.stringify({ Records: [{ ...SSH_OPEN, eventTime: ahead }] }));
    const config = join(dir, 'settings.yml');
    writeFileSync(config, 'maxEventAheadMinutes: 30\n');
    const now = testClock(NOW).now;

    const lenient = await runCli(['replay', input, '--db', ':memory:', '--json'], { now });
    expect(JSON.parse(lenient.stdout)).toMatchObject({ events: 1, rejected: 0 });

    const strict = await runCli(['replay', input, '--db', ':memory:', '--json', '--config', config], { now });
    expect(JSON.parse(strict.stdout)).toMatchObject({ events: 0, rejected: 1 });
    expect(strict.stderr).toContain('Records[0].eventTime: CloudTrail record key "eventTime" is more than 30 minutes ahead of the clock');
  });
});
