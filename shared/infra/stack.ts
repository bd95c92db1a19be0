/**
 * The AWS stack as data: the seven area functions and the CloudFormation resources around them
 * (findings table, topics, key, queues, rules on the default and the organization bus, alarms,
 * the bucket of large API answers),
 * and the template member accounts deploy to forward their events. Pure: built from the control
 * registry and the settings, so tests read exactly what `serverless package` deploys.
 *
 * This module assembles the stack; each concern has its own module: cloudformation.ts (intrinsics,
 * logical ids, policy statements), functions.ts (functions and their roles), event-rules.ts (rules
 * on both buses, the organization bus), schedules.ts, http-api.ts, data-resources.ts (key, table,
 * topics, queues), answers-bucket.ts, alarms.ts, operations-dashboard.ts, concurrency.ts (reserved
 * concurrency, checked against what the account can reserve) and member-template.ts.
 *
 * Logical ids follow the Serverless Framework's naming: function `image` is `ImageLambdaFunction`,
 * and serverless-iam-roles-per-function gives it the role `ImageIamRoleLambdaExecution`.
 */
import type { Area } from '../core/model/area';
import type { Control } from '../core/model/control';
import type { Settings } from '../core/settings/settings';
import { FINDINGS_TABLE_DEFINITION } from '../adapters/store/dynamodb/table';
import { functionAlarms, notificationFailureAlarms, queueDepthAlarms, tableThrottleAlarms, topicDeliveryAlarms } from './alarms';
import { answersBucketResources } from './answers-bucket';
import { BACKFILL_CONDITIONS, BACKFILL_OUTPUTS, BACKFILL_PARAMETERS, backfillFunction, backfillResources } from './backfill';
import { arnOf, capitalized, type Json, type Resource, ref, sub } from './cloudformation';
import { checkReservedConcurrency } from './concurrency';
import { DEAD_LETTER_QUEUES, findingsTableResources, keyResources, queueResources, topicResources } from './data-resources';
import { areaRuleResources, organizationBusResources } from './event-rules';
import {
  apiFunction,
  areaFunction,
  asyncConfig,
  findingsPublisherRoleArns,
  maintenanceFunction,
  type ServerlessFunction,
} from './functions';
import { httpApiResources } from './http-api';
import { operationsDashboardResources } from './operations-dashboard';
import { DEFAULT_MAX_PATTERN_CHARS } from './rule-patterns';
import { scheduleResources } from './schedules';

export { functionLogicalId, type IamStatement, roleLogicalId } from './cloudformation';
export { DEAD_LETTER_RETENTION_SECONDS } from './data-resources';
export { checkReservedConcurrency, LAMBDA_MIN_UNRESERVED_CONCURRENCY } from './concurrency';
export { areaRules, BUSES, MAX_WILDCARD_RULES_PER_BUS, RULE_RETRY_POLICY } from './event-rules';
export { ASYNC_RETRY, areaSettings, LAMBDA_ENVIRONMENT_MAX_BYTES, type ServerlessFunction } from './functions';
export { buildMemberTemplate } from './member-template';
export { MAINTENANCE_SCHEDULES } from './schedules';

/** What the stack is built from: the controls of each area, the organization's settings, the pattern size quota. */
export interface StackInput {
  controlsByArea: Readonly<Record<Area, readonly Control[]>>;
  settings: Settings;
  maxPatternChars?: number;
}

/** The stack as serverless.yml takes it: its `functions` and its `resources`. */
export interface Stack {
  functions: Record<string, ServerlessFunction>;
  /** `extensions` adds properties to resources the framework generates (the functions' log groups). */
  resources: {
    Parameters: Record<string, Json>;
    Conditions: Record<string, Json>;
    Resources: Record<string, Resource>;
    Outputs: Record<string, Json>;
    extensions: Record<string, { Properties: Record<string, Json> }>;
  };
}

/** The stack's functions and resources, in template order. */
export function buildStack(input: StackInput): Stack {
  const { controlsByArea, settings } = input;
  const maxPatternChars = input.maxPatternChars ?? DEFAULT_MAX_PATTERN_CHARS;
  const areas = Object.keys(controlsByArea) as Area[];
  const functions: Record<string, ServerlessFunction> = {};
  const resources: Record<string, Resource> = {};
  // Every rule of the stack (area rules on both buses, schedules): the ones its dead-letter queue admits.
  const ruleIds: string[] = [];

  for (const area of areas) {
    const controls = controlsByArea[area];
    functions[area] = areaFunction(area, settings, controls);
    const rules = areaRuleResources(area, controls, maxPatternChars);
    Object.assign(resources, asyncConfig(area), rules.resources, functionAlarms(area));
    ruleIds.push(...rules.ruleIds);
  }

  // The findings API: an HTTP API whose routes require IAM (SigV4) authorization.
  functions.api = apiFunction(settings);
  Object.assign(resources, functionAlarms('api'), httpApiResources());

  // The maintenance sweep: timed duties of findings (exemptions ending, and the like), on schedules.
  functions.maintenance = maintenanceFunction(settings);
  const schedules = scheduleResources();
  Object.assign(resources, asyncConfig('maintenance'), schedules.resources, functionAlarms('maintenance'));
  ruleIds.push(...schedules.ruleIds);

  // The backfill of CloudTrail history: a distributed map over the trail bucket invoking the backfill function (backfill.ts).
  functions.backfill = backfillFunction(settings);
  Object.assign(resources, backfillResources(settings), functionAlarms('backfill'));
  checkReservedConcurrency(functions, settings);
  // The table's indexes as the store defines them now (they follow its access patterns).
  const indexNames = FINDINGS_TABLE_DEFINITION.GlobalSecondaryIndexes.flatMap((index) => (index.IndexName ? [index.IndexName] : []));

  Object.assign(
    resources,
    keyResources(),
    findingsTableResources(),
    answersBucketResources(),
    topicResources(findingsPublisherRoleArns(areas)),
    queueResources(ruleIds),
    queueDepthAlarms(DEAD_LETTER_QUEUES),
    tableThrottleAlarms('FindingsTable', indexNames),
    topicDeliveryAlarms('FindingsTopic'),
    notificationFailureAlarms(areas),
    operationsDashboardResources({
      areas,
      functionNames: Object.keys(functions),
      table: { logicalId: 'FindingsTable', indexNames },
      topic: 'FindingsTopic',
      queues: DEAD_LETTER_QUEUES,
    }),
    organizationBusResources(settings, Object.values(controlsByArea).flat()),
  );

  return {
    functions,
    resources: {
      Parameters: {
        OrganizationId: {
          Type: 'String',
          Description: 'The AWS Organizations id whose accounts may forward events to the organization bus',
          AllowedPattern: '^o-[a-z0-9]{10,32}$',
        },
        ...BACKFILL_PARAMETERS,
      },
      Conditions: { ...BACKFILL_CONDITIONS },
      Resources: resources,
      // The framework creates each function's log group (`<Name>LogGroup`); encrypt them with the key.
      extensions: Object.fromEntries(
        Object.keys(functions).map((name) => [`${capitalized(name)}LogGroup`, { Properties: { KmsKeyId: arnOf('TrailwardenKey') } }]),
      ),
      Outputs: {
        OrganizationEventBusArn: {
          Description: 'Member accounts forward their events here (CentralEventBusArn of the member template)',
          Value: arnOf('OrganizationEventBus'),
        },
        FindingsTableName: { Value: ref('FindingsTable') },
        FindingsTopicArn: {
          Description: 'Subscribe on-call and ticketing here; filter on severity, area, account',
          Value: ref('FindingsTopic'),
        },
        OperationsTopicArn: { Description: 'Alarms on the stack itself', Value: ref('OperationsTopic') },
        FindingsApiEndpoint: {
          Description: 'The findings API (sign requests with SigV4; callers need execute-api:Invoke)',
          Value: sub('https://${FindingsHttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/api'),
        },
        ...BACKFILL_OUTPUTS,
      },
    },
  };
}
