/**
 * The composition root of the Lambda functions: the production parts for one area, decided once
 * per execution environment. The function's settings arrive as JSON in TRAILWARDEN_SETTINGS
 * (validated at package time and again here); the table and topic from the stack.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Area } from '../../core/model/area';
import type { Control } from '../../core/model/control';
import type { Settings } from '../../core/settings/settings';
import { pathText, validateSettings } from '../../core/settings/validate-settings';
import { ControlRouter } from '../../core/evaluation/router';
import { Pipeline } from '../../app/pipeline/pipeline';
import { DynamoDbFindingStore } from '../../adapters/store/dynamodb/dynamodb-finding-store';
import { SnsNotifier, SNS_RETRY_CONFIG } from '../../adapters/notify/sns-notifier';
import { areaHandler } from '../../adapters/lambda/area-handler';

/** A deployment mistake (missing variable, bad settings): fails every invocation with a message saying which. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigurationError(`environment variable ${name} is not set`);
  return value;
}

/** The area's settings from TRAILWARDEN_SETTINGS (absent: the defaults), checked against the area's controls. */
export function settingsFromEnvironment(env: NodeJS.ProcessEnv, controls: readonly Control[]): Settings {
  let raw: unknown;
  try {
    raw = env.TRAILWARDEN_SETTINGS ? JSON.parse(env.TRAILWARDEN_SETTINGS) : undefined;
  } catch {
    throw new ConfigurationError('TRAILWARDEN_SETTINGS is not valid JSON');
  }
  const { settings, issues } = validateSettings(raw, new Set(controls.map((control) => control.id)));
  if (!settings) {
    throw new ConfigurationError(`TRAILWARDEN_SETTINGS: ${issues.map((issue) => `${pathText(issue.path) || '(root)'}: ${issue.message}`).join('; ')}`);
  }
  return settings;
}

/** The findings table, from FINDINGS_TABLE. */
export function findingStoreFromEnvironment(env: NodeJS.ProcessEnv): DynamoDbFindingStore {
  return new DynamoDbFindingStore({ client: new DynamoDBClient({}), tableName: required(env, 'FINDINGS_TABLE') });
}

/** The findings topic, from FINDINGS_TOPIC_ARN, through `client` (one with SNS_RETRY_CONFIG by default). */
export function notifierFromEnvironment(env: NodeJS.ProcessEnv, client: SNSClient = new SNSClient({ ...SNS_RETRY_CONFIG })): SnsNotifier {
  return new SnsNotifier({ client, topicArn: required(env, 'FINDINGS_TOPIC_ARN') });
}

/** The pipeline of one area over DynamoDB and SNS. */
export function createAreaPipeline(controls: readonly Control[], env: NodeJS.ProcessEnv = process.env): Pipeline {
  const settings = settingsFromEnvironment(env, controls);
  const enabled = controls.filter((control) => !settings.disabledControls.includes(control.id));
  return new Pipeline({ router: new ControlRouter(enabled), context: { settings }, store: findingStoreFromEnvironment(env), notifier: notifierFromEnvironment(env) });
}

/** The Lambda handler of an area: `export const handler = areaFunction('network', networkControls)`. */
export function areaFunction(area: Area, controls: readonly Control[]) {
  const logger = new Logger({ serviceName: 'trailwarden', persistentKeys: { area } });
  return areaHandler({ area, logger, pipeline: () => createAreaPipeline(controls) });
}
