/**
 * Publishes each notification to an SNS topic, one message per notification, shaped per protocol
 * (`MessageStructure: 'json'`): people (email, and any protocol without a key of its own) get the
 * readable text, machines (SQS, Lambda, HTTPS) get the structured JSON. Message attributes carry
 * what subscription filter policies route on (see filter-policies.ts).
 */
import { PublishCommand, type MessageAttributeValue, type PublishCommandInput, type SNSClient } from '@aws-sdk/client-sns';
import { SNS_MESSAGE_ATTRIBUTES, type SnsMessageAttributeName } from '../../core/notifications/filter-policies';
import type { Notifier } from '../../core/notifications/notifier';
import { jsonOf, textOf, type Notification } from '../../core/notifications/notification';
import { chatbotNotificationOf } from '../../core/notifications/chatbot';
import { digestJsonOf, digestSubjectOf, digestTextOf, type Digest } from '../../core/notifications/digest';
import { severityRank, type Severity } from '../../core/model/severity';
import type { Actor, Evidence } from '../../core/findings/finding';

/**
 * SNS's limit on one published message (the topic's default MaximumMessageSize): the message body
 * plus every attribute's name, data type and value, counted in UTF-8 bytes.
 */
export const SNS_MAX_MESSAGE_BYTES = 262_144;

/** Headroom kept under the limit for the subject and anything SNS counts that we do not. */
const SIZE_HEADROOM_BYTES = 2_048;

export { SNS_MESSAGE_ATTRIBUTES } from '../../core/notifications/filter-policies';

/**
 * Retry settings for the SNSClient handed to SnsNotifier: the SDK's standard strategy (exponential
 * backoff with jitter on throttling, 5xx and network errors) with a few more attempts than its
 * default of 3. Spread into the client's configuration: `new SNSClient({ ...SNS_RETRY_CONFIG })`.
 */
export const SNS_RETRY_CONFIG = { maxAttempts: 5, retryMode: 'standard' } as const;

export interface SnsNotifierOptions {
  /** Owned by the caller, who configures its retries (see SNS_RETRY_CONFIG) and destroys it. */
  client: SNSClient;
  topicArn: string;
  /** Deadline for one publish, retries included. Default 20 s. */
  timeoutMs?: number;
  /**
   * What HTTPS subscribers get: the structured JSON (default), or the AWS Chatbot custom
   * notification for a topic that AWS Chatbot (Amazon Q Developer in chat applications) subscribes to.
   */
  httpsPayload?: HttpsPayload;
}

export type HttpsPayload = 'json' | 'chatbot';

/** A notification that could not be published; names the topic and the dedup key, never the message. */
export class SnsPublishError extends Error {
  override readonly name = 'SnsPublishError';
  constructor(
    message: string,
    readonly topicArn: string,
    readonly dedupKey: string,
    readonly attempts: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class SnsNotifier implements Notifier {
  private readonly client: SNSClient;
  private readonly topicArn: string;
  private readonly timeoutMs: number;
  private readonly httpsPayload: HttpsPayload;

  constructor(options: SnsNotifierOptions) {
    this.client = options.client;
    this.topicArn = options.topicArn;
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.httpsPayload = options.httpsPayload ?? 'json';
  }

  async notify(notification: Notification): Promise<void> {
    let input: PublishCommandInput;
    try {
      input = snsPublishInputOf(notification, this.topicArn, { httpsPayload: this.httpsPayload });
    } catch (error) {
      throw new SnsPublishError(
        `${this.where(notification.dedupKey)} not attempted: ${reasonOf(error)}`,
        this.topicArn,
        notification.dedupKey,
        0,
        { cause: error },
      );
    }
    await this.publish(input, notification.dedupKey);
  }

  /** The digest, as an email-only message (its severity attribute keeps it off the pager's filter policy). */
  async sendDigest(digest: Digest): Promise<void> {
    await this.publish(snsDigestPublishInputOf(digest, this.topicArn), `digest/${digest.since}/${digest.until}`);
  }

  private where(dedupKey: string): string {
    return `SNS publish to ${this.topicArn} for ${dedupKey}`;
  }

  private async publish(input: PublishCommandInput, dedupKey: string): Promise<void> {
    try {
      await this.client.send(new PublishCommand(input), { abortSignal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      const attempts = attemptsOf(error);
      const reason = isAbort(error) ? `no answer within ${this.timeoutMs} ms` : reasonOf(error);
      throw new SnsPublishError(
        `${this.where(dedupKey)} failed${attempts ? ` after ${attempts} attempt(s)` : ''}: ${reason}`,
        this.topicArn,
        dedupKey,
        attempts,
        { cause: error },
      );
    }
  }

  /** The client belongs to the caller: nothing to release here. */
  async close(): Promise<void> {}
}

/**
 * The Publish request for one notification. Pure: shared by SnsNotifier, the Lambda code and tests.
 *
 * `Message` is a JSON object of per-protocol strings: `default` and `email` hold textOf's text;
 * `sqs`, `lambda` and `https` hold jsonOf's JSON, stringified (`https`: the Chatbot custom
 * notification instead with `httpsPayload: 'chatbot'`). A roll-up is published the same way. When that would exceed the SNS size
 * limit, the evidence and then the long free-text fields are shortened until it fits, and the
 * message says so (`evidenceTruncated: true` in the JSON, a closing line in the text). Throws
 * when even the shortest form does not fit.
 */
export function snsPublishInputOf(
  notification: Notification,
  topicArn: string,
  options: { httpsPayload?: HttpsPayload } = {},
): PublishCommandInput {
  const https = options.httpsPayload ?? 'json';
  const attributes = messageAttributesOf(notification);
  const budget = SNS_MAX_MESSAGE_BYTES - SIZE_HEADROOM_BYTES - attributeBytes(attributes) - Buffer.byteLength(notification.subject, 'utf8');
  for (const trim of TRIM_STEPS) {
    const message = trim ? messageOf(trim(notification), true, https) : messageOf(notification, false, https);
    if (Buffer.byteLength(message, 'utf8') <= budget) {
      return {
        TopicArn: topicArn,
        MessageStructure: 'json',
        Message: message,
        Subject: notification.subject,
        MessageAttributes: attributes,
      };
    }
  }
  throw new Error(
    `notification for ${notification.dedupKey} does not fit the ${SNS_MAX_MESSAGE_BYTES}-byte SNS message limit even shortened`,
  );
}

function messageOf(notification: Notification, truncated: boolean, https: HttpsPayload): string {
  const text = truncated
    ? `${textOf(notification)}\n\nNote: evidence and long fields were shortened to fit the SNS message size limit; the stored finding has them in full.`
    : textOf(notification);
  const structured = JSON.stringify(truncated ? { ...jsonOf(notification), evidenceTruncated: true } : jsonOf(notification));
  return JSON.stringify({
    default: text,
    email: text,
    sqs: structured,
    lambda: structured,
    https: https === 'chatbot' ? JSON.stringify(chatbotNotificationOf(notification)) : structured,
  });
}

function messageAttributesOf(notification: Notification): Record<string, MessageAttributeValue> {
  const { finding } = notification;
  const values: Record<SnsMessageAttributeName, string> = {
    severity: finding.severity,
    area: finding.area,
    controlId: finding.controlId,
    account: finding.account,
    region: finding.region,
    status: finding.status,
    transition: notification.transition,
  };
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const name of SNS_MESSAGE_ATTRIBUTES) {
    // SNS rejects an attribute with an empty value: leave it out (a filter on it then does not match).
    if (values[name] !== '') attributes[name] = { DataType: 'String', StringValue: values[name] };
  }
  return attributes;
}

function attributeBytes(attributes: Record<string, MessageAttributeValue>): number {
  return Object.entries(attributes).reduce(
    (sum, [name, value]) =>
      sum +
      Buffer.byteLength(name, 'utf8') +
      Buffer.byteLength(value.DataType ?? '', 'utf8') +
      Buffer.byteLength(value.StringValue ?? '', 'utf8'),
    0,
  );
}

/** Shortens a string to at most `max` characters, marking the cut, without splitting a surrogate pair. */
function clip(text: string, max: number): string;
function clip(text: string | undefined, max: number): string | undefined;
function clip(text: string | undefined, max: number): string | undefined {
  if (text === undefined || text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

function clippedActor(actor: Actor | undefined, max: number): Actor | undefined {
  if (!actor) return undefined;
  return {
    type: clip(actor.type, max),
    arn: clip(actor.arn, max),
    accountId: clip(actor.accountId, max),
    principalId: clip(actor.principalId, max),
    userName: clip(actor.userName, max),
    invokedBy: clip(actor.invokedBy, max),
  };
}

/** The evidence reduced to what the messages show, each string at most `max` characters. */
function clippedEvidence(evidence: Evidence, max: number): Evidence {
  return {
    eventId: evidence.eventId,
    eventTime: evidence.eventTime,
    eventSource: clip(evidence.eventSource, max),
    eventName: clip(evidence.eventName, max),
    detailType: clip(evidence.detailType, max),
    actor: clippedActor(evidence.actor, max),
    sourceIp: clip(evidence.sourceIp, max),
    userAgent: clip(evidence.userAgent, max),
    fields: {},
  };
}

/** Evidence shortened to `evidenceMax` characters per string, and free text to `textMax` when given. */
function trimmed(evidenceMax: number, textMax?: number): (notification: Notification) => Notification {
  return (notification) => {
    const { finding, control } = notification;
    const text = (value: string) => (textMax === undefined ? value : clip(value, textMax));
    return {
      ...notification,
      finding: {
        ...finding,
        title: text(finding.title),
        message: text(finding.message),
        resourceId: text(finding.resourceId),
        evidence: clippedEvidence(finding.evidence, evidenceMax),
        ...(finding.resolvedBy
          ? {
              resolvedBy: {
                eventId: finding.resolvedBy.eventId,
                message: text(finding.resolvedBy.message),
                actor: clippedActor(finding.resolvedBy.actor, evidenceMax),
              },
            }
          : {}),
      },
      control: {
        ...control,
        title: text(control.title),
        rationale: text(control.rationale),
        runbook: textMax === undefined ? control.runbook : control.runbook.slice(0, 20).map(text),
      },
    };
  };
}

/** First the message as it is, then the evidence shortened, then the free text ever shorter. */
const TRIM_STEPS: ReadonlyArray<((notification: Notification) => Notification) | undefined> = [
  undefined,
  trimmed(256),
  trimmed(128, 16_384),
  trimmed(128, 4_096),
  trimmed(64, 1_024),
  trimmed(64, 256),
];

function attemptsOf(error: unknown): number | undefined {
  const metadata = (error as { $metadata?: { attempts?: unknown } } | null)?.$metadata;
  return typeof metadata?.attempts === 'number' ? metadata.attempts : undefined;
}

/** The SDK rejects with an AbortError when the deadline's signal fires, mid-request or between attempts. */
function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** The error's name, HTTP status and service message: SDK errors never echo the request body. */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return clip(String(error), 300);
  const status = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
  return `${error.name}${typeof status === 'number' ? ` (HTTP ${status})` : ''}: ${clip(error.message, 300)}`;
}

/**
 * The Publish request of a digest (pure): text for email, the digest JSON for machines, with
 * attributes that route it like the findings it lists (severity = the highest among them, so
 * EMAIL_THE_REST takes it and PAGE_ON_CRITICAL_AND_HIGH does not; transition `digest`).
 * The listing is capped per group, so it stays far below the SNS size limit.
 */
export function snsDigestPublishInputOf(digest: Digest, topicArn: string): PublishCommandInput {
  const text = digestTextOf(digest);
  const structured = JSON.stringify(digestJsonOf(digest));
  const highest = digest.groups.reduce<Severity>(
    (max, group) => (severityRank(group.severity) > severityRank(max) ? group.severity : max),
    'INFORMATIONAL',
  );
  return {
    TopicArn: topicArn,
    MessageStructure: 'json',
    Message: JSON.stringify({ default: text, email: text, sqs: structured, lambda: structured, https: structured }),
    Subject: digestSubjectOf(digest),
    MessageAttributes: {
      severity: { DataType: 'String', StringValue: highest },
      status: { DataType: 'String', StringValue: 'digest' },
      transition: { DataType: 'String', StringValue: 'digest' },
    },
  };
}
