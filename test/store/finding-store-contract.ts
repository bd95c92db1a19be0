/**
 * The behaviour every FindingStore adapter must have. Each adapter's test file calls
 * `describeFindingStoreContract` with a factory: memory, SQLite and DynamoDB (dynalite).
 */
import { ConcurrentUpdateError, InvalidCursorError, type FindingQuery, type FindingStore } from '../../shared/core/findings/finding-store';
import { applyDeadlineEscalation, applySnooze, applySnoozeEnd, applySuppression, applyUnsuppression } from '../../shared/core/findings/transitions';
import type { Exemption, ExemptionAuditEntry } from '../../shared/core/exemptions/exemption';
import { resolution, violation } from '../support/observations';
import { describeRollupContract } from './rollup-contract';

function exemptionOf(overrides: Partial<Exemption> = {}): Exemption {
  return {
    id: 'ex-1',
    controlId: 'network.security-group-open-to-internet',
    accounts: ['111122223333'],
    resourcePattern: 'sg-*',
    reason: 'bastion, accepted until the VPN is rolled out',
    approver: 'ciso@example.com',
    createdBy: 'arn:aws:iam::111122223333:user/alice',
    createdAt: '2026-03-01T10:00:00.000Z',
    expiresAt: '2026-04-01T10:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

function auditOf(overrides: Partial<ExemptionAuditEntry> = {}): ExemptionAuditEntry {
  return { id: 'ex-1:created', at: '2026-03-01T10:00:00.000Z', action: 'created', exemptionId: 'ex-1', actor: 'alice', detail: 'created', ...overrides };
}

export function describeFindingStoreContract(name: string, open: () => Promise<FindingStore> | FindingStore): void {
  describe(`FindingStore contract: ${name}`, () => {
    let store: FindingStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    describeRollupContract(() => store);

    it('keeps the pending notification of a transition until it is marked sent for that very event', async () => {
      const opened = await store.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' }));
      const id = opened!.finding.id;
      expect((await store.getFinding(id))!.unnotified).toEqual({ transition: 'opened', eventId: 'e1' });
      await store.markNotified('e0-other', 'e1'); // another finding: nothing happens
      await store.markNotified(id, 'e2'); // another event: nothing happens
      expect((await store.getFinding(id))!.unnotified).toEqual({ transition: 'opened', eventId: 'e1' });
      await store.markNotified(id, 'e1');
      await store.flush();
      const sent = await store.getFinding(id);
      expect(sent!.unnotified).toBeUndefined();
      expect(sent).toMatchObject({ status: 'open', count: 1 });
      await store.markNotified(id, 'e1'); // twice is harmless
      expect((await store.getFinding(id))!.count).toBe(1);
      // A repeat owes nothing; a resolution owes its own notification.
      await store.recordViolation(violation({ eventId: 'e2', eventTime: '2026-03-01T11:00:00.000Z' }));
      expect((await store.getFinding(id))!.unnotified).toBeUndefined();
      await store.recordResolution(resolution({ eventId: 'r1', eventTime: '2026-03-01T12:00:00.000Z' }));
      expect((await store.getFinding(id))!.unnotified).toEqual({ transition: 'resolved', eventId: 'r1' });
    });

    it('opens a finding on the first violation, with evidence and first/last seen', async () => {
      const change = await store.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' }));
      expect(change?.transition).toBe('opened');
      await store.flush();
      const finding = await store.getFinding(change!.finding.id);
      expect(finding).toMatchObject({
        status: 'open',
        count: 1,
        firstSeen: '2026-03-01T10:00:00.000Z',
        lastSeen: '2026-03-01T10:00:00.000Z',
        severity: 'HIGH',
        evidence: { eventId: 'e1', sourceIp: '203.0.113.10' },
      });
      expect(await store.historyOf(finding!.id)).toEqual([expect.objectContaining({ transition: 'opened', eventId: 'e1' })]);
    });

    it('counts a repeat on the same finding and moves last seen', async () => {
      await store.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' }));
      const change = await store.recordViolation(violation({ eventId: 'e2', eventTime: '2026-03-01T11:00:00.000Z' }));
      expect(change?.transition).toBe('repeated');
      const finding = await store.getFinding(change!.finding.id);
      expect(finding).toMatchObject({ count: 2, firstSeen: '2026-03-01T10:00:00.000Z', lastSeen: '2026-03-01T11:00:00.000Z' });
      expect(finding!.evidence.eventId).toBe('e2');
      expect(await store.historyOf(finding!.id)).toHaveLength(1);
    });

    it('is idempotent by event id: the same event twice changes nothing', async () => {
      const first = await store.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' }));
      const again = await store.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' }));
      expect(again).toBeUndefined();
      const finding = await store.getFinding(first!.finding.id);
      expect(finding!.count).toBe(1);
      expect(finding!.version).toBe(1);
    });

    it('keeps distinct findings per qualifier and per account', async () => {
      await store.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z', qualifier: 'tcp/22' }));
      await store.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z', qualifier: 'tcp/3389' }));
      await store.recordViolation(violation({ eventId: 'e2', eventTime: '2026-03-01T10:00:00.000Z', account: '444455556666' }));
      expect(await store.listFindings()).toHaveLength(3);
    });

    it('escalates when a later violation is more severe, and records it', async () => {
      await store.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z', severity: 'HIGH' }));
      const change = await store.recordViolation(violation({ eventId: 'e2', eventTime: '2026-03-01T10:05:00.000Z', severity: 'CRITICAL' }));
      expect(change?.transition).toBe('escalated');
      expect((await store.getFinding(change!.finding.id))!.severity).toBe('CRITICAL');
      const lower = await store.recordViolation(violation({ eventId: 'e3', eventTime: '2026-03-01T10:06:00.000Z', severity: 'LOW' }));
      expect(lower?.transition).toBe('repeated');
      expect(lower!.finding.severity).toBe('CRITICAL');
    });

    it('resolves, then reopens, keeping the history of every status change', async () => {
      const opened = await store.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' }));
      const resolved = await store.recordResolution(resolution({ eventId: 'r1', eventTime: '2026-03-01T12:00:00.000Z' }));
      expect(resolved.map((c) => c.transition)).toEqual(['resolved']);
      expect(await store.getFinding(opened!.finding.id)).toMatchObject({
        status: 'resolved',
        resolvedAt: '2026-03-01T12:00:00.000Z',
        resolvedBy: { eventId: 'r1' },
      });
      expect(await store.recordResolution(resolution({ eventId: 'r1', eventTime: '2026-03-01T12:00:00.000Z' }))).toEqual([]);
      const reopened = await store.recordViolation(violation({ eventId: 'e2', eventTime: '2026-03-02T09:00:00.000Z' }));
      expect(reopened?.transition).toBe('reopened');
      const finding = await store.getFinding(opened!.finding.id);
      expect(finding).toMatchObject({ status: 'open', count: 2 });
      expect(finding!.resolvedAt).toBeUndefined();
      expect((await store.historyOf(finding!.id)).map((h) => [h.transition, h.eventId])).toEqual([
        ['opened', 'e1'],
        ['resolved', 'r1'],
        ['reopened', 'e2'],
      ]);
    });

    it('ignores a resolving event older than the latest violation (out-of-order delivery)', async () => {
      await store.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' }));
      expect(await store.recordResolution(resolution({ eventId: 'r0', eventTime: '2026-03-01T09:00:00.000Z' }))).toEqual([]);
      expect((await store.listFindings())[0]!.status).toBe('open');
    });

    it('resolves only the qualified finding when the resolution names a qualifier', async () => {
      await store.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z', qualifier: 'tcp/22' }));
      await store.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z', qualifier: 'tcp/3389' }));
      const changes = await store.recordResolution(resolution({ eventId: 'r1', eventTime: '2026-03-01T11:00:00.000Z', qualifier: 'tcp/22' }));
      expect(changes.map((c) => c.finding.qualifier)).toEqual(['tcp/22']);
      const open = await store.listFindings({ status: 'open' });
      expect(open.map((f) => f.qualifier)).toEqual(['tcp/3389']);
    });

    it('resolves every finding of the control on the resource when no qualifier is named, and nothing elsewhere', async () => {
      await store.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z', qualifier: 'tcp/22' }));
      await store.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z', qualifier: 'tcp/3389' }));
      await store.recordViolation(violation({ eventId: 'e2', eventTime: '2026-03-01T10:00:00.000Z', region: 'us-east-1' }));
      await store.recordViolation(violation({ eventId: 'e3', eventTime: '2026-03-01T10:00:00.000Z', controlId: 'network.other', resourceId: 'sg-0123456789abcdef0' }));
      const changes = await store.recordResolution(resolution({ eventId: 'r1', eventTime: '2026-03-01T11:00:00.000Z' }));
      expect(changes).toHaveLength(2);
      expect((await store.listFindings({ status: 'open' })).map((f) => [f.controlId, f.region]).sort()).toEqual([
        ['network.other', 'eu-west-1'],
        ['network.security-group-open-to-internet', 'us-east-1'],
      ]);
    });

    it('filters by area, status, severity, minimum severity, control, account, region and resource; newest activity first', async () => {
      await store.recordViolation(violation({ eventId: 'a', eventTime: '2026-03-01T10:00:00.000Z', severity: 'CRITICAL', resourceId: 'sg-a' }));
      await store.recordViolation(violation({ eventId: 'b', eventTime: '2026-03-01T12:00:00.000Z', severity: 'LOW', resourceId: 'sg-b', account: '444455556666' }));
      await store.recordViolation(
        violation({ eventId: 'c', eventTime: '2026-03-01T11:00:00.000Z', severity: 'MEDIUM', controlId: 'audit.cloudtrail-logging-stopped', area: 'audit', resourceId: 'trail-1', region: 'us-east-1' }),
      );
      await store.recordResolution(resolution({ eventId: 'r', eventTime: '2026-03-01T13:00:00.000Z', resourceId: 'sg-a' }));
      await store.flush();
      const ids = async (query: Parameters<FindingStore['listFindings']>[0]) => (await store.listFindings(query)).map((f) => f.resourceId);
      expect(await ids({})).toEqual(['sg-a', 'sg-b', 'trail-1']);
      expect(await ids({ area: 'audit' })).toEqual(['trail-1']);
      expect(await ids({ status: 'resolved' })).toEqual(['sg-a']);
      expect(await ids({ status: 'open' })).toEqual(['sg-b', 'trail-1']);
      expect(await ids({ severity: 'LOW' })).toEqual(['sg-b']);
      expect(await ids({ minSeverity: 'MEDIUM' })).toEqual(['sg-a', 'trail-1']);
      expect(await ids({ controlId: 'audit.cloudtrail-logging-stopped' })).toEqual(['trail-1']);
      expect(await ids({ account: '444455556666' })).toEqual(['sg-b']);
      expect(await ids({ region: 'us-east-1' })).toEqual(['trail-1']);
      expect(await ids({ resourceId: 'sg-b' })).toEqual(['sg-b']);
      expect(await ids({ limit: 2 })).toEqual(['sg-a', 'sg-b']);
      expect(await ids({ area: 'network', status: 'open', minSeverity: 'HIGH' })).toEqual([]);
    });

    it('treats filter values as data, never as query text', async () => {
      await store.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' }));
      expect(await store.listFindings({ account: "111122223333' OR '1'='1" })).toEqual([]);
      expect(await store.listFindings({ resourceId: '%' })).toEqual([]);
      expect(await store.listFindings()).toHaveLength(1);
    });

    it('filters by any of several controls, and by an activity window', async () => {
      await store.recordViolation(violation({ eventId: 'a', eventTime: '2026-03-01T10:00:00.000Z', resourceId: 'sg-a' }));
      await store.recordViolation(violation({ eventId: 'b', eventTime: '2026-03-02T10:00:00.000Z', controlId: 'audit.cloudtrail-logging-stopped', area: 'audit', resourceId: 'trail-1' }));
      await store.recordViolation(violation({ eventId: 'c', eventTime: '2026-03-03T10:00:00.000Z', controlId: 'iam.root-account-used', area: 'iam', resourceId: 'root' }));
      await store.recordResolution(resolution({ eventId: 'r', eventTime: '2026-03-04T10:00:00.000Z', resourceId: 'sg-a' }));
      await store.flush();
      const ids = async (query: FindingQuery) => (await store.listFindings(query)).map((f) => f.resourceId);
      expect(await ids({ controlIds: ['audit.cloudtrail-logging-stopped', 'iam.root-account-used'] })).toEqual(['root', 'trail-1']);
      expect(await ids({ controlIds: [] })).toEqual([]);
      expect(await ids({ controlIds: ['iam.root-account-used'], controlId: 'audit.cloudtrail-logging-stopped' })).toEqual([]);
      expect(await ids({ controlIds: ['iam.root-account-used', 'audit.cloudtrail-logging-stopped'], controlId: 'iam.root-account-used' })).toEqual(['root']);
      expect(await ids({ controlIds: ['network.security-group-open-to-internet'], resourceId: 'sg-a' })).toEqual(['sg-a']);
      // Activity is the resolution time for sg-a (03-04), last seen for the others.
      expect(await ids({ since: '2026-03-02T10:00:00.000Z' })).toEqual(['sg-a', 'root', 'trail-1']);
      expect(await ids({ until: '2026-03-02T10:00:00.000Z' })).toEqual(['trail-1']);
      expect(await ids({ since: '2026-03-02T00:00:00.000Z', until: '2026-03-03T23:00:00.000Z' })).toEqual(['root', 'trail-1']);
      expect(await ids({ since: '2026-03-05T00:00:00.000Z', until: '2026-03-01T00:00:00.000Z' })).toEqual([]);
      expect(await ids({ controlIds: ["' OR 1=1 --", '%', '*'] })).toEqual([]);
    });

    it('pages through every finding once, newest activity first, stable under equal times', async () => {
      for (let i = 0; i < 13; i += 1) {
        // Five findings share each activity time: the order within a time is by id.
        await store.recordViolation(violation({ eventId: `e${i}`, eventTime: `2026-03-0${1 + (i % 3)}T10:00:00.000Z`, resourceId: `sg-${i}` }));
      }
      await store.flush();
      const all = (await store.listFindings()).map((f) => f.id);
      for (const limit of [1, 4, 5, 13, 20]) {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await store.pageFindings({ limit, ...(cursor ? { cursor } : {}) });
          expect(page.findings.length).toBeLessThanOrEqual(limit);
          seen.push(...page.findings.map((f) => f.id));
          cursor = page.nextCursor;
          pages += 1;
        } while (cursor && pages < 50);
        expect(seen).toEqual(all);
        expect(pages).toBe(Math.max(1, Math.ceil(13 / limit)));
      }
      const filtered = await store.pageFindings({ limit: 2, since: '2026-03-02T00:00:00.000Z' });
      const rest = await store.pageFindings({ limit: 10, since: '2026-03-02T00:00:00.000Z', cursor: filtered.nextCursor! });
      expect([...filtered.findings, ...rest.findings].map((f) => f.id)).toEqual((await store.listFindings({ since: '2026-03-02T00:00:00.000Z' })).map((f) => f.id));
      expect(rest.nextCursor).toBeUndefined();
      await expect(store.pageFindings({ limit: 2, cursor: 'not a cursor' })).rejects.toThrow(InvalidCursorError);
      await expect(store.pageFindings({ limit: 2, cursor: Buffer.from('{"a":1}').toString('base64url') })).rejects.toThrow(InvalidCursorError);
    });

    it('updates a finding with a pure change and records its history', async () => {
      const opened = await store.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' }));
      const id = opened!.finding.id;
      const suppression = { exemptionId: 'ex-1', expiresAt: '2026-04-01T00:00:00.000Z', at: '2026-03-02T00:00:00.000Z', reason: 'accepted' };
      const update = await store.updateFinding(id, (f) => applySuppression(f, suppression));
      expect(update?.finding).toMatchObject({ status: 'suppressed', suppressedBy: { exemptionId: 'ex-1', expiresAt: '2026-04-01T00:00:00.000Z' }, version: 2 });
      expect(await store.updateFinding(id, (f) => applySuppression(f, suppression))).toBeUndefined();
      expect(await store.updateFinding('no-such-finding', (f) => applySuppression(f, suppression))).toBeUndefined();
      // A violation while suppressed is counted silently.
      const repeat = await store.recordViolation(violation({ eventId: 'e2', eventTime: '2026-03-03T10:00:00.000Z', severity: 'CRITICAL' }));
      expect(repeat).toMatchObject({ transition: 'repeated', finding: { status: 'suppressed', count: 2, severity: 'CRITICAL' } });
      // Suppression lapses the notification the finding still owed: the risk is accepted now.
      expect(repeat!.finding.unnotified).toBeUndefined();
      expect((await store.listFindings({ status: 'suppressed' })).map((f) => f.id)).toEqual([id]);
      await store.updateFinding(id, (f) => applyUnsuppression(f, { exemptionId: 'ex-1', why: 'expired', at: '2026-04-01T00:00:00.000Z' }));
      await store.flush();
      const reopened = await store.getFinding(id);
      expect(reopened).toMatchObject({ status: 'open', unnotified: { transition: 'reopened', eventId: 'exemption:ex-1:expired' }, count: 2 });
      expect(reopened!.suppressedBy).toBeUndefined();
      expect((await store.historyOf(id)).map((h) => [h.transition, h.status])).toEqual([
        ['opened', 'open'],
        ['suppressed', 'suppressed'],
        ['unsuppressed', 'open'],
      ]);
    });

    it('summarizes by status, area and open severity, with the daily trend from the history', async () => {
      await store.recordViolation(violation({ eventId: 'a', eventTime: '2026-03-01T10:00:00.000Z', severity: 'CRITICAL', resourceId: 'sg-a' }));
      await store.recordViolation(violation({ eventId: 'b', eventTime: '2026-03-02T10:00:00.000Z', severity: 'LOW', resourceId: 'sg-b' }));
      await store.recordViolation(violation({ eventId: 'c', eventTime: '2026-03-03T10:00:00.000Z', controlId: 'audit.cloudtrail-logging-stopped', area: 'audit', resourceId: 'trail-1' }));
      await store.recordResolution(resolution({ eventId: 'r', eventTime: '2026-03-03T12:00:00.000Z', resourceId: 'sg-a' }));
      await store.recordViolation(violation({ eventId: 'd', eventTime: '2026-03-03T13:00:00.000Z', resourceId: 'sg-a' }));
      await store.recordViolation(violation({ eventId: 'old', eventTime: '2026-01-01T10:00:00.000Z', resourceId: 'sg-old' }));
      const old = violation({ eventId: 'old', eventTime: '2026-01-01T10:00:00.000Z', resourceId: 'sg-old' }).findingId;
      await store.updateFinding(old, (f) => applySuppression(f, { exemptionId: 'ex-1', expiresAt: '2026-04-01T00:00:00.000Z', at: '2026-03-02T00:00:00.000Z', reason: 'accepted' }));
      await store.flush();
      const summary = await store.summarize({ now: new Date('2026-03-03T18:00:00.000Z'), days: 3 });
      expect(summary).toMatchObject({
        total: 4,
        byStatus: { open: 3, resolved: 0, suppressed: 1 },
        byArea: { network: { open: 2, resolved: 0, suppressed: 1 }, audit: { open: 1, resolved: 0, suppressed: 0 }, iam: { open: 0, resolved: 0, suppressed: 0 } },
        bySeverity: { CRITICAL: 0, HIGH: 2, LOW: 1, MEDIUM: 0, INFORMATIONAL: 0 },
      });
      expect(summary.trend).toEqual([
        { day: '2026-03-01', opened: 1, resolved: 0 },
        { day: '2026-03-02', opened: 1, resolved: 0 },
        { day: '2026-03-03', opened: 2, resolved: 1 },
      ]);
    });

    it('keeps exemptions with conditional writes and soft deletion', async () => {
      await store.putExemption(exemptionOf());
      await expect(store.putExemption(exemptionOf())).rejects.toThrow(ConcurrentUpdateError);
      const { accounts: _a, resourcePattern: _r, ...everywhere } = exemptionOf({ id: 'ex-0', createdAt: '2026-02-01T00:00:00.000Z' });
      await store.putExemption(everywhere);
      expect((await store.listExemptions()).map((e) => e.id)).toEqual(['ex-0', 'ex-1']);
      expect(await store.getExemption('ex-1')).toEqual(exemptionOf());
      expect(await store.getExemption('ex-0')).not.toHaveProperty('accounts');
      await store.putExemption(exemptionOf({ audited: ['created'], version: 2 }));
      await expect(store.putExemption(exemptionOf({ settledAt: 'x', version: 2 }))).rejects.toThrow(ConcurrentUpdateError);
      const deleted = await store.deleteExemption('ex-1', { at: '2026-03-05T00:00:00.000Z', by: 'bob' });
      expect(deleted).toMatchObject({ id: 'ex-1', deletedAt: '2026-03-05T00:00:00.000Z', deletedBy: 'bob', audited: ['created'], version: 3 });
      const again = await store.deleteExemption('ex-1', { at: '2026-03-06T00:00:00.000Z', by: 'carol' });
      expect(again).toMatchObject({ deletedAt: '2026-03-05T00:00:00.000Z', deletedBy: 'bob', version: 3 });
      expect(await store.deleteExemption('no-such', { at: '2026-03-06T00:00:00.000Z', by: 'carol' })).toBeUndefined();
      expect(await store.getExemption('ex-1')).toMatchObject({ deletedBy: 'bob' });
      expect(await store.listExemptions()).toHaveLength(2);
    });

    it('appends each audit entry once and lists them in time order', async () => {
      expect(await store.appendAudit(auditOf({ id: 'ex-1:expired', action: 'expired', at: '2026-04-01T10:00:00.000Z', detail: 'expired' }))).toBe(true);
      expect(await store.appendAudit(auditOf())).toBe(true);
      expect(await store.appendAudit(auditOf({ detail: 'again' }))).toBe(false);
      expect(await store.appendAudit(auditOf({ id: 'ex-1:expired', action: 'expired', at: '2026-04-01T10:00:00.000Z', detail: 'twice' }))).toBe(false);
      expect(await store.appendAudit(auditOf({ id: "x' OR 1=1 --:created", exemptionId: "x' OR 1=1 --" }))).toBe(true);
      expect((await store.listAudit()).map((e) => [e.id, e.detail])).toEqual([
        ['ex-1:created', 'created'],
        ["x' OR 1=1 --:created", 'created'],
        ['ex-1:expired', 'expired'],
      ]);
    });

    it('keeps a snooze and a deadline escalation with the finding, in its history, and escalates once under concurrent writers', async () => {
      const change = await store.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z', severity: 'MEDIUM' }));
      const id = change!.finding.id;
      const snooze = { until: '2026-03-02T10:00:00.000Z', reason: 'fix tonight', by: 'arn:aws:iam::111122223333:user/alice', at: '2026-03-01T11:00:00.000Z' };
      await store.updateFinding(id, (f) => applySnooze(f, snooze));
      await store.flush();
      expect((await store.getFinding(id))!.snooze).toEqual(snooze);
      await store.updateFinding(id, (f) => applySnoozeEnd(f, { why: 'expired', at: '2026-03-02T10:00:00.000Z', by: 'sweep' }));
      const ended = (await store.getFinding(id))!;
      expect(ended.snooze).toBeUndefined();
      expect(ended.unnotified).toEqual({ transition: 'reopened', eventId: 'snooze:2026-03-02T10:00:00.000Z:expired' });
      const days = { MEDIUM: 90 };
      const results = await Promise.all([1, 2, 3].map(() => store.updateFinding(id, (f) => applyDeadlineEscalation(f, days, '2026-06-01T00:00:00.000Z'))));
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
      await store.flush();
      expect(await store.getFinding(id)).toMatchObject({ severity: 'HIGH', deadlineEscalation: { deadline: '2026-05-30T10:00:00.000Z', from: 'MEDIUM', to: 'HIGH' } });
      expect((await store.historyOf(id)).map((h) => h.transition)).toEqual(['opened', 'snoozed', 'unsnoozed', 'escalated']);
      expect((await store.summarize({ now: new Date('2026-03-02T12:00:00.000Z'), days: 2 })).trend).toEqual([
        { day: '2026-03-01', opened: 1, resolved: 0 },
        { day: '2026-03-02', opened: 0, resolved: 0 },
      ]);
    });

    it('returns copies: changing a returned finding does not change the store', async () => {
      const change = await store.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' }));
      const finding = await store.getFinding(change!.finding.id);
      finding!.status = 'resolved';
      expect((await store.getFinding(change!.finding.id))!.status).toBe('open');
    });
  });
}
