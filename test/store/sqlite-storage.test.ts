/**
 * The SQLite storage (`openSqliteStorage`, one file) against the three port contracts, with the
 * default batch and with a batch of one write; then what only SQLite has: batched finding writes
 * made durable by `flush()` (or a full batch), exemption and roll-up writes durable at once, claimed
 * windows written when the batch commits, and the schema migrations.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStorage } from '../../shared/adapters/store/sqlite';
import type { Storage } from '../../shared/app/storage';
import { END_OF_TIME } from '../../shared/core/notifications/rollup';
import { violation } from '../support/observations';
import { auditOf, describeExemptionStoreContract, exemptionOf } from './exemption-store-contract';
import { describeFindingStoreContract } from './finding-store-contract';
import { claimOf, describeNotificationWindowStoreContract } from './notification-window-store-contract';

const dir = mkdtempSync(join(tmpdir(), 'trailwarden-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fileOf = (name: string) => join(dir, `${name}-${++n}.db`);

const configurations: Array<[string, () => Promise<Storage>]> = [
  ['sqlite (file on disk)', async () => openSqliteStorage(fileOf('contract'))],
  ['sqlite (batch of one)', async () => openSqliteStorage(fileOf('contract'), { batchSize: 1 })],
];
for (const [name, open] of configurations) {
  describeFindingStoreContract(name, open);
  describeExemptionStoreContract(name, open);
  describeNotificationWindowStoreContract(name, open);
}

describe('SQLite storage durability', () => {
  const opened: Storage[] = [];
  /** Another connection to the file, as another process (a replay, the server) would have. */
  const connect = (file: string, options: { batchSize?: number } = {}) => {
    const storage = openSqliteStorage(file, options);
    opened.push(storage);
    return storage;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((storage) => storage.close()));
  });

  it('keeps findings across close and reopen, and stays idempotent after reopening', async () => {
    const file = fileOf('reopen');
    const first = openSqliteStorage(file);
    const change = await first.findings.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' }));
    await first.close();

    const second = connect(file);

    expect((await second.findings.getFinding(change!.finding.id))!.count).toBe(1);
    expect(await second.findings.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' }))).toBeUndefined();
  });

  it('loses nothing flushed when the process stops before the next flush', async () => {
    const file = fileOf('flush');
    const writer = connect(file, { batchSize: 1000 });
    await writer.findings.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' }));
    await writer.flush();
    await writer.findings.recordViolation(violation({ eventId: 'e2', eventTime: '2026-03-01T11:00:00.000Z', resourceId: 'sg-unflushed' }));

    // A second connection sees only what was committed.
    const reader = connect(file);

    expect((await reader.findings.listFindings()).map((f) => f.resourceId)).toEqual(['sg-0123456789abcdef0']);
  });

  it('commits finding writes on its own once a batch is full', async () => {
    const file = fileOf('batch');
    const writer = connect(file, { batchSize: 2 });
    const reader = connect(file);

    await writer.findings.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z', resourceId: 'sg-a' }));
    const afterOne = await reader.findings.listFindings();
    await writer.findings.recordViolation(violation({ eventId: 'e2', eventTime: '2026-03-01T11:00:00.000Z', resourceId: 'sg-b' }));
    const afterTwo = await reader.findings.listFindings();

    expect(afterOne).toEqual([]);
    expect(afterTwo.map((f) => f.resourceId)).toEqual(['sg-b', 'sg-a']);
  });

  it('makes each exemption and audit write durable at once, with no flush', async () => {
    const file = fileOf('exemptions');
    const writer = connect(file, { batchSize: 1000 });
    const reader = connect(file);

    await writer.exemptions.putExemption(exemptionOf());
    const created = await reader.exemptions.getExemption('ex-1');
    await writer.exemptions.appendAudit(auditOf());
    const audit = await reader.exemptions.listAudit();
    await writer.exemptions.deleteExemption('ex-1', { at: '2026-03-05T00:00:00.000Z', by: 'bob' });
    const deleted = await reader.exemptions.getExemption('ex-1');

    expect(created).toEqual(exemptionOf());
    expect(audit.map((e) => e.id)).toEqual(['ex-1:created']);
    expect(deleted).toMatchObject({ deletedBy: 'bob', version: 2 });
  });

  it('writes claimed windows with their claims when the batch commits, and sees a window another connection closed', async () => {
    const file = fileOf('windows');
    const writer = connect(file, { batchSize: 1000 });
    const reader = connect(file);
    const decisions = [];
    for (const i of [1, 2, 3]) decisions.push(await writer.windows.claimNotification(claimOf(i), 2));

    const heldBeforeFlush = await reader.windows.wasRolledUp('finding-3');
    await writer.flush();
    const heldAfterFlush = await reader.windows.wasRolledUp('finding-3');
    const [first, ...others] = await reader.windows.closeRollupWindows(END_OF_TIME, '2026-03-01T10:05:00.000Z');
    await reader.windows.markRollupSent(first!.id, '2026-03-01T10:05:00.000Z');
    // The writer claims after the reader closed the window: in its next part, the count carried on.
    const later = await writer.windows.claimNotification(claimOf(4), 2);
    await writer.flush();
    const [second, ...rest] = await reader.windows.closeRollupWindows(END_OF_TIME, '2026-03-01T10:06:00.000Z');

    expect(decisions).toEqual(['individual', 'individual', 'held']);
    expect(heldBeforeFlush).toBe(false);
    expect(heldAfterFlush).toBe(true);
    expect(others).toEqual([]);
    expect(first).toMatchObject({ part: 1, claimed: 3, held: 1, closedAt: '2026-03-01T10:05:00.000Z' });
    expect(later).toBe('held');
    expect(rest).toEqual([]);
    expect(second).toMatchObject({ id: `${first!.id}/2`, part: 2, claimed: 4, held: 1 });
  });
});

describe('SQLite storage schema', () => {
  it('brings a schema-1 database up to date, keeping its findings', async () => {
    const file = fileOf('schema-1');
    const old = openSqliteStorage(file);
    const change = await old.findings.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' }));
    await old.close();
    // What a version before exemptions left: no exemption tables, schema 1.
    const db = new Database(file);
    db.exec(
      'DROP TABLE exemptions; DROP TABLE exemption_audit; DROP INDEX history_by_time; ' +
        'ALTER TABLE finding_history DROP COLUMN transition; ALTER TABLE finding_history DROP COLUMN at; ' +
        "UPDATE meta SET value = '1' WHERE key = 'schema_version';",
    );
    db.close();

    const storage = openSqliteStorage(file);
    await storage.exemptions.putExemption(exemptionOf());
    const finding = await storage.findings.getFinding(change!.finding.id);
    const exemptions = await storage.exemptions.listExemptions();
    await storage.close();
    const version = new Database(file, { readonly: true });
    const schema = version.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string };
    version.close();

    expect(finding).toMatchObject({ status: 'open', count: 1 });
    expect(exemptions.map((e) => e.id)).toEqual(['ex-1']);
    expect(schema.value).toBe('3');
  });

  it('brings a schema-2 database up to date: the history it holds counts in the trend', async () => {
    const file = fileOf('schema-2');
    const old = openSqliteStorage(file);
    const now = new Date('2026-03-03T12:00:00.000Z');
    await old.findings.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' }));
    const before = await old.findings.summarize({ now, days: 7 });
    await old.close();
    // What version 2 left: history entries without their time and transition as columns.
    const db = new Database(file);
    db.exec(
      'DROP INDEX history_by_time; ALTER TABLE finding_history DROP COLUMN transition; ALTER TABLE finding_history DROP COLUMN at; ' +
        "UPDATE meta SET value = '2' WHERE key = 'schema_version';",
    );
    db.close();

    const storage = openSqliteStorage(file);
    const after = await storage.findings.summarize({ now, days: 7 });
    await storage.close();
    expect(before.trend.find((day) => day.day === '2026-03-01')).toEqual({ day: '2026-03-01', opened: 1, resolved: 0 });
    expect(after).toEqual(before);
  });

  it('refuses a database of a newer schema, and leaves it as it is', async () => {
    const file = fileOf('schema-4');
    await openSqliteStorage(file).close();
    const db = new Database(file);
    db.exec("UPDATE meta SET value = '4' WHERE key = 'schema_version';");
    db.close();

    expect(() => openSqliteStorage(file)).toThrow(/schema 4 is not one this version supports \(1 to 3\)/);
    const after = new Database(file, { readonly: true });
    expect(after.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({ value: '4' });
    after.close();
  });
});
