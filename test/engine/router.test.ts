/** The router tests an event only against the controls whose patterns can select it. */
import { ControlRouter } from '../../shared/core/evaluation/router';
import { ALL_CONTROLS } from '../../shared/core/controls';
import type { EventBridgeEvent } from '../../shared/core/model/event';
import type { Control } from '../../shared/core/model/control';

function cloudTrailEvent(source: string, eventName: string): EventBridgeEvent {
  return {
    version: '0',
    id: 'e',
    'detail-type': 'AWS API Call via CloudTrail',
    source,
    account: '111122223333',
    time: '2026-03-01T10:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: { eventSource: `${source.slice(4)}.amazonaws.com`, eventName, eventTime: '2026-03-01T10:00:00Z' },
  };
}

const names = (control: Control) =>
  [...control.patterns, ...(control.resolution?.patterns ?? [])].flatMap((p) => {
    const detail = (p.detail ?? {}) as { eventName?: unknown };
    return Array.isArray(detail.eventName) ? detail.eventName : [];
  });

describe('ControlRouter', () => {
  const router = new ControlRouter(ALL_CONTROLS);

  it('offers an API call only to controls naming its eventName or selecting its whole source', () => {
    const candidates = router.candidates(cloudTrailEvent('aws.cloudtrail', 'StopLogging'));
    expect(candidates.length).toBeGreaterThan(0);
    expect(candidates.length).toBeLessThan(ALL_CONTROLS.length);
    for (const { control } of candidates) {
      const selectsWholeSource = [...control.patterns, ...(control.resolution?.patterns ?? [])].some(
        (p) => !Array.isArray((p.detail as { eventName?: unknown } | undefined)?.eventName),
      );
      expect(names(control).includes('StopLogging') || selectsWholeSource).toBe(true);
    }
  });

  it('offers an unknown service only the controls whose patterns name no source, and routes nothing', () => {
    const event = cloudTrailEvent('aws.nosuchservice', 'DoThing');
    for (const { control } of router.candidates(event)) {
      expect([...control.patterns, ...(control.resolution?.patterns ?? [])].some((p) => !Array.isArray(p.source))).toBe(true);
    }
    expect(router.candidates(event).length).toBeLessThan(3);
    expect(router.route(event)).toEqual([]);
  });

  it('routes each matching control once, marking whether it triggers, resolves, or both', () => {
    const routed = router.route(cloudTrailEvent('aws.cloudtrail', 'StartLogging'));
    const stopped = routed.find((r) => r.control.id === 'audit.cloudtrail-logging-stopped');
    expect(stopped).toMatchObject({ triggers: false, resolves: true });
    expect(new Set(routed.map((r) => r.control.id)).size).toBe(routed.length);
  });

  it('routes an API call the same after thousands of other event names (the candidate lists it keeps are bounded)', () => {
    const fresh = new ControlRouter(ALL_CONTROLS);
    const stop = cloudTrailEvent('aws.cloudtrail', 'StopLogging');
    const ids = (event: EventBridgeEvent) => fresh.route(event).map((r) => `${r.control.id}:${r.triggers}:${r.resolves}`);
    const first = ids(stop);
    expect(first).toContain('audit.cloudtrail-logging-stopped:true:false');
    // Names an input could hold (each a list of its own), past the bound of kept lists, then the first again.
    for (let i = 0; i < 5_000; i += 1) fresh.route(cloudTrailEvent('aws.cloudtrail', `Unknown${i}`));
    expect(ids(stop)).toEqual(first);
    // An event without an eventName is not confused with one that has it.
    const nameless = { ...stop, detail: { eventSource: 'cloudtrail.amazonaws.com' } };
    expect(fresh.route(nameless).map((r) => r.control.id)).not.toContain('audit.cloudtrail-logging-stopped');
    expect(ids(stop)).toEqual(first);
  });
});
