/**
 * The items of a replay's files, read and evaluated by worker threads (node:worker_threads) and handed
 * out in the order the files come in, which is the order a single-threaded replay reads them: the
 * store, written by the calling thread alone, applies exactly the same events in the same order.
 *
 * Files go to whichever worker has room (at most two files each: one read, one queued). A worker posts
 * a chunk only against credit, and credit comes back when the writer took the chunk, so workers never
 * run more than `window` chunks ahead of the store and memory stays bounded whatever the input's size.
 * stdin is read here, in order, like any single-threaded replay.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { ReplayItem } from '../../app/pipeline/replay';
import type { IntakeItem, IntakeOptions } from '../../core/intake/types';
import type { Settings } from '../../core/settings/settings';
import { readEvents } from '../intake';
import { listEventFiles } from '../intake/list-files';
import { describeReadError, statOrError } from '../intake/read-errors';
import { decodeChunk } from './chunk-codec';
import { CHUNK_EVENTS, observedChunks, type ObservingEngine } from './observe-items';
import type { FromWorker, ToWorker, WorkerSetup } from './worker-protocol';

/** Chunks a worker may have posted that the writer has not taken yet. */
const WINDOW = 4;
/**
 * The share of its time the writing thread may spend waiting for workers before it reads and
 * evaluates a file itself: on real trails most events change nothing, the writer idles, and its core
 * then does a worker's job too. When writing is the bottleneck it never waits, and takes no file.
 */
const WAITING_SHARE_TO_HELP = 0.25;
/**
 * A worker's heap: it holds one file's records in flight and a few chunks, never the replay. A small young
 * generation keeps its memory low (a replay of 1,000,000 events stays under 300 MB with the writer's).
 */
const WORKER_HEAP = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 128 };

/** Files a worker holds at once: the one it reads and the next. */
const FILES_PER_WORKER = 2;

/** Worker threads for a machine: one per core but the one that writes the store, at least one. */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism() - 1);
}

export interface WorkerPoolOptions {
  settings: Settings;
  intake: IntakeOptions;
  workers: number;
  /** The bundled worker entry (dist/replay-worker.js beside the CLI). */
  workerScript: string;
  /**
   * This thread's engine, for the files it reads itself while it would otherwise wait (the workers' own
   * is built from `settings`). Absent: it reads none.
   */
  engine?: ObservingEngine;
  /** The share of its time this thread waits for workers from which it reads a file itself; default WAITING_SHARE_TO_HELP. */
  helpFromWaitingShare?: number;
  stdin?: NodeJS.ReadableStream;
  chunkEvents?: number;
  /** Told of the events of each file as they are handed out (a progress display). */
  onEvents?: (file: string, events: number) => void;
}

/** How many events a chunk holds (passed runs count theirs; rejections none). */
function eventsIn(items: readonly ReplayItem[]): number {
  let events = 0;
  for (const item of items) events += item.kind === 'passed' ? item.events : item.kind === 'rejected' ? 0 : 1;
  return events;
}

type Source = { kind: 'file'; path: string } | { kind: 'items'; items: IntakeItem[] } | { kind: 'stdin' };

/** The inputs in the order readEvents reads them: files, each directory's files sorted, stdin where '-' is. */
async function sourcesOf(inputs: string[]): Promise<Source[]> {
  const sources: Source[] = [];
  for (const input of inputs) {
    if (input === '-') {
      sources.push({ kind: 'stdin' });
      continue;
    }
    const stat = await statOrError(input);
    if ('error' in stat) {
      sources.push({
        kind: 'items',
        items: [{ kind: 'rejected', where: { file: input, line: 0 }, reason: describeReadError(input, stat.error) }],
      });
    } else if (!stat.stat.isDirectory()) {
      sources.push({ kind: 'file', path: input });
    } else {
      for (const entry of await listEventFiles(input)) {
        if (entry.error !== undefined) {
          const reason = describeReadError(entry.path, entry.error);
          sources.push({ kind: 'items', items: [{ kind: 'rejected', where: { file: entry.path, line: 0 }, reason }] });
        } else sources.push({ kind: 'file', path: entry.path });
      }
    }
  }
  return sources;
}

/** The chunks of one file as they arrive, and who waits for the next; a file this thread reads has no lane. */
interface FileResults {
  /** As JSON text (see FromWorker). */
  chunks: string[];
  done: boolean;
  lane?: Lane;
  wake?: () => void;
}

interface Lane {
  worker: Worker;
  files: number;
}

export async function* workerPoolItems(inputs: string[], options: WorkerPoolOptions): AsyncGenerator<ReplayItem> {
  const sources = await sourcesOf(inputs);
  const fileIndexes = sources.flatMap((source, index) => (source.kind === 'file' ? [index] : []));
  if (fileIndexes.length === 0 || options.workers < 1) {
    for await (const item of readEvents(inputs, options.intake, options.stdin)) {
      if (item.kind === 'event') options.onEvents?.(item.where.file, 1);
      yield item;
    }
    return;
  }
  const { now, ...intake } = options.intake;
  const setup: WorkerSetup = {
    settings: options.settings,
    intake,
    clockOffsetMs: now ? now().getTime() - Date.now() : 0,
    window: WINDOW,
    chunkEvents: options.chunkEvents ?? CHUNK_EVENTS,
  };
  const results = new Map<number, FileResults>();
  let failure: Error | undefined;
  let nextFile = 0;
  const fail = (error: Error) => {
    failure ??= error;
    for (const pending of results.values()) pending.wake?.();
  };
  const lanes: Lane[] = [];
  const helpShare = options.helpFromWaitingShare ?? WAITING_SHARE_TO_HELP;
  // How long this thread waited for workers' chunks, and since when it counts.
  let waitedMs = 0;
  let countingSince = performance.now();
  let localFiles = 0;
  const assign = () => {
    const elapsed = performance.now() - countingSince;
    if (options.engine && localFiles === 0 && nextFile < fileIndexes.length && elapsed > 0 && waitedMs / elapsed >= helpShare) {
      // The writer waits more than it works: it reads the next file itself, in its turn.
      results.set(fileIndexes[nextFile++]!, { chunks: [], done: false });
      localFiles += 1;
      waitedMs = 0;
      countingSince = performance.now();
    }
    for (const lane of lanes) {
      while (lane.files < FILES_PER_WORKER && nextFile < fileIndexes.length) {
        const index = fileIndexes[nextFile++]!;
        lane.files += 1;
        results.set(index, { chunks: [], done: false, lane });
        const source = sources[index] as Extract<Source, { kind: 'file' }>;
        lane.worker.postMessage({ type: 'read', index, path: source.path } satisfies ToWorker);
      }
      if (nextFile >= fileIndexes.length) lane.worker.postMessage({ type: 'close' } satisfies ToWorker);
    }
  };
  const count = Math.min(options.workers, fileIndexes.length);
  for (let i = 0; i < count; i += 1) {
    const worker = new Worker(options.workerScript, { workerData: setup, resourceLimits: WORKER_HEAP });
    const lane: Lane = { worker, files: 0 };
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'failed') {
        fail(new Error(`replay worker failed: ${message.message}`));
        return;
      }
      const pending = results.get(message.index);
      if (!pending) return;
      pending.chunks.push(message.items);
      if (message.last) pending.done = true;
      pending.wake?.();
    });
    worker.on('error', (error) => fail(new Error(`replay worker failed: ${error.message}`)));
    worker.on('exit', (code) => {
      if (code !== 0) fail(new Error(`replay worker exited with code ${code}`));
    });
    lanes.push(lane);
  }
  try {
    assign();
    for (let index = 0; index < sources.length; index += 1) {
      const source = sources[index]!;
      if (source.kind === 'items') {
        yield* source.items;
        continue;
      }
      if (source.kind === 'stdin') {
        for await (const item of readEvents(['-'], options.intake, options.stdin)) {
          if (item.kind === 'event') options.onEvents?.(item.where.file, 1);
          yield item;
        }
        continue;
      }
      const pending = results.get(index)!;
      const lane = pending.lane;
      if (!lane) {
        // Files are read here only with an engine (assign).
        const engine = options.engine as ObservingEngine;
        for await (const chunk of observedChunks(readEvents([source.path], options.intake), engine, setup.chunkEvents)) {
          options.onEvents?.(source.path, eventsIn(chunk));
          yield* chunk;
        }
        results.delete(index);
        localFiles -= 1;
        assign();
        continue;
      }
      for (;;) {
        if (failure) throw failure;
        const chunk = pending.chunks.shift();
        if (chunk) {
          lane.worker.postMessage({ type: 'credit' } satisfies ToWorker);
          const items = decodeChunk(chunk);
          options.onEvents?.(source.path, eventsIn(items));
          yield* items;
          continue;
        }
        if (pending.done) break;
        const waitStart = performance.now();
        await new Promise<void>((resolve) => (pending.wake = resolve));
        waitedMs += performance.now() - waitStart;
        pending.wake = undefined;
      }
      results.delete(index);
      lane.files -= 1;
      assign();
    }
  } finally {
    await Promise.all(lanes.map((lane) => lane.worker.terminate()));
  }
}
