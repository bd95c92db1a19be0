/** Sends to several sinks at once; a failing sink does not stop the others. */
import type { Digest } from '../../core/notifications/digest';
import type { Notification } from '../../core/notifications/notification';
import type { Notifier } from '../../core/notifications/notifier';

/** Some sinks failed: which, for which message, and why (never the message itself). */
export class NotificationError extends Error {
  override readonly name = 'NotificationError';
  constructor(
    message: string,
    readonly failures: Array<{ sink: string; dedupKey: string; reason: string }>,
  ) {
    super(message);
  }
}

export class FanOutNotifier implements Notifier {
  constructor(private readonly sinks: ReadonlyArray<{ name: string; notifier: Notifier }>) {}

  notify(notification: Notification): Promise<void> {
    return this.toEvery(notification.dedupKey, (notifier) => notifier.notify(notification));
  }

  sendDigest(digest: Digest): Promise<void> {
    return this.toEvery(`digest/${digest.since}/${digest.until}`, (notifier) => notifier.sendDigest(digest));
  }

  private async toEvery(dedupKey: string, send: (notifier: Notifier) => Promise<void>): Promise<void> {
    const results = await Promise.allSettled(this.sinks.map(({ notifier }) => send(notifier)));
    const failures = results.flatMap((result, i) =>
      result.status === 'rejected'
        ? [{ sink: this.sinks[i]!.name, dedupKey, reason: result.reason instanceof Error ? result.reason.message : String(result.reason) }]
        : [],
    );
    if (failures.length > 0) throw new NotificationError(failures.map((f) => `${f.sink}: ${f.reason}`).join('; '), failures);
  }

  async close(): Promise<void> {
    await Promise.all(this.sinks.map(({ notifier }) => notifier.close()));
  }
}
