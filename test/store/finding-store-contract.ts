/**
 * The behaviour every FindingStore adapter must have, over a fresh Storage (its `flush()` makes the
 * batched finding writes durable), with `pageFindings` paging through it. Each adapter's test file
 * calls `describeFindingStoreContract` with a factory: memory, SQLite and DynamoDB (dynalite).
 */
import type { Storage } from '../../shared/app/storage';
import { InvalidCursorError, type FindingQuery } from '../../shared/core/findings/finding-query';
import type { FindingStore } from '../../shared/core/findings/finding-store';
import { pageFindings } from '../../shared/core/findings/query';
import {
  applyDeadlineEscalation,
  applySnooze,
  applySnoozeEnd,
  applySuppression,
  applyUnsuppression,
} from '../../shared/core/findings/transitions';
import { resolution, violation, type ViolationInput } from '../support/observations';

export function describeFindingStoreContract(name: string, open: () => Promise<Storage>): void {
  describe(`FindingStore contract: ${name}`, () => {
    let storage: Storage;
    let findings: FindingStore;
    beforeEach(async () => {
      storage = await open();
      findings = storage.findings;
    });
    afterEach(async () => {
      await storage.close();
    });
    /** Applies a violation built from `input` (test/support/observations). */
    const see = (input: ViolationInput) => findings.recordViolation(violation(input));

    it('keeps the pending notification of a transition until it is marked sent for that very event', async () => {
      const opened = await see({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' });
      const id = opened!.finding.id;
      expect((await findings.getFinding(id))!.unnotified).toEqual({ transition: 'opened', eventId: 'e1' });
      await findings.markNotified('e0-other', 'e1'); // another finding: nothing happens
      await findings.markNotified(id, 'e2'); // another event: nothing happens
      expect((await findings.getFinding(id))!.unnotified).toEqual({ transition: 'opened', eventId: 'e1' });
      await findings.markNotified(id, 'e1');
      await storage.flush();
      const sent = await findings.getFinding(id);
      expect(sent!.unnotified).toBeUndefined();
      expect(sent).toMatchObject({ status: 'open', count: 1 });
      await findings.markNotified(id, 'e1'); // twice is harmless
      expect((await findings.getFinding(id))!.count).toBe(1);
      // A repeat owes nothing; a resolution owes its own notification.
      await see({ eventId: 'e2', eventTime: '2026-03-01T11:00:00.000Z' });
      expect((await findings.getFinding(id))!.unnotified).toBeUndefined();
      await findings.recordResolution(resolution({ eventId: 'r1', eventTime: '2026-03-01T12:00:00.000Z' }));
      expect((await findings.getFinding(id))!.unnotified).toEqual({ transition: 'resolved', eventId: 'r1' });
    });

    it('opens a finding on the first violation, with evidence and first/last seen', async () => {
      const change = await see({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' });
      expect(change?.transition).toBe('opened');
      await storage.flush();
      const finding = await findings.getFinding(change!.finding.id);
      expect(finding).toMatchObject({
        status: 'open',
        count: 1,
        firstSeen: '2026-03-01T10:00:00.000Z',
        lastSeen: '2026-03-01T10:00:00.000Z',
        severity: 'HIGH',
        evidence: { eventId: 'e1', sourceIp: '203.0.113.10' },
      });
      expect(await findings.historyOf(finding!.id)).toEqual([expect.objectContaining({ transition: 'opened', eventId: 'e1' })]);
    });

    it('counts a repeat on the same finding and moves last seen', async () => {
      await see({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' });
      const change = await see({ eventId: 'e2', eventTime: '2026-03-01T11:00:00.000Z' });
      expect(change?.transition).toBe('repeated');
      const finding = await findings.getFinding(change!.finding.id);
      expect(finding).toMatchObject({ count: 2, firstSeen: '2026-03-01T10:00:00.000Z', lastSeen: '2026-03-01T11:00:00.000Z' });
      expect(finding!.evidence.eventId).toBe('e2');
      expect(await findings.historyOf(finding!.id)).toHaveLength(1);
    });

    it('is idempotent by event id: the same event twice changes nothing', async () => {
      const first = await see({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' });
      const again = await see({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' });
      expect(again).toBeUndefined();
      const finding = await findings.getFinding(first!.finding.id);
      expect(finding!.count).toBe(1);
      expect(finding!.version).toBe(1);
    });

    it('keeps distinct findings per qualifier and per account', async () => {
      await see({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z', qualifier: 'tcp/22' });
      await see({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z', qualifier: 'tcp/3389' });
      await see({ eventId: 'e2', eventTime: '2026-03-01T10:00:00.000Z', account: '444455556666' });
      expect(await findings.listFindings()).toHaveLength(3);
    });

    it('escalates when a later violation is more severe, and records it', async () => {
      await see({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z', severity: 'HIGH' });
      const change = await see({ eventId: 'e2', eventTime: '2026-03-01T10:05:00.000Z', severity: 'CRITICAL' });
      expect(change?.transition).toBe('escalated');
      expect((await findings.getFinding(change!.finding.id))!.severity).toBe('CRITICAL');
      const lower = await see({ eventId: 'e3', eventTime: '2026-03-01T10:06:00.000Z', severity: 'LOW' });
      expect(lower?.transition).toBe('repeated');
      expect(lower!.finding.severity).toBe('CRITICAL');
    });

    it('resolves, then reopens, keeping the history of every status change', async () => {
      const opened = await see({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' });
      const resolved = await findings.recordResolution(resolution({ eventId: 'r1', eventTime: '2026-03-01T12:00:00.000Z' }));
      expect(resolved.map((c) => c.transition)).toEqual(['resolved']);
      expect(await findings.getFinding(opened!.finding.id)).toMatchObject({
        status: 'resolved',
        resolvedAt: '2026-03-01T12:00:00.000Z',
        resolvedBy: { eventId: 'r1' },
      });
      expect(await findings.recordResolution(resolution({ eventId: 'r1', eventTime: '2026-03-01T12:00:00.000Z' }))).toEqual([]);
      const reopened = await see({ eventId: 'e2', eventTime: '2026-03-02T09:00:00.000Z' });
      expect(reopened?.transition).toBe('reopened');
      const finding = await findings.getFinding(opened!.finding.id);
      expect(finding).toMatchObject({ status: 'open', count: 2 });
      expect(finding!.resolvedAt).toBeUndefined();
      expect((await findings.historyOf(finding!.id)).map((h) => [h.transition, h.eventId])).toEqual([
        ['opened', 'e1'],
        ['resolved', 'r1'],
        ['reopened', 'e2'],
      ]);
    });

    it('ignores a resolving event older than the latest violation (out-of-order delivery)', async () => {
      await see({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' });
      expect(await findings.recordResolution(resolution({ eventId: 'r0', eventTime: '2026-03-01T09:00:00.000Z' }))).toEqual([]);
      expect((await findings.listFindings())[0]!.status).toBe('open');
    });

    it('resolves only the qualified finding when the resolution names a qualifier', async () => {
      await see({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z', qualifier: 'tcp/22' });
      await see({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z', qualifier: 'tcp/3389' });
      const changes = await findings.recordResolution(
        resolution({ eventId: 'r1', eventTime: '2026-03-01T11:00:00.000Z', qualifier: 'tcp/22' }),
      );
      expect(changes.map((c) => c.finding.qualifier)).toEqual(['tcp/22']);
      const open = await findings.listFindings({ status: 'open' });
      expect(open.map((f) => f.qualifier)).toEqual(['tcp/3389']);
    });

    it('resolves every finding of the control on the resource when no qualifier is named, and nothing elsewhere', async () => {
      await see({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z', qualifier: 'tcp/22' });
      await see({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z', qualifier: 'tcp/3389' });
      await see({ eventId: 'e2', eventTime: '2026-03-01T10:00:00.000Z', region: 'us-east-1' });
      await see({ eventId: 'e3', eventTime: '2026-03-01T10:00:00.000Z', controlId: 'network.other', resourceId: 'sg-0123456789abcdef0' });
      const changes = await findings.recordResolution(resolution({ eventId: 'r1', eventTime: '2026-03-01T11:00:00.000Z' }));
      expect(changes).toHaveLength(2);
      expect((await findings.listFindings({ status: 'open' })).map((f) => [f.controlId, f.region]).sort()).toEqual([
        ['network.other', 'eu-west-1'],
        ['network.security-group-open-to-internet', 'us-east-1'],
      ]);
    });

    it('filters by area, status, severity, minimum severity, control, account, region and resource; newest activity first', async () => {
      await see({ eventId: 'a', eventTime: '2026-03-01T10:00:00.000Z', severity: 'CRITICAL', resourceId: 'sg-a' });
      await see({ eventId: 'b', eventTime: '2026-03-01T12:00:00.000Z', severity: 'LOW', resourceId: 'sg-b', account: '444455556666' });
      await see({
        eventId: 'c',
        eventTime: '2026-03-01T11:00:00.000Z',
        severity: 'MEDIUM',
        controlId: 'audit.cloudtrail-logging-stopped',
        area: 'audit',
        resourceId: 'trail-1',
        region: 'us-east-1',
      });
      await findings.recordResolution(resolution({ eventId: 'r', eventTime: '2026-03-01T13:00:00.000Z', resourceId: 'sg-a' }));
      await storage.flush();
      const ids = async (query: Parameters<FindingStore['listFindings']>[0]) =>
        (await findings.listFindings(query)).map((f) => f.resourceId);
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
      await see({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' });
      expect(await findings.listFindings({ account: "111122223333' OR '1'='1" })).toEqual([]);
      expect(await findings.listFindings({ resourceId: '%' })).toEqual([]);
      expect(await findings.listFindings()).toHaveLength(1);
    });

    it('filters by any of several controls, and by an activity window', async () => {
      await see({ eventId: 'a', eventTime: '2026-03-01T10:00:00.000Z', resourceId: 'sg-a' });
      await see({
        eventId: 'b',
        eventTime: '2026-03-02T10:00:00.000Z',
        controlId: 'audit.cloudtrail-logging-stopped',
        area: 'audit',
        resourceId: 'trail-1',
      });
      await see({
        eventId: 'c',
        eventTime: '2026-03-03T10:00:00.000Z',
        controlId: 'iam.root-account-used',
        area: 'iam',
        resourceId: 'root',
      });
      await findings.recordResolution(resolution({ eventId: 'r', eventTime: '2026-03-04T10:00:00.000Z', resourceId: 'sg-a' }));
      await storage.flush();
      const ids = async (query: FindingQuery) => (await findings.listFindings(query)).map((f) => f.resourceId);
      expect(await ids({ controlIds: ['audit.cloudtrail-logging-stopped', 'iam.root-account-used'] })).toEqual(['root', 'trail-1']);
      expect(await ids({ controlIds: [] })).toEqual([]);
      expect(await ids({ controlIds: ['iam.root-account-used'], controlId: 'audit.cloudtrail-logging-stopped' })).toEqual([]);
      expect(
        await ids({ controlIds: ['iam.root-account-used', 'audit.cloudtrail-logging-stopped'], controlId: 'iam.root-account-used' }),
      ).toEqual(['root']);
      expect(await ids({ controlIds: ['network.security-group-open-to-internet'], resourceId: 'sg-a' })).toEqual(['sg-a']);
      // Activity is the resolution time for sg-a (03-04), last seen for the others.
      expect(await ids({ since: '2026-03-02T10:00:00.000Z' })).toEqual(['sg-a', 'root', 'trail-1']);
      expect(await ids({ until: '2026-03-02T10:00:00.000Z' })).toEqual(['trail-1']);
      expect(await ids({ since: '2026-03-02T00:00:00.000Z', until: '2026-03-03T23:00:00.000Z' })).toEqual(['root', 'trail-1']);
      expect(await ids({ since: '2026-03-05T00:00:00.000Z', until: '2026-03-01T00:00:00.000Z' })).toEqual([]);
      expect(await ids({ controlIds: ["' OR 1=1 --", '%', '*'] })).toEqual([]);
    });

    it('pages through every finding once while findings repeat between the pages: a repeat keeps its place', async () => {
      for (let i = 0; i < 12; i += 1) {
        await findings.recordViolation(
          violation({ eventId: `p${i}`, eventTime: `2026-03-01T10:${String(i).padStart(2, '0')}:00.000Z`, resourceId: `sg-p${i}` }),
        );
      }
      await storage.flush();
      const all = (await findings.listFindings()).map((f) => f.id);
      const seen: string[] = [];
      let cursor: string | undefined;
      let round = 0;
      do {
        const page = await pageFindings(findings, { limit: 3, ...(cursor ? { cursor } : {}) });
        seen.push(...page.findings.map((f) => f.id));
        cursor = page.nextCursor;
        // Every finding sees a newer violation between two pages: its activity (and so its place) stays.
        for (let i = 0; i < 12; i += 1) {
          await findings.recordViolation(
            violation({ eventId: `p${i}-again${round}`, eventTime: `2026-03-02T10:0${round}:00.000Z`, resourceId: `sg-p${i}` }),
          );
        }
        await storage.flush();
        round += 1;
      } while (cursor && round < 10);
      expect(seen).toEqual(all);
      expect((await findings.listFindings()).map((f) => f.id)).toEqual(all);
      expect((await findings.listFindings({ limit: 1 }))[0]).toMatchObject({
        count: 1 + round,
        lastSeen: `2026-03-02T10:0${round - 1}:00.000Z`,
      });
    });

    it('reads the findings a resolution scope names: every qualifier without one, the one with it, nothing of other scopes', async () => {
      const scope = {
        controlId: 'network.security-group-open-to-internet',
        account: '111122223333',
        region: 'eu-west-1',
        resourceId: 'sg-scope',
      };
      await findings.recordViolation(violation({ eventId: 'q0', eventTime: '2026-03-01T10:00:00.000Z', resourceId: 'sg-scope' }));
      await findings.recordViolation(
        violation({ eventId: 'q1', eventTime: '2026-03-01T10:01:00.000Z', resourceId: 'sg-scope', qualifier: 'tcp/22' }),
      );
      await findings.recordViolation(
        violation({ eventId: 'q2', eventTime: '2026-03-01T10:02:00.000Z', resourceId: 'sg-scope', qualifier: 'tcp/3389' }),
      );
      await findings.recordViolation(violation({ eventId: 'q3', eventTime: '2026-03-01T10:03:00.000Z', resourceId: 'sg-other' }));
      await findings.recordViolation(
        violation({ eventId: 'q4', eventTime: '2026-03-01T10:04:00.000Z', resourceId: 'sg-scope', account: '444455556666' }),
      );
      await storage.flush();
      const qualifiers = async (s: typeof scope & { qualifier?: string }) =>
        (await findings.findingsInScope(s)).map((f) => f.qualifier ?? '-').sort();
      expect(await qualifiers(scope)).toEqual(['-', 'tcp/22', 'tcp/3389']);
      expect(await qualifiers({ ...scope, qualifier: 'tcp/22' })).toEqual(['tcp/22']);
      expect(await qualifiers({ ...scope, resourceId: 'sg-none' })).toEqual([]);
      // What a resolution of the scope then resolves is exactly what was read.
      const resolved = await findings.recordResolution(
        resolution({ eventId: 'r-scope', eventTime: '2026-03-01T11:00:00.000Z', resourceId: 'sg-scope' }),
      );
      expect(resolved.map((c) => c.finding.qualifier ?? '-').sort()).toEqual(['-', 'tcp/22', 'tcp/3389']);
    });

    it('returns every finding a sweep has something to do with when asked for them (awaiting)', async () => {
      const snoozed = violation({ eventId: 's1', eventTime: '2026-03-01T10:00:00.000Z', resourceId: 'sg-snoozed' });
      const informational = violation({
        eventId: 's2',
        eventTime: '2026-03-01T10:01:00.000Z',
        resourceId: 'sg-info',
        severity: 'INFORMATIONAL',
      });
      const high = violation({ eventId: 's3', eventTime: '2026-03-01T10:02:00.000Z', resourceId: 'sg-high', severity: 'HIGH' });
      for (const obs of [snoozed, informational, high]) await findings.recordViolation(obs);
      const snooze = { until: '2026-03-09T00:00:00.000Z', reason: 'change window', by: 'alice', at: '2026-03-01T11:00:00.000Z' };
      await findings.updateFinding(snoozed.findingId, (f) => applySnooze(f, snooze));
      await storage.flush();
      const awaiting = async (sweep: 'snoozes' | 'deadlines') =>
        (await findings.listFindings({ status: 'open', awaiting: sweep })).map((f) => f.resourceId);
      expect(await awaiting('snoozes')).toContain('sg-snoozed');
      expect(await awaiting('deadlines')).toEqual(expect.arrayContaining(['sg-high', 'sg-snoozed']));
      // Stores may return more (the sweeps check each finding), but nothing they return is closed.
      for (const sweep of ['snoozes', 'deadlines'] as const) {
        for (const finding of await findings.listFindings({ status: 'open', awaiting: sweep })) expect(finding.status).toBe('open');
      }
    });

    it('pages through every finding once, newest activity first, stable under equal times', async () => {
      for (let i = 0; i < 13; i += 1) {
        // Five findings share each activity time: the order within a time is by id.
        await findings.recordViolation(
          violation({ eventId: `e${i}`, eventTime: `2026-03-0${1 + (i % 3)}T10:00:00.000Z`, resourceId: `sg-${i}` }),
        );
      }
      await storage.flush();
      const all = (await findings.listFindings()).map((f) => f.id);
      for (const limit of [1, 4, 5, 13, 20]) {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await pageFindings(findings, { limit, ...(cursor ? { cursor } : {}) });
          expect(page.findings.length).toBeLessThanOrEqual(limit);
          seen.push(...page.findings.map((f) => f.id));
          cursor = page.nextCursor;
          pages += 1;
        } while (cursor && pages < 50);
        expect(seen).toEqual(all);
        expect(pages).toBe(Math.max(1, Math.ceil(13 / limit)));
      }
      const filtered = await pageFindings(findings, { limit: 2, since: '2026-03-02T00:00:00.000Z' });
      const rest = await pageFindings(findings, { limit: 10, since: '2026-03-02T00:00:00.000Z', cursor: filtered.nextCursor! });
      expect([...filtered.findings, ...rest.findings].map((f) => f.id)).toEqual(
        (await findings.listFindings({ since: '2026-03-02T00:00:00.000Z' })).map((f) => f.id),
      );
      expect(rest.nextCursor).toBeUndefined();
      await expect(pageFindings(findings, { limit: 2, cursor: 'not a cursor' })).rejects.toThrow(InvalidCursorError);
      await expect(pageFindings(findings, { limit: 2, cursor: Buffer.from('{"a":1}').toString('base64url') })).rejects.toThrow(
        InvalidCursorError,
      );
    });

    it('updates a finding with a pure change and records its history', async () => {
      const opened = await see({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' });
      const id = opened!.finding.id;
      const suppression = {
        exemptionId: 'ex-1',
        expiresAt: '2026-04-01T00:00:00.000Z',
        at: '2026-03-02T00:00:00.000Z',
        reason: 'accepted',
      };
      const update = await findings.updateFinding(id, (f) => applySuppression(f, suppression));
      expect(update?.finding).toMatchObject({
        status: 'suppressed',
        suppressedBy: { exemptionId: 'ex-1', expiresAt: '2026-04-01T00:00:00.000Z' },
        version: 2,
      });
      expect(await findings.updateFinding(id, (f) => applySuppression(f, suppression))).toBeUndefined();
      expect(await findings.updateFinding('no-such-finding', (f) => applySuppression(f, suppression))).toBeUndefined();
      // A violation while suppressed is counted silently.
      const repeat = await see({ eventId: 'e2', eventTime: '2026-03-03T10:00:00.000Z', severity: 'CRITICAL' });
      expect(repeat).toMatchObject({ transition: 'repeated', finding: { status: 'suppressed', count: 2, severity: 'CRITICAL' } });
      // Suppression lapses the notification the finding still owed: the risk is accepted now.
      expect(repeat!.finding.unnotified).toBeUndefined();
      expect((await findings.listFindings({ status: 'suppressed' })).map((f) => f.id)).toEqual([id]);
      await findings.updateFinding(id, (f) =>
        applyUnsuppression(f, { exemptionId: 'ex-1', why: 'expired', at: '2026-04-01T00:00:00.000Z' }),
      );
      await storage.flush();
      const reopened = await findings.getFinding(id);
      expect(reopened).toMatchObject({
        status: 'open',
        unnotified: { transition: 'reopened', eventId: 'exemption:ex-1:expired' },
        count: 2,
      });
      expect(reopened!.suppressedBy).toBeUndefined();
      expect((await findings.historyOf(id)).map((h) => [h.transition, h.status])).toEqual([
        ['opened', 'open'],
        ['suppressed', 'suppressed'],
        ['unsuppressed', 'open'],
      ]);
    });

    it('summarizes by status, area and open severity, with the daily trend from the history', async () => {
      await see({ eventId: 'a', eventTime: '2026-03-01T10:00:00.000Z', severity: 'CRITICAL', resourceId: 'sg-a' });
      await see({ eventId: 'b', eventTime: '2026-03-02T10:00:00.000Z', severity: 'LOW', resourceId: 'sg-b' });
      await see({
        eventId: 'c',
        eventTime: '2026-03-03T10:00:00.000Z',
        controlId: 'audit.cloudtrail-logging-stopped',
        area: 'audit',
        resourceId: 'trail-1',
      });
      await findings.recordResolution(resolution({ eventId: 'r', eventTime: '2026-03-03T12:00:00.000Z', resourceId: 'sg-a' }));
      await see({ eventId: 'd', eventTime: '2026-03-03T13:00:00.000Z', resourceId: 'sg-a' });
      await see({ eventId: 'old', eventTime: '2026-01-01T10:00:00.000Z', resourceId: 'sg-old' });
      const old = violation({ eventId: 'old', eventTime: '2026-01-01T10:00:00.000Z', resourceId: 'sg-old' }).findingId;
      await findings.updateFinding(old, (f) =>
        applySuppression(f, {
          exemptionId: 'ex-1',
          expiresAt: '2026-04-01T00:00:00.000Z',
          at: '2026-03-02T00:00:00.000Z',
          reason: 'accepted',
        }),
      );
      await storage.flush();
      const summary = await findings.summarize({ now: new Date('2026-03-03T18:00:00.000Z'), days: 3 });
      expect(summary).toMatchObject({
        total: 4,
        byStatus: { open: 3, resolved: 0, suppressed: 1 },
        byArea: {
          network: { open: 2, resolved: 0, suppressed: 1 },
          audit: { open: 1, resolved: 0, suppressed: 0 },
          iam: { open: 0, resolved: 0, suppressed: 0 },
        },
        bySeverity: { CRITICAL: 0, HIGH: 2, LOW: 1, MEDIUM: 0, INFORMATIONAL: 0 },
      });
      expect(summary.trend).toEqual([
        { day: '2026-03-01', opened: 1, resolved: 0 },
        { day: '2026-03-02', opened: 1, resolved: 0 },
        { day: '2026-03-03', opened: 2, resolved: 1 },
      ]);
    });

    it('keeps a snooze and a deadline escalation with the finding, in its history, and escalates once under concurrent writers', async () => {
      const change = await see({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z', severity: 'MEDIUM' });
      const id = change!.finding.id;
      const snooze = {
        until: '2026-03-02T10:00:00.000Z',
        reason: 'fix tonight',
        by: 'arn:aws:iam::111122223333:user/alice',
        at: '2026-03-01T11:00:00.000Z',
      };
      await findings.updateFinding(id, (f) => applySnooze(f, snooze));
      await storage.flush();
      expect((await findings.getFinding(id))!.snooze).toEqual(snooze);
      await findings.updateFinding(id, (f) => applySnoozeEnd(f, { why: 'expired', at: '2026-03-02T10:00:00.000Z', by: 'sweep' }));
      const ended = (await findings.getFinding(id))!;
      expect(ended.snooze).toBeUndefined();
      expect(ended.unnotified).toEqual({ transition: 'reopened', eventId: 'snooze:2026-03-02T10:00:00.000Z:expired' });
      const days = { MEDIUM: 90 };
      const results = await Promise.all(
        [1, 2, 3].map(() => findings.updateFinding(id, (f) => applyDeadlineEscalation(f, days, '2026-06-01T00:00:00.000Z'))),
      );
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
      await storage.flush();
      expect(await findings.getFinding(id)).toMatchObject({
        severity: 'HIGH',
        deadlineEscalation: { deadline: '2026-05-30T10:00:00.000Z', from: 'MEDIUM', to: 'HIGH' },
      });
      expect((await findings.historyOf(id)).map((h) => h.transition)).toEqual(['opened', 'snoozed', 'unsnoozed', 'escalated']);
      expect((await findings.summarize({ now: new Date('2026-03-02T12:00:00.000Z'), days: 2 })).trend).toEqual([
        { day: '2026-03-01', opened: 1, resolved: 0 },
        { day: '2026-03-02', opened: 0, resolved: 0 },
      ]);
    });

    it('returns copies: changing a returned finding does not change the store', async () => {
      const change = await see({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' });
      const finding = await findings.getFinding(change!.finding.id);
      finding!.status = 'resolved';
      expect((await findings.getFinding(change!.finding.id))!.status).toBe('open');
    });
  });
}
