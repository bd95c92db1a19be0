/**
 * The items of a replay's files, read and evaluated by worker threads (node:worker_threads) and handed
 * out in the order the files come in, which is the order a single-threaded replay reads them: the
 * store, written by the calling thread alone, applies exactly the same events in the same order.
 *
 * Files go to whichever worker has room (FILES_PER_WORKER each). A worker posts a chunk only against
 * credit, and credit comes back when the writer took the chunk, so workers never run more than `window`
 * chunks ahead of the store and memory stays bounded whatever the input's size. Whenever the writer would
 * wait for a worker's chunk, it evaluates a chunk of a file of its own instead (the next file no worker
 * has), ahead of that file's turn: on real trails most events change nothing, and its core would idle.
 * stdin is read here, in order, like any single-threaded replay.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ReplayItem } from '../../app/pipeline/replay';
import type { IntakeItem, IntakeOptions } from '../../core/intake/types';
import type { Settings } from '../../core/settings/settings';
import { readEvents } from '../intake';
import { listEventFiles } from '../intake/list-files';
import { describeReadError, statOrError } from '../intake/read-errors';
import { decodeChunk, type EncodedChunk } from './chunk-codec';
import { CHUNK_EVENTS, observedChunks, type ObservingEngine } from './observe-items';
import type { FromWorker, ToWorker, WorkerSetup } from './worker-protocol';

/** Chunks a worker may have posted that the writer has not taken yet. */
const WINDOW = 4;
/** Chunks the writer evaluates ahead of its own file's turn, at most: a bound on what it holds. */
const AHEAD_CHUNKS = 2;

/**
 * A worker's heap: it holds one file's records in flight and a few chunks, never the replay. Its young
 * generation is where nearly everything it makes dies: at 8 MB the worker spent a fifth of its time
 * collecting garbage (CPU profile of the real-trail benchmark), at 24 MB about a tenth.
 */
const WORKER_HEAP = { maxYoungGenerationSizeMb: 24, maxOldGenerationSizeMb: 128 };

/** Files a worker holds at once: the one it reads and the next. */
const FILES_PER_WORKER = 2;

/**
 * Worker threads for a machine of `cores` cores: one per core but the one that writes the store, when that
 * makes two or more. On two cores, none: one worker beside the writer was measured as fast as one thread
 * alone (200,000 events, three interleaved runs each: real CloudTrail 40,800–42,600 events/s with it,
 * 40,000–47,000 without; the worst case 11,900–13,700 with it, 11,700–13,300 without; docs/throughput.md),
 * since the chunks it hands over, its own compiler and V8's helper threads take the core it frees, and it
 * costs 60–100 MB (a replay of 1,000,000 events peaked at 374 MB with it, 294–309 MB without).
 */
export function defaultWorkerCount(cores: number = availableParallelism()): number {
  return cores >= 3 ? cores - 1 : 0;
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
  stdin?: NodeJS.ReadableStream;
  chunkEvents?: number;
  /** Told of each file this thread reads itself, instead of waiting for a worker. */
  onReadHere?: (file: string) => void;
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

/** The chunks of one file as they arrive from its worker, or as this thread evaluates them (`local`). */
interface FileResults {
  chunks: EncodedChunk[];
  done: boolean;
  lane?: Lane;
  local?: LocalFile;
  wake?: () => void;
}

/** A file this thread reads: its chunks evaluated ahead of its turn, and the rest still to read. */
interface LocalFile {
  ready: ReplayItem[][];
  reader: AsyncIterator<ReplayItem[]>;
  done: boolean;
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
  const assign = () => {
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
  // The file this thread reads ahead of its turn, if any (one at a time: what it holds stays bounded).
  let ahead: LocalFile | undefined;
  const readNextChunk = async (local: LocalFile): Promise<ReplayItem[] | undefined> => {
    const next = await local.reader.next();
    if (next.done) {
      local.done = true;
      if (ahead === local) ahead = undefined;
      return undefined;
    }
    return next.value;
  };
  /** Instead of waiting: evaluates one chunk of this thread's own file (taking the next file no worker has). False: nothing to do. */
  const helpAhead = async (): Promise<boolean> => {
    if (!options.engine) return false;
    if (!ahead) {
      if (nextFile >= fileIndexes.length) return false;
      const index = fileIndexes[nextFile++]!;
      const source = sources[index] as Extract<Source, { kind: 'file' }>;
      // Records kept as their texts (slices of the file's, one string), not as parsed events: what a chunk evaluated ahead
      // holds for its raised findings stays out of the young generation's survivors.
      const chunks = observedChunks(readEvents([source.path], { ...options.intake, keepText: true }), options.engine, setup.chunkEvents);
      ahead = { ready: [], reader: chunks[Symbol.asyncIterator](), done: false };
      options.onReadHere?.(source.path);
      results.set(index, { chunks: [], done: false, local: ahead });
      assign();
    }
    if (ahead.ready.length >= AHEAD_CHUNKS) return false;
    const local = ahead;
    const chunk = await readNextChunk(local);
    if (chunk) local.ready.push(chunk);
    return true;
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
      const { lane, local } = pending;
      if (local) {
        // This thread's file: what it evaluated ahead, then the rest.
        for (;;) {
          const chunk = local.ready.shift() ?? (local.done ? undefined : await readNextChunk(local));
          if (!chunk) break;
          options.onEvents?.((sources[index] as Extract<Source, { kind: 'file' }>).path, eventsIn(chunk));
          yield* chunk;
        }
        results.delete(index);
        continue;
      }
      if (!lane) throw new Error(`file ${index} of the replay was given to no one`);
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
        if (await helpAhead()) continue;
        await new Promise<void>((resolve) => (pending.wake = resolve));
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
