/**
 * The stack's Lambda functions as serverless.yml `functions` entries: one per control area, the
 * findings API and the maintenance sweep. Each gets its own role (serverless-iam-roles-per-function)
 * granting only the actions its code calls, on the stack's own resources, and its settings in its
 * environment. Failed asynchronous invocations go to the failure queue after their retries. Each is
 * traced by X-Ray (active tracing) and has its reserved concurrency (settings.reservedConcurrency).
 */
import type { Area } from '../core/model/area';
import type { Control } from '../core/model/control';
import type { Settings } from '../core/settings/settings';
import {
  arnOf,
  capitalized,
  functionLogicalId,
  type IamStatement,
  type Json,
  type Resource,
  ref,
  roleLogicalId,
  sub,
} from './cloudformation';
import { ANSWERS_ACCESS, ANSWERS_BUCKET_ENVIRONMENT } from './answers-bucket';
import { findingEventsEnvironment, findingEventsStatements } from './finding-events';

/** Lambda's quota for the environment variables of a function, all together (4 KB). */
export const LAMBDA_ENVIRONMENT_MAX_BYTES = 4096;
/** Lambda asynchronous invocation: retries after a function error (0-2), then the on-failure destination. */
export const ASYNC_RETRY = { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21_600 } as const;

/** A function as serverless.yml declares it, with its own role's statements. */
export interface ServerlessFunction {
  handler: string;
  description: string;
  memorySize: number;
  timeout: number;
  environment: Record<string, Json>;
  iamRoleStatements: IamStatement[];
  /** Reserved concurrency: the function's floor and its cap (osls: `ReservedConcurrentExecutions`). */
  reservedConcurrency: number;
  /** X-Ray active tracing (osls: `TracingConfig.Mode`). */
  tracing: 'Active';
}

/** Read and write the findings table and its indexes: the only DynamoDB actions the store uses. */
export const TABLE_ACCESS: IamStatement = {
  Effect: 'Allow',
  Action: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
  Resource: [arnOf('FindingsTable'), sub('${FindingsTable.Arn}/index/*')],
};
/**
 * Upload trace segments to X-Ray, which active tracing needs (the actions of the AWSXRayDaemonWriteAccess
 * managed policy that write; the sampling reads are not used by Lambda's tracing). X-Ray defines no resource
 * types for these actions, so the statement must name every resource, "*":
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html and
 * https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html (the execution role's permissions).
 * osls adds this statement to the default role only, which serverless-iam-roles-per-function replaces.
 */
export const TRACE_WRITE: IamStatement = {
  Effect: 'Allow',
  Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
  Resource: ['*'],
};
/** Publish to the encrypted findings topic (publishing uses the key). */
const PUBLISH_FINDINGS: IamStatement = { Effect: 'Allow', Action: ['sns:Publish'], Resource: [ref('FindingsTopic')] };
/** Send a failed asynchronous invocation to the encrypted failure queue, and use the key for both. */
const ASYNC_FAILURE_ACCESS: IamStatement[] = [
  { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [arnOf('FailedInvocationsQueue')] },
  { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: [arnOf('TrailwardenKey')] },
];

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

/** A function's environment: table, topic and its settings as JSON, within Lambda's 4 KB. */
function environmentOf(name: string, settings: Settings, extra: Record<string, Json>): Record<string, Json> {
  const environment = {
    ...extra,
    FINDINGS_TABLE: ref('FindingsTable'),
    FINDINGS_TOPIC_ARN: ref('FindingsTopic'),
    TRAILWARDEN_SETTINGS: JSON.stringify(settings),
    POWERTOOLS_SERVICE_NAME: 'trailwarden',
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
  const bytes = Object.entries(environment).reduce(
    (sum, [key, value]) => sum + key.length + (typeof value === 'string' ? Buffer.byteLength(value) : 100),
    0,
  );
  if (bytes > LAMBDA_ENVIRONMENT_MAX_BYTES) {
    const quota = `Lambda's ${LAMBDA_ENVIRONMENT_MAX_BYTES}-byte quota`;
    throw new Error(`the ${name} function's settings take ${bytes} bytes of environment, above ${quota}: shorten the settings file`);
  }
  return environment;
}

/** What differs between the functions: the rest (handler path, environment) follows from the name. */
export interface FunctionShape {
  description: string;
  memorySize: number;
  timeout: number;
  settings: Settings;
  environment?: Record<string, Json>;
  iamRoleStatements: IamStatement[];
  reservedConcurrency: number;
}

export function lambdaFunction(name: string, shape: FunctionShape): ServerlessFunction {
  return {
    handler: `functions/${name}/handler.handler`,
    description: shape.description,
    memorySize: shape.memorySize,
    timeout: shape.timeout,
    environment: environmentOf(name, shape.settings, shape.environment ?? {}),
    iamRoleStatements: [...shape.iamRoleStatements, TRACE_WRITE],
    reservedConcurrency: shape.reservedConcurrency,
    tracing: 'Active',
  };
}

/** The function of a control area: evaluates the events its rules deliver, with the area's settings. */
export function areaFunction(area: Area, settings: Settings, controls: readonly Control[]): ServerlessFunction {
  return lambdaFunction(area, {
    description: `trailwarden ${area} controls: evaluates EventBridge events, records findings, notifies transitions`,
    memorySize: 512,
    timeout: 30,
    settings: areaSettings(settings, controls),
    environment: { TRAILWARDEN_AREA: area, ...findingEventsEnvironment(settings) },
    iamRoleStatements: [TABLE_ACCESS, PUBLISH_FINDINGS, ...findingEventsStatements(settings), ...ASYNC_FAILURE_ACCESS],
    reservedConcurrency: settings.reservedConcurrency.area,
  });
}

/** The findings API's function: reads and writes findings and exemptions; never publishes. */
export function apiFunction(settings: Settings): ServerlessFunction {
  return lambdaFunction('api', {
    description: 'trailwarden findings API (HTTP API, IAM authorization): findings, controls, summary, exemptions, reports, exports',
    memorySize: 1024,
    timeout: 29,
    settings,
    reservedConcurrency: settings.reservedConcurrency.api,
    // Exports and reports too large for a Lambda answer: written to the answers bucket, read back through presigned URLs.
    environment: ANSWERS_BUCKET_ENVIRONMENT,
    iamRoleStatements: [TABLE_ACCESS, ...ANSWERS_ACCESS],
  });
}

/** The maintenance sweep's function: the timed duties of findings (exemptions ending, deadlines, the digest). */
export function maintenanceFunction(settings: Settings): ServerlessFunction {
  return lambdaFunction('maintenance', {
    description: 'trailwarden maintenance sweep: ends exemptions and carries out the timed duties of findings',
    memorySize: 512,
    timeout: 60,
    settings,
    reservedConcurrency: settings.reservedConcurrency.maintenance,
    environment: findingEventsEnvironment(settings),
    iamRoleStatements: [TABLE_ACCESS, PUBLISH_FINDINGS, ...findingEventsStatements(settings), ...ASYNC_FAILURE_ACCESS],
  });
}

/** The roles that may publish findings: those of the area functions and of the maintenance sweep. */
export function findingsPublisherRoleArns(areas: readonly Area[]): Json[] {
  return [...areas, 'maintenance'].map((name) => arnOf(roleLogicalId(name)));
}

/** How Lambda retries a function's asynchronous invocations, and where it sends those that still fail. */
export function asyncConfig(functionName: string): Record<string, Resource> {
  const functionId = functionLogicalId(functionName);
  return {
    [`${capitalized(functionName)}AsyncConfig`]: {
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: {
        FunctionName: ref(functionId),
        Qualifier: '$LATEST',
        ...ASYNC_RETRY,
        DestinationConfig: { OnFailure: { Destination: arnOf('FailedInvocationsQueue') } },
      },
    },
  };
}
