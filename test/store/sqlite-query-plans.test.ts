/**
 * The SQLite findings store reads a page in index order and stops at its end, whatever the table size:
 * the query plans of `listFindings` for the API's filters, with and without a cursor. A plan that
 * sorts every matching finding ("USE TEMP B-TREE FOR ORDER BY") made pages of 180,000 findings take
 * seconds; one that sorts only findings of equal activity ("… FOR LAST TERM OF ORDER BY") stays at the
 * page's size. After a cursor, the index is searched from the cursor's activity on, not from the newest.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabase } from '../../shared/adapters/store/sqlite';
import { findingsSelect } from '../../shared/adapters/store/sqlite/finding-store';
import type { FindingQuery } from '../../shared/core/findings/finding-query';
import { encodeCursor } from '../../shared/core/findings/query';
import { testFinding } from '../support/findings';

let dir: string;
let database: SqliteDatabase;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-plans-'));
  database = new SqliteDatabase(join(dir, 'findings.db'));
});
afterAll(() => {
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

function planOf(query: FindingQuery): string {
  const { sql, params } = findingsSelect(query);
  return (database.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>)
    .map((row) => row.detail)
    .join(' | ');
}

const cursor = encodeCursor(testFinding({ id: 'f-1', lastSeen: '2026-01-15T10:00:00.000Z' }));

const FILTERS: Array<[string, FindingQuery]> = [
  ['no filter', {}],
  ['status', { status: 'open' }],
  ['area', { area: 'network' }],
  ['area and status', { area: 'iam', status: 'open' }],
  ['area and minimum severity', { area: 'runtime', minSeverity: 'MEDIUM' }],
  ['severity', { severity: 'HIGH' }],
  ['minimum severity', { minSeverity: 'HIGH' }],
  ['one control', { controlId: 'network.security-group-open-to-internet' }],
  ['a framework (several controls)', { controlIds: ['iam.root-account-used', 'audit.cloudtrail-stopped', 'data.s3-bucket-public'] }],
  ['a framework and status', { controlIds: ['iam.root-account-used', 'audit.cloudtrail-stopped'], status: 'open' }],
  ['account', { account: '111122223333' }],
  ['account and status', { account: '111122223333', status: 'open' }],
  ['region', { region: 'eu-west-1' }],
  ['since', { since: '2026-01-01T00:00:00.000Z' }],
  ['until', { until: '2026-02-01T00:00:00.000Z' }],
];

describe.each(FILTERS)('a page of findings by %s', (_name, filter) => {
  it('is read in activity order from an index, sorting only findings of equal activity', () => {
    const plan = planOf({ ...filter, limit: 51 });
    expect(plan).toMatch(/USING (COVERING )?INDEX findings_by_/);
    expect(plan).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
  });

  it('after a cursor, searches the index from the cursor’s activity on', () => {
    const plan = planOf({ ...filter, cursor, limit: 51 });
    expect(plan).toMatch(/SEARCH findings USING (COVERING )?INDEX findings_by_\w+ \([^)]*activity<\?/);
    expect(plan).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
  });
});

it("one resource's findings of one control (the pipeline's look-up) come from the resource index", () => {
  const plan = planOf({ controlId: 'network.security-group-open-to-internet', account: '1', region: 'us-east-1', resourceId: 'sg-1' });
  expect(plan).toMatch(/findings_by_resource \(control_id=\? AND account=\? AND region=\? AND resource_id=\?\)/);
});
