/**
 * Large answers in an S3 bucket (the stack's AnswersBucket, shared/infra/answers-bucket.ts), handed
 * out as presigned GET URLs. The body is written as it is rendered, never whole in memory: one
 * PutObject when it ends within the first part, else a multipart upload of parts of `partBytes`,
 * aborted when anything fails (and the bucket's lifecycle rule removes what an abort could not).
 *
 * The object gets the inline answer's Content-Type, a Content-Disposition naming the file, and
 * `Cache-Control: no-store`, so the download behaves like the answer would have. Its key is
 * `answers/` and 128 random bits: nobody can guess another caller's answer. The bucket's default
 * encryption (SSE-KMS with the stack key) encrypts it; nothing here names a key.
 */
import { randomBytes } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  type CompletedPart,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { LargeAnswer, LargeAnswerStore, StoredAnswer } from '../../app/api/large-answers';
import { ANSWER_KEY_PREFIX } from './answer-keys';

/**
 * How long a link works: 15 minutes, enough to start a download, short enough that a leaked link is
 * soon useless. A presigned URL also stops working when the credentials that signed it expire — in
 * Lambda, the execution role's temporary credentials — even if that comes first ("If you created a
 * presigned URL using a temporary token, then the URL expires when the token expires",
 * https://repost.aws/knowledge-center/presigned-url-s3-bucket-expiration); `expiresAt` says which.
 */
export const ANSWER_URL_EXPIRY_SECONDS = 15 * 60;

/**
 * S3's smallest part of a multipart upload, but for the last: 5 MiB ("Part size: 5 MiB to 5 GiB. There
 * is no minimum size limit on the last part", https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html).
 */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
/** Parts of 8 MiB: at most 10,000 parts make 78 GiB, far above any export; memory holds one part. */
export const DEFAULT_PART_BYTES = 8 * 1024 * 1024;

export interface S3AnswerStoreOptions {
  client: S3Client;
  bucket: string;
  /** The signing time of the links (default: the wall clock). */
  now?: () => Date;
  expiresInSeconds?: number;
  /** Bytes buffered per uploaded part (at least MIN_PART_BYTES). */
  partBytes?: number;
}

/** `attachment; filename="…"`, with only characters that need no quoting or encoding. */
function attachment(filename: string): string {
  return `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`;
}

interface ObjectHeaders {
  ContentType: string;
  ContentDisposition: string;
  CacheControl: string;
}

export class S3AnswerStore implements LargeAnswerStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly now: () => Date;
  private readonly expiresInSeconds: number;
  private readonly partBytes: number;

  constructor(options: S3AnswerStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.now = options.now ?? (() => new Date());
    this.expiresInSeconds = options.expiresInSeconds ?? ANSWER_URL_EXPIRY_SECONDS;
    this.partBytes = options.partBytes ?? DEFAULT_PART_BYTES;
    if (!Number.isInteger(this.partBytes) || this.partBytes < MIN_PART_BYTES) {
      throw new RangeError(`a part must be at least ${MIN_PART_BYTES} bytes, not ${this.partBytes}`);
    }
  }

  async store(answer: LargeAnswer): Promise<StoredAnswer> {
    const key = `${ANSWER_KEY_PREFIX}${randomBytes(16).toString('hex')}`;
    const headers: ObjectHeaders = {
      ContentType: answer.contentType,
      ContentDisposition: attachment(answer.filename),
      CacheControl: 'no-store',
    };
    const bytes = await this.write(key, headers, answer.chunks);
    const signedAt = this.now();
    const url = await getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
      expiresIn: this.expiresInSeconds,
      signingDate: signedAt,
    });
    return { url, expiresAt: await this.expiryOf(signedAt), bytes };
  }

  /** The link's end: its own expiry, or the signing credentials' when they expire sooner. */
  private async expiryOf(signedAt: Date): Promise<Date> {
    const own = new Date(signedAt.getTime() + this.expiresInSeconds * 1000);
    const credentials = await this.client.config.credentials();
    const until = credentials.expiration;
    return until && until.getTime() < own.getTime() ? until : own;
  }

  /** Writes the body under `key` as it is read; its size in bytes. */
  private async write(key: string, headers: ObjectHeaders, chunks: AsyncIterable<string>): Promise<number> {
    const pending: Buffer[] = [];
    let pendingBytes = 0;
    let total = 0;
    let upload: { id: string; parts: CompletedPart[] } | undefined;
    try {
      // A throw in the loop (an upload failing) stops the body's stream: `for await` calls its return().
      for await (const chunk of chunks) {
        const bytes = Buffer.from(chunk, 'utf8');
        pending.push(bytes);
        pendingBytes += bytes.length;
        total += bytes.length;
        if (pendingBytes >= this.partBytes) {
          upload ??= await this.begin(key, headers);
          await this.uploadPart(key, upload, Buffer.concat(pending, pendingBytes));
          pending.length = 0;
          pendingBytes = 0;
        }
      }
      const rest = Buffer.concat(pending, pendingBytes);
      if (!upload) {
        await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: rest, ContentLength: rest.length, ...headers }));
        return total;
      }
      if (rest.length > 0) await this.uploadPart(key, upload, rest);
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId: upload.id,
          MultipartUpload: { Parts: upload.parts },
        }),
      );
      return total;
    } catch (error) {
      if (upload) {
        const abort = new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: upload.id });
        // Best effort: the bucket's lifecycle rule aborts what is left after a day.
        await this.client.send(abort).catch(() => undefined);
      }
      throw error;
    }
  }

  private async begin(key: string, headers: ObjectHeaders): Promise<{ id: string; parts: CompletedPart[] }> {
    // Parts carry CRC32 checksums, declared here and named again, per part, when completing.
    const created = await this.client.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ChecksumAlgorithm: 'CRC32', ...headers }),
    );
    if (!created.UploadId) throw new Error(`S3 started no multipart upload for ${key}`);
    return { id: created.UploadId, parts: [] };
  }

  private async uploadPart(key: string, upload: { id: string; parts: CompletedPart[] }, body: Buffer): Promise<void> {
    const partNumber = upload.parts.length + 1;
    const sent = await this.client.send(
      new UploadPartCommand({
        Bucket: this.bucket,
        Key: key,
        UploadId: upload.id,
        PartNumber: partNumber,
        Body: body,
        ContentLength: body.length,
        ChecksumAlgorithm: 'CRC32',
      }),
    );
    upload.parts.push({
      PartNumber: partNumber,
      ETag: sent.ETag,
      ...(sent.ChecksumCRC32 !== undefined ? { ChecksumCRC32: sent.ChecksumCRC32 } : {}),
    });
  }
}
