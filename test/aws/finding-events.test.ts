/**
 * Findings as events (the `publishFindingEvents` setting), in the template and end to end:
 * - the template: events:PutEvents on the organization bus, for the functions that notify, only
 *   when the setting is on; no area rule of the stack routes the events back to an area function;
 * - the network area's function with its production wiring (shared/shells/lambda/compose.ts),
 *   pointed at dynalite (DynamoDB), fauxqs (SNS→SQS) and a local PutEvents endpoint
 *   (test/support/put-events-endpoint.ts) through the SDK's endpoint variables.
 */
import type { Context } from 'aws-lambda';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  FINDING_EVENT_DETAIL_TYPE,
  FINDING_EVENT_SOURCE,
  type FindingEventDetail,
} from '../../shared/adapters/notify/eventbridge-notifier';
import { networkControls } from '../../shared/core/controls/network';
import { matchesPattern } from '../../shared/core/matching/compile-pattern';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/core/settings/settings';
import { validateSettings } from '../../shared/core/settings/validate-settings';
import { controlsByArea } from '../../shared/infra/serverless-config';
import { buildStack } from '../../shared/infra/stack';
import { areaFunction } from '../../shared/shells/lambda/compose';
import { testClock } from '../support/clock';
import { drainQueue, startDynalite, startFauxqs, subscribeQueue, type LocalService } from '../support/local-aws';
import { startPutEventsEndpoint, type PutEventsEndpoint } from '../support/put-events-endpoint';
import { samplesOf } from '../support/samples';
import { createFindingsTable, localDynamoDbClient, TEST_CREDENTIALS } from '../support/storage';

// biome-ignore lint/suspicious/noExplicitAny: the template is walked as untyped JSON.
type Json = any;

const BUS_ARN = { 'Fn::GetAtt': ['OrganizationEventBus', 'Arn'] };

function stackWith(settings: Partial<Settings>) {
  return buildStack({ controlsByArea: controlsByArea(), settings: { ...DEFAULT_SETTINGS, ...settings } });
}

function putEventsStatements(statements: readonly Json[]): Json[] {
  return statements.filter((statement) => statement.Action.some((action: string) => action.startsWith('events:')));
}

describe('publishFindingEvents setting', () => {
  it('is off by default and takes true or false only', () => {
    expect(DEFAULT_SETTINGS.publishFindingEvents).toBe(false);
    expect(validateSettings({ publishFindingEvents: true }, new Set()).settings?.publishFindingEvents).toBe(true);
    expect(validateSettings({ publishFindingEvents: 'yes' }, new Set()).issues).toEqual([
      { path: ['publishFindingEvents'], message: 'expected true or false, got "yes"' },
    ]);
  });
});

describe('finding events in the template', () => {
  it('off: no function may put events and none is told a bus', () => {
    const { functions } = stackWith({});
    for (const fn of Object.values(functions)) {
      expect(putEventsStatements(fn.iamRoleStatements)).toEqual([]);
      expect(fn.environment).not.toHaveProperty('FINDINGS_EVENT_BUS');
    }
  });

  it('on: the area functions and the maintenance sweep may put trailwarden events on the organization bus, and nothing else', () => {
    const { functions } = stackWith({ publishFindingEvents: true });
    const publishers = [...Object.keys(controlsByArea()), 'maintenance'];
    for (const [name, fn] of Object.entries(functions)) {
      const statements = putEventsStatements(fn.iamRoleStatements);
      if (!publishers.includes(name)) {
        expect({ name, statements }).toEqual({ name, statements: [] });
        expect(fn.environment).not.toHaveProperty('FINDINGS_EVENT_BUS');
        continue;
      }
      expect(statements).toEqual([
        {
          Effect: 'Allow',
          Action: ['events:PutEvents'],
          Resource: [BUS_ARN],
          Condition: { StringEquals: { 'events:source': 'trailwarden' } },
        },
      ]);
      expect(fn.environment.FINDINGS_EVENT_BUS).toEqual(BUS_ARN);
    }
  });

  it('routes no finding event to an area function: no rule of the stack matches one', () => {
    const { resources } = stackWith({ publishFindingEvents: true });
    const event = {
      version: '0',
      id: '7bf73129-1428-4cd3-a780-95db273d1602',
      source: FINDING_EVENT_SOURCE,
      'detail-type': FINDING_EVENT_DETAIL_TYPE,
      account: '210987654321',
      region: 'us-east-1',
      time: '2026-11-29T10:07:00Z',
      resources: [],
      detail: { id: 'f:e:opened', transition: 'opened', finding: { severity: 'CRITICAL', area: 'network' } },
    };
    const rules = Object.values(resources.Resources).filter((resource: Json) => resource.Type === 'AWS::Events::Rule') as Json[];
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      const pattern = rule.Properties.EventPattern;
      if (pattern) expect(matchesPattern(typeof pattern === 'string' ? JSON.parse(pattern) : pattern, event)).toBe(false);
    }
  });
});

describe('the network function with publishFindingEvents', () => {
  const REGION = 'us-east-1';
  const BUS = 'arn:aws:events:us-east-1:210987654321:event-bus/trailwarden-prod-organization';
  const saved = { ...process.env };
  let dynamo: LocalService;
  let fauxqs: LocalService;
  let events: PutEventsEndpoint;
  let ddb: DynamoDBClient;
  let sns: SNSClient;
  let sqs: SQSClient;
  let n = 0;

  beforeAll(async () => {
    [dynamo, fauxqs, events] = await Promise.all([startDynalite(), startFauxqs(), startPutEventsEndpoint()]);
    ddb = localDynamoDbClient(dynamo.endpoint);
    sns = new SNSClient({ endpoint: fauxqs.endpoint, region: REGION, credentials: TEST_CREDENTIALS });
    sqs = new SQSClient({ endpoint: fauxqs.endpoint, region: REGION, credentials: TEST_CREDENTIALS });
  });

  afterAll(async () => {
    process.env = saved;
    ddb?.destroy();
    sns?.destroy();
    sqs?.destroy();
    await Promise.all([dynamo?.stop(), fauxqs?.stop(), events?.stop()]);
  });

  beforeEach(() => {
    events.requests.length = 0;
    events.accepted.length = 0;
  });

  /** A fresh table, topic and on-call queue, and the environment the deployed function gets. */
  async function deploy(settings: Partial<Settings>): Promise<{ queueUrl: string }> {
    n += 1;
    const tableName = `finding-events-${n}`;
    await createFindingsTable(ddb, tableName);
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: `finding-events-${n}` }))).TopicArn!;
    const queueUrl = await subscribeQueue({ sns, sqs }, topicArn, `finding-events-on-call-${n}`, { RawMessageDelivery: 'true' });
    process.env = {
      ...saved,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SNS: fauxqs.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: events.endpoint,
      FINDINGS_TABLE: tableName,
      FINDINGS_TOPIC_ARN: topicArn,
      // Set in both cases: the setting alone decides whether anything is put.
      FINDINGS_EVENT_BUS: BUS,
      TRAILWARDEN_SETTINGS: JSON.stringify(settings),
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    };
    return { queueUrl };
  }

  /** A violating sample of a network control that opens exactly one finding. */
  const control = networkControls.find((c) => c.id === 'network.db-security-group-open-to-internet')!;
  const violating = samplesOf(control).find((sample) => sample.polarity === 'violating')!.event;

  const context = { functionName: 'trailwarden-prod-network', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 30_000 } as Context;
  const invoke = (event: unknown) =>
    areaFunction('network', networkControls, process.env, testClock('2026-11-29T10:07:00.000Z').now)(event, context);

  it('on: an event opening a finding puts one trailwarden Finding entry on the bus, besides the SNS message', async () => {
    const { queueUrl } = await deploy({ publishFindingEvents: true });
    const outcome = await invoke(violating);
    expect(outcome).toMatchObject({ status: 'processed' });
    const opened = outcome.status === 'processed' ? outcome.transitions.filter((t) => t.transition === 'opened') : [];
    expect(opened).toHaveLength(1);

    expect(events.requests).toHaveLength(1);
    expect(events.accepted).toHaveLength(1);
    const [entry] = events.accepted;
    expect(entry).toMatchObject({ EventBusName: BUS, Source: 'trailwarden', DetailType: 'trailwarden Finding' });
    const detail = JSON.parse(entry!.Detail!) as FindingEventDetail;
    expect(detail).toMatchObject({
      id: `${opened[0]!.findingId}:${violating.id}:opened`,
      transition: 'opened',
      finding: { id: opened[0]!.findingId, controlId: control.id, status: 'open', account: violating.account },
      control: { id: control.id },
      frameworks: control.frameworks,
    });
    expect(await drainQueue(sqs, queueUrl)).toHaveLength(1);

    // A redelivery of the event owes nothing: nothing is put again.
    await invoke(JSON.parse(JSON.stringify(violating)));
    expect(events.requests).toHaveLength(1);
  });

  it('off: the same event sends no PutEvents request at all', async () => {
    const { queueUrl } = await deploy({});
    const outcome = await invoke(violating);
    expect(outcome).toMatchObject({ status: 'processed' });
    expect(await drainQueue(sqs, queueUrl)).toHaveLength(1);
    expect(events.requests).toEqual([]);
  });
});
