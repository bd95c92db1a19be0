/** A notifier that records what it was given and can be made to fail, as a sink that is down does. */
import type { Digest } from '../../shared/core/notifications/digest';
import type { Notification } from '../../shared/core/notifications/notification';
import type { Notifier } from '../../shared/core/notifications/notifier';

export interface RecordingNotifier extends Notifier {
  /** Notifications accepted, in order (copies). */
  readonly sent: Notification[];
  /** Digests accepted, in order (copies). */
  readonly digests: Digest[];
  /** While true, every send rejects with "sink down" and records nothing. */
  failing: boolean;
}

export function recordingNotifier(options: { failing?: () => boolean } = {}): RecordingNotifier {
  const notifier: RecordingNotifier = {
    sent: [],
    digests: [],
    failing: false,
    notify: async (notification) => {
      if (notifier.failing || options.failing?.()) throw new Error('sink down');
      notifier.sent.push(structuredClone(notification));
    },
    sendDigest: async (digest) => {
      if (notifier.failing || options.failing?.()) throw new Error('sink down');
      notifier.digests.push(structuredClone(digest));
    },
    close: async () => undefined,
  };
  return notifier;
}
