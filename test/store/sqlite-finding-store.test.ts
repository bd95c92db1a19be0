import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteFindingStore } from '../../shared/adapters/store/sqlite/sqlite-finding-store';
import { describeFindingStoreContract } from './finding-store-contract';
import { violation } from '../support/observations';

const dir = mkdtempSync(join(tmpdir(), 'trailwarden-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

describeFindingStoreContract('sqlite (file on disk)', () => new SqliteFindingStore(join(dir, `contract-${++n}.db`)));
describeFindingStoreContract('sqlite (batch of one)', () => new SqliteFindingStore(join(dir, `contract-${++n}.db`), { batchSize: 1 }));

describe('SqliteFindingStore durability', () => {
  it('keeps findings across close and reopen, and stays idempotent after reopening', async () => {
    const file = join(dir, 'reopen.db');
    const first = new SqliteFindingStore(file);
    const opened = await first.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' }));
    await first.close();
    const second = new SqliteFindingStore(file);
    expect((await second.getFinding(opened!.finding.id))!.count).toBe(1);
    expect(await second.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' }))).toBeUndefined();
    await second.close();
  });

  it('loses nothing flushed when the process stops before the next flush', async () => {
    const file = join(dir, 'flush.db');
    const writer = new SqliteFindingStore(file, { batchSize: 1000 });
    await writer.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-01T10:00:00.000Z' }));
    await writer.flush();
    await writer.recordViolation(violation({ eventId: 'e2', eventTime: '2026-03-01T11:00:00.000Z', resourceId: 'sg-unflushed' }));
    // A second connection sees only what was committed.
    const reader = new SqliteFindingStore(file);
    expect((await reader.listFindings()).map((f) => f.resourceId)).toEqual(['sg-0123456789abcdef0']);
    await reader.close();
    await writer.close();
  });
});
