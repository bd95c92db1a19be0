/** Prints notifications and the digest for a person reading the terminal. */
import { digestTextOf, type Digest } from '../../core/notifications/digest';
import { textOf, type Notification } from '../../core/notifications/notification';
import type { Notifier } from '../../core/notifications/notifier';

export class ConsoleNotifier implements Notifier {
  /** `write` gets each message with its separating blank line (default: standard error). */
  constructor(private readonly write: (text: string) => void = (text) => process.stderr.write(text)) {}

  async notify(notification: Notification): Promise<void> {
    this.write(`${textOf(notification)}\n\n`);
  }

  async sendDigest(digest: Digest): Promise<void> {
    this.write(`${digestTextOf(digest)}\n\n`);
  }

  async close(): Promise<void> {}
}
