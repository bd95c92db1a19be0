/**
 * The behaviour every ExemptionStore adapter must have: exemptions written conditionally on their
 * version and soft-deleted, and the append-only audit log. Each adapter's test file calls
 * `describeExemptionStoreContract` with a factory of a fresh Storage: memory, SQLite and DynamoDB (dynalite).
 */
import type { Storage } from '../../shared/app/storage';
import type { Exemption, ExemptionAuditEntry } from '../../shared/core/exemptions/exemption';
import { ConcurrentUpdateError, type ExemptionStore } from '../../shared/core/exemptions/exemption-store';

export function exemptionOf(overrides: Partial<Exemption> = {}): Exemption {
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

export function auditOf(overrides: Partial<ExemptionAuditEntry> = {}): ExemptionAuditEntry {
  return {
    id: 'ex-1:created',
    at: '2026-03-01T10:00:00.000Z',
    action: 'created',
    exemptionId: 'ex-1',
    actor: 'alice',
    detail: 'created',
    ...overrides,
  };
}

export function describeExemptionStoreContract(name: string, open: () => Promise<Storage>): void {
  describe(`ExemptionStore contract: ${name}`, () => {
    let storage: Storage;
    let exemptions: ExemptionStore;
    beforeEach(async () => {
      storage = await open();
      exemptions = storage.exemptions;
    });
    afterEach(async () => {
      await storage.close();
    });

    it('keeps exemptions with conditional writes and soft deletion', async () => {
      await exemptions.putExemption(exemptionOf());
      await expect(exemptions.putExemption(exemptionOf())).rejects.toThrow(ConcurrentUpdateError);
      const { accounts: _a, resourcePattern: _r, ...everywhere } = exemptionOf({ id: 'ex-0', createdAt: '2026-02-01T00:00:00.000Z' });
      await exemptions.putExemption(everywhere);
      expect((await exemptions.listExemptions()).map((e) => e.id)).toEqual(['ex-0', 'ex-1']);
      expect(await exemptions.getExemption('ex-1')).toEqual(exemptionOf());
      expect(await exemptions.getExemption('ex-0')).not.toHaveProperty('accounts');
      await exemptions.putExemption(exemptionOf({ audited: ['created'], version: 2 }));
      await expect(exemptions.putExemption(exemptionOf({ settledAt: 'x', version: 2 }))).rejects.toThrow(ConcurrentUpdateError);
      const deleted = await exemptions.deleteExemption('ex-1', { at: '2026-03-05T00:00:00.000Z', by: 'bob' });
      expect(deleted).toMatchObject({
        id: 'ex-1',
        deletedAt: '2026-03-05T00:00:00.000Z',
        deletedBy: 'bob',
        audited: ['created'],
        version: 3,
      });
      const again = await exemptions.deleteExemption('ex-1', { at: '2026-03-06T00:00:00.000Z', by: 'carol' });
      expect(again).toMatchObject({ deletedAt: '2026-03-05T00:00:00.000Z', deletedBy: 'bob', version: 3 });
      expect(await exemptions.deleteExemption('no-such', { at: '2026-03-06T00:00:00.000Z', by: 'carol' })).toBeUndefined();
      expect(await exemptions.getExemption('ex-1')).toMatchObject({ deletedBy: 'bob' });
      expect(await exemptions.listExemptions()).toHaveLength(2);
    });

    it('appends each audit entry once and lists them in time order', async () => {
      expect(
        await exemptions.appendAudit(auditOf({ id: 'ex-1:expired', action: 'expired', at: '2026-04-01T10:00:00.000Z', detail: 'expired' })),
      ).toBe(true);
      expect(await exemptions.appendAudit(auditOf())).toBe(true);
      expect(await exemptions.appendAudit(auditOf({ detail: 'again' }))).toBe(false);
      expect(
        await exemptions.appendAudit(auditOf({ id: 'ex-1:expired', action: 'expired', at: '2026-04-01T10:00:00.000Z', detail: 'twice' })),
      ).toBe(false);
      expect(await exemptions.appendAudit(auditOf({ id: "x' OR 1=1 --:created", exemptionId: "x' OR 1=1 --" }))).toBe(true);
      expect((await exemptions.listAudit()).map((e) => [e.id, e.detail])).toEqual([
        ['ex-1:created', 'created'],
        ["x' OR 1=1 --:created", 'created'],
        ['ex-1:expired', 'expired'],
      ]);
    });
  });
}
