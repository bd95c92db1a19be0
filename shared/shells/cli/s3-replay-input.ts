/**
 * `replay s3://BUCKET/PREFIX... [--since T] [--until T] [--accounts a,b] [--regions r1,r2] [--concurrency N]
 * [--checkpoint FILE] [--endpoint-url URL]`: the trail buckets among a replay's inputs, composed here (the S3
 * client from the SDK's default credential and region chain, path-style with --endpoint-url), with the
 * checkpoint written only after the pipeline's store has flushed, and the progress bar on a terminal.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { ReplayCheckpoint } from '../../adapters/history/checkpoint';
import { emptyTrailCounts, readS3Trail, type TrailCounts } from '../../adapters/history/s3-trail';
import { parseS3Url } from '../../adapters/history/trail-layout';
import type { EventProcessor } from '../../app/pipeline/replay';
import type { IntakeItem, IntakeOptions } from '../../core/intake/types';
import { UsageError } from './compose';
import { type HistoryFlagValues, historyOptionsOf } from './history-options';
import type { Io } from './io';
import { replayProgress } from './replay-progress';

export interface S3ReplayInput {
  /** The local PATHs among the inputs (read by readEvents). */
  locals: string[];
  /** The trail buckets' items, when any input is `s3://`. */
  items: AsyncGenerator<IntakeItem> | undefined;
  /** The pipeline, with the checkpoint recording the objects finished whenever its flush succeeds. */
  processor(inner: EventProcessor): EventProcessor;
  counts: TrailCounts | undefined;
  /** Lines for standard error: what was skipped, refused or already done. */
  report(): string[];
  /** True when the checkpoint had every object listed (a rerun with nothing left: not a failure). */
  allAlreadyDone(): boolean;
  close(): void;
}

/** The S3 client of a replay: credentials and region from the SDK's default chain; an endpoint forces path-style. */
export function trailBucketClient(endpointUrl: string | undefined, env: NodeJS.ProcessEnv): S3Client {
  return new S3Client({
    // A trail bucket in another region than the configured one answers with a redirect the client follows.
    followRegionRedirects: true,
    ...(env.AWS_REGION || env.AWS_DEFAULT_REGION ? {} : { region: 'us-east-1' }),
    ...(endpointUrl !== undefined ? { endpoint: endpointUrl, forcePathStyle: true } : {}),
  });
}

export type S3ReplayFlags = HistoryFlagValues & { checkpoint?: string | undefined; json?: boolean | undefined };

export function s3ReplayInput(
  positionals: string[],
  flags: S3ReplayFlags,
  io: Pick<Io, 'env' | 'now' | 'terminal'>,
  intake: IntakeOptions,
): S3ReplayInput {
  const sources = positionals.filter((p) => p.startsWith('s3://'));
  const locals = positionals.filter((p) => !p.startsWith('s3://'));
  if (sources.length === 0) {
    if (flags.checkpoint !== undefined || flags.accounts !== undefined || flags.concurrency !== undefined)
      throw new UsageError('--checkpoint, --accounts and --concurrency apply to s3:// inputs only');
    return {
      locals,
      items: undefined,
      processor: (inner) => inner,
      counts: undefined,
      report: () => [],
      allAlreadyDone: () => false,
      close: () => {},
    };
  }
  const buckets = sources.map((source) => {
    const parsed = parseS3Url(source);
    if (parsed === undefined) throw new UsageError(`${source}: expected s3://BUCKET/PREFIX (e.g. s3://my-trail-bucket/AWSLogs/)`);
    return parsed;
  });
  const options = historyOptionsOf({ ...flags, ...(flags.regions === 'all' ? { regions: undefined } : {}) }, io.now());
  const checkpoint = flags.checkpoint === undefined ? undefined : ReplayCheckpoint.open(flags.checkpoint);
  const client = trailBucketClient(options.endpointUrl, io.env);
  const counts = emptyTrailCounts();
  const progress = replayProgress(flags.json ? undefined : io.terminal, counts);
  // Objects whose items were all applied, waiting for the flush that makes them durable.
  let consumed: string[] = [];
  const read = readS3Trail(buckets, {
    client,
    filter: { accounts: options.accounts, regions: options.regions, sinceMs: options.sinceMs, untilMs: options.untilMs },
    concurrency: options.concurrency,
    intake,
    counts,
    ...(checkpoint ? { alreadyDone: (url: string) => checkpoint.has(url) } : {}),
    onObjectConsumed: (url, refused) => {
      progress.objectDone();
      // A refused object is not finished: the next run with the checkpoint tries it again.
      if (!refused) consumed.push(url);
    },
  });
  async function* items(): AsyncGenerator<IntakeItem> {
    for await (const item of read) {
      if (item.kind === 'event') progress.event();
      yield item;
    }
  }
  return {
    locals,
    items: items(),
    counts,
    processor: (inner) => ({
      process: (event) => inner.process(event),
      ...(inner.record ? { record: inner.record.bind(inner) } : {}),
      flush: async () => {
        const finished = consumed;
        consumed = [];
        // Only after the store's writes (and the notifications owed) are durable; a failed flush records nothing.
        await inner.flush();
        checkpoint?.record(finished);
      },
    }),
    report: () => {
      const lines = [
        `s3: ${counts.listed} log files listed, ${counts.listed - counts.alreadyDone - counts.refused} read, ${counts.refused} refused, ${counts.alreadyDone} already done (checkpoint); skipped ${counts.digests} digest files and ${counts.notLogFiles} objects that are not log files`,
      ];
      if (counts.outsideWindow > 0) lines.push(`s3: ${counts.outsideWindow} events outside --since/--until left out`);
      return lines;
    },
    allAlreadyDone: () => counts.listed > 0 && counts.alreadyDone === counts.listed,
    close: () => {
      progress.stop();
      checkpoint?.close();
      client.destroy();
    },
  };
}
