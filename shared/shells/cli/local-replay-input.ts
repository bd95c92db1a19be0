/**
 * The local PATHs of a replay (files, directories, - for stdin), read by the intake, with the progress of a
 * long replay on a terminal: the files are listed and their sizes read first, so the progress knows the
 * total (stdin's size is unknown: it counts for nothing).
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { readEvents } from '../../adapters/intake';
import { listEventFiles } from '../../adapters/intake/list-files';
import type { ReplayItem } from '../../app/pipeline/replay';
import { defaultWorkerCount, workerPoolItems } from '../../adapters/workers/worker-pool-input';
import type { ObservingEngine } from '../../adapters/workers/observe-items';
import type { IntakeOptions } from '../../core/intake/types';
import type { Settings } from '../../core/settings/settings';
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

/** Below this many bytes of files, a replay reads them in its own thread: starting workers would cost more than they save. */
export const PARALLEL_MIN_BYTES = 8 * 1024 * 1024;

/**
 * How a replay reads its files: in worker threads (`workers` of them, `workerScript` their entry) when
 * the input is large, evaluating with `settings` as this thread's `engine` does.
 */
export interface ParallelReading {
  /** Undefined: one per core but one when that makes two or more (defaultWorkerCount), for inputs of PARALLEL_MIN_BYTES or more. 0: none. */
  workers: number | undefined;
  workerScript: string;
  settings: Settings;
  engine: ObservingEngine;
}

/** The worker threads a replay of `files` uses: none for a small input or without the bundled worker entry. */
export function workerCountFor(parallel: ParallelReading, files: ReadonlyArray<{ bytes: number }>): number {
  if (parallel.workers !== undefined) return existsSync(parallel.workerScript) ? parallel.workers : 0;
  const bytes = files.reduce((sum, file) => sum + file.bytes, 0);
  return bytes >= PARALLEL_MIN_BYTES && files.length > 0 && existsSync(parallel.workerScript) ? defaultWorkerCount() : 0;
}

/** The items of the local paths; on a terminal (`terminal` given), their progress is drawn. */
export async function localReplayInput(
  paths: string[],
  intake: IntakeOptions,
  stdin: NodeJS.ReadableStream,
  terminal: NodeJS.WritableStream | undefined,
  parallel?: ParallelReading,
): Promise<AsyncGenerator<ReplayItem>> {
  const files = parallel || terminal ? await localFiles(paths) : [];
  const workers = parallel ? workerCountFor(parallel, files) : 0;
  if (parallel && workers > 0) {
    const progress = localProgress(terminal, files);
    const items = workerPoolItems(paths, {
      settings: parallel.settings,
      intake,
      workers,
      workerScript: parallel.workerScript,
      engine: parallel.engine,
      stdin,
      onEvents: (file, events) => {
        for (let i = 0; i < events; i += 1) progress.event(file);
      },
    });
    return (async function* withProgress() {
      try {
        yield* items;
      } finally {
        progress.stop();
      }
    })();
  }
  const items = readEvents(paths, intake, stdin);
  if (terminal === undefined) return items;
  const progress = localProgress(terminal, files);
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
