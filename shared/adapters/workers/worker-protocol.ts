/** The messages between a parallel replay and its worker threads (structured clones: plain data only). */
import type { IntakeOptions } from '../../core/intake/types';
import type { Settings } from '../../core/settings/settings';
import type { EncodedChunk } from './chunk-codec';

export interface WorkerSetup {
  settings: Settings;
  /** The intake options but the clock (a function cannot cross threads): see clockOffsetMs. */
  intake: Omit<IntakeOptions, 'now'>;
  /** The replay's clock minus the system clock when it started, so workers judge event times by the same clock. */
  clockOffsetMs: number;
  /** Chunks a worker may post before the writer took them. */
  window: number;
  chunkEvents: number;
}

export type ToWorker =
  /** Read this file next; its items are chunks of `index`. */
  | { type: 'read'; index: number; path: string }
  /** The writer took one chunk: one more may be posted. */
  | { type: 'credit' }
  /** No more files: end after those given. */
  | { type: 'close' };

export type FromWorker =
  /** `items`: the chunk's ReplayItem[] as chunk-codec.ts writes them (JSON text, what repeats written once). */
  | { type: 'chunk'; index: number; items: EncodedChunk; last: boolean }
  /** Something no rejection covers went wrong: the replay stops with it. */
  | { type: 'failed'; message: string };
