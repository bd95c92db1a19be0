/**
 * The AWS stack as data: the seven area functions and the CloudFormation resources around them
 * (findings table, topics, key, queues, rules on the default and the organization bus, alarms),
 * and the template member accounts deploy to forward their events. Pure: built from the control
 * registry and the settings, so tests read exactly what `serverless package` deploys.
 *
 * Logical ids follow the Serverless Framework's naming: function `image` is `ImageLambdaFunction`,
 * and serverless-iam-roles-per-function gives it the role `ImageIamRoleLambdaExecution`.
 */
import type { Area } from '../core/model/area';
import type { Control, EventPattern } from '../core/model/control';
import type { Settings } from '../core/settings/settings';
import { FINDINGS_TABLE_DEFINITION, FINDINGS_TABLE_TIME_TO_LIVE } from '../adapters/store/dynamodb/dynamodb-finding-store';
import { DEFAULT_MAX_PATTERN_CHARS, needsReadOnlyManagementEvents, rulePatternsFor } from './rule-patterns';

/** EventBridge: rules per event bus whose patterns may use `wildcard` filters (not adjustable). */
export const MAX_WILDCARD_RULES_PER_BUS = 30;
/** Lambda's quota for the environment variables of a function, all together (4 KB). */
export const LAMBDA_ENVIRONMENT_MAX_BYTES = 4096;
/** The longest a message can wait in the dead-letter queues: SQS's maximum retention, 14 days. */
export const DEAD_LETTER_RETENTION_SECONDS = 1_209_600;
/** EventBridge target retry policy: its defaults, written out (24 hours, 185 attempts). */
export const RULE_RETRY_POLICY = { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 } as const;
/** Lambda asynchronous invocation: retries after a function error (0-2), then the on-failure destination. */
export const ASYNC_RETRY = { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21_600 } as const;

type Json = unknown;
type Resource = { Type: string; Properties?: Record<string, Json>; DependsOn?: string | string[]; DeletionPolicy?: string; UpdateReplacePolicy?: string; Condition?: string };

export interface StackInput {
  controlsByArea: Readonly<Record<Area, readonly Control[]>>;
  settings: Settings;
  maxPatternChars?: number;
}

export interface ServerlessFunction {
  handler: string;
  description: string;
  memorySize: number;
  timeout: number;
  environment: Record<string, Json>;
  iamRoleStatements: IamStatement[];
}

export interface IamStatement {
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: Json[];
}

export interface Stack {
  functions: Record<string, ServerlessFunction>;
  /** `extensions` adds properties to resources the framework generates (the functions' log groups). */
  resources: { Parameters: Record<string, Json>; Resources: Record<string, Resource>; Outputs: Record<string, Json>; extensions: Record<string, { Properties: Record<string, Json> }> };
}

const capitalized = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);
export const functionLogicalId = (name: string) => `${capitalized(name)}LambdaFunction`;
export const roleLogicalId = (name: string) => `${capitalized(name)}IamRoleLambdaExecution`;
const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
const ref = (logicalId: string) => ({ Ref: logicalId });
const sub = (text: string) => ({ 'Fn::Sub': text });

/** The buses the area rules listen on: the account's default bus and the organization's central bus. */
export const BUSES = [
  { key: 'Default', busName: undefined as Json },
  { key: 'Organization', busName: ref('OrganizationEventBus') },
] as const;

/** The rules of one area on one bus, one per pattern. */
export function areaRules(controls: readonly Control[], maxPatternChars = DEFAULT_MAX_PATTERN_CHARS): Array<{ pattern: EventPattern; state: string }> {
  return rulePatternsFor(controls, maxPatternChars).map((pattern) => ({
    pattern,
    state: needsReadOnlyManagementEvents(pattern) ? 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' : 'ENABLED',
  }));
}

/**
 * The settings a function of this area runs with: the organization's, with overrides and disabled
 * controls narrowed to the area (the function validates them against its own controls).
 */
export function areaSettings(settings: Settings, controls: readonly Control[]): Settings {
  const ids = new Set(controls.map((control) => control.id));
  return {
    ...settings,
    severityOverrides: Object.fromEntries(Object.entries(settings.severityOverrides).filter(([id]) => ids.has(id))),
    disabledControls: settings.disabledControls.filter((id) => ids.has(id)),
  };
}

function encryptedQueue(description: string): Resource {
  return {
    Type: 'AWS::SQS::Queue',
    Properties: {
      KmsMasterKeyId: ref('TrailwardenKey'),
      KmsDataKeyReusePeriodSeconds: 3600,
      MessageRetentionPeriod: DEAD_LETTER_RETENTION_SECONDS,
      Tags: [{ Key: 'trailwarden:purpose', Value: description }],
    },
  };
}

/** A statement refusing any request not made over TLS. */
function denyInsecureTransport(actions: string, resource: Json): Record<string, Json> {
  return { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: actions, Resource: resource, Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
}

function alarm(description: string, namespace: string, metric: string, dimensions: Array<{ Name: string; Value: Json }>, statistic = 'Sum'): Resource {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmDescription: description,
      Namespace: namespace,
      MetricName: metric,
      Dimensions: dimensions,
      Statistic: statistic,
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [ref('OperationsTopic')],
      OKActions: [ref('OperationsTopic')],
    },
  };
}

/**
 * The maintenance function's schedules and the jobs each runs (the job names are those of
 * shared/shells/lambda/compose-operations.ts, kept here as data so the stack does not bundle the jobs).
 */
export const MAINTENANCE_SCHEDULES = [
  { id: 'MaintenanceSchedule', expression: 'rate(1 minute)', jobs: ['exemptions', 'snoozes', 'rollups'] },
  { id: 'DeadlineSchedule', expression: 'rate(1 hour)', jobs: ['deadlines'] },
  { id: 'DigestSchedule', expression: 'cron(0 7 * * ? *)', jobs: ['digest'] },
] as const;

/** Read and write the findings table and its indexes: the only DynamoDB actions the store uses. */
const TABLE_ACCESS: IamStatement = {
  Effect: 'Allow',
  Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
  Resource: [arnOf('FindingsTable'), sub('${FindingsTable.Arn}/index/*')],
};
/** Publish to the encrypted findings topic (publishing uses the key). */
const PUBLISH_FINDINGS: IamStatement = { Effect: 'Allow', Action: ['sns:Publish'], Resource: [ref('FindingsTopic')] };
/** Send a failed asynchronous invocation to the encrypted failure queue, and use the key for both. */
const ASYNC_FAILURE_ACCESS: IamStatement[] = [
  { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [arnOf('FailedInvocationsQueue')] },
  { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: [arnOf('TrailwardenKey')] },
];

/** A function's environment: table, topic and its settings as JSON, within Lambda's 4 KB. */
function environmentOf(name: string, settings: Settings, extra: Record<string, string>): Record<string, Json> {
  const environment = {
    ...extra,
    FINDINGS_TABLE: ref('FindingsTable'),
    FINDINGS_TOPIC_ARN: ref('FindingsTopic'),
    TRAILWARDEN_SETTINGS: JSON.stringify(settings),
    POWERTOOLS_SERVICE_NAME: 'trailwarden',
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
  const bytes = Object.entries(environment).reduce((sum, [key, value]) => sum + key.length + (typeof value === 'string' ? Buffer.byteLength(value) : 100), 0);
  if (bytes > LAMBDA_ENVIRONMENT_MAX_BYTES) {
    throw new Error(`the ${name} function's settings take ${bytes} bytes of environment, above Lambda's ${LAMBDA_ENVIRONMENT_MAX_BYTES}-byte quota: shorten the settings file`);
  }
  return environment;
}

function asyncConfig(functionId: string): Resource {
  return {
    Type: 'AWS::Lambda::EventInvokeConfig',
    Properties: { FunctionName: ref(functionId), Qualifier: '$LATEST', ...ASYNC_RETRY, DestinationConfig: { OnFailure: { Destination: arnOf('FailedInvocationsQueue') } } },
  };
}

function functionAlarms(name: string): Record<string, Resource> {
  const fn = functionLogicalId(name);
  return {
    [`${capitalized(name)}ErrorsAlarm`]: alarm(`trailwarden ${name}: invocations failed`, 'AWS/Lambda', 'Errors', [{ Name: 'FunctionName', Value: ref(fn) }]),
    [`${capitalized(name)}ThrottlesAlarm`]: alarm(`trailwarden ${name}: invocations throttled`, 'AWS/Lambda', 'Throttles', [{ Name: 'FunctionName', Value: ref(fn) }]),
  };
}

/**
 * An HTTP API in front of the api function: every route under /api/ requires IAM authorization
 * (callers sign with SigV4 and need execute-api:Invoke), access logs to a log group.
 */
function httpApi(): Record<string, Resource> {
  const fn = functionLogicalId('api');
  return {
    FindingsHttpApi: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: sub('${AWS::StackName}-findings-api'), ProtocolType: 'HTTP', Description: 'trailwarden findings API (IAM authorization)' } },
    FindingsHttpApiIntegration: {
      Type: 'AWS::ApiGatewayV2::Integration',
      Properties: { ApiId: ref('FindingsHttpApi'), IntegrationType: 'AWS_PROXY', IntegrationUri: arnOf(fn), PayloadFormatVersion: '2.0', TimeoutInMillis: 29_000 },
    },
    FindingsHttpApiRoute: {
      Type: 'AWS::ApiGatewayV2::Route',
      Properties: { ApiId: ref('FindingsHttpApi'), RouteKey: 'ANY /api/{proxy+}', AuthorizationType: 'AWS_IAM', Target: sub('integrations/${FindingsHttpApiIntegration}') },
    },
    FindingsHttpApiAccessLogs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 365, KmsKeyId: arnOf('TrailwardenKey') } },
    FindingsHttpApiStage: {
      Type: 'AWS::ApiGatewayV2::Stage',
      Properties: {
        ApiId: ref('FindingsHttpApi'),
        StageName: '$default',
        AutoDeploy: true,
        AccessLogSettings: {
          DestinationArn: arnOf('FindingsHttpApiAccessLogs'),
          Format: JSON.stringify({ requestId: '$context.requestId', caller: '$context.identity.userArn', ip: '$context.identity.sourceIp', method: '$context.httpMethod', path: '$context.path', status: '$context.status' }),
        },
        DefaultRouteSettings: { ThrottlingBurstLimit: 50, ThrottlingRateLimit: 20 },
      },
    },
    FindingsHttpApiPermission: {
      Type: 'AWS::Lambda::Permission',
      Properties: { Action: 'lambda:InvokeFunction', FunctionName: arnOf(fn), Principal: 'apigateway.amazonaws.com', SourceArn: sub('arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${FindingsHttpApi}/*/*/api/*') },
    },
  };
}

export function buildStack(input: StackInput): Stack {
  const { controlsByArea, settings } = input;
  const maxPatternChars = input.maxPatternChars ?? DEFAULT_MAX_PATTERN_CHARS;
  const areas = Object.keys(controlsByArea) as Area[];
  const functions: Record<string, ServerlessFunction> = {};
  const resources: Record<string, Resource> = {};
  const ruleIds: string[] = [];

  for (const area of areas) {
    const controls = controlsByArea[area];
    functions[area] = {
      handler: `functions/${area}/handler.handler`,
      description: `trailwarden ${area} controls: evaluates EventBridge events, records findings, notifies transitions`,
      memorySize: 512,
      timeout: 30,
      environment: environmentOf(area, areaSettings(settings, controls), { TRAILWARDEN_AREA: area }),
      iamRoleStatements: [TABLE_ACCESS, PUBLISH_FINDINGS, ...ASYNC_FAILURE_ACCESS],
    };
    const fn = functionLogicalId(area);
    resources[`${capitalized(area)}AsyncConfig`] = asyncConfig(fn);

    const rules = areaRules(controls, maxPatternChars);
    for (const bus of BUSES) {
      rules.forEach(({ pattern, state }, index) => {
        const ruleId = `${capitalized(area)}${bus.key}Rule${index + 1}`;
        ruleIds.push(ruleId);
        resources[ruleId] = {
          Type: 'AWS::Events::Rule',
          Properties: {
            Description: `trailwarden ${area} controls (${index + 1}/${rules.length}), generated from the control registry`,
            ...(bus.busName !== undefined ? { EventBusName: bus.busName } : {}),
            EventPattern: pattern,
            State: state,
            Targets: [
              {
                Id: `trailwarden-${area}`,
                Arn: arnOf(fn),
                RetryPolicy: { ...RULE_RETRY_POLICY },
                DeadLetterConfig: { Arn: arnOf('RuleDeadLetterQueue') },
              },
            ],
          },
        };
        resources[`${ruleId}Permission`] = {
          Type: 'AWS::Lambda::Permission',
          Properties: { Action: 'lambda:InvokeFunction', FunctionName: arnOf(fn), Principal: 'events.amazonaws.com', SourceArn: arnOf(ruleId) },
        };
      });
    }

    Object.assign(resources, functionAlarms(area));
  }

  // The findings API: an HTTP API whose routes require IAM (SigV4) authorization.
  functions.api = {
    handler: 'functions/api/handler.handler',
    description: 'trailwarden findings API (HTTP API, IAM authorization): findings, controls, summary, exemptions, reports, exports',
    memorySize: 1024,
    timeout: 29,
    environment: environmentOf('api', settings, {}),
    iamRoleStatements: [TABLE_ACCESS],
  };
  Object.assign(resources, functionAlarms('api'), httpApi());

  // The maintenance sweep: timed duties of findings (exemptions ending, and the like), every minute.
  functions.maintenance = {
    handler: 'functions/maintenance/handler.handler',
    description: 'trailwarden maintenance sweep: ends exemptions and carries out the timed duties of findings',
    memorySize: 512,
    timeout: 60,
    environment: environmentOf('maintenance', settings, {}),
    iamRoleStatements: [TABLE_ACCESS, PUBLISH_FINDINGS, ...ASYNC_FAILURE_ACCESS],
  };
  resources.MaintenanceAsyncConfig = asyncConfig(functionLogicalId('maintenance'));
  for (const schedule of MAINTENANCE_SCHEDULES) {
    resources[schedule.id] = {
      Type: 'AWS::Events::Rule',
      Properties: {
        Description: `trailwarden maintenance: ${schedule.jobs.join(', ')}, ${schedule.expression}`,
        ScheduleExpression: schedule.expression,
        State: 'ENABLED',
        Targets: [
          {
            Id: 'trailwarden-maintenance',
            Arn: arnOf(functionLogicalId('maintenance')),
            Input: JSON.stringify({ jobs: schedule.jobs }),
            RetryPolicy: { ...RULE_RETRY_POLICY },
            DeadLetterConfig: { Arn: arnOf('RuleDeadLetterQueue') },
          },
        ],
      },
    };
    ruleIds.push(schedule.id);
    resources[`${schedule.id}Permission`] = {
      Type: 'AWS::Lambda::Permission',
      Properties: { Action: 'lambda:InvokeFunction', FunctionName: arnOf(functionLogicalId('maintenance')), Principal: 'events.amazonaws.com', SourceArn: arnOf(schedule.id) },
    };
  }
  Object.assign(resources, functionAlarms('maintenance'));

  // Who may publish findings: the area functions and the maintenance sweep.
  const roleArns = [...areas, 'maintenance'].map((name) => arnOf(roleLogicalId(name)));

  resources.TrailwardenKey = {
    Type: 'AWS::KMS::Key',
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
    Properties: {
      Description: 'trailwarden: findings table, topics and queues',
      EnableKeyRotation: true,
      KeyPolicy: {
        Version: '2012-10-17',
        Statement: [
          // The default key policy statement: the account administers the key through IAM policies.
          { Sid: 'AccountAdministersThroughIam', Effect: 'Allow', Principal: { AWS: sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root') }, Action: 'kms:*', Resource: '*' },
          {
            Sid: 'EventBridgeWritesDeadLetters',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceAccount': sub('${AWS::AccountId}') } },
          },
          {
            // CloudWatch Logs encrypts the stack's log groups (functions and API access logs) with the key.
            Sid: 'CloudWatchLogsEncryptLogGroups',
            Effect: 'Allow',
            Principal: { Service: sub('logs.${AWS::Region}.amazonaws.com') },
            Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
            Resource: '*',
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': sub('arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*') } },
          },
          {
            Sid: 'CloudWatchAlarmsPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceAccount': sub('${AWS::AccountId}') } },
          },
        ],
      },
    },
  };
  resources.TrailwardenKeyAlias = { Type: 'AWS::KMS::Alias', Properties: { AliasName: sub('alias/${AWS::StackName}'), TargetKeyId: ref('TrailwardenKey') } };

  resources.FindingsTable = {
    Type: 'AWS::DynamoDB::Table',
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
    Properties: {
      BillingMode: 'PAY_PER_REQUEST',
      ...structuredClone(FINDINGS_TABLE_DEFINITION),
      TimeToLiveSpecification: { ...FINDINGS_TABLE_TIME_TO_LIVE },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: arnOf('TrailwardenKey') },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    },
  };

  resources.FindingsTopic = { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'trailwarden findings', KmsMasterKeyId: arnOf('TrailwardenKey') } };
  resources.FindingsTopicPolicy = {
    Type: 'AWS::SNS::TopicPolicy',
    Properties: {
      Topics: [ref('FindingsTopic')],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'AreaFunctionsPublish', Effect: 'Allow', Principal: { AWS: roleArns }, Action: 'sns:Publish', Resource: ref('FindingsTopic') },
          {
            Sid: 'NobodyElsePublishes',
            Effect: 'Deny',
            Principal: '*',
            Action: 'sns:Publish',
            Resource: ref('FindingsTopic'),
            Condition: { ArnNotEquals: { 'aws:PrincipalArn': roleArns } },
          },
          denyInsecureTransport('sns:Publish', ref('FindingsTopic')),
        ],
      },
    },
  };

  resources.OperationsTopic = { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'trailwarden operations alarms', KmsMasterKeyId: arnOf('TrailwardenKey') } };
  resources.OperationsTopicPolicy = {
    Type: 'AWS::SNS::TopicPolicy',
    Properties: {
      Topics: [ref('OperationsTopic')],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'StackAlarmsPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: ref('OperationsTopic'),
            Condition: { StringEquals: { 'aws:SourceAccount': sub('${AWS::AccountId}') } },
          },
          denyInsecureTransport('sns:Publish', ref('OperationsTopic')),
        ],
      },
    },
  };

  resources.RuleDeadLetterQueue = encryptedQueue('events EventBridge could not deliver to an area function');
  resources.FailedInvocationsQueue = encryptedQueue('events an area function failed on after its retries');
  resources.RuleDeadLetterQueuePolicy = {
    Type: 'AWS::SQS::QueuePolicy',
    Properties: {
      Queues: [ref('RuleDeadLetterQueue')],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'StackRulesDeadLetter',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: arnOf('RuleDeadLetterQueue'),
            Condition: { ArnEquals: { 'aws:SourceArn': ruleIds.map(arnOf) } },
          },
          denyInsecureTransport('sqs:*', arnOf('RuleDeadLetterQueue')),
        ],
      },
    },
  };
  resources.FailedInvocationsQueuePolicy = {
    Type: 'AWS::SQS::QueuePolicy',
    Properties: {
      Queues: [ref('FailedInvocationsQueue')],
      PolicyDocument: { Version: '2012-10-17', Statement: [denyInsecureTransport('sqs:*', arnOf('FailedInvocationsQueue'))] },
    },
  };
  for (const queue of ['RuleDeadLetterQueue', 'FailedInvocationsQueue']) {
    resources[`${queue}DepthAlarm`] = alarm(`trailwarden: messages waiting in ${queue} (replay them once the cause is fixed)`, 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', [
      { Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } },
    ], 'Maximum');
  }

  resources.OrganizationEventBus = { Type: 'AWS::Events::EventBus', Properties: { Name: sub('${AWS::StackName}-organization') } };
  resources.OrganizationEventBusPolicy = {
    Type: 'AWS::Events::EventBusPolicy',
    Properties: {
      EventBusName: ref('OrganizationEventBus'),
      StatementId: 'OrganizationAccountsPutEvents',
      Statement: {
        Effect: 'Allow',
        Principal: '*',
        Action: 'events:PutEvents',
        Resource: arnOf('OrganizationEventBus'),
        Condition: { StringEquals: { 'aws:PrincipalOrgID': ref('OrganizationId') } },
      },
    },
  };

  return {
    functions,
    resources: {
      Parameters: {
        OrganizationId: {
          Type: 'String',
          Description: 'The AWS Organizations id whose accounts may forward events to the organization bus',
          AllowedPattern: '^o-[a-z0-9]{10,32}$',
        },
      },
      Resources: resources,
      // The framework creates each function's log group (`<Name>LogGroup`); encrypt them with the key.
      extensions: Object.fromEntries(Object.keys(functions).map((name) => [`${capitalized(name)}LogGroup`, { Properties: { KmsKeyId: arnOf('TrailwardenKey') } }])),
      Outputs: {
        OrganizationEventBusArn: { Description: 'Member accounts forward their events here (CentralEventBusArn of the member template)', Value: arnOf('OrganizationEventBus') },
        FindingsTableName: { Value: ref('FindingsTable') },
        FindingsTopicArn: { Description: 'Subscribe on-call and ticketing here; filter on severity, area, account', Value: ref('FindingsTopic') },
        OperationsTopicArn: { Description: 'Alarms on the stack itself', Value: ref('OperationsTopic') },
        FindingsApiEndpoint: { Description: 'The findings API (sign requests with SigV4; callers need execute-api:Invoke)', Value: sub('https://${FindingsHttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/api') },
      },
    },
  };
}

/**
 * The CloudFormation template a member account deploys (in every region it uses; as a StackSet
 * from the management or delegated administrator account): rules on its default bus forwarding
 * the events the controls read to the central organization bus. Cross-account bus targets need a
 * role that may put events on the target bus.
 */
export function buildMemberTemplate(controlsByArea: Readonly<Record<Area, readonly Control[]>>, maxPatternChars = DEFAULT_MAX_PATTERN_CHARS): Record<string, Json> {
  const all = Object.values(controlsByArea).flat();
  const rules = rulePatternsFor(all, maxPatternChars);
  const resources: Record<string, Resource> = {
    ForwarderRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'aws:SourceAccount': sub('${AWS::AccountId}') } },
            },
          ],
        },
        Policies: [
          {
            PolicyName: 'PutEventsOnTheOrganizationBus',
            PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: ref('CentralEventBusArn') }] },
          },
        ],
      },
    },
    ForwarderDeadLetterQueue: { Type: 'AWS::SQS::Queue', Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: DEAD_LETTER_RETENTION_SECONDS } },
  };
  const ruleIds: string[] = [];
  rules.forEach((pattern, index) => {
    const ruleId = `ForwardRule${index + 1}`;
    ruleIds.push(ruleId);
    resources[ruleId] = {
      Type: 'AWS::Events::Rule',
      Properties: {
        Description: `trailwarden: forward the events its controls read to the organization bus (${index + 1}/${rules.length})`,
        EventPattern: pattern,
        State: needsReadOnlyManagementEvents(pattern) ? 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' : 'ENABLED',
        Targets: [
          {
            Id: 'trailwarden-organization-bus',
            Arn: ref('CentralEventBusArn'),
            RoleArn: arnOf('ForwarderRole'),
            RetryPolicy: { ...RULE_RETRY_POLICY },
            DeadLetterConfig: { Arn: arnOf('ForwarderDeadLetterQueue') },
          },
        ],
      },
    };
  });
  resources.ForwarderDeadLetterQueuePolicy = {
    Type: 'AWS::SQS::QueuePolicy',
    Properties: {
      Queues: [ref('ForwarderDeadLetterQueue')],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ForwardRulesDeadLetter',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: arnOf('ForwarderDeadLetterQueue'),
            Condition: { ArnEquals: { 'aws:SourceArn': ruleIds.map(arnOf) } },
          },
          denyInsecureTransport('sqs:*', arnOf('ForwarderDeadLetterQueue')),
        ],
      },
    },
  };
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'trailwarden member account: forwards CloudTrail and service events to the organization event bus',
    Parameters: {
      CentralEventBusArn: {
        Type: 'String',
        Description: 'OrganizationEventBusArn output of the trailwarden stack',
        AllowedPattern: '^arn:aws[a-z-]*:events:[a-z0-9-]+:\\d{12}:event-bus/.+$',
      },
    },
    Resources: resources,
  };
}
