/**
 * Prints notifications and the digest for a person reading the terminal. The text is inert: a
 * control, bidi or invisible character an event put in it is shown as an escape (`\x1b`, `\u202e`),
 * never sent to the terminal raw (the messages are built inert; this holds for any text it gets).
 */
import { digestTextOf, type Digest } from '../../core/notifications/digest';
import { textOf, type Notification } from '../../core/notifications/notification';
import type { Notifier } from '../../core/notifications/notifier';
import { inertText } from '../../core/model/text';

export class ConsoleNotifier implements Notifier {
  /** `write` gets each message with its separating blank line (default: standard error). */
  constructor(private readonly write: (text: string) => void = (text) => process.stderr.write(text)) {}

  async notify(notification: Notification): Promise<void> {
    this.write(`${inertText(textOf(notification), 'lines')}\n\n`);
  }

  async sendDigest(digest: Digest): Promise<void> {
    this.write(`${inertText(digestTextOf(digest), 'lines')}\n\n`);
  }

  async close(): Promise<void> {}
}
