/**
 * The Lambda functions' composition: the production adapters (DynamoDB table, SNS topic) from the
 * stack's environment, decided once per execution environment on the first invocation (never at
 * load time), then the one factory (shared/app/compose.ts) wires the application. Settings arrive
 * as JSON in TRAILWARDEN_SETTINGS (validated at package time and again here). This module holds
 * what an area function needs; operations.ts the api and maintenance functions.
 *
 * Every SDK client is captured by the function's Powertools Tracer (X-Ray subsegments per call);
 * outside Lambda the tracer is off and returns the client unchanged. Delivery's counts go to the
 * function's operational metrics, published after each invocation.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { areaHandler } from '../../adapters/lambda/area-handler';
import { PowertoolsMetrics } from '../../adapters/observability/powertools-metrics';
import { EventBridgeNotifier, EVENTBRIDGE_RETRY_CONFIG } from '../../adapters/notify/eventbridge-notifier';
import { FanOutNotifier } from '../../adapters/notify/fan-out-notifier';
import { SnsNotifier, SNS_RETRY_CONFIG } from '../../adapters/notify/sns-notifier';
import { dynamoDbStorage } from '../../adapters/store/dynamodb';
import { createApplication, type Application } from '../../app/compose';
import type { OperationalMetrics } from '../../app/operational-metrics';
import type { Storage } from '../../app/storage';
import type { Area } from '../../core/model/area';
import { intakeOptionsOf } from '../../core/intake/types';
import type { Control } from '../../core/model/control';
import type { Notifier } from '../../core/notifications/notifier';
import type { Settings } from '../../core/settings/settings';
import { pathText, validateSettings } from '../../core/settings/validate-settings';
import { detectionWindowsOf } from '../../core/detections/signal';

/** A deployment mistake (missing variable, bad settings): fails every invocation with a message saying which. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigurationError(`environment variable ${name} is not set`);
  return value;
}

/** The settings from TRAILWARDEN_SETTINGS (absent: the defaults), checked against the controls this function knows. */
export function settingsFromEnvironment(env: NodeJS.ProcessEnv, controls: readonly Control[]): Settings {
  let raw: unknown;
  try {
    raw = env.TRAILWARDEN_SETTINGS ? JSON.parse(env.TRAILWARDEN_SETTINGS) : undefined;
  } catch {
    throw new ConfigurationError('TRAILWARDEN_SETTINGS is not valid JSON');
  }
  const { settings, issues } = validateSettings(raw, new Set(controls.map((control) => control.id)), detectionWindowsOf(controls));
  if (!settings) {
    throw new ConfigurationError(
      `TRAILWARDEN_SETTINGS: ${issues.map((issue) => `${pathText(issue.path) || '(root)'}: ${issue.message}`).join('; ')}`,
    );
  }
  return settings;
}

/** Traces an SDK client's calls: `tracer.captureAWSv3Client`, or the client as it is when there is no tracer. */
export function traced<Client>(client: Client, tracer: Tracer | undefined): Client {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}

/** The findings table, from FINDINGS_TABLE (`clock`: when applied-event records expire). */
export function storageFromEnvironment(env: NodeJS.ProcessEnv, clock: () => Date, tracer?: Tracer): Storage {
  return dynamoDbStorage({ client: traced(new DynamoDBClient({}), tracer), tableName: required(env, 'FINDINGS_TABLE'), now: clock });
}

/**
 * The findings topic, from FINDINGS_TOPIC_ARN (through a client with SNS_RETRY_CONFIG). With the
 * `publishFindingEvents` setting, also the event bus FINDINGS_EVENT_BUS: both get every
 * notification, and a failure of either leaves it owed (FanOutNotifier rejects).
 */
export function notifierFromEnvironment(
  env: NodeJS.ProcessEnv,
  tracer?: Tracer,
  settings?: Pick<Settings, 'publishFindingEvents'>,
): Notifier {
  const topic = new SnsNotifier({
    client: traced(new SNSClient({ ...SNS_RETRY_CONFIG }), tracer),
    topicArn: required(env, 'FINDINGS_TOPIC_ARN'),
  });
  if (!settings?.publishFindingEvents) return topic;
  const bus = new EventBridgeNotifier({
    client: traced(new EventBridgeClient({ ...EVENTBRIDGE_RETRY_CONFIG }), tracer),
    eventBusName: required(env, 'FINDINGS_EVENT_BUS'),
  });
  return new FanOutNotifier([
    { name: 'sns', notifier: topic },
    { name: 'eventbridge', notifier: bus },
  ]);
}

export interface LambdaComposition {
  env: NodeJS.ProcessEnv;
  /** The controls this function knows (its area's, or the whole catalogue). */
  catalogue: readonly Control[];
  /** Whether it publishes notifications (the api function may not: they stay owed for the maintenance function). */
  notifies: boolean;
  clock: () => Date;
  /** Captures the SDK clients (X-Ray); none: untraced. */
  tracer?: Tracer;
  /** Where delivery counts notifications sent and failed; none: not counted. */
  metrics?: OperationalMetrics;
}

/** The application of one function over DynamoDB and SNS. */
export function lambdaApplication(composition: LambdaComposition): Application {
  const { env, catalogue, clock, tracer, metrics } = composition;
  const settings = settingsFromEnvironment(env, catalogue);
  return createApplication({
    settings,
    catalogue,
    storage: storageFromEnvironment(env, clock, tracer),
    notifier: composition.notifies ? notifierFromEnvironment(env, tracer, settings) : 'deferred',
    clock,
    ...(metrics ? { metrics } : {}),
  });
}

/**
 * The Lambda handler of an area: `export const handler = areaFunction('network', networkControls)`.
 * The environment is read on the first invocation.
 */
export function areaFunction(
  area: Area,
  controls: readonly Control[],
  env: NodeJS.ProcessEnv = process.env,
  clock: () => Date = () => new Date(),
) {
  const logger = new Logger({ serviceName: 'trailwarden', persistentKeys: { area } });
  const tracer = new Tracer({ serviceName: 'trailwarden' });
  const metrics = new PowertoolsMetrics({ logger });
  let application: Application | undefined;
  const app = () => (application ??= lambdaApplication({ env, catalogue: controls, notifies: true, clock, tracer, metrics }));
  return areaHandler({
    area,
    logger,
    tracer,
    metrics,
    intake: () => intakeOptionsOf(app().settings, clock),
    pipeline: () => app().pipeline(),
  });
}
