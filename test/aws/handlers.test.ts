/**
 * The seven deployed handlers (functions/<area>/handler.ts), invoked as Lambda invokes them — an
 * EventBridge event and a Lambda context — with their production wiring (shared/shells/lambda/compose.ts)
 * pointed at dynalite for DynamoDB and fauxqs for SNS→SQS through the SDK's endpoint variables.
 * Faults are injected by a proxy that answers 503 to chosen requests, as an unavailable service does.
 * Every function runs on the suite's test clock (storm-control windows, exemption expiry, deadlines,
 * the digest period), never the wall clock.
 */
import { readdirSync, statSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Context } from 'aws-lambda';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AREAS, type Area } from '../../shared/core/model/area';
import type { EventBridgeEvent } from '../../shared/core/model/event';
import { wrapCloudTrailRecord } from '../../shared/core/intake/envelope';
import { readEvents } from '../../shared/adapters/intake/read-events';
import { dynamoDbStorage } from '../../shared/adapters/store/dynamodb';
import type { FindingStore } from '../../shared/core/findings/finding-store';
import type { AreaOutcome } from '../../shared/adapters/lambda/area-handler';
import type * as LambdaCompose from '../../shared/shells/lambda/compose';
import type * as LambdaOperations from '../../shared/shells/lambda/operations';
import {
  drainQueue,
  startDynalite,
  startFaultProxy,
  startFauxqs,
  subscribeQueue,
  type FaultProxy,
  type LocalService,
} from '../support/local-aws';
import { createFindingsTable, localDynamoDbClient, TEST_CREDENTIALS } from '../support/storage';
import { HOUR, MINUTE, testClock, type TestClock } from '../support/clock';

const EVENTS = resolve(__dirname, '../../events');
const credentials = TEST_CREDENTIALS;
const REGION = 'us-east-1';
/** The time every test starts at: mid-way through a storm-control window (15-minute slots), whatever the wall clock says. */
const START = '2026-11-29T10:07:00.000Z';

type Handler = (event: unknown, context: Context) => Promise<AreaOutcome>;

function lambdaContext(area: Area): Context {
  const functionName = `trailwarden-prod-${area}`;
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${REGION}:210987654321:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: `req-${Math.random().toString(16).slice(2)}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/29/[$LATEST]0123456789abcdef',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

let clock: TestClock;
beforeEach(() => {
  clock = testClock(START);
});

const COMPOSE = '../../shared/shells/lambda/compose';
const OPERATIONS = '../../shared/shells/lambda/operations';

/**
 * A fresh copy of a function's handler module: a new Lambda execution environment. The module is the
 * deployed one, unchanged; the compositions it calls (`areaFunction`, `apiFunction`,
 * `maintenanceFunction`) are given the test clock, which the deployed modules leave to its default.
 */
function coldFunction<H>(name: string): H {
  const now = clock.now;
  let handler: H | undefined;
  jest.isolateModules(() => {
    jest.doMock(COMPOSE, () => {
      const actual = jest.requireActual<typeof LambdaCompose>(COMPOSE);
      const areaFunction: typeof actual.areaFunction = (area, controls, env, given) =>
        actual.areaFunction(area, controls, env, given ?? now);
      return { ...actual, areaFunction };
    });
    jest.doMock(OPERATIONS, () => {
      const actual = jest.requireActual<typeof LambdaOperations>(OPERATIONS);
      const apiFunction: typeof actual.apiFunction = (env, given) => actual.apiFunction(env, given ?? now);
      const maintenanceFunction: typeof actual.maintenanceFunction = (env, given) => actual.maintenanceFunction(env, given ?? now);
      return { ...actual, apiFunction, maintenanceFunction };
    });
    handler = (require(`../../functions/${name}/handler`) as { handler: H }).handler;
  });
  return handler!;
}

const coldHandler = (area: Area) => coldFunction<Handler>(area);

/** The first violating sample of the area's first control, as EventBridge delivers it. */
async function violatingSample(area: Area): Promise<EventBridgeEvent> {
  for (const control of readdirSync(join(EVENTS, area)).sort()) {
    // A single violating event (a folder of them is a stateful detection's sequence: its events raise nothing alone).
    const file = readdirSync(join(EVENTS, area, control))
      .sort()
      .find((name) => name.startsWith('1-violating') && statSync(join(EVENTS, area, control, name)).isFile());
    if (!file) continue;
    for await (const item of readEvents([join(EVENTS, area, control, file)])) if (item.kind === 'event') return item.event;
  }
  throw new Error(`no violating sample for ${area}`);
}

let dynamo: LocalService;
let fauxqs: LocalService;
let sqs: SQSClient;
let sns: SNSClient;
let ddb: DynamoDBClient;
let tables = 0;
const saved = { ...process.env };

beforeAll(async () => {
  [dynamo, fauxqs] = await Promise.all([startDynalite(), startFauxqs()]);
  ddb = localDynamoDbClient(dynamo.endpoint);
  sns = new SNSClient({ endpoint: fauxqs.endpoint, region: REGION, credentials });
  sqs = new SQSClient({ endpoint: fauxqs.endpoint, region: REGION, credentials });
});

afterAll(async () => {
  process.env = saved;
  ddb?.destroy();
  sns?.destroy();
  sqs?.destroy();
  await Promise.all([dynamo?.stop(), fauxqs?.stop()]);
});

interface Deployment {
  tableName: string;
  topicArn: string;
  queueUrl: string;
  /** The findings table as the functions see it. */
  findings: FindingStore;
}

/** A table, a topic and a queue subscribed to it; the environment a deployed function gets. */
async function deploy(endpoints: { dynamodb: string; sns: string }): Promise<Deployment> {
  const n = ++tables;
  const tableName = `trailwarden-findings-${n}`;
  await createFindingsTable(ddb, tableName);
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: `trailwarden-findings-${n}` }))).TopicArn!;
  const queueUrl = await subscribeQueue({ sns, sqs }, topicArn, `on-call-${n}`, { RawMessageDelivery: 'true' });
  process.env = {
    ...saved,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SNS: endpoints.sns,
    FINDINGS_TABLE: tableName,
    FINDINGS_TOPIC_ARN: topicArn,
    TRAILWARDEN_SETTINGS: '{}',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    // The functions' CloudWatch metrics (EMF lines on stdout) are read by the 'operational metrics' tests only.
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  return { tableName, topicArn, queueUrl, findings: dynamoDbStorage({ client: ddb, tableName }).findings };
}

const drain = (queueUrl: string) => drainQueue(sqs, queueUrl);

describe('deployed area handlers', () => {
  it.each(AREAS)(
    '%s: records the finding in DynamoDB and publishes it once to SNS, with filterable attributes; a redelivery changes nothing',
    async (area) => {
      const deployment = await deploy({ dynamodb: dynamo.endpoint, sns: fauxqs.endpoint });
      const handler = coldHandler(area);
      const event = await violatingSample(area);

      const outcome = await handler(event, lambdaContext(area));
      expect(outcome).toMatchObject({ status: 'processed', eventId: event.id });
      const opened = outcome.status === 'processed' ? outcome.transitions.filter((t) => t.transition === 'opened') : [];
      expect(opened.length).toBeGreaterThan(0);
      expect(opened.every((t) => t.controlId.startsWith(`${area}.`))).toBe(true);

      const findings = await deployment.findings.listFindings({ area });
      expect(findings.map((f) => f.id).sort()).toEqual(opened.map((t) => t.findingId).sort());
      expect(findings.every((f) => f.count === 1 && f.status === 'open' && f.unnotified === undefined)).toBe(true);

      const messages = await drain(deployment.queueUrl);
      expect(messages).toHaveLength(opened.length);
      for (const message of messages) {
        const attributes = message.MessageAttributes ?? {};
        expect(attributes.area?.StringValue).toBe(area);
        expect(attributes.severity?.StringValue).toMatch(/^(CRITICAL|HIGH|MEDIUM|LOW)$/);
        expect(opened.map((t) => t.controlId)).toContain(attributes.controlId?.StringValue);
        expect(attributes.account?.StringValue).toBe(event.account);
      }

      // EventBridge delivers at least once: the same event again, even to a new execution environment.
      await coldHandler(area)(JSON.parse(JSON.stringify(event)), lambdaContext(area));
      expect((await deployment.findings.listFindings({ area })).map((f) => f.count)).toEqual(findings.map(() => 1));
      expect(await drain(deployment.queueUrl)).toEqual([]);
    },
  );

  it('answers a malformed event without failing (never retried) and writes nothing', async () => {
    const deployment = await deploy({ dynamodb: dynamo.endpoint, sns: fauxqs.endpoint });
    const event = await violatingSample('network');
    const outcome = await coldHandler('network')({ ...event, detail: 'truncated' }, lambdaContext('network'));
    expect(outcome).toMatchObject({ status: 'rejected', eventId: event.id, path: 'detail' });
    expect(await deployment.findings.listFindings({})).toEqual([]);
    expect(await drain(deployment.queueUrl)).toEqual([]);
  });

  it("refuses an event further ahead of its clock than the organization's maxEventAheadMinutes setting", async () => {
    const deployment = await deploy({ dynamodb: dynamo.endpoint, sns: fauxqs.endpoint });
    process.env.TRAILWARDEN_SETTINGS = JSON.stringify({ maxEventAheadMinutes: 30 });
    const event = await violatingSample('network');
    const ahead = new Date(clock.now().getTime() + HOUR).toISOString();
    const outcome = await coldHandler('network')(
      { ...event, time: ahead, detail: { ...(event.detail as object), eventTime: ahead } },
      lambdaContext('network'),
    );
    expect(outcome).toMatchObject({ status: 'rejected', eventId: event.id, reason: expect.stringContaining('more than 30 minutes ahead') });
    expect(await deployment.findings.listFindings({})).toEqual([]);
    // Within the bound, the same event is evaluated.
    const soon = new Date(clock.now().getTime() + 10 * MINUTE).toISOString();
    const accepted = await coldHandler('network')(
      { ...event, time: soon, detail: { ...(event.detail as object), eventTime: soon } },
      lambdaContext('network'),
    );
    expect(accepted).toMatchObject({ status: 'processed' });
  });

  it('fails every invocation with a message naming the missing table variable', async () => {
    await deploy({ dynamodb: dynamo.endpoint, sns: fauxqs.endpoint });
    delete process.env.FINDINGS_TABLE;
    await expect(coldHandler('network')(await violatingSample('network'), lambdaContext('network'))).rejects.toThrow(
      'environment variable FINDINGS_TABLE is not set',
    );
  });
});

describe('fault injection', () => {
  let dynamoProxy: FaultProxy;
  let snsProxy: FaultProxy;

  beforeAll(async () => {
    [dynamoProxy, snsProxy] = await Promise.all([startFaultProxy(dynamo.endpoint, 'json'), startFaultProxy(fauxqs.endpoint, 'query')]);
  });
  afterAll(async () => {
    await Promise.all([dynamoProxy?.stop(), snsProxy?.stop()]);
  });
  afterEach(() => {
    dynamoProxy.failWhen = undefined;
    snsProxy.failWhen = undefined;
  });

  it.each([
    ['its first write', 1],
    ['a later write', 2],
  ])(
    'a store failing from %s fails the invocation without a notification; the retry records once and notifies once',
    async (_what, failFrom) => {
      const deployment = await deploy({ dynamodb: dynamoProxy.endpoint, sns: snsProxy.endpoint });
      const event = await violatingSample('network');
      const handler = coldHandler('network');
      let writes = 0;
      dynamoProxy.failWhen = ({ headers }) => String(headers['x-amz-target']).endsWith('.PutItem') && ++writes >= failFrom;

      await expect(handler(event, lambdaContext('network'))).rejects.toThrow();
      expect(dynamoProxy.failed()).toBeGreaterThan(0);
      const partial = await deployment.findings.listFindings({});
      expect(partial.every((f) => f.count === 1)).toBe(true); // a write either happened whole or not at all
      expect(await drain(deployment.queueUrl)).toEqual([]); // nothing is sent before the writes are durable

      dynamoProxy.failWhen = undefined; // Lambda's asynchronous retry, once DynamoDB is back
      await handler(event, lambdaContext('network'));
      const findings = await deployment.findings.listFindings({});
      expect(findings.length).toBeGreaterThan(0);
      expect(findings.every((f) => f.count === 1)).toBe(true);
      expect(await drain(deployment.queueUrl)).toHaveLength(findings.length);
    },
  );

  it('an SNS outage fails the invocation but keeps the finding; the redelivered event notifies exactly once', async () => {
    const deployment = await deploy({ dynamodb: dynamoProxy.endpoint, sns: snsProxy.endpoint });
    const event = await violatingSample('network');
    snsProxy.failWhen = ({ body }) => body.includes('Action=Publish');

    await expect(coldHandler('network')(event, lambdaContext('network'))).rejects.toThrow();
    expect(snsProxy.failed()).toBeGreaterThan(0);
    const kept = await deployment.findings.listFindings({});
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((f) => f.unnotified?.eventId === event.id)).toBe(true); // owed, recorded with the finding
    expect(await drain(deployment.queueUrl)).toEqual([]);

    snsProxy.failWhen = undefined;
    await coldHandler('network')(event, lambdaContext('network')); // redelivery, in a new environment
    await coldHandler('network')(event, lambdaContext('network')); // and once more
    expect(await drain(deployment.queueUrl)).toHaveLength(kept.length);
    const after = await deployment.findings.listFindings({});
    expect(after.every((f) => f.count === 1 && f.unnotified === undefined)).toBe(true);
  });
});

describe('deployed operational handlers', () => {
  function apiEvent(method: string, path: string, query = '', body?: unknown, iam = true): unknown {
    return {
      version: '2.0',
      routeKey: 'ANY /api/{proxy+}',
      rawPath: path,
      rawQueryString: query,
      headers: { 'content-type': 'application/json' },
      requestContext: {
        accountId: '210987654321',
        apiId: 'a1b2c3',
        stage: '$default',
        http: { method, path, protocol: 'HTTP/1.1', sourceIp: '198.51.100.7', userAgent: 'aws-cli/2' },
        ...(iam
          ? {
              authorizer: {
                iam: {
                  accountId: '210987654321',
                  callerId: 'AROAEXAMPLE:auditor',
                  userArn: 'arn:aws:sts::210987654321:assumed-role/Auditor/jane',
                  userId: 'AROAEXAMPLE:auditor',
                },
              },
            }
          : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body), isBase64Encoded: false } : {}),
    };
  }

  // biome-ignore lint/suspicious/noExplicitAny: the api and maintenance handlers answer differently shaped results, read field by field.
  const coldOperational = (name: 'api' | 'maintenance') => coldFunction<(event: unknown) => Promise<any>>(name);

  it('the API function answers an IAM-signed request with the findings the area functions recorded, and refuses one without IAM identity', async () => {
    const deployment = await deploy({ dynamodb: dynamo.endpoint, sns: fauxqs.endpoint });
    const event = await violatingSample('network');
    await coldHandler('network')(event, lambdaContext('network'));
    const recorded = await deployment.findings.listFindings({});

    const api = coldOperational('api');
    const listed = await api(apiEvent('GET', '/api/findings', 'area=network'));
    expect(listed.statusCode).toBe(200);
    expect(
      JSON.parse(listed.body)
        .findings.map((f: { id: string }) => f.id)
        .sort(),
    ).toEqual(recorded.map((f) => f.id).sort());
    const bad = await api(apiEvent('GET', '/api/findings', 'severity=URGENT'));
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ parameter: 'severity' });
    expect((await api(apiEvent('GET', '/api/findings', '', undefined, false))).statusCode).toBe(401);
  });

  it('the maintenance function reopens and notifies the findings of an exemption that ended', async () => {
    const deployment = await deploy({ dynamodb: dynamo.endpoint, sns: fauxqs.endpoint });
    const event = await violatingSample('network');
    await coldHandler('network')(event, lambdaContext('network'));
    const [finding] = await deployment.findings.listFindings({});
    await drain(deployment.queueUrl);

    const api = coldOperational('api');
    const expiresAt = new Date(clock.now().getTime() + HOUR).toISOString();
    const created = await api(
      apiEvent('POST', '/api/exemptions', '', {
        controlId: finding!.controlId,
        accounts: [finding!.account],
        reason: 'change window',
        approver: 'ciso@example.com',
        expiresAt,
      }),
    );
    expect(created.statusCode).toBe(201);
    expect((await deployment.findings.getFinding(finding!.id))!.status).toBe('suppressed');
    const id = JSON.parse(created.body).exemption.id as string;
    expect((await api(apiEvent('DELETE', `/api/exemptions/${id}`))).statusCode).toBe(200);

    clock.advance(MINUTE); // the next run of the one-minute schedule
    await coldOperational('maintenance')({ 'detail-type': 'Scheduled Event', source: 'aws.events' });
    expect((await deployment.findings.getFinding(finding!.id))!.status).toBe('open');
    const sent = await drain(deployment.queueUrl);
    expect(sent.map((m) => m.MessageAttributes?.transition?.StringValue)).toContain('reopened');
  });

  it('the hourly deadline job escalates a finding past its remediation deadline once, and notifies it once', async () => {
    const deployment = await deploy({ dynamodb: dynamo.endpoint, sns: fauxqs.endpoint });
    const event = await violatingSample('network'); // recorded in 2025: long past any deadline
    await coldHandler('network')(event, lambdaContext('network'));
    const [before] = await deployment.findings.listFindings({});
    await drain(deployment.queueUrl);

    const maintenance = coldOperational('maintenance');
    await maintenance({ jobs: ['deadlines'] });
    await maintenance({ jobs: ['deadlines'] });
    const after = await deployment.findings.getFinding(before!.id);
    expect(after!.severity).not.toBe(before!.severity);
    const sent = await drain(deployment.queueUrl);
    expect(sent.map((m) => m.MessageAttributes?.transition?.StringValue)).toEqual(['escalated']);
  });

  /** The sample SSH-open event for `count` distinct security groups, happening at `at`. */
  function burst(count: number, at: Date): EventBridgeEvent[] {
    const record = JSON.parse(readFileSync(join(EVENTS, 'network/security-group-open-to-internet/1-violating-ssh-ipv4.json'), 'utf8'));
    return Array.from({ length: count }, (_, i) => {
      const group = `sg-0burst${String(i).padStart(9, '0')}`;
      const text = JSON.stringify(record)
        .replaceAll('sg-0a1b2c3d4e5f60718', group)
        .replace(/"eventTime":"[^"]+"/, `"eventTime":"${at.toISOString().replace(/\.\d{3}Z$/, 'Z')}"`);
      return wrapCloudTrailRecord({ ...JSON.parse(text), eventID: `burst-${i}-${at.getTime()}` }) as unknown as EventBridgeEvent;
    });
  }

  it('a burst of one control in one account pages a few times, then the minute schedule sends one roll-up when the window closes', async () => {
    const deployment = await deploy({ dynamodb: dynamo.endpoint, sns: fauxqs.endpoint });
    const handler = coldHandler('network');
    for (const event of burst(12, clock.now())) await handler(event, lambdaContext('network')); // all in the window 10:00–10:15
    const individual = await drain(deployment.queueUrl);
    expect(individual.map((m) => m.MessageAttributes?.transition?.StringValue)).toEqual(Array(5).fill('opened'));

    clock.advance(16 * MINUTE); // the window has closed
    const maintenance = coldOperational('maintenance');
    await maintenance({ jobs: ['rollups'] });
    await maintenance({ jobs: ['rollups'] });
    const rollups = await drain(deployment.queueUrl);
    expect(rollups.map((m) => m.MessageAttributes?.transition?.StringValue)).toEqual(['rollup']);
    const body = rollups[0]!.Body!;
    expect(body).toContain('7 more findings of this control opened in account 111122223333');
    for (let i = 5; i < 12; i += 1) expect(body).toContain(`sg-0burst${String(i).padStart(9, '0')}`);
    for (let i = 0; i < 5; i += 1) expect(body).not.toContain(`sg-0burst${String(i).padStart(9, '0')}`);
  });

  it('the daily schedule publishes the digest of the findings below the paging threshold', async () => {
    const deployment = await deploy({ dynamodb: dynamo.endpoint, sns: fauxqs.endpoint });
    const now = clock.now();
    const record = JSON.parse(
      readFileSync(
        join(EVENTS, 'host/imdsv1-allowed', readdirSync(join(EVENTS, 'host/imdsv1-allowed')).find((f) => f.startsWith('1-violating'))!),
        'utf8',
      ),
    );
    const event = wrapCloudTrailRecord({
      ...record,
      eventTime: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      eventID: `digest-${now.getTime()}`,
    }) as unknown as EventBridgeEvent;
    await coldHandler('host')(event, lambdaContext('host'));
    const [finding] = await deployment.findings.listFindings({});
    expect(['MEDIUM', 'LOW', 'INFORMATIONAL']).toContain(finding!.severity);
    await drain(deployment.queueUrl);

    clock.advance(HOUR); // the daily run, within the day after the finding
    await coldOperational('maintenance')({ jobs: ['digest'] });
    const [digest] = await drain(deployment.queueUrl);
    expect(digest).toBeDefined();
    expect(digest!.Body).toContain(finding!.resourceId);
    expect(digest!.MessageAttributes?.transition?.StringValue).toBe('digest'); // published by the notifier's sendDigest
  });
});

describe('operational metrics', () => {
  /** One CloudWatch Embedded Metric Format line as Powertools writes it to stdout. */
  type EmfLine = {
    _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
    [key: string]: unknown;
  };
  const SG_SAMPLES = join(EVENTS, 'network', 'security-group-open-to-internet');
  const sample = (file: string) => wrapCloudTrailRecord(JSON.parse(readFileSync(join(SG_SAMPLES, file), 'utf8')));
  let snsProxy: FaultProxy;

  beforeAll(async () => {
    snsProxy = await startFaultProxy(fauxqs.endpoint, 'query');
  });
  afterAll(async () => {
    await snsProxy?.stop();
  });

  /** Runs one invocation and returns the EMF lines it wrote to stdout (Lambda sends stdout to CloudWatch Logs, which reads them). */
  async function metricsOf(invoke: () => Promise<unknown>): Promise<EmfLine[]> {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      await invoke().catch(() => undefined);
    } finally {
      spy.mockRestore();
    }
    return written
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{"_aws"'))
      .map((line) => JSON.parse(line) as EmfLine);
  }

  /** The counts of the one EMF line of an invocation, after checking its namespace, dimensions and units. */
  function countsOf(lines: EmfLine[], area: Area): Record<string, unknown> {
    expect(lines).toHaveLength(1);
    const [line] = lines;
    const [definition] = line!._aws.CloudWatchMetrics;
    expect(definition).toMatchObject({ Namespace: 'trailwarden', Dimensions: [['service', 'area']] });
    expect(definition!.Metrics.every((metric) => metric.Unit === 'Count')).toBe(true);
    expect(line).toMatchObject({ service: 'trailwarden', area });
    return Object.fromEntries(definition!.Metrics.map((metric) => [metric.Name, line![metric.Name]]));
  }

  it('publishes after each invocation, by area, the events evaluated, malformed events, findings opened and resolved, and notifications sent', async () => {
    await deploy({ dynamodb: dynamo.endpoint, sns: fauxqs.endpoint });
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    const handler = coldHandler('network');

    const opened = await metricsOf(() => handler(sample('1-violating-ssh-ipv4.json'), lambdaContext('network')));
    expect(countsOf(opened, 'network')).toEqual({ EventsEvaluated: 1, FindingsOpened: 1, NotificationsSent: 1 });

    // The next invocation starts from zero: only what it did.
    const resolved = await metricsOf(() => handler(sample('3-resolving-revoke-ssh.json'), lambdaContext('network')));
    expect(countsOf(resolved, 'network')).toEqual({ EventsEvaluated: 1, FindingsResolved: 1, NotificationsSent: 1 });

    const malformed = await metricsOf(() =>
      handler({ ...sample('1-violating-ssh-ipv4.json'), detail: 'truncated' }, lambdaContext('network')),
    );
    expect(countsOf(malformed, 'network')).toEqual({ MalformedEventsRejected: 1 });
  });

  it('publishes the notifications SNS refused as failed, from the invocation that fails on them', async () => {
    await deploy({ dynamodb: dynamo.endpoint, sns: snsProxy.endpoint });
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    snsProxy.failWhen = ({ body }) => body.includes('Action=Publish');
    try {
      const handler = coldHandler('network');
      const failed = await metricsOf(() =>
        expect(handler(sample('1-violating-ssh-ipv4.json'), lambdaContext('network'))).rejects.toThrow(),
      );
      expect(countsOf(failed, 'network')).toEqual({ EventsEvaluated: 1, FindingsOpened: 1, NotificationsFailed: 1 });

      // The retry, with SNS back: the finding was already opened, the owed notification goes out.
      snsProxy.failWhen = undefined;
      const retried = await metricsOf(() => handler(sample('1-violating-ssh-ipv4.json'), lambdaContext('network')));
      expect(countsOf(retried, 'network')).toEqual({ EventsEvaluated: 1, NotificationsSent: 1 });
    } finally {
      snsProxy.failWhen = undefined;
    }
  });
});
