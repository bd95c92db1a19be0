/** settings.detectionWindows: validated against the windows stateful controls declare, and honoured by the engine. */
import { readEvents } from '../../shared/adapters/intake';
import { memoryStorage } from '../../shared/adapters/store/memory';
import { replay } from '../../shared/app/pipeline/replay';
import { ALL_CONTROLS } from '../../shared/core/controls';
import { detectionWindowsOf } from '../../shared/core/detections/signal';
import { pathText, validateSettings } from '../../shared/core/settings/validate-settings';
import { testApplication } from '../support/application';
import { sequencesOf } from '../support/samples';

const KNOWN = new Set(ALL_CONTROLS.map((control) => control.id));
const WINDOWS = detectionWindowsOf(ALL_CONTROLS);
const issuesOf = (raw: unknown) => validateSettings(raw, KNOWN, WINDOWS).issues.map((i) => `${pathText(i.path)}: ${i.message}`);

describe('detectionWindows', () => {
  it('accepts minutes and thresholds of declared windows', () => {
    const raw = { detectionWindows: { 'iam.console-login-failed': { failuresPerUser: { minutes: 30, threshold: 3 } } } };
    expect(validateSettings(raw, KNOWN, WINDOWS).settings?.detectionWindows).toEqual(raw.detectionWindows);
  });

  it.each([
    [
      { 'network.security-group-open-to-internet': {} },
      'detectionWindows.network.security-group-open-to-internet: not the id of a stateful control',
    ],
    [
      { 'iam.console-login-failed': { perUser: { minutes: 5 } } },
      'detectionWindows.iam.console-login-failed.perUser: not a window of this control (known: failuresPerUser)',
    ],
    [
      { 'iam.console-login-failed': { failuresPerUser: { threshold: 0 } } },
      'threshold: expected a whole number from 1 to 100, got number 0',
    ],
    [
      { 'iam.console-login-failed': { failuresPerUser: { minutes: 'ten' } } },
      'minutes: expected a whole number from 1 to 129600, got "ten"',
    ],
    [{ 'iam.console-login-failed': { failuresPerUser: { hours: 1 } } }, 'hours: unknown setting (known: minutes, threshold)'],
  ])('refuses %j', (windows, message) => {
    expect(issuesOf({ detectionWindows: windows }).join('\n')).toContain(message);
  });

  it('lowers a threshold: three failed sign-ins of one user become a burst', async () => {
    const sequence = sequencesOf(ALL_CONTROLS.find((control) => control.id === 'iam.console-login-failed')!).find((s) =>
      s.name.includes('burst-on-one-user'),
    )!;
    const firstThree = sequence.files.slice(0, 3);
    const countAfter = async (settings: object) => {
      const storage = memoryStorage();
      const app = testApplication({ storage, notifier: 'discard', now: () => new Date('2026-01-01T00:00:00Z'), settings });
      await replay(readEvents(firstThree), app.pipeline());
      return (await storage.findings.listFindings({ controlId: 'iam.console-login-failed' })).map((f) => [f.severity, f.count]);
    };
    expect(await countAfter({})).toEqual([]);
    expect(await countAfter({ detectionWindows: { 'iam.console-login-failed': { failuresPerUser: { threshold: 3 } } } })).toEqual([
      ['MEDIUM', 1],
    ]);
  });
});
