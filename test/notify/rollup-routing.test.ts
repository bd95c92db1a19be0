/**
 * Roll-ups and digests routed by the same subscription filter policies as findings, through fauxqs
 * (SNS → SQS), both sent by the SNS notifier: a CRITICAL roll-up pages and reaches its team, a
 * digest goes to the mailbox only.
 */
import { testFinding } from '../support/findings';
import { drainQueue, startLocalTopic, subscribeQueue, type LocalTopic } from '../support/local-aws';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { SnsNotifier } from '../../shared/adapters/notify/sns-notifier';
import {
  EMAIL_THE_REST,
  PAGE_ON_CRITICAL_AND_HIGH,
  subscriptionAttributesOf,
  teamAccountsPolicy,
  type FilterPolicy,
} from '../../shared/core/notifications/filter-policies';
import { rollupNotificationOf } from '../../shared/core/notifications/notification';
import { applyClaim, windowOf, type RollupClaim, type RollupWindow } from '../../shared/core/notifications/rollup';
import { buildDigest } from '../../shared/core/notifications/digest';
import type { Severity } from '../../shared/core/model/severity';
import type { ControlSummary } from '../../shared/core/model/control-metadata';

/** The control's summary a window keeps; its own severity (HIGH) is not what a roll-up is routed by. */
const CONTROL: ControlSummary = {
  id: 'network.security-group-open-to-internet',
  area: 'network',
  title: 'Security group ingress open to the internet',
  severity: 'HIGH',
  rationale: 'r',
  runbook: ['Revoke the rule.'],
  frameworks: [],
};

function windowWith(account: string, severities: Severity[]): RollupWindow {
  let window: RollupWindow | undefined;
  severities.forEach((severity, i) => {
    const claim: RollupClaim = {
      kind: 'opened',
      controlId: CONTROL.id,
      area: 'network',
      account,
      ...windowOf(new Date('2026-03-01T10:03:00Z'), 15),
      control: CONTROL,
      item: {
        findingId: `f-${account}-${i}`,
        eventId: `e${i}`,
        resourceId: `sg-${i}`,
        resourceType: 'AWS::EC2::SecurityGroup',
        region: 'eu-west-1',
        severity,
        at: '2026-03-01T10:03:00.000Z',
      },
    };
    window = applyClaim(window, claim, 1)!.window;
  });
  return window!;
}

describe('roll-ups and digests through fauxqs', () => {
  let local: LocalTopic | undefined;
  let sns: SNSClient;
  let sqs: SQSClient;
  let topicArn: string;
  beforeAll(async () => {
    local = await startLocalTopic('trailwarden-rollups');
    ({ sns, sqs, topicArn } = local);
  });
  afterAll(() => local?.stop());

  const queue = (name: string, policy: FilterPolicy) =>
    subscribeQueue({ sns, sqs }, topicArn, name, { ...subscriptionAttributesOf(policy), RawMessageDelivery: 'true' });

  /** fauxqs delivers the whole per-protocol document; SNS would deliver its `sqs` value. */
  const payloads = async (queueUrl: string) =>
    (await drainQueue(sqs, queueUrl)).map(
      (m) => JSON.parse((JSON.parse(m.Body!) as Record<string, string>).sqs!) as Record<string, unknown>,
    );

  it('routes by the highest held severity and the account, and sends the digest to the mailbox only', async () => {
    const page = await queue('rollup-page', PAGE_ON_CRITICAL_AND_HIGH);
    const email = await queue('rollup-email', EMAIL_THE_REST);
    const team = await queue('rollup-team', teamAccountsPolicy(['111122223333']));
    const notifier = new SnsNotifier({ client: sns, topicArn });
    await notifier.notify(rollupNotificationOf(windowWith('111122223333', ['HIGH', 'HIGH', 'CRITICAL', 'HIGH'])));
    await notifier.notify(rollupNotificationOf(windowWith('444455556666', ['LOW', 'MEDIUM', 'LOW'])));
    const digest = buildDigest(
      [testFinding({ id: 'd1', controlId: CONTROL.id, severity: 'MEDIUM' })],
      new Date('2026-03-01T00:00:00Z'),
      new Date('2026-03-02T00:00:00Z'),
    );
    await notifier.sendDigest(digest); // the digest goes through the same Notifier port as the roll-ups

    const summary = (p: Record<string, unknown>) =>
      `${String(p.type ?? p.transition)} ${String(p.severity ?? '')} ${String(p.account ?? '')} ${String(p.count ?? p.total)}`;
    expect((await payloads(page)).map(summary)).toEqual(['rollup CRITICAL 111122223333 3']);
    expect((await payloads(email)).map(summary)).toEqual(['rollup MEDIUM 444455556666 2', 'digest   1']);
    expect((await payloads(team)).map(summary)).toEqual(['rollup CRITICAL 111122223333 3']);
  });
});
