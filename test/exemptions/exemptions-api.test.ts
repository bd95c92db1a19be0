/**
 * Exemptions end to end over real HTTP (`trailwarden serve`'s server, SQLite), with the clock
 * injected: suppression, silent repeats, expiry (logged once, never extended), reopening with a
 * notification, deletion, the audit log, and the refusals.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createEngine, createPipeline } from '../../shared/shells/cli/compose';
import { Pipeline } from '../../shared/app/pipeline/pipeline';
import { CachedExemptions } from '../../shared/app/exemptions/active-exemptions';
import type { Finding, HistoryEntry } from '../../shared/core/findings/finding';
import { toEvent } from '../../shared/adapters/intake';
import type { EventBridgeEvent } from '../../shared/core/model/event';
import type { Notification } from '../../shared/core/notifications/notification';
import type { Notifier } from '../../shared/core/notifications/notifier';
import { SqliteFindingStore } from '../../shared/adapters/store/sqlite/sqlite-finding-store';
import { serve, type ApiClient } from '../api/server';

const SAMPLE = resolve(__dirname, '../../events/network/security-group-open-to-internet/1-violating-ssh-ipv4.json');
const CONTROL = 'network.security-group-open-to-internet';
const DAY = 86_400_000;
const T0 = new Date('2026-03-10T12:00:00.000Z');

let dir: string;
let clock: Date;
let store: SqliteFindingStore;
let sent: Notification[];
let pipeline: Pipeline;
let api: ApiClient;
let seq = 0;

const notifier: Notifier = {
  notify: async (notification) => {
    sent.push(structuredClone(notification));
  },
  close: async () => {},
};

/** The sample violation as a new event (fresh id), optionally on another security group. */
function violatingEvent(groupId = 'sg-0a1b2c3d4e5f60718', eventTime = new Date(clock.getTime() - 60_000).toISOString()): EventBridgeEvent {
  const text = readFileSync(SAMPLE, 'utf8').replaceAll('sg-0a1b2c3d4e5f60718', groupId);
  const record = JSON.parse(text) as Record<string, unknown>;
  record.eventID = `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;
  record.eventTime = eventTime;
  const item = toEvent(record, { file: 'test', line: 1 });
  if (item.kind !== 'event') throw new Error(item.reason);
  return item.event;
}

async function process(event: EventBridgeEvent) {
  const result = await pipeline.process(event);
  await pipeline.flush();
  return result;
}

async function findingOf(groupId: string): Promise<Finding> {
  const findings = await store.listFindings({ controlId: CONTROL, resourceId: groupId });
  expect(findings).toHaveLength(1);
  return findings[0]!;
}

const exemptionBody = (overrides: Record<string, unknown> = {}) => ({
  controlId: CONTROL,
  accounts: ['111122223333'],
  resourcePattern: 'sg-0a1b*',
  reason: 'bastion host, accepted until the VPN rollout',
  approver: 'ciso@example.com',
  expiresAt: new Date(clock.getTime() + 10 * DAY).toISOString(),
  ...overrides,
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-exemptions-'));
  clock = T0;
  sent = [];
  store = new SqliteFindingStore(join(dir, 'findings.db'));
  const engine = createEngine();
  // Exemptions re-read on every event here, so each step sees the last.
  pipeline = new Pipeline({ router: engine.router, context: engine.context, store, notifier, exemptions: new CachedExemptions(() => store.listExemptions(), () => clock, 0) });
  api = await serve({ store, engine, notifier, now: () => clock, actor: 'local:tester', staticDir: join(dir, 'none'), sweepIntervalMs: 3_600_000 });
});

afterEach(async () => {
  await api.running.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('exemptions', () => {
  it('suppresses covered findings, keeps new violations suppressed and silent, then reopens them once on expiry', async () => {
    await process(violatingEvent());
    await process(violatingEvent('sg-0fffffffffffffff0'));
    expect(sent.map((n) => [n.transition, n.finding.resourceId])).toEqual([
      ['opened', 'sg-0a1b2c3d4e5f60718'],
      ['opened', 'sg-0fffffffffffffff0'],
    ]);
    sent = [];

    const created = await api.request<{ exemption: Record<string, unknown>; suppressed: number }>('POST', '/api/exemptions', { body: exemptionBody() });
    expect(created.status).toBe(201);
    expect(created.body.suppressed).toBe(1);
    const exemption = created.body.exemption;
    expect(exemption).toMatchObject({ controlId: CONTROL, state: 'active', createdBy: 'local:tester', createdAt: T0.toISOString(), approver: 'ciso@example.com' });
    expect(Object.keys(exemption).sort()).toEqual(['accounts', 'approver', 'controlId', 'createdAt', 'createdBy', 'expiresAt', 'id', 'reason', 'resourcePattern', 'state']);

    const suppressed = await findingOf('sg-0a1b2c3d4e5f60718');
    expect(suppressed).toMatchObject({ status: 'suppressed', suppressedBy: { exemptionId: exemption.id, expiresAt: exemption.expiresAt } });
    expect((await findingOf('sg-0fffffffffffffff0')).status).toBe('open');
    const detail = await api.get<{ history: HistoryEntry[] }>(`/api/findings/${suppressed.id}`);
    expect(detail.body.history.at(-1)).toMatchObject({ transition: 'suppressed', status: 'suppressed', actor: { userName: 'local:tester' }, eventId: `exemption:${exemption.id}` });

    // A new violation of the exempted finding: counted, evidence updated, nobody told.
    clock = new Date(T0.getTime() + DAY);
    const again = violatingEvent();
    const result = await process(again);
    expect(result.changes.map((c) => c.transition)).toEqual(['repeated']);
    const repeated = await findingOf('sg-0a1b2c3d4e5f60718');
    expect(repeated).toMatchObject({ status: 'suppressed', count: 2, evidence: { eventId: again.id } });
    // A new resource the exemption covers opens suppressed, silently too.
    await process(violatingEvent('sg-0a1b99999999999999'));
    expect(await findingOf('sg-0a1b99999999999999')).toMatchObject({ status: 'suppressed', count: 1 });
    expect(sent).toEqual([]);
    const listed = await api.get<{ findings: Finding[] }>('/api/findings?status=suppressed');
    expect(listed.body.findings.map((f) => f.resourceId).sort()).toEqual(['sg-0a1b2c3d4e5f60718', 'sg-0a1b99999999999999']);
    expect((await api.get<{ byStatus: Record<string, number> }>('/api/summary')).body.byStatus).toEqual({ open: 1, resolved: 0, suppressed: 2 });

    // Expiry: the sweep reopens both, notifies each once as reopened, logs the expiry once.
    clock = new Date(T0.getTime() + 10 * DAY + 60_000);
    await api.running.sweep();
    await api.running.sweep();
    for (const groupId of ['sg-0a1b2c3d4e5f60718', 'sg-0a1b99999999999999']) {
      const reopened = await findingOf(groupId);
      expect(reopened.status).toBe('open');
      expect(reopened.suppressedBy).toBeUndefined();
      expect(reopened.unnotified).toBeUndefined();
      const history = await store.historyOf(reopened.id);
      expect(history.at(-1)).toMatchObject({ transition: 'unsuppressed', status: 'open', eventId: `exemption:${exemption.id}:expired` });
    }
    expect(sent.map((n) => [n.transition, n.finding.resourceId, n.finding.status]).sort()).toEqual([
      ['reopened', 'sg-0a1b2c3d4e5f60718', 'open'],
      ['reopened', 'sg-0a1b99999999999999', 'open'],
    ]);
    const audit = await api.get<{ entries: Array<Record<string, unknown>> }>('/api/exemptions/audit');
    expect(audit.body.entries.map((e) => [e.action, e.exemptionId, e.actor, e.at])).toEqual([
      ['created', exemption.id, 'local:tester', T0.toISOString()],
      ['expired', exemption.id, 'trailwarden (exemption sweep)', exemption.expiresAt],
    ]);
    expect(Object.keys(audit.body.entries[0]!).sort()).toEqual(['action', 'actor', 'at', 'detail', 'exemptionId']);

    // Never extended: still the same expiry, state expired, and a new violation is open and notified.
    const exemptions = await api.get<{ exemptions: Array<Record<string, unknown>> }>('/api/exemptions');
    expect(exemptions.body.exemptions).toEqual([expect.objectContaining({ id: exemption.id, state: 'expired', expiresAt: exemption.expiresAt })]);
    sent = [];
    await process(violatingEvent('sg-0a1b55555555555555'));
    expect(await findingOf('sg-0a1b55555555555555')).toMatchObject({ status: 'open' });
    expect(sent.map((n) => n.transition)).toEqual(['opened']);
    await api.running.sweep();
    expect((await store.listFindings({ status: 'suppressed' })).length).toBe(0);
    expect((await api.get<{ entries: unknown[] }>('/api/exemptions/audit')).body.entries).toHaveLength(2);
  });

  it('reopens the findings of a deleted exemption at once, logs the deletion once, and keeps the exemption', async () => {
    await process(violatingEvent());
    sent = [];
    const created = await api.request<{ exemption: { id: string } }>('POST', '/api/exemptions', { body: exemptionBody({ accounts: undefined, resourcePattern: undefined }) });
    expect(created.status).toBe(201);
    const id = created.body.exemption.id;
    expect((await findingOf('sg-0a1b2c3d4e5f60718')).status).toBe('suppressed');

    clock = new Date(T0.getTime() + 2 * DAY);
    const deleted = await api.request<{ exemption: Record<string, unknown>; reopened: number }>('DELETE', `/api/exemptions/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ reopened: 1, exemption: { id, state: 'deleted', deletedBy: 'local:tester', deletedAt: clock.toISOString() } });
    const reopened = await findingOf('sg-0a1b2c3d4e5f60718');
    expect(reopened.status).toBe('open');
    expect((await store.historyOf(reopened.id)).at(-1)).toMatchObject({ transition: 'unsuppressed', eventId: `exemption:${id}:deleted`, actor: { userName: 'local:tester' } });
    expect(sent.map((n) => n.transition)).toEqual(['reopened']);

    const twice = await api.request<{ reopened: number }>('DELETE', `/api/exemptions/${id}`);
    expect(twice.status).toBe(200);
    expect(twice.body.reopened).toBe(0);
    // Past its expiry, a deleted exemption is not logged as expired: it ended by deletion.
    clock = new Date(T0.getTime() + 30 * DAY);
    await api.running.sweep();
    const audit = await api.get<{ entries: Array<{ action: string }> }>('/api/exemptions/audit');
    expect(audit.body.entries.map((e) => e.action)).toEqual(['created', 'deleted']);
    expect((await api.get<{ exemptions: Array<{ state: string }> }>('/api/exemptions')).body.exemptions.map((e) => e.state)).toEqual(['deleted']);
    expect(sent).toHaveLength(1);

    expect((await api.request('DELETE', '/api/exemptions/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await api.request('DELETE', `/api/exemptions/${encodeURIComponent("' OR 1=1 --")}`)).status).toBe(404);
    expect((await api.request('DELETE', '/api/exemptions/audit')).status).toBe(405);
    expect((await api.request('POST', '/api/exemptions/audit', { body: {} })).status).toBe(405);
  });

  it('refuses an invalid exemption with 400 naming the field, and an unauthenticated one with 401', async () => {
    const cases: Array<[unknown, string]> = [
      [exemptionBody({ expiresAt: undefined }), 'expiresAt'],
      [exemptionBody({ expiresAt: new Date(T0.getTime() - 1000).toISOString() }), 'expiresAt'],
      [exemptionBody({ expiresAt: T0.toISOString() }), 'expiresAt'],
      [exemptionBody({ expiresAt: new Date(T0.getTime() + 366 * DAY).toISOString() }), 'expiresAt'],
      [exemptionBody({ expiresAt: '2026-04-01' }), 'expiresAt'],
      [exemptionBody({ expiresAt: 'next month' }), 'expiresAt'],
      [exemptionBody({ controlId: 'network.nope' }), 'controlId'],
      [exemptionBody({ controlId: { $ne: null } }), 'controlId'],
      [exemptionBody({ accounts: [] }), 'accounts'],
      [exemptionBody({ accounts: '111122223333' }), 'accounts'],
      [exemptionBody({ accounts: ['111122223333', "' OR 1=1 --"] }), 'accounts[1]'],
      [exemptionBody({ resourcePattern: '*' }), 'resourcePattern'],
      [exemptionBody({ resourcePattern: '' }), 'resourcePattern'],
      [exemptionBody({ resourcePattern: 42 }), 'resourcePattern'],
      [exemptionBody({ reason: '  ' }), 'reason'],
      [exemptionBody({ reason: undefined }), 'reason'],
      [exemptionBody({ approver: 'x'.repeat(257) }), 'approver'],
      [exemptionBody({ approver: 'a\u0000b' }), 'approver'],
      [exemptionBody({ createdBy: 'mallory' }), 'createdBy'],
      [exemptionBody({ id: 'chosen' }), 'id'],
      [[exemptionBody()], 'body'],
      ['{"controlId":', 'body'],
      ['', 'body'],
    ];
    for (const [body, parameter] of cases) {
      const answer = await api.request('POST', '/api/exemptions', { body });
      expect({ parameter, status: answer.status }).toEqual({ parameter, status: 400 });
      expect(answer.body).toMatchObject({ error: 'invalid parameter', parameter });
    }
    const text = await api.request('POST', '/api/exemptions', { body: JSON.stringify(exemptionBody()), headers: { 'content-type': 'text/plain' } });
    expect(text.body).toMatchObject({ parameter: 'content-type' });
    const huge = await api.request('POST', '/api/exemptions', { body: exemptionBody({ reason: 'x'.repeat(70_000) }) });
    expect(huge.status).toBe(413);
    expect((await api.request('POST', '/api/exemptions?dryRun=1', { body: exemptionBody() })).body).toMatchObject({ parameter: 'dryRun' });
    expect((await api.request('POST', '/api/exemptions', { body: exemptionBody(), token: null })).status).toBe(401);
    expect(await store.listExemptions()).toEqual([]);
    expect(await store.listAudit()).toEqual([]);
    // 365 days ahead exactly is allowed.
    expect((await api.request('POST', '/api/exemptions', { body: exemptionBody({ expiresAt: new Date(T0.getTime() + 365 * DAY).toISOString() }) })).status).toBe(201);
  });

  it('runs the sweep at the start of serve and of replay', async () => {
    await process(violatingEvent());
    const created = await api.request<{ exemption: { id: string; expiresAt: string } }>('POST', '/api/exemptions', { body: exemptionBody({ expiresAt: new Date(T0.getTime() + DAY).toISOString() }) });
    expect(created.status).toBe(201);
    await api.running.stop();
    clock = new Date(T0.getTime() + 2 * DAY);
    // A new server sweeps as it starts.
    api = await serve({ store, notifier, now: () => clock, staticDir: join(dir, 'none'), sweepIntervalMs: 3_600_000 });
    expect((await findingOf('sg-0a1b2c3d4e5f60718')).status).toBe('open');
    expect((await store.listAudit()).map((e) => e.action)).toEqual(['created', 'expired']);
    // The default pipeline reads exemptions from the store by itself.
    const withDefaults = createPipeline(createEngine(), store, notifier);
    expect(withDefaults).toBeInstanceOf(Pipeline);
  });
});
