/**
 * SQLite's page cache: 64 MiB for the API's reads unless told (its pages read rows all over tables keyed by
 * hashes), the size a replay asks for when it opens the file, and a size that is not a whole number of MiB
 * refused before anything is opened.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPLAY_PAGE_CACHE_MIB, SqliteDatabase } from '../../shared/adapters/store/sqlite';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-page-cache-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The connection's cache_size: negative values are KiB. */
function cacheKiB(database: SqliteDatabase): number {
  return -(database.db.pragma('cache_size', { simple: true }) as number);
}

it('keeps 64 MiB of pages by default, and what a replay asks for when it does', () => {
  const reader = new SqliteDatabase(join(dir, 'reader.db'));
  const replay = new SqliteDatabase(join(dir, 'replay.db'), { pageCacheMiB: REPLAY_PAGE_CACHE_MIB });
  try {
    expect(cacheKiB(reader)).toBe(64 * 1024);
    expect(cacheKiB(replay)).toBe(REPLAY_PAGE_CACHE_MIB * 1024);
    expect(REPLAY_PAGE_CACHE_MIB).toBeLessThan(64);
  } finally {
    reader.close();
    replay.close();
  }
});

it('refuses a page cache that is not a whole number of MiB, 1 or more, before opening the file', () => {
  for (const pageCacheMiB of [0, -8, 1.5, Number.NaN]) {
    const file = join(dir, `refused-${String(pageCacheMiB)}.db`);
    expect(() => new SqliteDatabase(file, { pageCacheMiB })).toThrow(/pageCacheMiB .*: expected a whole number of MiB/);
    expect(existsSync(file)).toBe(false);
  }
});
