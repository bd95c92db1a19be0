/** Appends one JSON message per line to a file. */
import { appendFileSync } from 'node:fs';
import type { Notifier } from '../../core/notifications/notifier';
import { jsonOf, type Notification } from '../../core/notifications/notification';

export class JsonlNotifier implements Notifier {
  constructor(private readonly file: string) {}

  async notify(notification: Notification): Promise<void> {
    appendFileSync(this.file, `${JSON.stringify(jsonOf(notification))}\n`);
  }

  async close(): Promise<void> {}
}
