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
