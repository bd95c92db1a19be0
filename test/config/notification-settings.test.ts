/** The notification settings: findingsUrl, notifyBurst and pageMinSeverity, validated with key path and reason. */
import { validateSettings, pathText } from '../../shared/core/settings/validate-settings';
import { DEFAULT_SETTINGS } from '../../shared/core/settings/settings';

const KNOWN = new Set<string>();
const issuesOf = (raw: unknown) => validateSettings(raw, KNOWN).issues.map((i) => `${pathText(i.path)}: ${i.message}`);

describe('notification settings', () => {
  it('default to no link, 5 individual notifications per 15-minute window, and paging from HIGH', () => {
    expect(DEFAULT_SETTINGS.findingsUrl).toBeUndefined();
    expect(DEFAULT_SETTINGS.notifyBurst).toEqual({ individual: 5, windowMinutes: 15 });
    expect(DEFAULT_SETTINGS.pageMinSeverity).toBe('HIGH');
  });

  it('accept valid values, a partial notifyBurst keeping the other default', () => {
    const { settings, issues } = validateSettings(
      { findingsUrl: 'https://trailwarden.example.com/findings', notifyBurst: { individual: 2 }, pageMinSeverity: 'CRITICAL' },
      KNOWN,
    );
    expect(issues).toEqual([]);
    expect(settings).toMatchObject({
      findingsUrl: 'https://trailwarden.example.com/findings',
      notifyBurst: { individual: 2, windowMinutes: 15 },
      pageMinSeverity: 'CRITICAL',
    });
  });

  it.each([
    [{ findingsUrl: 'trailwarden.example.com' }, /^findingsUrl: expected an http\(s\) URL/],
    [{ findingsUrl: 'ftp://x.example.com' }, /^findingsUrl: expected an http\(s\) URL/],
    [{ findingsUrl: 'https://x.example.com/#finding=' }, /^findingsUrl: expected a base URL without query or fragment/],
    [{ findingsUrl: 'https://user:pw@x.example.com' }, /^findingsUrl: expected a URL without credentials/],
    [{ notifyBurst: 5 }, /^notifyBurst: expected a mapping with individual and windowMinutes, got number 5/],
    [{ notifyBurst: { individual: -1 } }, /^notifyBurst\.individual: expected a whole number from 0 to 1000/],
    [{ notifyBurst: { windowMinutes: 0 } }, /^notifyBurst\.windowMinutes: expected a whole number from 1 to 1440/],
    [{ notifyBurst: { window: 5 } }, /^notifyBurst\.window: unknown setting/],
    [{ pageMinSeverity: 'URGENT' }, /^pageMinSeverity: expected one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL/],
  ])('refuse %j naming the key path and why', (raw, message) => {
    const issues = issuesOf(raw);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(message);
  });
});
