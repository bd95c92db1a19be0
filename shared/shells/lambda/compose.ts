/**
 * The Lambda functions' composition: the production adapters (DynamoDB table, SNS topic) from the
 * stack's environment, decided once per execution environment on the first invocation (never at
 * load time), then the one factory (shared/app/compose.ts) wires the application. Settings arrive
 * as JSON in TRAILWARDEN_SETTINGS (validated at package time and again here). This module holds
 * what an area function needs; operations.ts the api and maintenance functions.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import { areaHandler } from '../../adapters/lambda/area-handler';
import { SnsNotifier, SNS_RETRY_CONFIG } from '../../adapters/notify/sns-notifier';
import { dynamoDbStorage } from '../../adapters/store/dynamodb';
import { createApplication, type Application } from '../../app/compose';
import type { Storage } from '../../app/storage';
import type { Area } from '../../core/model/area';
import { intakeOptionsOf } from '../../core/intake/types';
import type { Control } from '../../core/model/control';
import type { Settings } from '../../core/settings/settings';
import { pathText, validateSettings } from '../../core/settings/validate-settings';

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
  const { settings, issues } = validateSettings(raw, new Set(controls.map((control) => control.id)));
  if (!settings) {
    throw new ConfigurationError(
      `TRAILWARDEN_SETTINGS: ${issues.map((issue) => `${pathText(issue.path) || '(root)'}: ${issue.message}`).join('; ')}`,
    );
  }
  return settings;
}

/** The findings table, from FINDINGS_TABLE (`clock`: when applied-event records expire). */
export function storageFromEnvironment(env: NodeJS.ProcessEnv, clock: () => Date): Storage {
  return dynamoDbStorage({ client: new DynamoDBClient({}), tableName: required(env, 'FINDINGS_TABLE'), now: clock });
}

/** The findings topic, from FINDINGS_TOPIC_ARN (through a client with SNS_RETRY_CONFIG). */
export function notifierFromEnvironment(env: NodeJS.ProcessEnv): SnsNotifier {
  return new SnsNotifier({ client: new SNSClient({ ...SNS_RETRY_CONFIG }), topicArn: required(env, 'FINDINGS_TOPIC_ARN') });
}

export interface LambdaComposition {
  env: NodeJS.ProcessEnv;
  /** The controls this function knows (its area's, or the whole catalogue). */
  catalogue: readonly Control[];
  /** Whether it publishes notifications (the api function may not: they stay owed for the maintenance function). */
  notifies: boolean;
  clock: () => Date;
}

/** The application of one function over DynamoDB and SNS. */
export function lambdaApplication(composition: LambdaComposition): Application {
  const { env, catalogue, clock } = composition;
  const settings = settingsFromEnvironment(env, catalogue);
  return createApplication({
    settings,
    catalogue,
    storage: storageFromEnvironment(env, clock),
    notifier: composition.notifies ? notifierFromEnvironment(env) : 'deferred',
    clock,
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
  let application: Application | undefined;
  const app = () => (application ??= lambdaApplication({ env, catalogue: controls, notifies: true, clock }));
  return areaHandler({
    area,
    logger,
    intake: () => intakeOptionsOf(app().settings, clock),
    pipeline: () => app().pipeline(),
  });
}
