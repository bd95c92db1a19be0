/**
 * A CloudTrail trail's bucket as an event source: lists the log files under `s3://BUCKET/PREFIX`
 * (pruned by account, region and UTC day, trail-layout.ts), then reads them through `readStream`, so
 * their records are read and refused exactly like a local file's, named `s3://bucket/key`.
 *
 * Reading: up to `concurrency` objects are fetched at once (a window ahead of the one being read, each
 * buffering at most PREFETCH_BYTES of its body), and their items are handed out in listing order, so a
 * run is deterministic and its memory bounded whatever the bucket holds.
 */
import { PassThrough } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { IntakeItem, IntakeOptions } from '../../core/intake/types';
import { readStream } from '../intake';
import {
  childLevel,
  classifyKey,
  levelOfPrefix,
  logFileWanted,
  pastLastDay,
  startAfterOf,
  type TrailFilter,
  type TrailLevel,
} from './trail-layout';

/** Bytes of one object's body fetched ahead of its reading. */
export const PREFETCH_BYTES = 8 * 1024 * 1024;

export interface TrailCounts {
  /** Log files listed (to read, or already done by the checkpoint). */
  listed: number;
  /** Log files skipped because the checkpoint has them. */
  alreadyDone: number;
  /** Digest files (`CloudTrail-Digest/`): never read. */
  digests: number;
  /** Objects that are not log files by their name or place. */
  notLogFiles: number;
  /** Objects that could not be fetched or read whole (named on a rejection). */
  refused: number;
  /** Events outside --since/--until in files of the boundary days. */
  outsideWindow: number;
  /** True once every source's listing has ended (`listed` is then the total). */
  listingDone: boolean;
}

export function emptyTrailCounts(): TrailCounts {
  return { listed: 0, alreadyDone: 0, digests: 0, notLogFiles: 0, refused: 0, outsideWindow: 0, listingDone: false };
}

export interface S3TrailSourceOptions {
  client: S3Client;
  filter: TrailFilter;
  /** Objects fetched at once (default 8). */
  concurrency?: number;
  intake?: IntakeOptions;
  /** Whether the object `s3://bucket/key` was already replayed (the checkpoint): not fetched. */
  alreadyDone?: (url: string) => boolean;
  /**
   * Every item of the object was handed out and the consumer has asked for the next item (so has
   * applied them): `refused` when the object could not be fetched or read whole.
   */
  onObjectConsumed?: (url: string, refused: boolean) => void;
  counts?: TrailCounts;
}

/** The names of a listed page (objects and folders) in key order, as one list. */
type Entry = { kind: 'object'; key: string } | { kind: 'folder'; prefix: string };

async function* listPages(
  client: S3Client,
  bucket: string,
  prefix: string,
  delimiter: boolean,
  startAfter?: string,
): AsyncGenerator<Entry[]> {
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ...(delimiter ? { Delimiter: '/' } : {}),
        ...(startAfter !== undefined && token === undefined ? { StartAfter: startAfter } : {}),
        ...(token !== undefined ? { ContinuationToken: token } : {}),
      }),
    );
    const entries: Entry[] = [
      ...(page.Contents ?? []).flatMap((o) => (o.Key !== undefined ? [{ kind: 'object' as const, key: o.Key }] : [])),
      ...(page.CommonPrefixes ?? []).flatMap((p) => (p.Prefix !== undefined ? [{ kind: 'folder' as const, prefix: p.Prefix }] : [])),
    ];
    entries.sort((a, b) => {
      const x = a.kind === 'object' ? a.key : a.prefix;
      const y = b.kind === 'object' ? b.key : b.prefix;
      return x < y ? -1 : x > y ? 1 : 0;
    });
    yield entries;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
}

/**
 * The keys of the log files under `prefix`, in key order. A prefix on a folder of the layout is walked
 * level by level (ListObjectsV2 with Delimiter `/`, StartAfter for the first wanted date), entering only
 * the folders the filter wants; any other prefix is listed flat and its keys filtered by the same rules.
 */
export async function* listTrailLogFiles(
  client: S3Client,
  bucket: string,
  prefix: string,
  filter: TrailFilter,
  counts: TrailCounts,
): AsyncGenerator<string> {
  const start = levelOfPrefix(prefix);
  if (start === undefined) {
    for await (const entries of listPages(client, bucket, prefix, false)) {
      for (const entry of entries) if (entry.kind === 'object') yield* keep(entry.key);
    }
    return;
  }
  yield* walk(prefix, start.level);

  function* keep(key: string): Generator<string> {
    const object = classifyKey(key);
    if (object.kind === 'digest') counts.digests += 1;
    else if (object.kind === 'other') counts.notLogFiles += 1;
    else if (logFileWanted(object, filter)) yield key;
  }

  async function* walk(folder: string, level: TrailLevel): AsyncGenerator<string> {
    const after = startAfterOf(level, filter);
    for await (const entries of listPages(client, bucket, folder, true, after === undefined ? undefined : folder + after)) {
      for (const entry of entries) {
        if (entry.kind === 'object') {
          // Objects beside the folders of the layout are not log files; in a day folder, their names decide.
          if (level.kind === 'day') yield* keep(entry.key);
          else counts.notLogFiles += 1;
          continue;
        }
        const name = entry.prefix.slice(folder.length, -1);
        if (pastLastDay(level, name, filter)) return;
        const child = childLevel(level, name, filter);
        if (child !== undefined) yield* walk(entry.prefix, child);
      }
    }
  }
}

/** A fetch started ahead: the body streaming into a bounded buffer, or why it could not be fetched. */
type Fetched = { body: NodeJS.ReadableStream } | { reason: string };

/** The error's name and message (SDK service errors carry both). */
function errorParts(error: unknown): { name: string; message: string } {
  const err = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; message?: unknown; Code?: unknown };
  const name = typeof err.Code === 'string' ? err.Code : typeof err.name === 'string' ? err.name : 'Error';
  return { name, message: typeof err.message === 'string' ? err.message : String(error) };
}

/**
 * Why GetObject failed, in one sentence naming the object. Reading an SSE-KMS object needs kms:Decrypt on
 * its key besides s3:GetObject ("All IAM roles which need to read data encrypted with SSE-KMS must have the
 * permissions to decrypt using the specific key", https://docs.cloudera.com/runtime/7.2.9/cloud-data-access/topics/cr-cda-iam-role-permissions-for-working-with-sse-kms.html;
 * https://aws.amazon.com/premiumsupport/knowledge-center/cross-account-access-denied-error-s3/). Without it S3
 * answers 403 AccessDenied, its message KMS's own ("The ciphertext refers to a customer master key that does
 * not exist, does not exist in this region, or you are not allowed to access",
 * https://linden.consulting/en/blog/kms-access-denied), or a `KMS.`-prefixed code for a key that is disabled,
 * pending deletion or missing (KMS's DisabledException, KMSInvalidStateException, NotFoundException). So: a
 * `KMS.` code, an AccessDenied whose message speaks of KMS or a ciphertext, or an AccessDenied on an object
 * HeadObject (which needs no key) says is `aws:kms`-encrypted, is a kms:Decrypt denial.
 */
async function describeGetError(client: S3Client, bucket: string, key: string, url: string, error: unknown): Promise<string> {
  const { name, message } = errorParts(error);
  const kms = `cannot read ${url}: kms:Decrypt was denied on its KMS key (the object is SSE-KMS encrypted): ${name}: ${message}`;
  if (name.startsWith('KMS.') || /KMS/.test(name)) return kms;
  if (name === 'AccessDenied' || name === 'AccessDeniedException') {
    if (/\bkms\b|ciphertext|customer master key/i.test(message)) return kms;
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      if (head.ServerSideEncryption?.startsWith('aws:kms')) return kms;
    } catch {
      // Not even its metadata: s3:GetObject itself is denied.
    }
    return `cannot read ${url}: access denied (s3:GetObject): ${message}`;
  }
  if (name === 'NoSuchKey') return `cannot read ${url}: it was deleted after the listing (NoSuchKey)`;
  return `cannot read ${url}: ${name}: ${message}`;
}

/**
 * Every item of the trail's log files under each `s3://bucket/prefix` source, in listing order: what
 * `readEvents` gives for files. An object that cannot be fetched is one rejection naming it
 * (`where.line` 0), and the others are read. Events outside since/until (in the files of the boundary
 * days) are left out and counted.
 */
export async function* readS3Trail(
  sources: ReadonlyArray<{ bucket: string; prefix: string }>,
  options: S3TrailSourceOptions,
): AsyncGenerator<IntakeItem> {
  const { client, filter } = options;
  const counts = options.counts ?? emptyTrailCounts();
  const concurrency = Math.max(1, options.concurrency ?? 8);

  async function* listed(): AsyncGenerator<{ bucket: string; key: string; url: string }> {
    for (const source of sources) {
      for await (const key of listTrailLogFiles(client, source.bucket, source.prefix, filter, counts)) {
        counts.listed += 1;
        const url = `s3://${source.bucket}/${key}`;
        if (options.alreadyDone?.(url)) {
          counts.alreadyDone += 1;
          continue;
        }
        yield { bucket: source.bucket, key, url };
      }
    }
    counts.listingDone = true;
  }

  const fetch = async (bucket: string, key: string, url: string): Promise<Fetched> => {
    try {
      const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const body = answer.Body as NodeJS.ReadableStream | undefined;
      if (body === undefined) return { reason: `cannot read ${url}: S3 answered without a body` };
      const buffer = new PassThrough({ highWaterMark: PREFETCH_BYTES });
      body.on('error', (error) => buffer.destroy(error));
      body.pipe(buffer);
      return { body: buffer };
    } catch (error) {
      return { reason: await describeGetError(client, bucket, key, url, error) };
    }
  };

  const window: Array<{ url: string; fetched: Promise<Fetched> }> = [];
  const objects = listed();
  let exhausted = false;
  const fill = async () => {
    while (!exhausted && window.length < concurrency) {
      const next = await objects.next();
      if (next.done) {
        exhausted = true;
        return;
      }
      const { bucket, key, url } = next.value;
      window.push({ url, fetched: fetch(bucket, key, url) });
    }
  };
  try {
    for (;;) {
      await fill();
      const current = window.shift();
      if (current === undefined) return;
      const fetched = await current.fetched;
      let refused = false;
      if ('reason' in fetched) {
        refused = true;
        yield { kind: 'rejected', where: { file: current.url, line: 0 }, reason: fetched.reason };
      } else {
        for await (const item of readStream(current.url, () => fetched.body, options.intake)) {
          if (item.kind === 'rejected') {
            // A rejection of the whole object (line 0: unreadable, corrupt gzip, not text) refuses it.
            if (item.where.line === 0) refused = true;
            yield item;
            continue;
          }
          const time = Date.parse(item.event.time);
          if ((filter.sinceMs !== undefined && time < filter.sinceMs) || (filter.untilMs !== undefined && time > filter.untilMs)) {
            counts.outsideWindow += 1;
            continue;
          }
          yield item;
        }
      }
      if (refused) counts.refused += 1;
      // Reached when the consumer asks for the item after this object's last one: it has applied them all.
      options.onObjectConsumed?.(current.url, refused);
    }
  } finally {
    // Stopped early: the bodies fetched ahead are dropped (their sockets released).
    for (const pending of window) {
      void pending.fetched.then((f) => {
        if ('body' in f) (f.body as PassThrough).destroy();
      });
    }
    await objects.return(undefined);
  }
}
