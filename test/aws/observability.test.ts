/**
 * Isolation and observability of the AWS stack, read from the template `serverless package` (osls,
 * offline) builds — what would be deployed: reserved concurrency from the settings, X-Ray tracing
 * and the permissions it needs, the alarms (table and every index throttled, the findings topic
 * failing to deliver, notifications failing per area) and the operations dashboard. The settings
 * variants are built with buildStack, the data serverless.yml takes, and one is packaged to show the
 * error a deployer sees. (The metrics a real invocation publishes: test/aws/handlers.test.ts.)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { OPERATIONAL_METRICS } from '../../shared/app/operational-metrics';
import { ALL_CONTROLS } from '../../shared/core/controls';
import { AREAS } from '../../shared/core/model/area';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/core/settings/settings';
import { pathText, validateSettings } from '../../shared/core/settings/validate-settings';
import { controlsByArea } from '../../shared/infra/serverless-config';
import { buildStack, LAMBDA_MIN_UNRESERVED_CONCURRENCY } from '../../shared/infra/stack';

const ROOT = resolve(__dirname, '../..');
// biome-ignore lint/suspicious/noExplicitAny: the packaged CloudFormation template is walked as untyped JSON.
type Json = any;
type Resources = Record<string, { Type: string; Properties: Json }>;

const FUNCTIONS = [...AREAS, 'api', 'maintenance', 'backfill'] as const;
const capitalized = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);
const CONTROL_IDS = new Set(ALL_CONTROLS.map((control) => control.id));

/** What `serverless package` is run with: no AWS credentials, and the settings file given (none: the defaults). */
function packageEnv(config?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'trailwarden-none' };
  env.AWS_SDK_LOAD_CONFIG = '0';
  delete env.TRAILWARDEN_CONFIG;
  if (config) env.TRAILWARDEN_CONFIG = config;
  return env;
}

function serverlessPackage(env: NodeJS.ProcessEnv, dir: string) {
  return spawnSync(
    process.execPath,
    [require.resolve('osls/bin/serverless.js'), 'package', '--package', dir, '--param=OrganizationId=o-exampleorg01'],
    { cwd: ROOT, env, encoding: 'utf8', timeout: 240_000 },
  );
}

let resources: Resources;

beforeAll(() => {
  execFileSync('node', ['scripts/build.mjs'], { cwd: ROOT, env: packageEnv(), stdio: 'pipe' });
  const dir = mkdtempSync(join(tmpdir(), 'trailwarden-observability-'));
  const packaged = serverlessPackage(packageEnv(), dir);
  if (packaged.status !== 0) throw new Error(`serverless package failed:\n${packaged.stdout}\n${packaged.stderr}`);
  resources = JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')).Resources;
}, 300_000);

const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
const alarms = () => ofType('AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
const settingsWith = (reservedConcurrency: Partial<Settings['reservedConcurrency']>): Settings => ({
  ...DEFAULT_SETTINGS,
  reservedConcurrency: { ...DEFAULT_SETTINGS.reservedConcurrency, ...reservedConcurrency },
});

describe('reserved concurrency', () => {
  it('by default gives the api and maintenance functions their floor and caps every area and the backfill, leaving the account most of its pool', () => {
    const reserved = Object.fromEntries(
      FUNCTIONS.map((name) => [name, resources[`${capitalized(name)}LambdaFunction`]!.Properties.ReservedConcurrentExecutions]),
    );
    const { api, maintenance, area, accountLimit } = DEFAULT_SETTINGS.reservedConcurrency;
    const backfill = DEFAULT_SETTINGS.backfill.maxConcurrency;
    expect(reserved).toEqual({ ...Object.fromEntries(AREAS.map((name) => [name, area])), api, maintenance, backfill });
    const total = Object.values(reserved).reduce((sum: number, value) => sum + (value as number), 0);
    // Lambda's default quota is 1,000 per Region and 100 must stay unreserved; the stack takes well under a fifth.
    expect(accountLimit).toBe(1000);
    expect(total).toBeLessThanOrEqual((accountLimit - LAMBDA_MIN_UNRESERVED_CONCURRENCY) / 5);
    expect(Math.min(api, maintenance, area)).toBeGreaterThan(0); // 0 would stop a function altogether
  });

  it('takes each function’s share from the settings, a partial mapping keeping the other defaults', () => {
    const { settings } = validateSettings({ reservedConcurrency: { area: 50, api: 4 } }, CONTROL_IDS);
    expect(settings?.reservedConcurrency).toEqual({ ...DEFAULT_SETTINGS.reservedConcurrency, area: 50, api: 4 });
    const { functions } = buildStack({ controlsByArea: controlsByArea(), settings: settings! });
    for (const area of AREAS) expect(functions[area]!.reservedConcurrency).toBe(50);
    expect(functions.api!.reservedConcurrency).toBe(4);
    expect(functions.maintenance!.reservedConcurrency).toBe(DEFAULT_SETTINGS.reservedConcurrency.maintenance);
  });

  it('refuses, naming the key path, a share that is not a whole number of 1 or more and an unknown key', () => {
    const { settings, issues } = validateSettings({ reservedConcurrency: { area: 0, api: 2.5, burst: 3 } }, CONTROL_IDS);
    expect(settings).toBeUndefined();
    expect(issues.map((issue) => [pathText(issue.path), issue.message])).toEqual([
      ['reservedConcurrency.area', expect.stringContaining('expected a whole number of concurrent executions (1 or more), got number 0')],
      ['reservedConcurrency.api', expect.stringContaining('got number 2.5')],
      ['reservedConcurrency.burst', expect.stringContaining('unknown setting (known: api, maintenance, area, accountLimit)')],
    ]);
    expect(pathText(validateSettings({ reservedConcurrency: 20 }, CONTROL_IDS).issues[0]!.path)).toBe('reservedConcurrency');
  });

  it('stops the build when the functions would reserve more than the account can (its limit less the 100 Lambda keeps), and allows it under a raised limit', () => {
    // 7 × 128 + 10 + 3 + 10 (the backfill's backfill.maxConcurrency) = 919 > 1000 - 100
    const build = (settings: Settings) => () => buildStack({ controlsByArea: controlsByArea(), settings });
    expect(build(settingsWith({ area: 128 }))).toThrow(
      /reserve 919 concurrent executions \(image 128, .*api 10, maintenance 3, backfill 10\), more than the 900 the account can reserve \(reservedConcurrency\.accountLimit 1000 less the 100/,
    );
    expect(build(settingsWith({ area: 126 }))).toThrow(/reserve 905 /); // over by five
    expect(build(settingsWith({ area: 125 }))).not.toThrow(); // 898
    expect(build(settingsWith({ area: 128, accountLimit: 2000 }))).not.toThrow();
  });

  it('fails `serverless package` with that message before anything deploys', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailwarden-concurrency-'));
    const config = join(dir, 'trailwarden.yml');
    writeFileSync(config, 'reservedConcurrency: {area: 200}\n');
    const packaged = serverlessPackage(packageEnv(config), join(dir, 'package'));
    expect(packaged.status).not.toBe(0);
    expect(`${packaged.stdout}${packaged.stderr}`).toMatch(/reservedConcurrency: the stack's functions reserve 1423 concurrent executions/);
  }, 120_000);
});

describe('tracing', () => {
  it('traces every function actively, and lets each role upload trace segments and nothing else of X-Ray', () => {
    for (const name of FUNCTIONS) {
      expect(resources[`${capitalized(name)}LambdaFunction`]!.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      const statements: Json[] = resources[`${capitalized(name)}IamRoleLambdaExecution`]!.Properties.Policies.flatMap(
        (policy: Json) => policy.PolicyDocument.Statement,
      );
      const xray = statements.filter((statement) => [statement.Action].flat().some((action: string) => action.startsWith('xray:')));
      // X-Ray defines no resource types for these actions: "*" is the only resource they can name.
      expect(xray).toEqual([{ Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: ['*'] }]);
      const others = statements.filter((statement) => !xray.includes(statement));
      for (const statement of others) expect([statement.Resource].flat()).not.toContain('*');
    }
  });
});

describe('alarms', () => {
  it('alarm on throttled reads and writes of the findings table and of every one of its indexes', () => {
    const indexes: string[] = resources.FindingsTable!.Properties.GlobalSecondaryIndexes.map((index: Json) => index.IndexName);
    expect(indexes.length).toBeGreaterThan(0);
    const table = { Name: 'TableName', Value: { Ref: 'FindingsTable' } };
    const throttles = alarms().filter((alarm) => alarm.Namespace === 'AWS/DynamoDB');
    for (const metric of ['ReadThrottleEvents', 'WriteThrottleEvents']) {
      const dimensionsOf = throttles.filter((alarm) => alarm.MetricName === metric).map((alarm) => alarm.Dimensions);
      expect(dimensionsOf).toHaveLength(indexes.length + 1);
      expect(dimensionsOf).toContainEqual([table]);
      for (const index of indexes) expect(dimensionsOf).toContainEqual([table, { Name: 'GlobalSecondaryIndexName', Value: index }]);
    }
    for (const alarm of throttles)
      expect(alarm).toMatchObject({ Statistic: 'Sum', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });

  it('alarm when the findings topic fails to deliver to a subscriber, and when an area’s notifications cannot be published', () => {
    expect(alarms()).toContainEqual(
      expect.objectContaining({
        Namespace: 'AWS/SNS',
        MetricName: 'NumberOfNotificationsFailed',
        Dimensions: [{ Name: 'TopicName', Value: { 'Fn::GetAtt': ['FindingsTopic', 'TopicName'] } }],
      }),
    );
    for (const area of AREAS) {
      expect(alarms()).toContainEqual(
        expect.objectContaining({
          Namespace: 'trailwarden',
          MetricName: 'NotificationsFailed',
          Dimensions: [
            { Name: 'service', Value: 'trailwarden' },
            { Name: 'area', Value: area },
          ],
        }),
      );
    }
    for (const alarm of alarms()) {
      expect(alarm.AlarmActions).toEqual([{ Ref: 'OperationsTopic' }]);
      expect(alarm.OKActions).toEqual([{ Ref: 'OperationsTopic' }]);
    }
  });
});

describe('operations dashboard', () => {
  /** The body with every `${…}` filled in as CloudFormation would: each must name a resource of the stack or a pseudo parameter. */
  function resolvedBody(): Json {
    const [[, dashboard] = []] = ofType('AWS::CloudWatch::Dashboard');
    const template: string = dashboard!.Properties.DashboardBody['Fn::Sub'];
    const text = template.replace(/\$\{([^}]+)\}/g, (_, reference: string) => {
      const [logicalId, attribute] = reference.split('.');
      if (logicalId === 'AWS::Region') return 'eu-west-1';
      expect(Object.keys(resources)).toContain(logicalId);
      return attribute ? `${logicalId}-${attribute}` : `${logicalId}-name`;
    });
    return JSON.parse(text);
  }
  const linesOf = (body: Json, title: string): Json[][] =>
    body.widgets.find((widget: Json) => widget.properties.title === title)?.properties.metrics ?? [];

  it('is a valid dashboard body once the names are filled in, laid out on its 24-column grid', () => {
    const body = resolvedBody();
    expect(body.widgets.length).toBeGreaterThan(10);
    for (const widget of body.widgets) {
      expect(['metric', 'text']).toContain(widget.type);
      expect(widget.x + widget.width).toBeLessThanOrEqual(24);
      if (widget.type === 'metric') expect(widget.properties.region).toBe('eu-west-1');
    }
  });

  it('shows each operational metric for every area, and errors, throttles, duration and concurrency of every function', () => {
    const body = resolvedBody();
    for (const metric of OPERATIONAL_METRICS) {
      expect(linesOf(body, metric).map((line) => line.slice(0, 6))).toEqual(
        AREAS.map((area) => ['trailwarden', metric, 'service', 'trailwarden', 'area', area]),
      );
    }
    for (const [title, metric] of [
      ['Errors', 'Errors'],
      ['Throttles', 'Throttles'],
      ['Duration (p99, ms)', 'Duration'],
      ['Concurrent executions (maximum)', 'ConcurrentExecutions'],
    ]) {
      expect(linesOf(body, title!).map((line) => line.slice(0, 4))).toEqual(
        FUNCTIONS.map((name) => ['AWS/Lambda', metric, 'FunctionName', `${capitalized(name)}LambdaFunction-name`]),
      );
    }
  });

  it('shows the table’s consumed capacity and the throttles of the table and each index, the topic and the dead-letter queues', () => {
    const body = resolvedBody();
    const indexes: string[] = resources.FindingsTable!.Properties.GlobalSecondaryIndexes.map((index: Json) => index.IndexName);
    const table = ['TableName', 'FindingsTable-name'];
    expect(linesOf(body, 'Consumed capacity units').map((line) => line.slice(0, 4))).toEqual([
      ['AWS/DynamoDB', 'ConsumedReadCapacityUnits', ...table],
      ['AWS/DynamoDB', 'ConsumedWriteCapacityUnits', ...table],
    ]);
    const throttles = linesOf(body, 'Throttle events').map((line) => line.filter((part) => typeof part === 'string'));
    for (const metric of ['ReadThrottleEvents', 'WriteThrottleEvents']) {
      expect(throttles).toContainEqual(['AWS/DynamoDB', metric, ...table]);
      for (const index of indexes) expect(throttles).toContainEqual(['AWS/DynamoDB', metric, ...table, 'GlobalSecondaryIndexName', index]);
    }
    expect(linesOf(body, 'Findings topic').map((line) => line.slice(0, 4))).toContainEqual([
      'AWS/SNS',
      'NumberOfNotificationsFailed',
      'TopicName',
      'FindingsTopic-TopicName',
    ]);
    expect(linesOf(body, 'Dead-letter queue depth').map((line) => line.slice(0, 4))).toEqual(
      ['RuleDeadLetterQueue', 'FailedInvocationsQueue'].map((queue) => [
        'AWS/SQS',
        'ApproximateNumberOfMessagesVisible',
        'QueueName',
        `${queue}-QueueName`,
      ]),
    );
  });
});
