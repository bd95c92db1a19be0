/**
 * Storm control end to end: a bad template opens the same control on 1,000 security groups of one
 * account. The on-call gets the first `notifyBurst.individual` one by one and one roll-up per
 * window, across Lambda-like invocations (a Pipeline per event, the store shared), on memory and
 * SQLite; redeliveries send nothing; resolutions of rolled-up findings roll up too.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readEvents } from '../../shared/adapters/intake';
import { memoryStorage } from '../../shared/adapters/store/memory';
import { openSqliteStorage } from '../../shared/adapters/store/sqlite';
import type { Application } from '../../shared/app/compose';
import { CachedExemptions } from '../../shared/app/exemptions/active-exemptions';
import { flushAllRollups, flushRollups } from '../../shared/app/jobs/rollups';
import { replay } from '../../shared/app/pipeline/replay';
import { Pipeline } from '../../shared/app/pipeline/pipeline';
import type { Storage } from '../../shared/app/storage';
import { MAX_SUBJECT_LENGTH, textOf, jsonOf } from '../../shared/core/notifications/notification';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/core/settings/settings';
import type { EventBridgeEvent } from '../../shared/core/model/event';
import { testApplication } from '../support/application';
import { testClock } from '../support/clock';
import { recordingNotifier } from '../support/notifier';

const SG_DIR = resolve(__dirname, '../../events/network/security-group-open-to-internet');
const OPEN = JSON.parse(readFileSync(join(SG_DIR, '1-violating-ssh-ipv4.json'), 'utf8')) as Record<string, unknown> & {
  requestParameters: { groupId: string };
};
const REVOKE = JSON.parse(readFileSync(join(SG_DIR, '3-resolving-revoke-ssh.json'), 'utf8')) as Record<string, unknown> & {
  requestParameters: { groupId: string };
};

/** A clock that moves `stepMs` on every reading, from 10:00:00 UTC. */
function tickingClock(stepMs: number, start = Date.parse('2026-03-01T10:00:00.000Z')) {
  let t = start - stepMs;
  return {
    now: () => {
      t += stepMs;
      return new Date(t);
    },
    set: (iso: string, step = stepMs) => {
      stepMs = step;
      t = Date.parse(iso) - stepMs;
    },
  };
}

/**
 * The pipeline of one invocation over the application's storage and delivery: storm-control windows
 * are counted by the delivery's clock (the ticking one), and the exemption lookups read a steady
 * clock of their own, so that only notifications move the ticking clock.
 */
function pipelineOf(app: Application): Pipeline {
  const steady = testClock('2026-03-01T10:00:00.000Z');
  const exemptions = new CachedExemptions(() => app.storage.exemptions.listExemptions(), steady.now);
  return new Pipeline({ router: app.router, context: app.context, storage: app.storage, delivery: app.delivery, exemptions });
}

function uuid(kind: number, i: number): string {
  return `00000000-0000-4000-8${kind}00-${String(i).padStart(12, '0')}`;
}

/** n CloudTrail records for distinct security groups of one account (JSON Lines). */
function burst(dir: string, name: string, template: typeof OPEN, n: number, kind: number, minute: number): string {
  const lines = Array.from({ length: n }, (_, i) => {
    const group = `sg-${i.toString(16).padStart(17, '0')}`;
    const at = new Date(Date.parse(`2026-03-01T${String(10 + minute).padStart(2, '0')}:00:00Z`) + i * 100)
      .toISOString()
      .replace('.000', '');
    return JSON.stringify({
      ...template,
      eventID: uuid(kind, i),
      eventTime: at,
      requestParameters: { ...template.requestParameters, groupId: group },
    });
  });
  const file = join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function eventsOf(file: string): Promise<EventBridgeEvent[]> {
  const events: EventBridgeEvent[] = [];
  for await (const item of readEvents([file])) if (item.kind === 'event') events.push(item.event);
  return events;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-storm-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const settings: Settings = {
  ...DEFAULT_SETTINGS,
  notifyBurst: { individual: 5, windowMinutes: 15 },
  findingsUrl: 'https://trailwarden.example.com',
};

describe.each([
  ['memory', (): Storage => memoryStorage()],
  ['SQLite', (): Storage => openSqliteStorage(join(dir, 'findings.db'))],
])('a 1,000-violation burst of one control (%s)', (_name, openStorage) => {
  it('sends the first five one by one and one roll-up with the rest; a second replay sends nothing', async () => {
    const storage = openStorage();
    const notifier = recordingNotifier();
    const clock = tickingClock(1); // the whole replay inside one window
    const app = testApplication({ storage, notifier, now: clock.now, settings });
    const store = storage.findings;
    const file = burst(dir, 'open.jsonl', OPEN, 1000, 1, 0);
    try {
      // As `trailwarden replay` runs it: at the end, the roll-ups of every window, also the running one.
      const run = () => replay(readEvents([file]), pipelineOf(app), { flushRollups: () => flushAllRollups(app.jobs, clock.now()) });
      const summary = await run();
      expect(summary.opened).toBeGreaterThanOrEqual(1000);
      const network = notifier.sent.filter((n) => n.control.id === 'network.security-group-open-to-internet');
      expect(network.map((n) => n.transition)).toEqual(['opened', 'opened', 'opened', 'opened', 'opened', 'rollup']);
      expect(notifier.sent).toHaveLength(6); // the INFORMATIONAL activity record of each ingress is not sent (notifyMinSeverity LOW)
      const rollup = network[5]!;
      expect(rollup.rollup).toMatchObject({ kind: 'opened', count: 995, sentIndividually: 5 });
      expect(rollup.subject).toBe('[CRITICAL] network: 995 more: Security group ingress open to the internet (111122223333/us-east-1)');
      expect(rollup.subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
      const text = textOf(rollup);
      expect(text).toContain('ROLL-UP: 995 more findings of this control opened in account 111122223333');
      expect(text).toContain('… and 970 more');
      expect(text).toContain('Link:  https://trailwarden.example.com/');
      expect(jsonOf(rollup)).toMatchObject({
        transition: 'rollup',
        rollupOf: 'opened',
        count: 995,
        moreResources: 895,
        severity: 'CRITICAL',
        status: 'open',
        dedupKey: rollup.dedupKey,
      });
      // Every finding owes nothing: sent, or held and summarized.
      expect((await store.listFindings({ controlId: 'network.security-group-open-to-internet' })).filter((f) => f.unnotified)).toEqual([]);

      const second = await run();
      expect(second).toMatchObject({ opened: 0, resolved: 0 });
      expect(notifier.sent).toHaveLength(6);
    } finally {
      await app.close();
    }
  });

  it('works across invocations: a pipeline per event, one roll-up per window when the window closes, resolutions rolled up too', async () => {
    const storage = openStorage();
    const notifier = recordingNotifier();
    const clock = tickingClock(1000); // one second per notification: 1,000 openings span two 15-minute windows
    const app = testApplication({ storage, notifier, now: clock.now, settings });
    const invoke = async (event: EventBridgeEvent) => {
      const pipeline = pipelineOf(app);
      await pipeline.process(event);
      await pipeline.flush();
    };
    try {
      const opens = await eventsOf(burst(dir, 'open.jsonl', OPEN, 1000, 1, 0));
      for (const event of opens) await invoke(event);
      for (const event of opens.slice(0, 50)) await invoke(event); // redeliveries
      const network = () => notifier.sent.filter((n) => n.control.id === 'network.security-group-open-to-internet');
      expect(network().map((n) => n.transition)).toEqual(Array(10).fill('opened')); // five per window, the rest held

      // The scheduled flush: nothing before a window ends, one roll-up per ended window.
      const flushAt = async (iso: string) => {
        clock.set(iso);
        return flushRollups(app.jobs, clock.now());
      };
      expect(await flushAt('2026-03-01T10:14:00.000Z')).toMatchObject({ sent: 0 });
      expect(await flushAt('2026-03-01T10:15:30.000Z')).toMatchObject({ sent: 1, summarized: 895 });
      expect(await flushAt('2026-03-01T10:16:30.000Z')).toMatchObject({ sent: 0 });
      expect(await flushAt('2026-03-01T10:31:00.000Z')).toMatchObject({ sent: 1, summarized: 95 });
      expect(await flushAt('2026-03-01T10:45:00.000Z')).toMatchObject({ sent: 0 });
      const rollups = network().filter((n) => n.transition === 'rollup');
      expect(rollups.map((n) => [n.rollup!.windowStart, n.rollup!.count])).toEqual([
        ['2026-03-01T10:00:00.000Z', 895],
        ['2026-03-01T10:15:00.000Z', 95],
      ]);
      expect(new Set(rollups.map((n) => n.dedupKey)).size).toBe(2);

      // Every group's rule revoked, in one window: the ten paged findings each get their RESOLVED
      // message; the resolutions of the 990 rolled-up ones are themselves a burst.
      clock.set('2026-03-01T11:00:00.000Z', 100); // a tenth of a second per notification: one window
      const before = network().length;
      for (const event of await eventsOf(burst(dir, 'revoke.jsonl', REVOKE, 1000, 2, 1))) await invoke(event);
      await flushAt('2026-03-01T11:30:00.000Z');
      const resolutions = network().slice(before);
      const individually = resolutions.filter((n) => n.transition === 'resolved');
      expect(individually).toHaveLength(15);
      const pagedIds = network()
        .slice(0, 10)
        .map((n) => n.dedupKey);
      expect(pagedIds.every((id) => individually.some((n) => n.dedupKey === id))).toBe(true);
      const resolvedRollups = resolutions.filter((n) => n.transition === 'rollup');
      expect(resolvedRollups).toHaveLength(1);
      expect(resolvedRollups[0]!.rollup).toMatchObject({ kind: 'resolved', count: 985 });
      expect(resolvedRollups[0]!.subject).toBe(
        '[RESOLVED] network: 985 more: Security group ingress open to the internet (111122223333/us-east-1)',
      );
      expect(jsonOf(resolvedRollups[0]!)).toMatchObject({ status: 'resolved', transition: 'rollup', rollupOf: 'resolved' });
    } finally {
      await app.close();
    }
  });
});
