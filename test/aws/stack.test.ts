/**
 * The packaged stack: `npm run package` (osls `serverless package`, offline, no AWS credentials)
 * builds the CloudFormation template, and these tests read that file — what would be deployed —
 * not the objects that generate it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ALL_CONTROLS } from '../../shared/core/controls';
import { AREAS, type Area } from '../../shared/core/model/area';
import type { Control } from '../../shared/core/model/control';
import { alternativesOf, DEFAULT_MAX_PATTERN_CHARS, rulePatternsFor } from '../../shared/infra/rule-patterns';
import { MAX_WILDCARD_RULES_PER_BUS } from '../../shared/infra/stack';
import { EVERY_DAY, EVERY_HOUR, EVERY_MINUTE, MAINTENANCE_JOBS } from '../../shared/app/jobs/maintenance';
import { matchesPattern } from '../../shared/core/matching';
import { readEvents } from '../../shared/adapters/intake/read-events';
import { createEngine } from '../../shared/app/compose';
import { DEFAULT_SETTINGS } from '../../shared/core/settings/settings';
import { evaluateEvent } from '../../shared/core/evaluation/evaluate';
import { wrapCloudTrailRecord } from '../../shared/core/intake/envelope';
import type { CloudTrailRecord, EventBridgeEvent } from '../../shared/core/model/event';

const ROOT = resolve(__dirname, '../..');
// biome-ignore lint/suspicious/noExplicitAny: the packaged CloudFormation template is walked as untyped JSON.
type Json = any;
type Resources = Record<string, { Type: string; Properties: Json; DeletionPolicy?: string }>;

/** The functions besides the areas'. */
const OPERATIONS = ['api', 'maintenance', 'backfill'] as const;
const byArea = (area: Area): Control[] => ALL_CONTROLS.filter((control) => control.area === area);
const capitalized = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);

let template: { Resources: Resources; Parameters: Json; Outputs: Json };
let member: { Resources: Resources; Parameters: Json };
let packageDir: string;

beforeAll(() => {
  packageDir = mkdtempSync(join(tmpdir(), 'trailwarden-package-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_PROFILE: 'trailwarden-none',
    AWS_SDK_LOAD_CONFIG: '0',
  };
  delete env.TRAILWARDEN_CONFIG;
  execFileSync('node', ['scripts/build.mjs'], { cwd: ROOT, env, stdio: 'pipe' });
  const memberFile = join(mkdtempSync(join(tmpdir(), 'trailwarden-member-')), 'member.json');
  execFileSync('node', ['dist/stack.js', 'member-template', memberFile], { cwd: ROOT, env, stdio: 'pipe' });
  execFileSync(
    process.execPath,
    [require.resolve('osls/bin/serverless.js'), 'package', '--package', packageDir, '--param=OrganizationId=o-exampleorg01'],
    {
      cwd: ROOT,
      env,
      stdio: 'pipe',
      timeout: 240_000,
    },
  );
  template = JSON.parse(readFileSync(join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8'));
  member = JSON.parse(readFileSync(memberFile, 'utf8'));
}, 300_000);

const resourcesOf = (type: string, resources: Resources = template.Resources) =>
  Object.entries(resources).filter(([, resource]) => resource.Type === type);
const isRef = (value: Json, logicalId: string) => JSON.stringify(value) === JSON.stringify({ Ref: logicalId });
const isArnOf = (value: Json, logicalId: string) => JSON.stringify(value) === JSON.stringify({ 'Fn::GetAtt': [logicalId, 'Arn'] });

describe('packaged stack', () => {
  it('packages one bundle per function: the seven areas, the findings API and the maintenance sweep', () => {
    const zips = readdirSync(packageDir)
      .filter((file) => file.endsWith('.zip'))
      .sort();
    expect(zips).toEqual([...AREAS, ...OPERATIONS].map((name) => `${name}.zip`).sort());
    for (const zip of zips) expect(statSync(join(packageDir, zip)).size).toBeGreaterThan(10_000);
    const functions = resourcesOf('AWS::Lambda::Function');
    expect(functions.map(([id]) => id).sort()).toEqual(
      [...AREAS, ...OPERATIONS].map((name) => `${capitalized(name)}LambdaFunction`).sort(),
    );
    for (const [, fn] of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Handler).toMatch(/^functions\/(\w+)\/handler\.handler$/);
      expect(fn.Properties.Environment.Variables).toEqual(
        expect.objectContaining({
          FINDINGS_TABLE: { Ref: 'FindingsTable' },
          FINDINGS_TOPIC_ARN: { Ref: 'FindingsTopic' },
          TRAILWARDEN_SETTINGS: expect.any(String),
        }),
      );
    }
  });

  it('subscribes each area on both buses with exactly the patterns the registry generates, each within the pattern quota', () => {
    const rules = resourcesOf('AWS::Events::Rule');
    for (const area of AREAS) {
      const expected = rulePatternsFor(byArea(area)).map((pattern) => JSON.stringify(pattern));
      const target = `${capitalized(area)}LambdaFunction`;
      const forArea = rules.filter(([, rule]) => isArnOf(rule.Properties.Targets[0].Arn, target));
      const onDefault = forArea.filter(([, rule]) => rule.Properties.EventBusName === undefined);
      const onOrganization = forArea.filter(([, rule]) => isRef(rule.Properties.EventBusName, 'OrganizationEventBus'));
      expect(onDefault.map(([, rule]) => JSON.stringify(rule.Properties.EventPattern))).toEqual(expected);
      expect(onOrganization.map(([, rule]) => JSON.stringify(rule.Properties.EventPattern))).toEqual(expected);
      expect(forArea).toHaveLength(onDefault.length + onOrganization.length);
    }
    for (const [, rule] of rules) {
      if (rule.Properties.EventPattern)
        expect(JSON.stringify(rule.Properties.EventPattern).length).toBeLessThanOrEqual(DEFAULT_MAX_PATTERN_CHARS);
      else expect(rule.Properties.ScheduleExpression).toMatch(/^(rate\(1 (minute|hour)\)|cron\(0 7 \* \* \? \*\))$/); // the maintenance schedules
    }
  });

  it('stays within the wildcard-rule quota on each bus, the member template included', () => {
    const wildcardRules = (rules: Array<[string, { Properties: Json }]>) =>
      rules.filter(([, rule]) => JSON.stringify(rule.Properties.EventPattern ?? {}).includes('"wildcard"'));
    const rules = resourcesOf('AWS::Events::Rule');
    const onDefault = wildcardRules(rules.filter(([, rule]) => rule.Properties.EventBusName === undefined));
    const onOrganization = wildcardRules(rules.filter(([, rule]) => rule.Properties.EventBusName !== undefined));
    for (const set of [onDefault, onOrganization, wildcardRules(resourcesOf('AWS::Events::Rule', member.Resources))]) {
      expect(set.length).toBeLessThanOrEqual(MAX_WILDCARD_RULES_PER_BUS);
    }
  });

  it('lets each rule, and only its rule, invoke the area function', () => {
    const permissions = resourcesOf('AWS::Lambda::Permission');
    for (const [ruleId, rule] of resourcesOf('AWS::Events::Rule')) {
      const granted = permissions.filter(([, permission]) => isArnOf(permission.Properties.SourceArn, ruleId));
      expect(granted).toHaveLength(1);
      expect(granted[0]![1].Properties).toMatchObject({
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        FunctionName: rule.Properties.Targets[0].Arn,
      });
    }
  });

  it('gives every rule target a retry policy and an encrypted dead-letter queue that admits only the stack rules', () => {
    const rules = resourcesOf('AWS::Events::Rule');
    for (const [, rule] of rules) {
      for (const target of rule.Properties.Targets) {
        expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: expect.any(Number), MaximumRetryAttempts: expect.any(Number) });
        const queueId = target.DeadLetterConfig.Arn['Fn::GetAtt'][0];
        const queue = template.Resources[queueId]!;
        expect(queue.Type).toBe('AWS::SQS::Queue');
        expect(queue.Properties.KmsMasterKeyId).toEqual({ Ref: 'TrailwardenKey' });
      }
    }
    const policy = resourcesOf('AWS::SQS::QueuePolicy').find(([, p]) => isRef(p.Properties.Queues[0], 'RuleDeadLetterQueue'))![1];
    const allow = policy.Properties.PolicyDocument.Statement.find((s: Json) => s.Effect === 'Allow');
    expect(allow.Principal).toEqual({ Service: 'events.amazonaws.com' });
    expect(allow.Condition.ArnEquals['aws:SourceArn'].map((arn: Json) => arn['Fn::GetAtt'][0]).sort()).toEqual(
      rules.map(([id]) => id).sort(),
    );
  });

  it('sends events a function failed on, after Lambda’s retries, to an encrypted queue', () => {
    const configs = resourcesOf('AWS::Lambda::EventInvokeConfig');
    expect(configs.map(([, c]) => c.Properties.FunctionName.Ref).sort()).toEqual(
      [...AREAS, 'maintenance'].map((name) => `${capitalized(name)}LambdaFunction`).sort(),
    );
    for (const [, config] of configs) {
      expect(config.Properties.MaximumRetryAttempts).toBeGreaterThanOrEqual(1);
      expect(config.Properties.DestinationConfig.OnFailure.Destination).toEqual({ 'Fn::GetAtt': ['FailedInvocationsQueue', 'Arn'] });
    }
    expect(template.Resources.FailedInvocationsQueue!.Properties.KmsMasterKeyId).toEqual({ Ref: 'TrailwardenKey' });
  });

  it('keeps findings in an on-demand table encrypted with the stack key, with point-in-time recovery, deletion protection and TTL', () => {
    const table = template.Resources.FindingsTable!;
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': ['TrailwardenKey', 'Arn'] } },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    expect(table.Properties.GlobalSecondaryIndexes.map((index: Json) => index.IndexName).sort()).toEqual([
      'byAreaStatus',
      'byDeadlineSweep',
      'bySnoozeSweep',
    ]);
    expect(template.Resources.TrailwardenKey!.Properties.EnableKeyRotation).toBe(true);
  });

  it('encrypts both topics with the key and lets only the area functions publish findings', () => {
    for (const topic of ['FindingsTopic', 'OperationsTopic']) {
      expect(template.Resources[topic]!.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': ['TrailwardenKey', 'Arn'] });
    }
    const policy = resourcesOf('AWS::SNS::TopicPolicy').find(([, p]) => isRef(p.Properties.Topics[0], 'FindingsTopic'))![1];
    const statements = policy.Properties.PolicyDocument.Statement;
    const roles = [...AREAS, 'maintenance'].map((name) => ({ 'Fn::GetAtt': [`${capitalized(name)}IamRoleLambdaExecution`, 'Arn'] }));
    expect(statements.find((s: Json) => s.Effect === 'Allow').Principal).toEqual({ AWS: roles });
    expect(statements.find((s: Json) => s.Sid === 'NobodyElsePublishes').Condition).toEqual({
      ArnNotEquals: { 'aws:PrincipalArn': roles },
    });
  });

  it('encrypts every log group with the stack key, which CloudWatch Logs may use for this account’s log groups only', () => {
    const groups = resourcesOf('AWS::Logs::LogGroup');
    expect(groups.length).toBe(AREAS.length + OPERATIONS.length + 1); // one per function, and the API access logs
    for (const [id, group] of groups)
      expect(`${id}: ${JSON.stringify(group.Properties.KmsKeyId)}`).toBe(
        `${id}: ${JSON.stringify({ 'Fn::GetAtt': ['TrailwardenKey', 'Arn'] })}`,
      );
    const statement = template.Resources.TrailwardenKey!.Properties.KeyPolicy.Statement.find(
      (s: Json) => s.Sid === 'CloudWatchLogsEncryptLogGroups',
    );
    expect(statement.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*',
    });
  });

  it('gives each function its own role and keeps no other role', () => {
    const roles = resourcesOf('AWS::IAM::Role')
      .map(([id]) => id)
      .sort();
    // …and the backfill state machine's (test/aws/backfill.test.ts checks its statements).
    expect(roles).toEqual(
      [...[...AREAS, ...OPERATIONS].map((name) => `${capitalized(name)}IamRoleLambdaExecution`), 'BackfillStateMachineRole'].sort(),
    );
    for (const [id, fn] of resourcesOf('AWS::Lambda::Function')) {
      expect(fn.Properties.Role).toEqual({ 'Fn::GetAtt': [id.replace(/LambdaFunction$/, 'IamRoleLambdaExecution'), 'Arn'] });
    }
  });

  it('grants each function only the actions it calls, on the stack’s own resources', () => {
    const roles = resourcesOf('AWS::IAM::Role');
    const actionsOf = (name: string) =>
      template.Resources[`${capitalized(name)}IamRoleLambdaExecution`]!.Properties.Policies.flatMap((p: Json) => p.PolicyDocument.Statement)
        .flatMap((statement: Json) => statement.Action)
        .sort();
    const logs = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'];
    const table = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'];
    const tracing = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments']; // active tracing (test/aws/observability.test.ts)
    for (const name of [...AREAS, 'maintenance']) {
      expect(actionsOf(name)).toEqual(
        [...table, 'kms:Decrypt', 'kms:GenerateDataKey', ...logs, 'sns:Publish', 'sqs:SendMessage', ...tracing].sort(),
      );
    }
    // Large exports and reports: written to and read from the answers bucket (test/aws/answers-bucket.test.ts).
    const answers = ['kms:Decrypt', 'kms:GenerateDataKey', 's3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'];
    expect(actionsOf('api')).toEqual([...table, ...logs, ...tracing, ...answers].sort()); // reads and writes findings and exemptions; never publishes
    for (const [id, role] of roles) {
      for (const policy of role.Properties.Policies ?? []) {
        for (const statement of policy.PolicyDocument.Statement) {
          const actions: string[] = [statement.Action].flat();
          for (const action of actions) expect(`${id}: ${action}`).not.toMatch(/\*/);
          const resources: Json[] = [statement.Resource].flat();
          // X-Ray's trace upload has no resource types: "*" is all it can name.
          if (actions.every((action) => action.startsWith('xray:'))) continue;
          for (const resource of resources) expect(`${id}: ${JSON.stringify(resource)}`).not.toMatch(/^[^:]+: "\*"$/);
        }
      }
    }
  });

  it('alarms on function errors and throttles and on dead letters, to the operations topic', () => {
    const alarms = resourcesOf('AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
    for (const name of [...AREAS, ...OPERATIONS]) {
      for (const metric of ['Errors', 'Throttles']) {
        expect(alarms).toContainEqual(
          expect.objectContaining({
            Namespace: 'AWS/Lambda',
            MetricName: metric,
            Dimensions: [{ Name: 'FunctionName', Value: { Ref: `${capitalized(name)}LambdaFunction` } }],
          }),
        );
      }
    }
    for (const queue of ['RuleDeadLetterQueue', 'FailedInvocationsQueue']) {
      expect(alarms).toContainEqual(
        expect.objectContaining({
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
        }),
      );
    }
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: 'OperationsTopic' }]);
  });

  it('admits PutEvents on the organization bus from the organization’s accounts only', () => {
    const [, policy] = resourcesOf('AWS::Events::EventBusPolicy')[0]!;
    expect(policy.Properties.Statement).toMatchObject({
      Effect: 'Allow',
      Action: 'events:PutEvents',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': { Ref: 'OrganizationId' } } },
    });
    expect(template.Parameters.OrganizationId.AllowedPattern).toBe('^o-[a-z0-9]{10,32}$');
  });

  it('serves the findings API only to IAM-authorized (SigV4) callers, through the api function', () => {
    const routes = resourcesOf('AWS::ApiGatewayV2::Route');
    expect(routes.length).toBeGreaterThan(0);
    for (const [, route] of routes) {
      expect(route.Properties.AuthorizationType).toBe('AWS_IAM');
      expect(route.Properties.RouteKey).toMatch(/^ANY \/api\//);
    }
    const [, integration] = resourcesOf('AWS::ApiGatewayV2::Integration')[0]!;
    expect(integration.Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': ['ApiLambdaFunction', 'Arn'] },
    });
    const [, stage] = resourcesOf('AWS::ApiGatewayV2::Stage')[0]!;
    expect(stage.Properties.AccessLogSettings.DestinationArn).toBeDefined();
    const invoke = resourcesOf('AWS::Lambda::Permission').filter(([, p]) => p.Properties.Principal === 'apigateway.amazonaws.com');
    expect(invoke).toHaveLength(1);
  });

  it('runs every maintenance job on a schedule (exemptions, snoozes and roll-ups each minute, deadlines each hour, the digest each day), with a retry policy and a dead-letter queue', () => {
    const schedules = resourcesOf('AWS::Events::Rule').filter(([, rule]) => rule.Properties.ScheduleExpression);
    const jobs = Object.fromEntries(
      schedules.map(([, rule]) => [rule.Properties.ScheduleExpression, JSON.parse(rule.Properties.Targets[0].Input).jobs]),
    );
    expect(jobs).toEqual({ 'rate(1 minute)': [...EVERY_MINUTE], 'rate(1 hour)': [...EVERY_HOUR], 'cron(0 7 * * ? *)': [...EVERY_DAY] });
    expect([...EVERY_MINUTE, ...EVERY_HOUR, ...EVERY_DAY].sort()).toEqual([...MAINTENANCE_JOBS].sort());
    for (const [, schedule] of schedules) {
      expect(schedule.Properties.Targets[0]).toMatchObject({
        Arn: { 'Fn::GetAtt': ['MaintenanceLambdaFunction', 'Arn'] },
        RetryPolicy: expect.any(Object),
        DeadLetterConfig: expect.any(Object),
      });
    }
  });

  it('receives the read-only management events a rule needs (Get/Describe/List) and no more', () => {
    for (const [id, rule] of resourcesOf('AWS::Events::Rule')) {
      // The event names of each $or alternative of the pattern, together.
      const alternatives: Json[] = rule.Properties.EventPattern ? alternativesOf(rule.Properties.EventPattern) : [];
      const named = alternatives.map((alternative) => alternative.detail?.eventName);
      const names: unknown[] = named.filter(Array.isArray).flat();
      if (names.some((name) => /^(Get|Describe|List)/.test(String(name)))) {
        expect(`${id}: ${rule.Properties.State}`).toBe(`${id}: ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`);
      }
      if (named.length > 0 && named.every(Array.isArray) && names.every((name) => !/^(Get|Describe|List)/.test(String(name)))) {
        expect(`${id}: ${rule.Properties.State}`).toBe(`${id}: ENABLED`);
      }
    }
  });
});

describe('member-account template', () => {
  it('forwards what every control reads to the organization bus through a role that may only put events there', () => {
    const rules = resourcesOf('AWS::Events::Rule', member.Resources);
    expect(rules.map(([, rule]) => JSON.stringify(rule.Properties.EventPattern))).toEqual(
      rulePatternsFor(ALL_CONTROLS).map((p) => JSON.stringify(p)),
    );
    for (const [, rule] of rules) {
      expect(rule.Properties.EventBusName).toBeUndefined(); // the member's default bus
      const [target] = rule.Properties.Targets;
      expect(target).toMatchObject({
        Arn: { Ref: 'CentralEventBusArn' },
        RoleArn: { 'Fn::GetAtt': ['ForwarderRole', 'Arn'] },
        RetryPolicy: expect.any(Object),
      });
      expect(target.DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': ['ForwarderDeadLetterQueue', 'Arn'] });
    }
    const role = member.Resources.ForwarderRole!.Properties;
    expect(role.Policies.flatMap((p: Json) => p.PolicyDocument.Statement)).toEqual([
      { Effect: 'Allow', Action: 'events:PutEvents', Resource: { Ref: 'CentralEventBusArn' } },
    ]);
    expect(member.Resources.ForwarderDeadLetterQueue!.Properties.SqsManagedSseEnabled).toBe(true);
  });
});

describe('rule patterns', () => {
  /** Every sample event under events/, as the function would receive it. */
  async function samples(): Promise<Array<{ file: string; event: EventBridgeEvent }>> {
    const found: Array<{ file: string; event: EventBridgeEvent }> = [];
    for await (const item of readEvents([join(ROOT, 'events')])) {
      if (item.kind === 'event') found.push({ file: item.where.file, event: item.event });
    }
    return found;
  }

  it('let through every sample event any control of the area reads (no event a control needs is filtered out)', async () => {
    const events = await samples();
    expect(events.length).toBeGreaterThan(300);
    const missed: string[] = [];
    for (const area of AREAS) {
      const controls = byArea(area);
      const rules = rulePatternsFor(controls);
      for (const { file, event } of events) {
        const needed = controls.some((control) =>
          [...control.patterns, ...(control.resolution?.patterns ?? [])].some((pattern) => matchesPattern(pattern, event)),
        );
        if (needed && !rules.some((rule) => matchesPattern(rule, event))) missed.push(`${area}: ${file}`);
      }
    }
    expect(missed).toEqual([]);
  });

  it('keep detail conditions of patterns that name no event, so a rule never takes every event of a service', () => {
    for (const area of AREAS) {
      for (const rule of rulePatternsFor(byArea(area)).flatMap(alternativesOf)) {
        const detailTypes = rule['detail-type'] as string[] | undefined;
        const cloudTrail = !detailTypes || detailTypes.some((type) => String(type).endsWith('via CloudTrail'));
        if (cloudTrail) expect(`${area}: ${JSON.stringify(rule).slice(0, 80)} detail=${rule.detail !== undefined}`).toMatch(/detail=true$/);
      }
    }
  });

  it('split an area into several patterns when one would exceed the quota', () => {
    const controls = byArea('data');
    const small = rulePatternsFor(controls, 600);
    expect(small.length).toBeGreaterThan(rulePatternsFor(controls).length);
    for (const pattern of small) expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(600);
  });
});

describe('the stack against trailwarden’s own controls', () => {
  const ACCOUNT = '111122223333';
  const REGION = 'us-east-1';

  /** Resolves the intrinsics the stack uses to plausible concrete values. */
  function resolveIntrinsics(value: Json): Json {
    if (Array.isArray(value)) return value.map(resolveIntrinsics);
    if (value === null || typeof value !== 'object') return value;
    if ('Ref' in value) return value.Ref === 'AWS::AccountId' ? ACCOUNT : `arn:aws:sns:${REGION}:${ACCOUNT}:trailwarden-prod-${value.Ref}`;
    if ('Fn::GetAtt' in value) {
      const [id] = value['Fn::GetAtt'];
      return id.endsWith('IamRoleLambdaExecution')
        ? `arn:aws:iam::${ACCOUNT}:role/trailwarden-prod-${id}`
        : `arn:aws:sqs:${REGION}:${ACCOUNT}:trailwarden-prod-${id}`;
    }
    if ('Fn::Sub' in value)
      return String(value['Fn::Sub'])
        .replace(/\$\{AWS::AccountId\}/g, ACCOUNT)
        .replace(/\$\{AWS::Partition\}/g, 'aws')
        .replace(/\$\{[^}]+\}/g, 'x');
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, resolveIntrinsics(inner)]));
  }

  function record(eventSource: string, eventName: string, requestParameters: Json, responseElements: Json = null): EventBridgeEvent {
    const trail: CloudTrailRecord = {
      eventVersion: '1.10',
      userIdentity: {
        type: 'AssumedRole',
        accountId: ACCOUNT,
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/cfn-exec/AWSCloudFormation`,
        invokedBy: 'cloudformation.amazonaws.com',
      },
      eventTime: '2026-11-29T10:00:00Z',
      eventSource,
      eventName,
      awsRegion: REGION,
      sourceIPAddress: 'cloudformation.amazonaws.com',
      userAgent: 'cloudformation.amazonaws.com',
      requestParameters,
      responseElements,
      eventID: `${eventName}-${Math.random()}`,
      eventType: 'AwsApiCall',
      recipientAccountId: ACCOUNT,
    } as CloudTrailRecord;
    return wrapCloudTrailRecord(trail) as unknown as EventBridgeEvent;
  }

  it('raises no finding for the calls CloudFormation makes to create it', () => {
    const resources = template.Resources;
    const events: EventBridgeEvent[] = [];
    for (const [id, resource] of Object.entries(resources)) {
      const properties = resolveIntrinsics(resource.Properties ?? {});
      if (resource.Type === 'AWS::SNS::TopicPolicy') {
        const topicArn = `arn:aws:sns:${REGION}:${ACCOUNT}:trailwarden-prod-${resource.Properties.Topics[0].Ref}`;
        events.push(
          record('sns.amazonaws.com', 'SetTopicAttributes', {
            topicArn,
            attributeName: 'Policy',
            attributeValue: JSON.stringify(properties.PolicyDocument),
          }),
        );
      }
      if (resource.Type === 'AWS::SQS::QueuePolicy') {
        const queueUrl = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/trailwarden-prod-${resource.Properties.Queues[0].Ref}`;
        events.push(
          record('sqs.amazonaws.com', 'SetQueueAttributes', {
            queueUrl,
            attributes: { Policy: JSON.stringify(properties.PolicyDocument) },
          }),
        );
      }
      if (resource.Type === 'AWS::KMS::Key') {
        events.push(
          record(
            'kms.amazonaws.com',
            'CreateKey',
            { policy: JSON.stringify(properties.KeyPolicy), description: properties.Description },
            { keyMetadata: { arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` } },
          ),
        );
      }
      if (resource.Type === 'AWS::IAM::Role') {
        const roleName = `trailwarden-prod-${id}`;
        for (const policy of properties.Policies ?? []) {
          events.push(
            record('iam.amazonaws.com', 'PutRolePolicy', {
              roleName,
              policyName: String(policy.PolicyName),
              policyDocument: JSON.stringify(policy.PolicyDocument),
            }),
          );
        }
      }
    }
    expect(events.length).toBeGreaterThan(10);
    const engine = createEngine({ ...DEFAULT_SETTINGS }, ALL_CONTROLS);
    const raised = events.flatMap((event) =>
      evaluateEvent(event, engine.router, engine.context)
        .outcomes.filter((outcome) => outcome.violations.length > 0)
        .map((outcome) => `${(event.detail as Json).eventName}: ${outcome.control.id}`),
    );
    expect(raised).toEqual([]);
  });
});
