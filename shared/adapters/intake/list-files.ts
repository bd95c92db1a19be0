/** The event files below a directory, in a deterministic order. */
import { promises as fsp, type Dirent } from 'node:fs';
import * as path from 'node:path';

/** Names readEvents picks up inside directories (.json.gz, .jsonl.gz and .ndjson.gz end in .gz). */
const EVENT_FILE_SUFFIXES = ['.json', '.jsonl', '.ndjson', '.gz'];

export function isEventFileName(name: string): boolean {
  if (name.startsWith('.')) return false;
  const lower = name.toLowerCase();
  return EVENT_FILE_SUFFIXES.some((suffix) => lower.endsWith(suffix));
}

export interface ListedFile {
  path: string;
  /** Set when this directory (or link) could not be read. */
  error?: unknown;
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Files ending .json, .jsonl, .ndjson, .json.gz, .jsonl.gz or .gz below `root`, recursively; hidden
 * files and directories (names starting with '.') and other files are skipped silently. Order:
 * depth-first with the entries of each directory sorted by name (UTF-16 code unit order, not locale),
 * i.e. sorted by path component by component. Symbolic links are followed, each real directory once.
 */
export async function listEventFiles(root: string): Promise<ListedFile[]> {
  const out: ListedFile[] = [];
  const seen = new Set<string>();
  async function walk(dir: string): Promise<void> {
    let entries: Dirent[];
    try {
      const real = await fsp.realpath(dir);
      if (seen.has(real)) return;
      seen.add(real);
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch (error) {
      out.push({ path: dir, error });
      return;
    }
    entries.sort((a, b) => byName(a.name, b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const stat = await fsp.stat(full);
          isDirectory = stat.isDirectory();
          isFile = stat.isFile();
        } catch {
          continue; // a dangling link is not an event file
        }
      }
      if (isDirectory) await walk(full);
      else if (isFile && isEventFileName(entry.name)) out.push({ path: full });
    }
  }
  await walk(root);
  return out;
}
