/**
 * Appends one JSON message per line to a file: notifications, roll-ups and digests. Each message is
 * one append of a whole line. A crash in the middle of an append (SIGKILL while a long line was
 * being written) can still leave part of a line at the end of the file: the next process that
 * appends cuts it off first, so the file only ever holds whole lines. The cut message was never
 * recorded as sent, so it is sent again.
 */
import { appendFileSync, closeSync, fstatSync, ftruncateSync, openSync, readSync } from 'node:fs';
import { digestJsonOf, type Digest } from '../../core/notifications/digest';
import { jsonOf, type Notification } from '../../core/notifications/notification';
import type { Notifier } from '../../core/notifications/notifier';

const TAIL_CHUNK = 64 * 1024;

/** Cuts a partial last line (one that does not end with a newline) off the file; a missing file is fine. */
export function cutPartialLastLine(file: string): void {
  let fd: number;
  try {
    fd = openSync(file, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    const size = fstatSync(fd).size;
    const buffer = Buffer.alloc(TAIL_CHUNK);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - TAIL_CHUNK);
      const read = readSync(fd, buffer, 0, end - start, start);
      const newline = buffer.subarray(0, read).lastIndexOf(0x0a);
      if (newline >= 0) {
        const keep = start + newline + 1;
        if (keep < size) ftruncateSync(fd, keep);
        return;
      }
      end = start;
    }
    if (size > 0) ftruncateSync(fd, 0);
  } finally {
    closeSync(fd);
  }
}

export class JsonlNotifier implements Notifier {
  private checked = false;

  constructor(private readonly file: string) {}

  async notify(notification: Notification): Promise<void> {
    this.append(jsonOf(notification));
  }

  async sendDigest(digest: Digest): Promise<void> {
    this.append(digestJsonOf(digest));
  }

  private append(message: Record<string, unknown>): void {
    if (!this.checked) {
      cutPartialLastLine(this.file);
      this.checked = true;
    }
    appendFileSync(this.file, `${JSON.stringify(message)}\n`);
  }

  async close(): Promise<void> {}
}
