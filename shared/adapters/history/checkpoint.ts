/**
 * A replay's checkpoint file: the objects it has finished, one `s3://bucket/key` per line, appended and
 * fsync'd. An object is written only once all its events were applied and the store flushed (the caller
 * decides when: replay-command.ts records after each successful flush), so a run killed at any point
 * and started again with the same file reads every object it had not finished, and nothing it had.
 *
 * A line cut by a crash (no final newline) is not a finished object: it is dropped when the file is
 * opened, and the next append starts on a line of its own.
 */
import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';

export class ReplayCheckpoint {
  private readonly done: Set<string>;
  private readonly fd: number;

  private constructor(
    readonly path: string,
    done: Set<string>,
    fd: number,
  ) {
    this.done = done;
    this.fd = fd;
  }

  /** Opens (or creates) the checkpoint at `path`, reading what it records. */
  static open(path: string): ReplayCheckpoint {
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const whole = text.endsWith('\n') || text === '' ? text : text.slice(0, text.lastIndexOf('\n') + 1);
    const done = new Set(whole.split('\n').filter((line) => line !== ''));
    const fd = openSync(path, 'a+');
    if (whole.length !== text.length) {
      // The cut line of a killed append: removed, so appends stay whole lines.
      ftruncateSync(fd, Buffer.byteLength(whole));
      fsyncSync(fd);
    }
    return new ReplayCheckpoint(path, done, fd);
  }

  has(url: string): boolean {
    return this.done.has(url);
  }

  /** How many objects it records. */
  get size(): number {
    return this.done.size;
  }

  /** Records these objects as finished, durably (one write, then fsync) before returning. */
  record(urls: readonly string[]): void {
    const fresh = urls.filter((url) => !this.done.has(url) && !url.includes('\n'));
    if (fresh.length === 0) return;
    writeSync(this.fd, `${fresh.join('\n')}\n`);
    fsyncSync(this.fd);
    for (const url of fresh) this.done.add(url);
  }

  close(): void {
    closeSync(this.fd);
  }
}
