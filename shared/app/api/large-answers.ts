/**
 * Answers too large for the shell that sends them (the api Lambda function answers in one piece, at
 * most 6 MB): the document is written to a store and the client gets a short-lived link to it instead
 * (CONTRACT.md, "Large answers"). The port is here; the S3 adapter is shared/adapters/s3/answer-store.ts,
 * and only the Lambda composition wires one. The local server streams every answer and needs none.
 */
import { isFrameworkId } from '../../core/model/framework';
import type { AnswerReference } from './contract';

/** A rendered export or report, handed over whole, in order, as the router produced it. */
export interface LargeAnswer {
  /** The Content-Type the inline answer would have had. */
  contentType: string;
  /** The name the download is saved under (Content-Disposition). */
  filename: string;
  /** The body's text, in order; the store reads it to the end, or stops and throws. */
  chunks: AsyncIterable<string>;
}

/** Where a stored answer can be fetched, until when, and how large it is. */
export interface StoredAnswer {
  /** A URL that needs no other credential (it carries its own authorization). */
  url: string;
  /** When the URL stops working. */
  expiresAt: Date;
  /** The body's size in bytes (UTF-8). */
  bytes: number;
}

/** Keeps large answers for a short while and hands out links to them. */
export interface LargeAnswerStore {
  /** Stores the whole answer (rejecting when it could not, with nothing left behind to fetch). */
  store(answer: LargeAnswer): Promise<StoredAnswer>;
}

/** The body of the answer that points to a stored one. */
export function answerReference(stored: StoredAnswer, contentType: string): AnswerReference {
  return { url: stored.url, expiresAt: stored.expiresAt.toISOString(), bytes: stored.bytes, contentType };
}

/** The extension of a document of this content type. */
function extensionOf(contentType: string): string {
  if (/^text\/csv\b/i.test(contentType)) return 'csv';
  if (/^text\/html\b/i.test(contentType)) return 'html';
  if (/^text\/markdown\b/i.test(contentType)) return 'md';
  if (/json\b/i.test(contentType)) return 'json';
  return 'txt';
}

/**
 * The file name of an export or report download, from its route: `trailwarden-findings.csv`,
 * `trailwarden-findings-ocsf.json`, `trailwarden-report-cis-aws.json`. Only catalogue names reach
 * it (the router refused anything else), and nothing but `[a-z0-9.-]` is kept.
 */
export function documentFilename(path: string, format: string | undefined, contentType: string): string {
  const extension = extensionOf(contentType);
  const report = /^\/api\/reports\/([^/]+)$/.exec(path);
  let stem = 'trailwarden-answer';
  if (report && isFrameworkId(report[1])) stem = `trailwarden-report-${report[1]}`;
  else if (path === '/api/export') stem = format && format !== extension ? `trailwarden-findings-${format}` : 'trailwarden-findings';
  return `${stem.toLowerCase().replace(/[^a-z0-9.-]+/g, '-')}.${extension}`;
}
