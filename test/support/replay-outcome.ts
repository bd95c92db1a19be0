/**
 * What a replay left behind, read from outside the process: the findings its database holds, and
 * a sink file watched as it grows (to kill the writer at a chosen point).
 */
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { openSqliteStorage } from '../../shared/adapters/store/sqlite';
import type { Finding } from '../../shared/core/findings/finding';

/** The findings recorded, without the write counter (a notification recorded twice bumps it twice). */
export async function recordedFindings(db: string): Promise<Map<string, Finding>> {
  const storage = openSqliteStorage(db);
  try {
    const all = await storage.findings.listFindings();
    return new Map(all.map(({ version: _version, ...finding }) => [finding.id, finding as Finding]));
  } finally {
    await storage.close();
  }
}

/** How many findings differ between two recordings (by id; one missing from either counts too). */
export function differingFindings(a: ReadonlyMap<string, Finding>, b: ReadonlyMap<string, Finding>): number {
  let count = Math.abs(a.size - b.size);
  for (const [id, finding] of a) if (JSON.stringify(b.get(id)) !== JSON.stringify(finding)) count += 1;
  return count;
}

/** Resolves once `file` holds at least `lines` lines (read as it grows), or when `stop` says the writer is gone. */
export async function untilLines(file: string, lines: number, stop: () => boolean): Promise<void> {
  let offset = 0;
  let seen = 0;
  while (!stop()) {
    if (existsSync(file)) {
      const fd = openSync(file, 'r');
      try {
        const size = fstatSync(fd).size;
        if (size > offset) {
          const chunk = Buffer.alloc(size - offset);
          readSync(fd, chunk, 0, chunk.length, offset);
          offset = size;
          for (const byte of chunk) if (byte === 0x0a) seen += 1;
        }
      } finally {
        closeSync(fd);
      }
      if (seen >= lines) return;
    }
    await new Promise((wake) => setTimeout(wake, 5));
  }
}
