/** The notifier port: where notifications, roll-ups and the daily digest go. Adapters: shared/adapters/notify. */
import type { Digest } from './digest';
import type { Notification } from './notification';

export interface Notifier {
  /** A finding's transition or a roll-up. Rejects when it could not be delivered. */
  notify(notification: Notification): Promise<void>;
  /** The digest of findings below the paging threshold: for a mailbox, never a pager. Rejects when it could not be delivered. */
  sendDigest(digest: Digest): Promise<void>;
  close(): Promise<void>;
}
