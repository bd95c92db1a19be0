/** Prints notifications for a person reading the terminal. */
import type { Notifier } from '../../core/notifications/notifier';
import { textOf, type Notification } from '../../core/notifications/notification';

export class ConsoleNotifier implements Notifier {
  constructor(private readonly write: (text: string) => void = (text) => process.stderr.write(text)) {}

  async notify(notification: Notification): Promise<void> {
    this.write(`${textOf(notification)}\n\n`);
  }

  async close(): Promise<void> {}
}
