/** Appends one JSON message per line to a file: notifications, roll-ups and digests. */
import { appendFileSync } from 'node:fs';
import { digestJsonOf, type Digest } from '../../core/notifications/digest';
import { jsonOf, type Notification } from '../../core/notifications/notification';
import type { Notifier } from '../../core/notifications/notifier';

export class JsonlNotifier implements Notifier {
  constructor(private readonly file: string) {}

  async notify(notification: Notification): Promise<void> {
    appendFileSync(this.file, `${JSON.stringify(jsonOf(notification))}\n`);
  }

  async sendDigest(digest: Digest): Promise<void> {
    appendFileSync(this.file, `${JSON.stringify(digestJsonOf(digest))}\n`);
  }

  async close(): Promise<void> {}
}
