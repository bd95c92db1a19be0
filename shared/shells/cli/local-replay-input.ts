/**
 * The local PATHs of a replay (files, directories, - for stdin), read by the intake, with the progress of a
 * long replay on a terminal: the files are listed and their sizes read first, so the progress knows the
 * total (stdin's size is unknown: it counts for nothing).
 */
import { stat } from 'node:fs/promises';
import { readEvents } from '../../adapters/intake';
import { listEventFiles } from '../../adapters/intake/list-files';
import type { IntakeItem, IntakeOptions } from '../../core/intake/types';
import { localProgress } from './replay-progress';

/** The event files the paths name, in the order the intake reads them, with their sizes. */
export async function localFiles(paths: readonly string[]): Promise<Array<{ path: string; bytes: number }>> {
  const files: Array<{ path: string; bytes: number }> = [];
  for (const path of paths) {
    if (path === '-') continue;
    const found = await stat(path).catch(() => undefined);
    if (found === undefined) continue;
    if (!found.isDirectory()) {
      files.push({ path, bytes: found.size });
      continue;
    }
    for (const entry of await listEventFiles(path)) {
      if (entry.error !== undefined) continue;
      const size = await stat(entry.path).catch(() => undefined);
      if (size !== undefined) files.push({ path: entry.path, bytes: size.size });
    }
  }
  return files;
}

/** The items of the local paths; on a terminal (`terminal` given), their progress is drawn. */
export async function localReplayInput(
  paths: string[],
  intake: IntakeOptions,
  stdin: NodeJS.ReadableStream,
  terminal: NodeJS.WritableStream | undefined,
): Promise<AsyncGenerator<IntakeItem>> {
  const items = readEvents(paths, intake, stdin);
  if (terminal === undefined) return items;
  const progress = localProgress(terminal, await localFiles(paths));
  return (async function* withProgress() {
    try {
      for await (const item of items) {
        if (item.kind === 'event') progress.event(item.where.file);
        yield item;
      }
    } finally {
      progress.stop();
    }
  })();
}
