/**
 * Puts each finding transition on an EventBridge bus with PutEvents, so rules on the bus can route
 * findings to any target (a ticketing Lambda, a Step Functions workflow, another account's bus).
 *
 * The event is shaped like Security Hub's "Security Hub Findings - Imported" event (one finding per
 * event, the finding in `detail`; AWS Security Hub User Guide, "EventBridge event formats for
 * Security Hub CSPM"): source `trailwarden`, detail-type `trailwarden Finding`, and a detail with
 * the finding, the transition, the control and its frameworks (see FindingEventDetail). A roll-up
 * goes out as `trailwarden Finding Roll-up`; the digest is for mailboxes and is not put on the bus.
 *
 * Facts from the Amazon EventBridge documentation:
 * - PutEvents takes 1 to 10 entries per request (API Reference, PutEvents, `Entries`: "Array
 *   Members: Minimum number of 1 item. Maximum number of 10 items").
 * - An entry's size is the UTF-8 bytes of Source, DetailType, Detail and each Resources entry, plus
 *   14 bytes for Time when given; the entries of one request must total less than 256 KB (User
 *   Guide, "Calculating PutEvents event entry size"; API Reference, PutEvents).
 * - A request can succeed while some entries fail: FailedEntryCount counts them, and the response's
 *   Entries match the request's in order, each with an EventId or an ErrorCode (User Guide,
 *   "Sending events with PutEvents", Handling failures). InternalFailure and ThrottlingException
 *   are retryable, the other codes are not (API Reference, PutEventsResultEntry).
 *
 * Only the failed entries are sent again, after a backoff with full jitter: an accepted entry is
 * never put twice by one `notify`. When the attempts run out the notifier rejects, and delivery
 * leaves the notification owed (shared/app/delivery): a later retry puts the whole notification
 * again. EventBridge itself delivers at least once, so consumers dedupe on `detail.id`
 * (`<findingId>:<eventId>:<transition>`), stable across retries and redeliveries.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Finding } from '../../core/findings/finding';
import { backoffDelay } from '../backoff';
import { maskSecrets } from '../../core/findings/mask';
import type { ControlSummary } from '../../core/model/control-metadata';
import type { Digest } from '../../core/notifications/digest';
import type { Notification } from '../../core/notifications/notification';
import type { Notifier } from '../../core/notifications/notifier';

export const FINDING_EVENT_SOURCE = 'trailwarden';
export const FINDING_EVENT_DETAIL_TYPE = 'trailwarden Finding';
export const ROLLUP_EVENT_DETAIL_TYPE = 'trailwarden Finding Roll-up';

/** Entries one PutEvents request takes at most (API Reference, PutEvents). */
export const PUT_EVENTS_MAX_ENTRIES = 10;
/** The PutEvents size limit, 256 KB: of one entry, and of all entries of one request together. */
export const PUT_EVENTS_MAX_BYTES = 262_144;
/** Entry error codes worth sending again (API Reference, PutEventsResultEntry); the others fail at once. */
export const RETRYABLE_ENTRY_ERRORS: ReadonlySet<string> = new Set(['InternalFailure', 'ThrottlingException']);

/**
 * Retry settings for the EventBridgeClient handed to EventBridgeNotifier: the SDK's standard
 * strategy retries a whole request that failed (throttling, 5xx, network); the notifier retries the
 * failed entries of a request that succeeded. `new EventBridgeClient({ ...EVENTBRIDGE_RETRY_CONFIG })`.
 */
export const EVENTBRIDGE_RETRY_CONFIG = { maxAttempts: 5, retryMode: 'standard' } as const;

/** The detail of a `trailwarden Finding` event. */
export interface FindingEventDetail {
  /** `<findingId>:<eventId>:<transition>`: the same for every retry of one transition; consumers dedupe on it. */
  id: string;
  schemaVersion: '1';
  transition: Notification['transition'];
  /** The finding, secrets masked, without the store's bookkeeping (owed notifications, version). */
  finding: Omit<Finding, 'unnotified' | 'unannounced' | 'version'>;
  control: Omit<ControlSummary, 'frameworks'>;
  /** The frameworks the control reports on, e.g. `{framework: 'cis-aws', requirement: '5.2'}`. */
  frameworks: ControlSummary['frameworks'];
  link?: string;
  /** Present on roll-ups: the window and the findings it summarizes. */
  rollup?: Notification['rollup'];
  /** Set when the evidence (then long text) was shortened to fit the 256 KB entry limit. */
  truncated?: { reason: string };
}

export interface EventBridgeNotifierOptions {
  /** Owned by the caller, who configures its retries (see EVENTBRIDGE_RETRY_CONFIG) and destroys it. */
  client: EventBridgeClient;
  /** The bus's name or ARN. */
  eventBusName: string;
  /** Rounds of PutEvents for entries that keep failing with a retryable code. Default 4. */
  maxAttempts?: number;
  /** Backoff before round n+1: a random delay up to min(maxDelayMs, baseDelayMs × 2^(n-1)). Defaults 100 and 2,000 ms. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Deadline of one PutEvents request, the SDK's retries included. Default 10 s. */
  timeoutMs?: number;
  /** Waits between rounds (tests pass one that does not wait). */
  sleep?: (ms: number) => Promise<void>;
}

/** Entries that could not be put: which notifications, how many were accepted, and why (never the detail). */
export class EventBridgePublishError extends Error {
  override readonly name = 'EventBridgePublishError';
  constructor(
    message: string,
    readonly eventBusName: string,
    /** The detail ids not accepted. */
    readonly failedIds: readonly string[],
    /** Entries accepted before giving up (consumers dedupe them when the notification is sent again). */
    readonly accepted: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

interface Pending {
  id: string;
  entry: PutEventsRequestEntry;
  bytes: number;
  lastError?: string;
}

export class EventBridgeNotifier implements Notifier {
  private readonly client: EventBridgeClient;
  private readonly eventBusName: string;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: EventBridgeNotifierOptions) {
    this.client = options.client;
    this.eventBusName = options.eventBusName;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 4);
    this.baseDelayMs = options.baseDelayMs ?? 100;
    this.maxDelayMs = options.maxDelayMs ?? 2_000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.sleep = options.sleep ?? ((ms) => sleep(ms));
  }

  notify(notification: Notification): Promise<void> {
    return this.publish([notification]);
  }

  /** The digest lists findings already put on the bus one by one: nothing to put. */
  async sendDigest(_digest: Digest): Promise<void> {}

  /**
   * Puts one entry per notification, in requests of at most 10 entries and 256 KB, sending the
   * failed entries again (only those) until accepted or the attempts run out.
   */
  async publish(notifications: readonly Notification[]): Promise<void> {
    let pending: Pending[];
    try {
      pending = notifications.map((notification) => {
        const entry = findingEventEntryOf(notification, this.eventBusName);
        return { id: detailIdOf(notification), entry, bytes: entrySizeOf(entry) };
      });
    } catch (error) {
      throw new EventBridgePublishError(
        `PutEvents to ${this.eventBusName} not attempted: ${reasonOf(error)}`,
        this.eventBusName,
        notifications.map(detailIdOf),
        0,
        { cause: error },
      );
    }
    const total = pending.length;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const failed: Pending[] = [];
      for (const batch of batchesOf(pending)) {
        try {
          failed.push(...(await this.put(batch)));
        } catch (error) {
          const left = [...failed, ...pending.slice(pending.indexOf(batch[0]!))];
          throw this.failure(left, total, `the request failed: ${reasonOf(error)}`, error);
        }
      }
      pending = failed;
      if (pending.length === 0) return;
      const final = pending.filter((item) => !isRetryable(item.lastError));
      if (final.length > 0) throw this.failure(pending, total, `rejected: ${codesOf(final)}`);
      if (attempt >= this.maxAttempts) throw this.failure(pending, total, `still failing after ${attempt} attempts: ${codesOf(pending)}`);
      await this.sleep(backoffDelay(attempt, this.baseDelayMs, this.maxDelayMs));
    }
  }

  /** One PutEvents request; the entries it did not accept, each with its error code. */
  private async put(batch: readonly Pending[]): Promise<Pending[]> {
    const output = await this.client.send(new PutEventsCommand({ Entries: batch.map((item) => item.entry) }), {
      abortSignal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!output.FailedEntryCount) return [];
    const results = output.Entries ?? [];
    return batch.flatMap((item, i) => {
      const result = results[i];
      // A result missing or without an EventId counts as failed: only an id proves the entry accepted.
      if (result?.EventId && !result.ErrorCode) return [];
      return [{ ...item, lastError: result?.ErrorCode ?? 'NoResult' }];
    });
  }

  private failure(left: readonly Pending[], total: number, reason: string, cause?: unknown): EventBridgePublishError {
    return new EventBridgePublishError(
      `PutEvents to ${this.eventBusName}: ${left.length} of ${total} entr${total === 1 ? 'y' : 'ies'} not accepted (${left
        .map((item) => item.id)
        .join(', ')}): ${reason}`,
      this.eventBusName,
      left.map((item) => item.id),
      total - left.length,
      cause === undefined ? undefined : { cause },
    );
  }

  /** The client belongs to the caller: nothing to release here. */
  async close(): Promise<void> {}
}

function isRetryable(code: string | undefined): boolean {
  return code !== undefined && RETRYABLE_ENTRY_ERRORS.has(code);
}

function codesOf(items: readonly Pending[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.lastError ?? 'unknown', (counts.get(item.lastError ?? 'unknown') ?? 0) + 1);
  return [...counts].map(([code, n]) => `${code} ×${n}`).join(', ');
}

/** Requests of at most 10 entries whose sizes total at most 256 KB, in order. */
function batchesOf(items: readonly Pending[]): Pending[][] {
  const batches: Pending[][] = [];
  let batch: Pending[] = [];
  let bytes = 0;
  for (const item of items) {
    if (batch.length === PUT_EVENTS_MAX_ENTRIES || (batch.length > 0 && bytes + item.bytes > PUT_EVENTS_MAX_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(item);
    bytes += item.bytes;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * An entry's size as EventBridge counts it (User Guide, "Calculating PutEvents event entry size"):
 * 14 bytes for Time when given, and the UTF-8 bytes of Source, DetailType, Detail and each resource.
 */
export function entrySizeOf(entry: PutEventsRequestEntry): number {
  const bytes = (text: string | undefined) => (text === undefined ? 0 : Buffer.byteLength(text, 'utf8'));
  return (
    (entry.Time === undefined ? 0 : 14) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    (entry.Resources ?? []).reduce((sum, resource) => sum + bytes(resource), 0)
  );
}

/** The event that caused the transition: the resolving event for a resolution, else the violating one. */
function causeEventIdOf(notification: Notification): string {
  const { finding } = notification;
  if (notification.transition === 'resolved') return finding.resolvedBy?.eventId ?? finding.evidence.eventId;
  return finding.evidence.eventId;
}

/** `<findingId>:<eventId>:<transition>`; a roll-up: `<windowId>:rollup`. */
export function detailIdOf(notification: Notification): string {
  if (notification.rollup) return `${notification.dedupKey}:rollup`;
  return `${notification.finding.id}:${causeEventIdOf(notification)}:${notification.transition}`;
}

const TRUNCATED_REASON = 'evidence, then long text, shortened to fit the 256 KB PutEvents entry limit; the stored finding has them in full';

/**
 * The PutEvents entry of one notification (pure). The detail is masked again here, whatever built
 * the notification. When it would exceed 256 KB, the evidence's fields are dropped and its strings
 * shortened, then the long free text, and `detail.truncated` says so. Throws when even the
 * shortest form does not fit.
 */
export function findingEventEntryOf(notification: Notification, eventBusName: string): PutEventsRequestEntry {
  const detailType = notification.rollup ? ROLLUP_EVENT_DETAIL_TYPE : FINDING_EVENT_DETAIL_TYPE;
  const full = detailOf(notification);
  for (const trim of TRIM_STEPS) {
    const detail = trim ? { ...trim(full), truncated: { reason: TRUNCATED_REASON } } : full;
    const entry: PutEventsRequestEntry = {
      EventBusName: eventBusName,
      Source: FINDING_EVENT_SOURCE,
      DetailType: detailType,
      Detail: JSON.stringify(detail),
    };
    if (entrySizeOf(entry) <= PUT_EVENTS_MAX_BYTES) return entry;
  }
  throw new Error(
    `the event of ${detailIdOf(notification)} does not fit the ${PUT_EVENTS_MAX_BYTES}-byte PutEvents entry limit even shortened`,
  );
}

/** The detail, masked: every value that came from an event or a setting goes through maskSecrets. */
export function detailOf(notification: Notification): FindingEventDetail {
  const { unnotified: _unnotified, unannounced: _unannounced, version: _version, ...finding } = notification.finding;
  const { frameworks, ...control } = notification.control;
  const masked = maskSecrets({
    finding,
    control,
    frameworks,
    ...(notification.link ? { link: notification.link } : {}),
    ...(notification.rollup ? { rollup: notification.rollup } : {}),
  });
  // The id is built from ids and the transition name, never from free text; it stays as it is so consumers can dedupe.
  return { id: detailIdOf(notification), schemaVersion: '1', transition: notification.transition, ...masked };
}

/** Shortens a string to at most `max` characters, marking the cut, without splitting a surrogate pair. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** A deep copy with every string at most `max` characters. */
function clipAll<T>(value: T, max: number): T {
  if (typeof value === 'string') return clip(value, max) as T;
  if (Array.isArray(value)) return value.map((item) => clipAll(item, max)) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, clipAll(inner, max)])) as T;
}

/** The evidence without its fields, each string at most `evidenceMax`; free text at most `textMax` when given. */
function trimmed(evidenceMax: number, textMax?: number): (detail: FindingEventDetail) => FindingEventDetail {
  return (detail) => {
    const { finding } = detail;
    const text = <T>(value: T): T => (textMax === undefined ? value : clipAll(value, textMax));
    return {
      ...detail,
      finding: {
        ...text(finding),
        evidence: { ...clipAll(finding.evidence, evidenceMax), fields: {} },
        ...(finding.resolvedBy ? { resolvedBy: clipAll(finding.resolvedBy, evidenceMax) } : {}),
      },
      control: text(detail.control),
      frameworks: text(detail.frameworks),
      ...(detail.rollup ? { rollup: text(detail.rollup) } : {}),
    };
  };
}

/** First the detail as it is, then the evidence shortened, then the free text ever shorter. */
const TRIM_STEPS: ReadonlyArray<((detail: FindingEventDetail) => FindingEventDetail) | undefined> = [
  undefined,
  trimmed(1_024),
  trimmed(256, 16_384),
  trimmed(128, 2_048),
  trimmed(64, 256),
];

/** The error's name, HTTP status and service message: SDK errors never echo the request body. */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return clip(String(error), 300);
  const status = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
  return `${error.name}${typeof status === 'number' ? ` (HTTP ${status})` : ''}: ${clip(error.message, 300)}`;
}
