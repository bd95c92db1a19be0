/**
 * The entry of a replay worker thread (bundled as dist/replay-worker.js): reads the files it is given,
 * one after the other, and posts their items evaluated, in chunks, waiting for credit so that it never
 * runs more than a few chunks ahead of the thread that writes the store.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEngine } from '../../app/compose';
import { ALL_CONTROLS } from '../../core/controls';
import { readEvents } from '../intake';
import { encodeChunk, transferablesOf } from './chunk-codec';
import { observedChunks } from './observe-items';
import type { FromWorker, ToWorker, WorkerSetup } from './worker-protocol';

if (!parentPort) throw new Error('replay-worker runs as a worker thread');
const port = parentPort;
const setup = workerData as WorkerSetup;
const engine = createEngine(setup.settings, ALL_CONTROLS);
// The replay's clock, as the thread that started it reads it (a test's clock too): its offset from this thread's.
// Event items keep their records' texts: what is sent for an event whose finding may be raised on the writer.
const intake = {
  ...setup.intake,
  keepText: true,
  now: () => new Date(Date.now() + setup.clockOffsetMs),
};

let credits = setup.window;
let creditArrived: (() => void) | undefined;
const files: Array<{ index: number; path: string }> = [];
let fileArrived: (() => void) | undefined;
let closing = false;

const post = (message: FromWorker) => port.postMessage(message, message.type === 'chunk' ? transferablesOf(message.items) : []);

port.on('message', (message: ToWorker) => {
  if (message.type === 'credit') {
    credits += 1;
    creditArrived?.();
  } else if (message.type === 'read') {
    files.push({ index: message.index, path: message.path });
    fileArrived?.();
  } else {
    closing = true;
    fileArrived?.();
  }
});

async function creditToPost(): Promise<void> {
  while (credits === 0) await new Promise<void>((resolve) => (creditArrived = resolve));
  creditArrived = undefined;
  credits -= 1;
}

async function run(): Promise<void> {
  for (;;) {
    const file = files.shift();
    if (!file) {
      if (closing) break;
      await new Promise<void>((resolve) => (fileArrived = resolve));
      fileArrived = undefined;
      continue;
    }
    let previous: FromWorker | undefined;
    for await (const items of observedChunks(readEvents([file.path], intake), engine, setup.chunkEvents)) {
      // An empty chunk (the end of a file whose last chunk was full) carries nothing: not worth a credit.
      if (items.length === 0 && previous) continue;
      // Each chunk goes out once the next exists, so the last one can say it is.
      if (previous) {
        await creditToPost();
        post(previous);
      }
      previous = { type: 'chunk', index: file.index, items: encodeChunk(items), last: false };
    }
    await creditToPost();
    post({ ...(previous as Extract<FromWorker, { type: 'chunk' }>), last: true });
  }
  port.close();
}

run().catch((error: unknown) => {
  post({ type: 'failed', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
});
