/**
 * A replay's progress on a terminal: objects done of the total (`…` after it while the listing is still
 * going), events read, events/s and the ETA, redrawn in place by cli-progress. Only when standard error
 * is a terminal and the output is not `--json`; otherwise nothing is drawn.
 */
import { SingleBar } from 'cli-progress';
import type { TrailCounts } from '../../adapters/history/s3-trail';

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
  const bar = new SingleBar({
    stream: terminal,
    format: 'lookup-events {bar} {percentage}% of the period | {pages} pages | {events} events | {rate} events/s | ETA {eta_formatted}',
    hideCursor: true,
    clearOnComplete: false,
    etaBuffer: 20,
  });
  const started = Date.now();
  let pages = 0;
  let events = 0;
  const payload = () => ({ pages, events, rate: Math.round(events / Math.max(0.001, (Date.now() - started) / 1000)) });
  bar.start(1000 * regions.length, 0, payload());
  return {
    page: (page) => {
      pages += 1;
      events += page.events;
      if (page.oldest !== undefined) {
        const share = Math.round((1000 * (period.end.getTime() - page.oldest.getTime())) / span);
        reached.set(page.region, Math.max(reached.get(page.region) ?? 0, Math.min(1000, share)));
      }
      bar.update(
        [...reached.values()].reduce((sum, share) => sum + share, 0),
        payload(),
      );
    },
    stop: () => {
      bar.update(1000 * regions.length, payload());
      bar.stop();
    },
  };
}

export function replayProgress(terminal: NodeJS.WritableStream | undefined, counts: TrailCounts | undefined): ReplayProgress {
  if (terminal === undefined || counts === undefined) return SILENT;
  const bar = new SingleBar({
    stream: terminal,
    format: 'replay {bar} {value}/{total}{more} objects | {events} events | {rate} events/s | ETA {eta_formatted}',
    hideCursor: true,
    clearOnComplete: false,
    etaBuffer: 50,
  });
  const started = Date.now();
  let events = 0;
  let done = 0;
  let last = 0;
  const payload = () => ({
    events,
    rate: Math.round(events / Math.max(0.001, (Date.now() - started) / 1000)),
    more: counts.listingDone ? '' : '…',
  });
  bar.start(0, 0, payload());
  const redraw = () => {
    last = Date.now();
    bar.setTotal(counts.listed - counts.alreadyDone);
    bar.update(done, payload());
  };
  return {
    event: () => {
      events += 1;
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
