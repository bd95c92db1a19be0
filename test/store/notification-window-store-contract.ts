/**
 * The behaviour every NotificationWindowStore adapter must have (storm control): notification
 * windows counted once per claim, held notifications kept for the roll-up, windows closed and
 * recorded as sent, later claims in a closed window going to its next part. Each adapter's test
 * file calls `describeNotificationWindowStoreContract` with a factory of a fresh Storage: memory,
 * SQLite and DynamoDB (dynalite).
 */
import type { Storage } from '../../shared/app/storage';
import type { Severity } from '../../shared/core/model/severity';
import type { NotificationWindowStore } from '../../shared/core/notifications/notification-window-store';
import { windowOf, type RollupClaim, type RollupKind } from '../../shared/core/notifications/rollup';

const CONTROL = {
  id: 'network.security-group-open-to-internet',
  area: 'network' as const,
  title: 'Security group open to the internet',
  severity: 'HIGH' as const,
  rationale: 'Exposed ports are scanned within minutes.',
  runbook: ['Revoke the rule.'],
  frameworks: [{ framework: 'cis-aws' as const, requirement: '5.2' }],
};

export const AT = new Date('2026-03-01T10:03:00.000Z');

export function claimOf(
  i: number,
  overrides: { kind?: RollupKind; account?: string; at?: Date; eventId?: string; severity?: Severity; windowMinutes?: number } = {},
): RollupClaim {
  const at = overrides.at ?? AT;
  return {
    kind: overrides.kind ?? 'opened',
    controlId: CONTROL.id,
    area: 'network',
    account: overrides.account ?? '111122223333',
    ...windowOf(at, overrides.windowMinutes ?? 15),
    control: CONTROL,
    item: {
      findingId: `finding-${i}`,
      eventId: overrides.eventId ?? `event-${i}`,
      resourceId: `sg-${String(i).padStart(8, '0')}`,
      resourceType: 'AWS::EC2::SecurityGroup',
      region: 'eu-west-1',
      severity: overrides.severity ?? 'HIGH',
      at: at.toISOString(),
    },
  };
}

export function describeNotificationWindowStoreContract(name: string, open: () => Promise<Storage>): void {
  describe(`NotificationWindowStore contract: ${name}`, () => {
    let storage: Storage;
    let windows: NotificationWindowStore;
    beforeEach(async () => {
      storage = await open();
      windows = storage.windows;
    });
    afterEach(async () => {
      await storage.close();
    });

    it('sends the first N one by one, holds the rest, and answers a repeated claim as the first time', async () => {
      const decisions = [];
      for (let i = 1; i <= 8; i += 1)
        decisions.push(await windows.claimNotification(claimOf(i, { severity: i === 7 ? 'CRITICAL' : 'HIGH' }), 3));
      expect(decisions).toEqual(['individual', 'individual', 'individual', 'held', 'held', 'held', 'held', 'held']);
      expect(await windows.claimNotification(claimOf(2), 3)).toBe('individual'); // redelivered: same decision
      expect(await windows.claimNotification(claimOf(5), 3)).toBe('held');
      // Another account, another kind: windows of their own.
      expect(await windows.claimNotification(claimOf(9, { account: '444455556666' }), 3)).toBe('individual');
      expect(await windows.claimNotification(claimOf(1, { kind: 'resolved', eventId: 'revoke-1' }), 3)).toBe('individual');
      await storage.flush();

      expect(await windows.wasRolledUp('finding-5')).toBe(true);
      expect(await windows.wasRolledUp('finding-2')).toBe(false);
      expect(await windows.wasRolledUp('finding-404')).toBe(false);

      expect(await windows.closeRollupWindows('2026-03-01T10:14:59.999Z', '2026-03-01T10:14:59.999Z')).toEqual([]); // not over yet
      const [window, ...others] = await windows.closeRollupWindows('2026-03-01T10:15:00.000Z', '2026-03-01T10:16:00.000Z');
      expect(others).toEqual([]); // only the window that holds something
      expect(window).toMatchObject({
        id: 'rollup/opened/network.security-group-open-to-internet/111122223333/2026-03-01T10:00:00.000Z',
        part: 1,
        claimed: 8,
        held: 5,
        severity: 'CRITICAL',
        windowEnd: '2026-03-01T10:15:00.000Z',
        closedAt: '2026-03-01T10:16:00.000Z',
        control: CONTROL,
      });
      expect(window!.items.map((item) => item.findingId)).toEqual(['finding-4', 'finding-5', 'finding-6', 'finding-7', 'finding-8']);

      // Closed and not sent yet: returned again (the send may have failed).
      expect((await windows.closeRollupWindows('2026-03-01T10:17:00.000Z', '2026-03-01T10:17:00.000Z')).map((w) => w.id)).toEqual([
        window!.id,
      ]);
      await windows.markRollupSent(window!.id, '2026-03-01T10:17:00.000Z');
      await windows.markRollupSent(window!.id, '2026-03-01T10:18:00.000Z'); // once
      expect(await windows.closeRollupWindows('2026-03-01T11:00:00.000Z', '2026-03-01T11:00:00.000Z')).toEqual([]);
    });

    it('sends claims after an early close to the next part of the window, the count carried on', async () => {
      expect(await windows.claimNotification(claimOf(1), 2)).toBe('individual');
      expect(await windows.claimNotification(claimOf(2), 2)).toBe('individual');
      expect(await windows.claimNotification(claimOf(3), 2)).toBe('held');
      const [first] = await windows.closeRollupWindows('9999-12-31T23:59:59.999Z', '2026-03-01T10:05:00.000Z');
      await windows.markRollupSent(first!.id, '2026-03-01T10:05:00.000Z');
      expect(await windows.claimNotification(claimOf(4), 2)).toBe('held');
      expect(await windows.claimNotification(claimOf(3), 2)).toBe('held'); // already decided
      const [second, ...rest] = await windows.closeRollupWindows('2026-03-01T10:15:00.000Z', '2026-03-01T10:15:00.000Z');
      expect(rest).toEqual([]);
      expect(second).toMatchObject({ id: `${first!.id}/2`, part: 2, claimed: 4, held: 1 });
      expect(second!.items.map((item) => item.findingId)).toEqual(['finding-4']);
    });

    it('counts a burst once per claim, in order', async () => {
      const decisions = await Promise.all(Array.from({ length: 30 }, (_, i) => windows.claimNotification(claimOf(i), 5)));
      expect(decisions.filter((d) => d === 'individual')).toHaveLength(5);
      const [window] = await windows.closeRollupWindows('2026-03-01T10:15:00.000Z', '2026-03-01T10:15:00.000Z');
      expect(window).toMatchObject({ claimed: 30, held: 25 });
      expect(new Set(window!.items.map((item) => item.findingId)).size).toBe(25);
    });
  });
}
