/**
 * The SNS notifier and the subscription filter policies, against fauxqs (an SNS/SQS emulator)
 * started in this process on 127.0.0.1 and a random port, through the real SNS and SQS clients.
 *
 * What fauxqs does differently from SNS, read from its source (fauxqs 1.9.2, dist/sns/actions/publish.js):
 * - it ignores MessageStructure: every SQS subscriber gets the whole per-protocol JSON document as
 *   the envelope's Message (or as the raw body), where SNS delivers only its `sqs` value. The tests
 *   below read the `sqs` value out of that document themselves, and say so.
 * - it delivers MessageAttributes whatever the structure; AWS documents that attributes are sent
 *   "only when the message structure is String, not JSON", so consumers must read the body (which
 *   carries the same fields), never the delivered attributes. Filtering happens before delivery.
 * - its size check counts the Message only, not the attributes; Subject is not validated.
 * Filter policies (MessageAttributes scope, exact string values) and raw delivery it does implement.
 */
import { drainQueue, LOCAL_CREDENTIALS, startFaultProxy, startLocalTopic, subscribeQueue, type LocalTopic } from '../support/local-aws';
import { CreateTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import {
  SnsNotifier,
  SnsPublishError,
  SNS_MAX_MESSAGE_BYTES,
  SNS_MESSAGE_ATTRIBUTES,
  SNS_RETRY_CONFIG,
  snsDigestPublishInputOf,
  snsPublishInputOf,
} from '../../shared/adapters/notify/sns-notifier';
import {
  EMAIL_THE_REST,
  PAGE_ON_CRITICAL_AND_HIGH,
  subscriptionAttributesOf,
  teamAccountsPolicy,
  type FilterPolicy,
} from '../../shared/core/notifications/filter-policies';
import { jsonOf, notificationOf, textOf, type NotifiableTransition, type Notification } from '../../shared/core/notifications/notification';
import { buildDigest, digestJsonOf, digestSubjectOf, digestTextOf, type Digest } from '../../shared/core/notifications/digest';
import type { Finding } from '../../shared/core/findings/finding';
import { OPEN_INGRESS_CONTROL, openIngressFinding } from '../support/open-ingress';
import { SEVERITIES } from '../../shared/core/model/severity';

const TEAM_ACCOUNT = '111122223333';
const OTHER_ACCOUNT = '444455556666';

const control = OPEN_INGRESS_CONTROL;
const findingOf = openIngressFinding;

/** What the JSON of a HIGH finding's opening says about the finding: its key, where, and its transition. */
function openedPayloadOf(finding: Finding): Record<string, unknown> {
  return {
    findingId: finding.id,
    dedupKey: finding.id,
    controlId: finding.controlId,
    severity: 'HIGH',
    status: 'open',
    transition: 'opened',
    resourceId: finding.resourceId,
    account: finding.account,
    region: 'eu-west-1',
  };
}

function resolvedOf(finding: Finding): Finding {
  return {
    ...finding,
    status: 'resolved',
    resolvedAt: '2026-03-01T11:00:00.000Z',
    resolvedBy: { eventId: `revoke-${finding.resourceId}`, message: 'ingress revoked' },
    version: finding.version + 1,
  };
}

const notify = (transition: NotifiableTransition, finding: Finding): Notification => notificationOf(transition, finding, control);

function bytesOf(input: ReturnType<typeof snsPublishInputOf>): number {
  const attributes = Object.entries(input.MessageAttributes ?? {}).reduce(
    (sum, [name, value]) =>
      sum + Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '') + Buffer.byteLength(value.StringValue ?? ''),
    0,
  );
  return Buffer.byteLength(input.Message ?? '') + attributes;
}

/** The `sqs` value of a published per-protocol document, parsed. */
function sqsPayloadOf(message: string): Record<string, unknown> {
  const document = JSON.parse(message) as Record<string, string>;
  return JSON.parse(document.sqs!) as Record<string, unknown>;
}

describe('snsPublishInputOf', () => {
  const high = findingOf('HIGH', TEAM_ACCOUNT, 'sg-0high');

  it('publishes per protocol: readable text for people, the structured JSON for SQS, Lambda and HTTPS', () => {
    const notification = notify('opened', high);
    const input = snsPublishInputOf(notification, 'arn:aws:sns:eu-west-1:999999999999:findings');
    expect(input).toMatchObject({
      TopicArn: 'arn:aws:sns:eu-west-1:999999999999:findings',
      MessageStructure: 'json',
      Subject: notification.subject,
    });
    const document = JSON.parse(input.Message!) as Record<string, string>;
    expect(Object.keys(document).sort()).toEqual(['default', 'email', 'https', 'lambda', 'sqs']);
    expect(Object.values(document).every((value) => typeof value === 'string')).toBe(true); // SNS requires string values
    expect(document.default).toBe(document.email);
    expect(document.default).toContain('What to do:');
    expect(document.default).toContain('aws ec2 revoke-security-group-ingress');
    expect(document.lambda).toBe(document.sqs);
    expect(document.https).toBe(document.sqs);
    const payload = sqsPayloadOf(input.Message!);
    expect(payload).toMatchObject(openedPayloadOf(high));
    expect(payload).toMatchObject({ resourceId: 'sg-0high', account: TEAM_ACCOUNT });
    expect(payload).not.toHaveProperty('evidenceTruncated');
  });

  it('sets the routing attributes as Strings, and leaves out an empty one (SNS rejects empty values)', () => {
    const input = snsPublishInputOf(notify('resolved', resolvedOf(high)), 'arn:t');
    expect(input.MessageAttributes).toEqual({
      severity: { DataType: 'String', StringValue: 'HIGH' },
      area: { DataType: 'String', StringValue: 'network' },
      controlId: { DataType: 'String', StringValue: control.id },
      account: { DataType: 'String', StringValue: TEAM_ACCOUNT },
      region: { DataType: 'String', StringValue: 'eu-west-1' },
      status: { DataType: 'String', StringValue: 'resolved' },
      transition: { DataType: 'String', StringValue: 'resolved' },
    });
    expect(Object.keys(input.MessageAttributes!).length).toBeLessThanOrEqual(10); // raw delivery to SQS carries at most 10
    const regionless = snsPublishInputOf(notify('opened', { ...high, region: '' }), 'arn:t');
    expect(Object.keys(regionless.MessageAttributes!)).toEqual(SNS_MESSAGE_ATTRIBUTES.filter((name) => name !== 'region'));
  });

  it('shortens the evidence first, and says so, when the message would exceed 256 KB', () => {
    // The user agent shows in the text only, which goes twice (default, email): 2 × 150 KB.
    const bulky = findingOf('HIGH', TEAM_ACCOUNT, 'sg-0bulky', {
      evidence: { ...high.evidence, userAgent: 'ua/'.padEnd(150_000, 'x'), sourceIp: '198.51.100.1' },
    });
    const input = snsPublishInputOf(notify('opened', bulky), 'arn:t');
    expect(bytesOf(input)).toBeLessThanOrEqual(SNS_MAX_MESSAGE_BYTES);
    const document = JSON.parse(input.Message!) as Record<string, string>;
    expect(document.default.length).toBeLessThan(2_000);
    expect(document.default.endsWith('shortened to fit the SNS message size limit; the stored finding has them in full.')).toBe(true);
    expect(document.default.includes(bulky.message)).toBe(true); // the free text survives when shortening the evidence suffices
    const payload = sqsPayloadOf(input.Message!);
    expect(payload).toMatchObject({
      evidenceTruncated: true,
      findingId: bulky.id,
      message: bulky.message,
      sourceIp: '198.51.100.1',
      severity: 'HIGH',
    });
  });

  it('then shortens the long free text, keeping identity and routing fields whole', () => {
    const huge = findingOf('CRITICAL', OTHER_ACCOUNT, 'sg-0huge', { message: `policy ${'{"Effect":"Allow"}'.repeat(30_000)}` }); // ~540 KB
    const notification = notify('opened', huge);
    const input = snsPublishInputOf(notification, 'arn:t');
    expect(bytesOf(input)).toBeLessThanOrEqual(SNS_MAX_MESSAGE_BYTES);
    expect(input.Subject).toBe(notification.subject);
    const payload = sqsPayloadOf(input.Message!);
    // Identity and routing fields are whole: they are what pagers key on and filter policies route by.
    const { findingId, controlId, severity, status, account, region, resourceId, evidenceTruncated } = payload;
    expect([findingId, controlId, severity, status, account, region, resourceId, evidenceTruncated]).toEqual([
      huge.id,
      control.id,
      'CRITICAL',
      'open',
      OTHER_ACCOUNT,
      'eu-west-1',
      'sg-0huge',
      true,
    ]);
    expect((payload.message as string).endsWith('…')).toBe(true);
    expect((payload.message as string).length).toBeLessThan(huge.message.length);
  });
});

describe('filter policies', () => {
  it('send every severity to exactly one of the pager and the mailbox', () => {
    for (const severity of SEVERITIES) {
      const matches = [PAGE_ON_CRITICAL_AND_HIGH, EMAIL_THE_REST].filter((policy) => policy.severity!.includes(severity));
      expect([severity, matches.length]).toEqual([severity, 1]);
    }
    expect(PAGE_ON_CRITICAL_AND_HIGH).toEqual({ severity: ['CRITICAL', 'HIGH'] });
    expect(EMAIL_THE_REST).toEqual({ severity: ['MEDIUM', 'LOW', 'INFORMATIONAL'] });
    expect(Object.isFrozen(PAGE_ON_CRITICAL_AND_HIGH) && Object.isFrozen(PAGE_ON_CRITICAL_AND_HIGH.severity)).toBe(true);
  });

  it('build a team policy from account ids, refusing what SNS would refuse or silently never match', () => {
    expect(teamAccountsPolicy([TEAM_ACCOUNT, TEAM_ACCOUNT, '000011112222'])).toEqual({ account: [TEAM_ACCOUNT, '000011112222'] });
    expect(subscriptionAttributesOf(teamAccountsPolicy([TEAM_ACCOUNT]))).toEqual({
      FilterPolicy: `{"account":["${TEAM_ACCOUNT}"]}`,
      FilterPolicyScope: 'MessageAttributes',
    });
    expect(() => teamAccountsPolicy([])).toThrow(/at least one account/);
    expect(() => teamAccountsPolicy(['11112222333'])).toThrow(/12-digit/);
    expect(() => teamAccountsPolicy(Array.from({ length: 151 }, (_, i) => String(100000000000 + i)))).toThrow(/at most 150/);
  });
});

const credentials = LOCAL_CREDENTIALS;

describe('SnsNotifier through fauxqs', () => {
  let local: LocalTopic | undefined;
  let sns: SNSClient;
  let sqs: SQSClient;
  let topicArn: string;

  beforeAll(async () => {
    local = await startLocalTopic('trailwarden-findings', { ...SNS_RETRY_CONFIG });
    ({ sns, sqs, topicArn } = local);
  });

  afterAll(() => local?.stop());

  const subscribedQueue = (name: string, policy: FilterPolicy | undefined, raw: boolean, topic = topicArn) =>
    subscribeQueue({ sns, sqs }, topic, name, {
      ...(policy ? subscriptionAttributesOf(policy) : {}),
      ...(raw ? { RawMessageDelivery: 'true' } : {}),
    });

  const drain = (queueUrl: string) => drainQueue(sqs, queueUrl);

  interface Envelope {
    Type: string;
    Subject: string | null;
    Message: string;
    MessageAttributes: Record<string, { Type: string; Value: string }>;
  }
  const envelopeOf = (message: Message) => JSON.parse(message.Body!) as Envelope;
  /** What each delivered notification was, read from its body. */
  const summaryOf = (payload: Record<string, unknown>) =>
    `${String(payload.severity)} ${String(payload.transition)} ${String(payload.account)}`;

  it('routes by severity and account, resolutions following their severity, with the message shaped for SQS', async () => {
    const pageUrl = await subscribedQueue('page', PAGE_ON_CRITICAL_AND_HIGH, false);
    const emailUrl = await subscribedQueue('email', EMAIL_THE_REST, false);
    const teamUrl = await subscribedQueue('team', teamAccountsPolicy([TEAM_ACCOUNT]), true);

    const high = findingOf('HIGH', OTHER_ACCOUNT, 'sg-0high');
    const longResource = `arn:aws:ec2:eu-west-1:${TEAM_ACCOUNT}:security-group/sg-${'0'.repeat(150)}`;
    const sent = [
      notify('opened', findingOf('CRITICAL', TEAM_ACCOUNT, longResource)),
      notify('opened', high),
      notify('opened', findingOf('MEDIUM', TEAM_ACCOUNT, 'sg-0medium')),
      notify('opened', findingOf('LOW', OTHER_ACCOUNT, 'sg-0low')),
      notify('opened', findingOf('INFORMATIONAL', OTHER_ACCOUNT, 'sg-0info')),
      notify('resolved', resolvedOf(high)),
    ];
    const notifier = new SnsNotifier({ client: sns, topicArn });
    for (const notification of sent) await notifier.notify(notification);
    await notifier.close();

    const page = await drain(pageUrl);
    const email = await drain(emailUrl);
    const team = await drain(teamUrl);

    // Non-raw: an SNS envelope. fauxqs puts the whole per-protocol document in Message (SNS would put its `sqs` value).
    const pagePayloads = page.map((message) => sqsPayloadOf(envelopeOf(message).Message));
    expect(pagePayloads.map(summaryOf)).toEqual([
      `CRITICAL opened ${TEAM_ACCOUNT}`,
      `HIGH opened ${OTHER_ACCOUNT}`,
      `HIGH resolved ${OTHER_ACCOUNT}`,
    ]);
    expect(email.map((message) => summaryOf(sqsPayloadOf(envelopeOf(message).Message)))).toEqual([
      `MEDIUM opened ${TEAM_ACCOUNT}`,
      `LOW opened ${OTHER_ACCOUNT}`,
      `INFORMATIONAL opened ${OTHER_ACCOUNT}`,
    ]);
    // Raw: the body is what was published (the whole document, again, with fauxqs) and attributes are SQS attributes.
    expect(team.map((message) => summaryOf(sqsPayloadOf(message.Body!)))).toEqual([
      `CRITICAL opened ${TEAM_ACCOUNT}`,
      `MEDIUM opened ${TEAM_ACCOUNT}`,
    ]);

    // The resolution carries the dedup key of the page it resolves.
    expect(pagePayloads[2]).toMatchObject({
      dedupKey: pagePayloads[1]!.dedupKey,
      findingId: high.id,
      status: 'resolved',
      eventId: `revoke-sg-0high`,
    });
    expect(pagePayloads[1]).toMatchObject({
      ...openedPayloadOf(high),
      account: OTHER_ACCOUNT,
      resourceType: 'AWS::EC2::SecurityGroup',
      eventId: 'event-sg-0high',
      runbook: control.runbook,
    });

    for (const [i, message] of page.entries()) {
      const envelope = envelopeOf(message);
      const expected = sent[[0, 1, 5][i]!]!;
      expect(envelope.Type).toBe('Notification');
      expect(envelope.Message).toBe(snsPublishInputOf(expected, topicArn).Message); // delivered exactly as published
      expect(envelope.Subject).toBe(expected.subject);
      expect(envelope.Subject!.length).toBeLessThan(100);
      expect(envelope.MessageAttributes).toEqual({
        severity: { Type: 'String', Value: expected.finding.severity },
        area: { Type: 'String', Value: 'network' },
        controlId: { Type: 'String', Value: control.id },
        account: { Type: 'String', Value: expected.finding.account },
        region: { Type: 'String', Value: 'eu-west-1' },
        status: { Type: 'String', Value: expected.finding.status },
        transition: { Type: 'String', Value: expected.transition },
      });
    }
    expect(envelopeOf(page[0]!).Subject).toMatch(/^\[CRITICAL\] network: Security group open to the internet on arn:aws:ec2:.*…/);
    expect(team.map((message) => message.MessageAttributes?.account)).toEqual([
      { DataType: 'String', StringValue: TEAM_ACCOUNT },
      { DataType: 'String', StringValue: TEAM_ACCOUNT },
    ]);
  });

  it('publishes a shortened message that SNS accepts, where the full one would be refused', async () => {
    const queueUrl = await subscribedQueue('bulky', undefined, false);
    const huge = notify('opened', findingOf('CRITICAL', TEAM_ACCOUNT, 'sg-0huge', { message: 'x'.repeat(300_000) }));
    const text = textOf(huge);
    const structured = JSON.stringify(jsonOf(huge));
    const full = JSON.stringify({ default: text, email: text, sqs: structured, lambda: structured, https: structured });
    const refused = await sns.send(new PublishCommand({ ...snsPublishInputOf(huge, topicArn), Message: full })).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'InvalidParameterException', message: expect.stringMatching(/Message too long/) });

    await new SnsNotifier({ client: sns, topicArn }).notify(huge);
    const [delivered, ...rest] = await drain(queueUrl);
    expect(rest).toEqual([]);
    expect(sqsPayloadOf(envelopeOf(delivered!).Message)).toMatchObject({ findingId: huge.finding.id, evidenceTruncated: true });
  });

  it('rejects naming the topic and the dedup key, never the message, when the topic does not exist', async () => {
    const missing = topicArn.replace(/[^:]+$/, 'no-such-topic');
    const notification = notify('opened', findingOf('HIGH', TEAM_ACCOUNT, 'sg-0missing'));
    const error = await new SnsNotifier({ client: sns, topicArn: missing }).notify(notification).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SnsPublishError);
    const { message, dedupKey, topicArn: named } = error as SnsPublishError;
    expect([named, dedupKey]).toEqual([missing, notification.dedupKey]);
    expect(message).toContain(missing);
    expect(message).toContain(notification.dedupKey);
    expect(message).toMatch(/NotFound/);
    expect(message).not.toContain(notification.finding.message);
    expect(message).not.toContain('revoke-security-group-ingress');
  });

  /** The digest of 1 March 2026: a MEDIUM and a LOW finding; the HIGH one pages, so it is not in it. */
  function marchDigest(): Digest {
    const findings = [
      findingOf('MEDIUM', TEAM_ACCOUNT, 'sg-0digest-medium'),
      findingOf('LOW', OTHER_ACCOUNT, 'sg-0digest-low'),
      findingOf('HIGH', TEAM_ACCOUNT, 'sg-0digest-high'),
    ];
    return buildDigest(findings, new Date('2026-03-01T00:00:00Z'), new Date('2026-03-02T00:00:00Z'));
  }

  it('publishes the digest (sendDigest) exactly as snsDigestPublishInputOf shapes it: to the mailbox, never the pager', async () => {
    const digestTopic = (await sns.send(new CreateTopicCommand({ Name: 'trailwarden-digests' }))).TopicArn!;
    const pageUrl = await subscribedQueue('digest-page', PAGE_ON_CRITICAL_AND_HIGH, false, digestTopic);
    const emailUrl = await subscribedQueue('digest-email', EMAIL_THE_REST, false, digestTopic);
    const digest = marchDigest();
    expect(digest.total).toBe(2);

    const notifier = new SnsNotifier({ client: sns, topicArn: digestTopic });
    await notifier.sendDigest(digest);
    await notifier.close();

    expect(await drain(pageUrl)).toEqual([]);
    const [delivered, ...rest] = await drain(emailUrl);
    expect(rest).toEqual([]);
    const envelope = envelopeOf(delivered!);
    expect(envelope.Type).toBe('Notification');
    expect(envelope.Message).toBe(snsDigestPublishInputOf(digest, digestTopic).Message); // delivered exactly as published
    expect(envelope.Subject).toBe(digestSubjectOf(digest));
    expect(envelope.MessageAttributes).toEqual({
      severity: { Type: 'String', Value: 'MEDIUM' }, // the highest in the digest
      status: { Type: 'String', Value: 'digest' },
      transition: { Type: 'String', Value: 'digest' },
    });
    const document = JSON.parse(envelope.Message) as Record<string, string>;
    expect(document.email).toBe(digestTextOf(digest));
    expect(document.default).toBe(document.email);
    expect(sqsPayloadOf(envelope.Message)).toEqual(JSON.parse(JSON.stringify(digestJsonOf(digest))));
    expect(document.email).toContain('sg-0digest-medium');
    expect(document.email).not.toContain('sg-0digest-high');
  });

  it('rejects a digest naming the topic and the digest, never its content, when the topic does not exist', async () => {
    const missing = topicArn.replace(/[^:]+$/, 'no-such-digest-topic');
    const digest = marchDigest();
    const error = await new SnsNotifier({ client: sns, topicArn: missing }).sendDigest(digest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SnsPublishError);
    const { message, dedupKey, topicArn: named } = error as SnsPublishError;
    expect([named, dedupKey]).toEqual([missing, `digest/${digest.since}/${digest.until}`]);
    expect(message).toContain(missing);
    expect(message).toMatch(/NotFound/);
    expect(message).not.toContain('sg-0digest-medium');
  });

  describe('transient failures', () => {
    /** A proxy in front of fauxqs that answers 503 to the first `failures` requests it gets. */
    async function flakyProxy(failures: number): Promise<{ endpoint: string; requests: () => number; close: () => Promise<void> }> {
      const proxy = await startFaultProxy(local!.endpoint, 'query');
      let requests = 0;
      proxy.failWhen = () => {
        requests += 1;
        return requests <= failures;
      };
      return { endpoint: proxy.endpoint, requests: () => requests, close: proxy.stop };
    }

    it('are retried by the client with backoff until the publish goes through', async () => {
      const queueUrl = await subscribedQueue('retried', undefined, true);
      const proxy = await flakyProxy(2);
      const client = new SNSClient({ endpoint: proxy.endpoint, region: 'us-east-1', credentials, ...SNS_RETRY_CONFIG, maxAttempts: 3 });
      try {
        const notification = notify('opened', findingOf('HIGH', TEAM_ACCOUNT, 'sg-0retried'));
        await new SnsNotifier({ client, topicArn }).notify(notification);
        expect(proxy.requests()).toBe(3);
        const delivered = await drain(queueUrl);
        expect(delivered.map((message) => sqsPayloadOf(message.Body!).findingId)).toEqual([notification.finding.id]);
      } finally {
        client.destroy();
        await proxy.close();
      }
    });

    it('reject after the last attempt, saying how many were made', async () => {
      const proxy = await flakyProxy(Number.POSITIVE_INFINITY);
      const client = new SNSClient({ endpoint: proxy.endpoint, region: 'us-east-1', credentials, ...SNS_RETRY_CONFIG, maxAttempts: 3 });
      try {
        const notification = notify('opened', findingOf('HIGH', TEAM_ACCOUNT, 'sg-0down'));
        const error = (await new SnsNotifier({ client, topicArn }).notify(notification).catch((e: unknown) => e)) as SnsPublishError;
        expect(error).toBeInstanceOf(SnsPublishError);
        expect(error.attempts).toBe(3);
        expect(proxy.requests()).toBe(3);
        expect(error.message).toBe(
          `SNS publish to ${topicArn} for ${notification.dedupKey} failed after 3 attempt(s): ServiceUnavailable (HTTP 503): injected: service unavailable`,
        );
      } finally {
        client.destroy();
        await proxy.close();
      }
    });

    it('give up at the deadline', async () => {
      const proxy = await flakyProxy(Number.POSITIVE_INFINITY);
      const client = new SNSClient({ endpoint: proxy.endpoint, region: 'us-east-1', credentials, maxAttempts: 50 });
      try {
        const notification = notify('opened', findingOf('HIGH', TEAM_ACCOUNT, 'sg-0slow'));
        const error = (await new SnsNotifier({ client, topicArn, timeoutMs: 300 })
          .notify(notification)
          .catch((e: unknown) => e)) as SnsPublishError;
        expect(error).toBeInstanceOf(SnsPublishError);
        expect(error.message).toMatch(/no answer within 300 ms/);
      } finally {
        client.destroy();
        await proxy.close();
      }
    });
  });
});
