/**
 * Exemptions over each store adapter (memory, SQLite, DynamoDB on dynalite): the sweep under
 * concurrency (expiry logged exactly once), notification failures retried, the handler-ready
 * sweep, and the pure parts (glob matching, state).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ALL_CONTROLS } from '../../shared/core/controls';
import { coversFinding, globMatches, stateOf, validateExemptionRequest, type Exemption } from '../../shared/core/exemptions/exemption';
import { createExemption, deleteExemption, sweepExemptions } from '../../shared/app/exemptions/exemption-service';
import { exemptionSweep } from '../../shared/app/jobs/exemption-sweep-handler';
import type { Notification } from '../../shared/core/notifications/notification';
import type { Notifier } from '../../shared/core/notifications/notifier';
import { DynamoDbFindingStore, FINDINGS_TABLE_DEFINITION } from '../../shared/adapters/store/dynamodb/dynamodb-finding-store';
import type { FindingStore } from '../../shared/core/findings/finding-store';
import { MemoryFindingStore } from '../../shared/adapters/store/memory/memory-finding-store';
import { SqliteFindingStore } from '../../shared/adapters/store/sqlite/sqlite-finding-store';
import { startDynalite, type LocalService } from '../support/local-aws';
import { violation } from '../support/observations';

const CONTROL = 'network.security-group-open-to-internet';
const T0 = new Date('2026-03-10T12:00:00.000Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(T0.getTime() + days * DAY);

let dynalite: LocalService;
let dir: string;
let tables = 0;

beforeAll(async () => {
  dynalite = await startDynalite();
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-sweep-'));
});
afterAll(async () => {
  await dynalite.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function dynamoStore(): Promise<FindingStore> {
  const client = new DynamoDBClient({ endpoint: dynalite.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, maxAttempts: 1 });
  const tableName = `sweep-${++tables}`;
  await client.send(new CreateTableCommand({ TableName: tableName, BillingMode: 'PAY_PER_REQUEST', ...FINDINGS_TABLE_DEFINITION }));
  return new DynamoDbFindingStore({ client, tableName });
}

const adapters: Array<[string, () => Promise<FindingStore>]> = [
  ['memory', async () => new MemoryFindingStore()],
  ['sqlite', async () => new SqliteFindingStore(join(dir, `sweep-${++tables}.db`))],
  ['dynamodb (dynalite)', dynamoStore],
];

function recordingNotifier(failing = () => false): Notifier & { sent: Notification[] } {
  const sent: Notification[] = [];
  return {
    sent,
    notify: async (notification) => {
      if (failing()) throw new Error('sink down');
      sent.push(notification);
    },
    close: async () => {},
  };
}

const request = (overrides: Partial<{ accounts: string[]; resourcePattern: string; expiresAt: string }> = {}) => ({
  controlId: CONTROL,
  resourcePattern: 'sg-a*',
  reason: 'accepted',
  approver: 'ciso@example.com',
  expiresAt: at(5).toISOString(),
  ...overrides,
});

describe.each(adapters)('exemptions over the %s store', (_name, open) => {
  let store: FindingStore;
  beforeEach(async () => {
    store = await open();
    await store.recordViolation(violation({ eventId: 'a', eventTime: '2026-03-09T10:00:00.000Z', resourceId: 'sg-a1' }));
    await store.recordViolation(violation({ eventId: 'b', eventTime: '2026-03-09T10:00:00.000Z', resourceId: 'sg-a2', account: '444455556666' }));
    await store.recordViolation(violation({ eventId: 'c', eventTime: '2026-03-09T10:00:00.000Z', resourceId: 'sg-b1' }));
  });
  afterEach(async () => {
    await store.close();
  });

  it('logs an expiry exactly once and reopens each finding once, however many sweeps run at once', async () => {
    const notifier = recordingNotifier();
    const deps = { store, controls: ALL_CONTROLS, notifier };
    const { exemption, suppressed } = await createExemption(deps, request(), { id: 'ex-1', now: T0, actor: 'alice' });
    expect(suppressed).toBe(2);
    expect(exemption.audited).toEqual(['created']);
    // Before expiry: nothing changes.
    expect(await sweepExemptions(store, at(4), deps)).toMatchObject({ expired: [], reopened: 0, suppressed: 0 });
    const results = await Promise.all([1, 2, 3].map(() => sweepExemptions(store, at(6), deps)));
    expect(results.reduce((n, r) => n + r.reopened, 0)).toBe(2);
    expect((await store.listAudit()).map((e) => [e.action, e.at])).toEqual([
      ['created', T0.toISOString()],
      ['expired', at(5).toISOString()],
    ]);
    expect((await store.listFindings({ status: 'open' })).map((f) => f.resourceId).sort()).toEqual(['sg-a1', 'sg-a2', 'sg-b1']);
    // At least once each (concurrent sweeps may both send: the same at-least-once as the pipeline).
    expect(new Set(notifier.sent.map((n) => n.finding.resourceId))).toEqual(new Set(['sg-a1', 'sg-a2']));
    expect(notifier.sent.every((n) => n.transition === 'reopened')).toBe(true);
    const settled = await store.getExemption('ex-1');
    expect(settled).toMatchObject({ expiresAt: at(5).toISOString(), audited: ['created', 'expired'], settledAt: expect.any(String) });
    expect(stateOf(settled!, at(6))).toBe('expired');
    const sentBefore = notifier.sent.length;
    await sweepExemptions(store, at(7), deps);
    expect(notifier.sent).toHaveLength(sentBefore);
    expect(await store.listAudit()).toHaveLength(2);
  });

  it('keeps a reopened finding owing its notification until a sweep sends it', async () => {
    let down = true;
    const notifier = recordingNotifier(() => down);
    const deps = { store, controls: ALL_CONTROLS, notifier };
    await createExemption(deps, request({ accounts: ['111122223333'] }), { id: 'ex-2', now: T0, actor: 'alice' });
    expect((await store.listFindings({ status: 'suppressed' })).map((f) => f.resourceId)).toEqual(['sg-a1']);
    const handler = exemptionSweep(() => ({ ...deps, now: () => at(6) }));
    await expect(handler()).rejects.toThrow(/1 notifications could not be sent/);
    const owed = (await store.listFindings({ resourceId: 'sg-a1' }))[0]!;
    expect(owed).toMatchObject({ status: 'open', unnotified: { transition: 'reopened', eventId: 'exemption:ex-2:expired' } });
    expect((await store.getExemption('ex-2'))!.settledAt).toBeUndefined();
    down = false;
    await expect(handler()).resolves.toMatchObject({ reopened: 0, notified: 1, notificationFailures: 0 });
    expect(notifier.sent.map((n) => [n.transition, n.finding.resourceId])).toEqual([['reopened', 'sg-a1']]);
    expect((await store.listFindings({ resourceId: 'sg-a1' }))[0]!.unnotified).toBeUndefined();
    expect((await store.listAudit()).map((e) => e.action)).toEqual(['created', 'expired']);
  });

  it('suppresses what a concurrent writer opened after the exemption, and reopens on deletion', async () => {
    const deps = { store, controls: ALL_CONTROLS };
    await createExemption(deps, request(), { id: 'ex-3', now: T0, actor: 'alice' });
    // A writer that did not know of the exemption yet opens a covered finding.
    await store.recordViolation(violation({ eventId: 'd', eventTime: '2026-03-10T11:00:00.000Z', resourceId: 'sg-a9' }));
    expect((await sweepExemptions(store, at(1), deps)).suppressed).toBe(1);
    expect((await store.listFindings({ status: 'suppressed' })).map((f) => f.resourceId).sort()).toEqual(['sg-a1', 'sg-a2', 'sg-a9']);
    const deleted = await deleteExemption(deps, 'ex-3', { now: at(2), actor: 'bob' });
    expect(deleted).toMatchObject({ reopened: 3, exemption: { deletedBy: 'bob' } });
    // Deleted where no notifier is at hand (the API function): the next sweep with one sends what is owed.
    expect((await store.getExemption('ex-3'))!.settledAt).toBeUndefined();
    const notifier = recordingNotifier();
    expect(await sweepExemptions(store, at(2), { ...deps, notifier })).toMatchObject({ reopened: 0, notified: 3 });
    expect(notifier.sent.map((n) => n.transition)).toEqual(['reopened', 'reopened', 'reopened']);
    expect((await store.getExemption('ex-3'))!.settledAt).toBe(at(2).toISOString());
    expect(await sweepExemptions(store, at(2), { ...deps, notifier })).toMatchObject({ notified: 0 });
    expect(await deleteExemption(deps, 'ex-3', { now: at(3), actor: 'carol' })).toMatchObject({ reopened: 0, exemption: { deletedBy: 'bob' } });
    expect(await deleteExemption(deps, 'no-such', { now: at(3), actor: 'carol' })).toBeUndefined();
    await sweepExemptions(store, at(9), deps);
    expect((await store.listAudit()).map((e) => [e.action, e.actor])).toEqual([
      ['created', 'alice'],
      ['deleted', 'bob'],
    ]);
    expect(await store.listFindings({ status: 'suppressed' })).toEqual([]);
  });

  it('writes the audit entries a crash left out, once', async () => {
    const exemption: Exemption = { id: 'ex-4', controlId: CONTROL, reason: 'r', approver: 'a', createdBy: 'alice', createdAt: T0.toISOString(), expiresAt: at(1).toISOString(), version: 1 };
    await store.putExemption(exemption); // stored, but its creation never logged
    await sweepExemptions(store, at(0.5), { controls: ALL_CONTROLS });
    await sweepExemptions(store, at(2), { controls: ALL_CONTROLS });
    await sweepExemptions(store, at(3), { controls: ALL_CONTROLS });
    expect((await store.listAudit()).map((e) => e.action)).toEqual(['created', 'expired']);
  });
});

describe('exemption matching and validation (pure)', () => {
  it('matches globs with * only, anchored, without regular-expression meaning', () => {
    expect(globMatches('sg-*', 'sg-0abc')).toBe(true);
    expect(globMatches('sg-*', 'xsg-0abc')).toBe(false);
    expect(globMatches('arn:aws:s3:::logs-*-prod', 'arn:aws:s3:::logs-eu-prod')).toBe(true);
    expect(globMatches('arn:aws:s3:::logs-*-prod', 'arn:aws:s3:::logs-eu-prod-2')).toBe(false);
    expect(globMatches('a*b*c', 'abc')).toBe(true);
    expect(globMatches('a*b*c', 'aXbYcZ')).toBe(false);
    expect(globMatches('*', '')).toBe(true);
    expect(globMatches('sg-.*', 'sg-0abc')).toBe(false);
    expect(globMatches('sg-?', 'sg-1')).toBe(false);
    expect(globMatches('[a]', 'a')).toBe(false);
    expect(globMatches('%', 'anything')).toBe(false);
    // Many stars on a long text stay fast.
    const started = Date.now();
    expect(globMatches(`${'*a'.repeat(30)}b`, 'a'.repeat(5000))).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('covers a finding by control, account and resource', () => {
    const exemption = { controlId: CONTROL, accounts: ['111122223333'], resourcePattern: 'sg-a*' } as Exemption;
    expect(coversFinding(exemption, { controlId: CONTROL, account: '111122223333', resourceId: 'sg-a1' })).toBe(true);
    expect(coversFinding(exemption, { controlId: CONTROL, account: '444455556666', resourceId: 'sg-a1' })).toBe(false);
    expect(coversFinding(exemption, { controlId: 'iam.root-account-used', account: '111122223333', resourceId: 'sg-a1' })).toBe(false);
    expect(coversFinding(exemption, { controlId: CONTROL, account: '111122223333', resourceId: 'sg-b1' })).toBe(false);
  });

  it('normalizes a valid request and names the first bad field', () => {
    const known = new Set([CONTROL]);
    expect(validateExemptionRequest({ ...request({ accounts: ['111122223333', '111122223333'] }), expiresAt: '2026-03-15T14:00:00+02:00', reason: ' r ' }, T0, known)).toEqual({
      request: { controlId: CONTROL, accounts: ['111122223333'], resourcePattern: 'sg-a*', reason: 'r', approver: 'ciso@example.com', expiresAt: '2026-03-15T12:00:00.000Z' },
    });
    expect(validateExemptionRequest(null, T0, known)).toEqual({ issue: { parameter: 'body', reason: 'must be a JSON object' } });
    expect(validateExemptionRequest({ ...request(), expiresAt: at(366).toISOString() }, T0, known)).toMatchObject({ issue: { parameter: 'expiresAt' } });
  });
});
