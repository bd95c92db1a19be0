/**
 * A replay's progress on a terminal, one implementation for its three sources: local files (files and
 * bytes done), a trail bucket (objects done of the total, `…` after it while the listing is still going)
 * and LookupEvents (how far back in the period the pages reached); each with the events read, events/s
 * and the ETA, redrawn in place by cli-progress. Only when standard error is a terminal and the output is
 * not `--json`; otherwise nothing is drawn.
 */
import { SingleBar } from 'cli-progress';
import type { TrailCounts } from '../../adapters/history/s3-trail';

/**
 * The bar every source draws: its own part of the line (`format`), then the events, their rate and the
 * ETA, which cli-progress reckons from the value's progress towards the total.
 */
class EventsBar {
  private readonly bar: SingleBar;
  private readonly started = Date.now();
  events = 0;

  constructor(terminal: NodeJS.WritableStream, format: string, etaBuffer: number) {
    this.bar = new SingleBar({
      stream: terminal,
      format: `${format} | {events} events | {rate} events/s | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer,
    });
  }

  private payload(extra: Record<string, string | number>): Record<string, string | number> {
    return { ...extra, events: this.events, rate: Math.round(this.events / Math.max(0.001, (Date.now() - this.started) / 1000)) };
  }

  start(total: number, value: number, extra: Record<string, string | number> = {}): void {
    this.bar.start(total, value, this.payload(extra));
  }

  update(value: number, extra: Record<string, string | number> = {}, total?: number): void {
    if (total !== undefined) this.bar.setTotal(total);
    this.bar.update(value, this.payload(extra));
  }

  stop(): void {
    this.bar.stop();
  }
}

export interface ReplayProgress {
  event(): void;
  objectDone(): void;
  stop(): void;
}

const SILENT: ReplayProgress = { event: () => {}, objectDone: () => {}, stop: () => {} };

/** Redraws at most this often (cli-progress throttles drawing; this throttles our updates of its payload). */
const UPDATE_EVERY_MS = 200;

/**
 * LookupEvents' progress on a terminal: pages and events fetched, events/s, and how far back in the period
 * the regions have read (pages come newest first), with the ETA that gives.
 */
export interface LookupProgress {
  page(page: { region: string; events: number; oldest?: Date }): void;
  stop(): void;
}

export function lookupProgress(
  terminal: NodeJS.WritableStream | undefined,
  period: { start: Date; end: Date },
  regions: readonly string[],
): LookupProgress {
  if (terminal === undefined) return { page: () => {}, stop: () => {} };
  const span = Math.max(1, period.end.getTime() - period.start.getTime());
  // How far back each region has read, as a share of the period (0 to 1000).
  const reached = new Map(regions.map((region) => [region, 0]));
  const bar = new EventsBar(terminal, 'lookup-events {bar} {percentage}% of the period | {pages} pages', 20);
  let pages = 0;
  bar.start(1000 * regions.length, 0, { pages });
  return {
    page: (page) => {
      pages += 1;
      bar.events += page.events;
      if (page.oldest !== undefined) {
        const share = Math.round((1000 * (period.end.getTime() - page.oldest.getTime())) / span);
        reached.set(page.region, Math.max(reached.get(page.region) ?? 0, Math.min(1000, share)));
      }
      bar.update(
        [...reached.values()].reduce((sum, share) => sum + share, 0),
        { pages },
      );
    },
    stop: () => {
      bar.update(1000 * regions.length, { pages });
      bar.stop();
    },
  };
}

export function replayProgress(terminal: NodeJS.WritableStream | undefined, counts: TrailCounts | undefined): ReplayProgress {
  if (terminal === undefined || counts === undefined) return SILENT;
  const bar = new EventsBar(terminal, 'replay {bar} {value}/{total}{more} objects', 50);
  let done = 0;
  let last = 0;
  const more = () => ({ more: counts.listingDone ? '' : '…' });
  bar.start(0, 0, more());
  const redraw = () => {
    last = Date.now();
    bar.update(done, more(), counts.listed - counts.alreadyDone);
  };
  return {
    event: () => {
      bar.events += 1;
      if (Date.now() - last >= UPDATE_EVERY_MS) redraw();
    },
    objectDone: () => {
      done += 1;
      redraw();
    },
    stop: () => {
      redraw();
      bar.stop();
    },
  };
}

/** A local replay's progress: its files (and their sizes, known before reading) done. */
export interface LocalProgress {
  /** An event of this file was read: the files before it in the list are done. */
  event(file: string): void;
  stop(): void;
}

/** A local replay shows its progress when its files hold at least this much (a shorter one is over at once). */
export const LOCAL_PROGRESS_MIN_BYTES = 8 * 1024 * 1024;

/** `12.5 MB`: a size as the progress shows it (powers of 1000, as file managers show them). */
export function sizeText(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/**
 * Files and bytes done of the total, events and events/s, ETA from the bytes. A file counts as done when
 * an event of a file after it is read (files are read in the order listed), all of them at the end.
 */
export function localProgress(
  terminal: NodeJS.WritableStream | undefined,
  files: ReadonlyArray<{ path: string; bytes: number }>,
  minBytes = LOCAL_PROGRESS_MIN_BYTES,
): LocalProgress {
  const totalBytes = files.reduce((sum, file) => sum + file.bytes, 0);
  if (terminal === undefined || files.length === 0 || totalBytes < minBytes) return { event: () => {}, stop: () => {} };
  const index = new Map(files.map((file, i) => [file.path, i]));
  // Bytes of the files before each index.
  const before = [0];
  for (const file of files) before.push(before[before.length - 1]! + file.bytes);
  const bar = new EventsBar(terminal, 'replay {bar} {percentage}% | {files}/{totalFiles} files | {bytes}/{totalBytes}', 50);
  let current = 0;
  let last = 0;
  const extra = () => ({ files: current, totalFiles: files.length, bytes: sizeText(before[current]!), totalBytes: sizeText(totalBytes) });
  bar.start(totalBytes, 0, extra());
  return {
    event: (file) => {
      bar.events += 1;
      const at = index.get(file);
      const moved = at !== undefined && at > current;
      if (moved) current = at;
      if (moved || Date.now() - last >= UPDATE_EVERY_MS) {
        last = Date.now();
        bar.update(before[current]!, extra());
      }
    },
    stop: () => {
      current = files.length;
      bar.update(totalBytes, extra());
      bar.stop();
    },
  };
}
