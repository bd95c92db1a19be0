/**
 * Repeats in the SQLite store: a finding that repeats within a batch is counted in memory and its row
 * written once, when the batch commits. Everything the store answers in the meantime includes those
 * repeats; a batch that never commits (the process died) loses the repeats and their applied-event marks
 * together, so the next run counts them exactly once; a failed write rolls the whole batch back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { BatchRolledBackError, SqliteDatabase, SqliteFindingStore } from '../../shared/adapters/store/sqlite';
import { violation } from '../support/observations';

const dir = mkdtempSync(join(tmpdir(), 'trailwarden-repeats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fileOf = () => join(dir, `repeats-${++n}.db`);

const at = (minute: number) => `2026-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
const repeatOf = (minute: number) => violation({ eventId: `e${minute}`, eventTime: at(minute) });

/** The finding's row as another process reads it: only what was committed. */
function committedRow(file: string, id: string): { count: number; lastSeen: string } | undefined {
  const db = new Database(file, { readonly: true });
  try {
    const row = db.prepare('SELECT body FROM findings WHERE id = ?').get(id) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as { count: number; lastSeen: string }) : undefined;
  } finally {
    db.close();
  }
}

function open(file: string) {
  const database = new SqliteDatabase(file, { batchSize: 1000 });
  return { database, findings: new SqliteFindingStore(database) };
}

describe('repeats in one batch', () => {
  it('are seen by every read before they are written, and written once when the batch commits', async () => {
    const file = fileOf();
    const { database, findings } = open(file);
    const opened = await findings.recordViolation(repeatOf(0));
    database.commit();
    const id = opened!.finding.id;
    for (let minute = 1; minute <= 5; minute += 1) expect((await findings.recordViolation(repeatOf(minute)))?.transition).toBe('repeated');

    expect((await findings.getFinding(id))?.count).toBe(6);
    expect((await findings.findingsInScope(repeatOf(0))).map((f) => [f.count, f.lastSeen])).toEqual([[6, at(5)]]);
    expect(committedRow(file, id)).toMatchObject({ count: 1, lastSeen: at(0) });
    expect((await findings.listFindings({ status: 'open' })).map((f) => f.count)).toEqual([6]);
    database.commit();
    expect(committedRow(file, id)).toMatchObject({ count: 6, lastSeen: at(5) });
    database.close();
  });

  it('apply each event once, also when it comes again within the batch', async () => {
    const { database, findings } = open(fileOf());
    await findings.recordViolation(repeatOf(0));
    await findings.recordViolation(repeatOf(1));
    const again = await findings.recordViolation(repeatOf(1));

    expect(again).toBeUndefined();
    expect((await findings.getFinding(repeatOf(0).findingId))?.count).toBe(2);
    database.close();
  });

  it('keep a transition as a transition: a higher severity after repeats is an escalation with the repeats counted', async () => {
    const { database, findings } = open(fileOf());
    await findings.recordViolation(repeatOf(0));
    await findings.recordViolation(repeatOf(1));
    const escalated = await findings.recordViolation({ ...repeatOf(2), severity: 'CRITICAL' });

    expect(escalated?.transition).toBe('escalated');
    expect(escalated?.finding).toMatchObject({ count: 3, severity: 'CRITICAL', lastSeen: at(2) });
    database.close();
  });

  it('are lost with their applied-event marks when the batch never commits, and counted once by the next run', async () => {
    const file = fileOf();
    const first = open(file);
    await first.findings.recordViolation(repeatOf(0));
    first.database.commit();
    await first.findings.recordViolation(repeatOf(1));
    await first.findings.recordViolation(repeatOf(2));
    // The process dies: the connection goes without committing.
    first.database.db.close();

    const second = open(file);
    for (const minute of [1, 2, 3]) await second.findings.recordViolation(repeatOf(minute));
    second.database.close();

    expect(committedRow(file, repeatOf(0).findingId)).toMatchObject({ count: 4, lastSeen: at(3) });
  });

  it('roll back with the whole batch when a write fails, and the store goes on from the last commit', async () => {
    const file = fileOf();
    const { database, findings } = open(file);
    await findings.recordViolation(repeatOf(0));
    database.commit();
    await findings.recordViolation(repeatOf(1));
    await findings.recordViolation(violation({ eventId: 'other', eventTime: at(1), resourceId: 'sg-other' }));
    // The next write fails inside the database (here: its table is gone).
    database.db.exec('ALTER TABLE finding_events RENAME TO finding_events_gone');
    const failed = findings.recordViolation(repeatOf(2));

    await expect(failed).rejects.toBeInstanceOf(BatchRolledBackError);
    await expect(failed).rejects.toThrow(/rolled back/);
    expect((await findings.getFinding(repeatOf(0).findingId))?.count).toBe(1);
    expect(await findings.getFinding(violation({ eventId: 'x', eventTime: at(0), resourceId: 'sg-other' }).findingId)).toBeUndefined();
    database.close();
  });
});
