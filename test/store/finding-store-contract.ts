/**
 * The behaviour every FindingStore adapter must have. Each adapter's test file calls
 * `describeFindingStoreContract` with a factory: memory, SQLite and DynamoDB (dynalite).
 */
import type { FindingStore } from '../../shared/store/finding-store';
import { resolution, violation } from '../support/observations';

export function describeFindingStoreContract(name: string, open: () => Promise<FindingStore> | FindingStore): void {
  describe(`FindingStore contract: ${name}`, () => {
    let store: FindingStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

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

    it('returns copies: changing a returned finding does not change the store', async () => {
      const change = await store.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' }));
      const finding = await store.getFinding(change!.finding.id);
      finding!.status = 'resolved';
      expect((await store.getFinding(change!.finding.id))!.status).toBe('open');
    });
  });
}
