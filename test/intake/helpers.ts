/** Shared helpers for the intake tests (not a test file itself). */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { readEvents } from '../../shared/adapters/intake';
import type { IntakeItem, IntakeOptions } from '../../shared/core/intake/types';

export const FIXTURES = resolve(__dirname, 'fixtures');

export type Rejected = Extract<IntakeItem, { kind: 'rejected' }>;
export type Accepted = Extract<IntakeItem, { kind: 'event' }>;

export async function collect(inputs: string[], options?: IntakeOptions, stdin?: NodeJS.ReadableStream): Promise<IntakeItem[]> {
  const items: IntakeItem[] = [];
  for await (const item of readEvents(inputs, options, stdin)) items.push(item);
  return items;
}

export const events = (items: IntakeItem[]) => items.filter((item): item is Accepted => item.kind === 'event');
export const rejections = (items: IntakeItem[]) => items.filter((item): item is Rejected => item.kind === 'rejected');

/** A temporary directory, removed by the returned cleanup. */
export function tempDir(): { dir: string; write: (name: string, data: string | Buffer) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'trailwarden-intake-'));
  return {
    dir,
    write(name, data) {
      const file = join(dir, name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, data);
      return file;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A stream that hands out `data` in pieces of the given byte sizes (cycled), like a pipe would. */
export function chunkedStream(data: string | Buffer, sizes: number[] = [data.length]): Readable {
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
  const pieces: Buffer[] = [];
  for (let at = 0, k = 0; at < bytes.length; k += 1) {
    const size = Math.max(1, sizes[k % sizes.length]);
    pieces.push(bytes.subarray(at, at + size));
    at += size;
  }
  return Readable.from(pieces, { objectMode: false });
}

/**
 * A CloudTrail record whose strings hold what trips naive scanners: escaped quotes, backslashes
 * (also right before a closing quote), brackets, the word Records, non-ASCII text and escapes.
 */
export function ctRecord(i: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLEUSERID',
      arn: 'arn:aws:iam::111122223333:user/alice',
      accountId: '111122223333',
      userName: 'alice',
    },
    eventTime: '2024-05-01T12:00:00Z',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RunInstances',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: {
      note: `record ${i}: "quoted" {braces} [brackets] , : "Records":[ ends with a backslash \\`,
      path: 'C:\\temp\\',
      text: 'café ☕ 😀 \u2028 \t tab',
      nested: { list: [1, 2.5, -3e2, true, false, null, { deep: ['x'] }] },
    },
    responseElements: null,
    requestID: `req-${i}`,
    eventID: `evt-${i}`,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
    ...overrides,
  };
}

/** `{"Records":[...]}` on one line, as CloudTrail writes it to S3. */
export function recordsFile(records: unknown[]): string {
  return `{"Records":[${records.map((record) => JSON.stringify(record)).join(',')}]}`;
}
