/** POSTs each notification (and the digest) as JSON to a URL. A non-2xx answer or a network error rejects. */
import { digestJsonOf, type Digest } from '../../core/notifications/digest';
import { jsonOf, type Notification } from '../../core/notifications/notification';
import type { Notifier } from '../../core/notifications/notifier';

export interface WebhookNotifierOptions {
  timeoutMs?: number;
}

export class WebhookNotifier implements Notifier {
  private readonly timeoutMs: number;

  constructor(
    private readonly url: string,
    options: WebhookNotifierOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async notify(notification: Notification): Promise<void> {
    await this.post(jsonOf(notification));
  }

  async sendDigest(digest: Digest): Promise<void> {
    await this.post(digestJsonOf(digest));
  }

  private async post(body: unknown): Promise<void> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    }).catch((error: unknown) => {
      throw new Error(`webhook ${redact(this.url)} unreachable: ${error instanceof Error ? error.message : String(error)}`);
    });
    if (!response.ok) throw new Error(`webhook ${redact(this.url)} answered ${response.status}`);
  }

  async close(): Promise<void> {}
}

/** Webhook URLs often carry a token in the path or query: show only scheme and host. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}/…`;
  } catch {
    return '<invalid url>';
  }
}
