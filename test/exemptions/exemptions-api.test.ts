/**
 * Exemptions end to end over real HTTP (`trailwarden serve`'s server, SQLite), with the clock
 * injected: suppression, silent repeats, expiry (logged once, never extended), reopening with a
 * notification, deletion, the audit log, and the refusals.
 */
import { resolve } from 'node:path';
import { Pipeline } from '../../shared/app/pipeline/pipeline';
import type { Finding, HistoryEntry } from '../../shared/core/findings/finding';
import type { EventBridgeEvent } from '../../shared/core/model/event';
import { DAY } from '../support/clock';
import { serveSqlite, type ServedSqlite } from '../api/server';

const SAMPLE = resolve(__dirname, '../../events/network/security-group-open-to-internet/1-violating-ssh-ipv4.json');
const CONTROL = 'network.security-group-open-to-internet';
const T0 = new Date('2026-03-10T12:00:00.000Z');

let served: ServedSqlite;

/** The sample violation as a new event (fresh id), optionally on another security group. */
const violatingEvent = (groupId = 'sg-0a1b2c3d4e5f60718', eventTime?: string): EventBridgeEvent =>
  served.sampleEvent(SAMPLE, { groupId, ...(eventTime !== undefined ? { eventTime } : {}) });
const process = (event: EventBridgeEvent) => served.process(event);
const findingOf = (groupId: string): Promise<Finding> => served.findingOf(CONTROL, groupId);

const exemptionBody = (overrides: Record<string, unknown> = {}) => ({
  controlId: CONTROL,
  accounts: ['111122223333'],
  resourcePattern: 'sg-0a1b*',
  reason: 'bastion host, accepted until the VPN rollout',
  approver: 'ciso@example.com',
  expiresAt: new Date(served.clock.now().getTime() + 10 * DAY).toISOString(),
  ...overrides,
});

beforeEach(async () => {
  // No remediation deadlines: the server's sweeps include the deadline sweep, and this suite is about exemptions.
  served = await serveSqlite({ name: 'exemptions', start: T0, actor: 'local:tester', settings: { remediationDays: {} } });
});

afterEach(async () => {
  await served.close();
});

describe('exemptions', () => {
  it('suppresses covered findings, keeps new violations suppressed and silent, then reopens them once on expiry', async () => {
    await process(violatingEvent());
    await process(violatingEvent('sg-0fffffffffffffff0'));
    expect(served.notifier.sent.map((n) => [n.transition, n.finding.resourceId])).toEqual([
      ['opened', 'sg-0a1b2c3d4e5f60718'],
      ['opened', 'sg-0fffffffffffffff0'],
    ]);
    served.notifier.sent.splice(0);

    const created = await served.api.request<{ exemption: Record<string, unknown>; suppressed: number }>('POST', '/api/exemptions', {
      body: exemptionBody(),
    });
    expect(created.status).toBe(201);
    expect(created.body.suppressed).toBe(1);
    const exemption = created.body.exemption;
    expect(exemption).toMatchObject({
      controlId: CONTROL,
      state: 'active',
      createdBy: 'local:tester',
      createdAt: T0.toISOString(),
      approver: 'ciso@example.com',
    });
    expect(Object.keys(exemption).sort()).toEqual([
      'accounts',
      'approver',
      'controlId',
      'createdAt',
      'createdBy',
      'expiresAt',
      'id',
      'reason',
      'resourcePattern',
      'state',
    ]);

    const suppressed = await findingOf('sg-0a1b2c3d4e5f60718');
    expect(suppressed).toMatchObject({ status: 'suppressed', suppressedBy: { exemptionId: exemption.id, expiresAt: exemption.expiresAt } });
    expect((await findingOf('sg-0fffffffffffffff0')).status).toBe('open');
    const detail = await served.api.get<{ history: HistoryEntry[] }>(`/api/findings/${suppressed.id}`);
    expect(detail.body.history.at(-1)).toMatchObject({
      transition: 'suppressed',
      status: 'suppressed',
      actor: { userName: 'local:tester' },
      eventId: `exemption:${exemption.id}`,
    });

    // A new violation of the exempted finding: counted, evidence updated, nobody told.
    served.clock.set(new Date(T0.getTime() + DAY));
    const again = violatingEvent();
    const result = await process(again);
    expect(result.changes.map((c) => c.transition)).toEqual(['repeated']);
    const repeated = await findingOf('sg-0a1b2c3d4e5f60718');
    expect(repeated).toMatchObject({ status: 'suppressed', count: 2, evidence: { eventId: again.id } });
    // A new resource the exemption covers opens suppressed, silently too.
    await process(violatingEvent('sg-0a1b99999999999999'));
    expect(await findingOf('sg-0a1b99999999999999')).toMatchObject({ status: 'suppressed', count: 1 });
    expect(served.notifier.sent).toEqual([]);
    const listed = await served.api.get<{ findings: Finding[] }>('/api/findings?status=suppressed');
    expect(listed.body.findings.map((f) => f.resourceId).sort()).toEqual(['sg-0a1b2c3d4e5f60718', 'sg-0a1b99999999999999']);
    expect((await served.api.get<{ byStatus: Record<string, number> }>('/api/summary')).body.byStatus).toEqual({
      open: 1,
      resolved: 0,
      suppressed: 2,
    });

    // Expiry: the sweep reopens both, notifies each once as reopened, logs the expiry once.
    served.clock.set(new Date(T0.getTime() + 10 * DAY + 60_000));
    await served.api.running.sweepAll();
    await served.api.running.sweepAll();
    for (const groupId of ['sg-0a1b2c3d4e5f60718', 'sg-0a1b99999999999999']) {
      const reopened = await findingOf(groupId);
      expect(reopened.status).toBe('open');
      expect(reopened.suppressedBy).toBeUndefined();
      expect(reopened.unnotified).toBeUndefined();
      const history = await served.app.storage.findings.historyOf(reopened.id);
      expect(history.at(-1)).toMatchObject({ transition: 'unsuppressed', status: 'open', eventId: `exemption:${exemption.id}:expired` });
    }
    expect(served.notifier.sent.map((n) => [n.transition, n.finding.resourceId, n.finding.status]).sort()).toEqual([
      ['reopened', 'sg-0a1b2c3d4e5f60718', 'open'],
      ['reopened', 'sg-0a1b99999999999999', 'open'],
    ]);
    const audit = await served.api.get<{ entries: Array<Record<string, unknown>> }>('/api/exemptions/audit');
    expect(audit.body.entries.map((e) => [e.action, e.exemptionId, e.actor, e.at])).toEqual([
      ['created', exemption.id, 'local:tester', T0.toISOString()],
      ['expired', exemption.id, 'trailwarden (exemption sweep)', exemption.expiresAt],
    ]);
    expect(Object.keys(audit.body.entries[0]!).sort()).toEqual(['action', 'actor', 'at', 'detail', 'exemptionId']);

    // Never extended: still the same expiry, state expired, and a new violation is open and notified.
    const exemptions = await served.api.get<{ exemptions: Array<Record<string, unknown>> }>('/api/exemptions');
    expect(exemptions.body.exemptions).toEqual([
      expect.objectContaining({ id: exemption.id, state: 'expired', expiresAt: exemption.expiresAt }),
    ]);
    served.notifier.sent.splice(0);
    await process(violatingEvent('sg-0a1b55555555555555'));
    expect(await findingOf('sg-0a1b55555555555555')).toMatchObject({ status: 'open' });
    expect(served.notifier.sent.map((n) => n.transition)).toEqual(['opened']);
    await served.api.running.sweepAll();
    expect((await served.app.storage.findings.listFindings({ status: 'suppressed' })).length).toBe(0);
    expect((await served.api.get<{ entries: unknown[] }>('/api/exemptions/audit')).body.entries).toHaveLength(2);
  });

  it('reopens the findings of a deleted exemption at once, logs the deletion once, and keeps the exemption', async () => {
    await process(violatingEvent());
    served.notifier.sent.splice(0);
    const created = await served.api.request<{ exemption: { id: string } }>('POST', '/api/exemptions', {
      body: exemptionBody({ accounts: undefined, resourcePattern: undefined }),
    });
    expect(created.status).toBe(201);
    const id = created.body.exemption.id;
    expect((await findingOf('sg-0a1b2c3d4e5f60718')).status).toBe('suppressed');

    served.clock.set(new Date(T0.getTime() + 2 * DAY));
    const deleted = await served.api.request<{ exemption: Record<string, unknown>; reopened: number }>('DELETE', `/api/exemptions/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({
      reopened: 1,
      exemption: { id, state: 'deleted', deletedBy: 'local:tester', deletedAt: served.clock.now().toISOString() },
    });
    const reopened = await findingOf('sg-0a1b2c3d4e5f60718');
    expect(reopened.status).toBe('open');
    expect((await served.app.storage.findings.historyOf(reopened.id)).at(-1)).toMatchObject({
      transition: 'unsuppressed',
      eventId: `exemption:${id}:deleted`,
      actor: { userName: 'local:tester' },
    });
    expect(served.notifier.sent.map((n) => n.transition)).toEqual(['reopened']);

    const twice = await served.api.request<{ reopened: number }>('DELETE', `/api/exemptions/${id}`);
    expect(twice.status).toBe(200);
    expect(twice.body.reopened).toBe(0);
    // Past its expiry, a deleted exemption is not logged as expired: it ended by deletion.
    served.clock.set(new Date(T0.getTime() + 30 * DAY));
    await served.api.running.sweepAll();
    const audit = await served.api.get<{ entries: Array<{ action: string }> }>('/api/exemptions/audit');
    expect(audit.body.entries.map((e) => e.action)).toEqual(['created', 'deleted']);
    expect((await served.api.get<{ exemptions: Array<{ state: string }> }>('/api/exemptions')).body.exemptions.map((e) => e.state)).toEqual(
      ['deleted'],
    );
    expect(served.notifier.sent).toHaveLength(1);

    expect((await served.api.request('DELETE', '/api/exemptions/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await served.api.request('DELETE', `/api/exemptions/${encodeURIComponent("' OR 1=1 --")}`)).status).toBe(404);
    expect((await served.api.request('DELETE', '/api/exemptions/audit')).status).toBe(405);
    expect((await served.api.request('POST', '/api/exemptions/audit', { body: {} })).status).toBe(405);
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
      const answer = await served.api.request('POST', '/api/exemptions', { body });
      expect({ parameter, status: answer.status }).toEqual({ parameter, status: 400 });
      expect(answer.body).toMatchObject({ error: 'invalid parameter', parameter });
    }
    const text = await served.api.request('POST', '/api/exemptions', {
      body: JSON.stringify(exemptionBody()),
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.body).toMatchObject({ parameter: 'content-type' });
    const huge = await served.api.request('POST', '/api/exemptions', { body: exemptionBody({ reason: 'x'.repeat(70_000) }) });
    expect(huge.status).toBe(413);
    expect((await served.api.request('POST', '/api/exemptions?dryRun=1', { body: exemptionBody() })).body).toMatchObject({
      parameter: 'dryRun',
    });
    expect((await served.api.request('POST', '/api/exemptions', { body: exemptionBody(), token: null })).status).toBe(401);
    expect(await served.app.storage.exemptions.listExemptions()).toEqual([]);
    expect(await served.app.storage.exemptions.listAudit()).toEqual([]);
    // 365 days ahead exactly is allowed.
    expect(
      (
        await served.api.request('POST', '/api/exemptions', {
          body: exemptionBody({ expiresAt: new Date(T0.getTime() + 365 * DAY).toISOString() }),
        })
      ).status,
    ).toBe(201);
  });

  it('refuses an expiry that is not a real date, or not a full date-time with its zone, naming what is wrong', async () => {
    // T0 is 10 March 2026: each of these would otherwise roll over to a date within the 365 days allowed.
    const cases: Array<[string, string | RegExp]> = [
      ['2027-02-30T00:00:00Z', '2027-02-30 is not a calendar date'],
      ['2026-04-31T12:00:00+02:00', '2026-04-31 is not a calendar date'],
      ['2026-12-31T24:00:00Z', '24:00:00 is not a time of day'],
      ['2026-12-31T23:59Z', /^2026-12-31T23:59Z has no seconds: must be an ISO-8601 date-time with seconds and a time zone/],
      ['2026-12-31T23:59:59', /^2026-12-31T23:59:59 has no time zone/],
      ['2026-12-31', /^2026-12-31 is a date without a time: must be an ISO-8601 date-time .*e\.g\. 2026-12-31T23:59:59Z$/],
    ];
    for (const [expiresAt, reason] of cases) {
      const answer = await served.api.request('POST', '/api/exemptions', { body: exemptionBody({ expiresAt }) });
      expect({ expiresAt, status: answer.status, body: answer.body }).toEqual({
        expiresAt,
        status: 400,
        body: {
          error: 'invalid parameter',
          parameter: 'expiresAt',
          reason: typeof reason === 'string' ? reason : expect.stringMatching(reason),
        },
      });
    }
    expect(await served.app.storage.exemptions.listExemptions()).toEqual([]);
    // The README's form, and an offset, stored as the instant they name.
    for (const [expiresAt, stored] of [
      ['2026-12-31T23:59:59Z', '2026-12-31T23:59:59.000Z'],
      ['2027-02-28T23:30:00-05:00', '2027-03-01T04:30:00.000Z'],
    ]) {
      const created = await served.api.request<{ exemption: { expiresAt: string } }>('POST', '/api/exemptions', {
        body: exemptionBody({ expiresAt }),
      });
      expect([created.status, created.body.exemption.expiresAt]).toEqual([201, stored]);
    }
  });

  it('runs the sweep at the start of serve and of replay', async () => {
    await process(violatingEvent());
    const created = await served.api.request<{ exemption: { id: string; expiresAt: string } }>('POST', '/api/exemptions', {
      body: exemptionBody({ expiresAt: new Date(T0.getTime() + DAY).toISOString() }),
    });
    expect(created.status).toBe(201);
    await served.api.running.stop();
    served.clock.set(new Date(T0.getTime() + 2 * DAY));
    // A new server sweeps as it starts.
    await served.restart();
    expect((await findingOf('sg-0a1b2c3d4e5f60718')).status).toBe('open');
    expect((await served.app.storage.exemptions.listAudit()).map((e) => e.action)).toEqual(['created', 'expired']);
    // The application's pipeline reads the exemptions from the storage by itself.
    const withDefaults = served.app.pipeline();
    expect(withDefaults).toBeInstanceOf(Pipeline);
  });
});
