/** The notifier port, and a fan-out to several sinks. */
import type { Notification } from './notification';

export interface Notifier {
  /** Rejects when the notification could not be delivered. */
  notify(notification: Notification): Promise<void>;
  close(): Promise<void>;
}

export class NotificationError extends Error {
  override readonly name = 'NotificationError';
  constructor(
    message: string,
    readonly failures: Array<{ sink: string; dedupKey: string; reason: string }>,
  ) {
    super(message);
  }
}

/** Sends each notification to every sink; a failing sink does not stop the others. */
export class FanOutNotifier implements Notifier {
  constructor(private readonly sinks: Array<{ name: string; notifier: Notifier }>) {}

  async notify(notification: Notification): Promise<void> {
    const results = await Promise.allSettled(this.sinks.map(({ notifier }) => notifier.notify(notification)));
    const failures = results.flatMap((result, i) =>
      result.status === 'rejected'
        ? [{ sink: this.sinks[i]!.name, dedupKey: notification.dedupKey, reason: result.reason instanceof Error ? result.reason.message : String(result.reason) }]
        : [],
    );
    if (failures.length > 0) {
      throw new NotificationError(failures.map((f) => `${f.sink}: ${f.reason}`).join('; '), failures);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.sinks.map(({ notifier }) => notifier.close()));
  }
}
