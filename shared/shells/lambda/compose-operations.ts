/**
 * The composition root of the stack's two operational functions: the findings API (behind an
 * HTTP API with IAM authorization) and the maintenance sweep (on a one-minute schedule). Both
 * read the whole catalogue, unlike the area functions, so they live apart from compose.ts and
 * the area bundles stay small.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { ALL_CONTROLS } from '../../core/controls';
import { apiGatewayHandler } from '../../adapters/lambda/api-gateway';
import { findingsExport, frameworkReport } from '../../app/api/documents';
import { sweepExemptions } from '../../app/exemptions/exemption-service';
import { sweepSnoozes } from '../../app/snooze/snooze-service';
import { sweepDeadlines } from '../../app/jobs/deadlines';
import { flushRollups } from '../../app/jobs/rollups';
import { digestJob } from '../../core/notifications/digest';
import { snsDigestPublishInputOf, SNS_RETRY_CONFIG } from '../../adapters/notify/sns-notifier';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { findingStoreFromEnvironment, notifierFromEnvironment, required, settingsFromEnvironment } from './compose';

/** `functions/api/handler.ts`: the findings API; the IAM caller is recorded as the actor of exemption changes. */
export function apiFunction(env: NodeJS.ProcessEnv = process.env) {
  const logger = new Logger({ serviceName: 'trailwarden', persistentKeys: { function: 'api' } });
  return apiGatewayHandler(() => {
    const settings = settingsFromEnvironment(env, ALL_CONTROLS);
    return {
      store: findingStoreFromEnvironment(env),
      controls: ALL_CONTROLS,
      report: frameworkReport(settings.disabledControls),
      exportFindings: findingsExport,
      onError: (error) => logger.error('api request failed', { error: error instanceof Error ? error.message : String(error) }),
    };
  });
}

/** One sweep of the maintenance function: what it did, by job. */
export type MaintenanceResult = Record<string, unknown>;

/** The maintenance jobs; a schedule names the ones it runs (`{"jobs": [...]}` as the rule's input). */
export const MAINTENANCE_JOBS = ['exemptions', 'snoozes', 'rollups', 'deadlines', 'digest'] as const;
export type MaintenanceJob = (typeof MAINTENANCE_JOBS)[number];
/** What the one-minute schedule runs (and an invocation naming no jobs). */
export const EVERY_MINUTE: readonly MaintenanceJob[] = ['exemptions', 'snoozes', 'rollups'];
/** Deadlines have their own hourly schedule: each sweep reads every open finding. */
export const EVERY_HOUR: readonly MaintenanceJob[] = ['deadlines'];
/** The digest of the findings below the paging threshold, once a day. */
export const EVERY_DAY: readonly MaintenanceJob[] = ['digest'];

function jobsOf(event: unknown): readonly MaintenanceJob[] {
  const named = typeof event === 'object' && event !== null ? (event as { jobs?: unknown }).jobs : undefined;
  if (!Array.isArray(named)) return EVERY_MINUTE;
  return MAINTENANCE_JOBS.filter((job) => named.includes(job));
}

/**
 * `functions/maintenance/handler.ts`, on schedules: ends exemptions and snoozes (reopening and
 * notifying their findings) and sends the roll-ups of closed burst windows every minute, escalates
 * findings past their remediation deadline every hour, publishes the digest every day. Fails the invocation when a job could not finish, after running every job, so the
 * alarm sees it; the next sweep retries.
 */
export function maintenanceFunction(env: NodeJS.ProcessEnv = process.env, now: () => Date = () => new Date()) {
  const logger = new Logger({ serviceName: 'trailwarden', persistentKeys: { function: 'maintenance' } });
  let deps:
    | { settings: ReturnType<typeof settingsFromEnvironment>; store: ReturnType<typeof findingStoreFromEnvironment>; notifier: ReturnType<typeof notifierFromEnvironment>; sns: SNSClient; topicArn: string }
    | undefined;
  return async (event?: unknown): Promise<MaintenanceResult> => {
    if (!deps) {
      // One SNS client for the notifications and the digest.
      const sns = new SNSClient({ ...SNS_RETRY_CONFIG });
      deps = { settings: settingsFromEnvironment(env, ALL_CONTROLS), store: findingStoreFromEnvironment(env), notifier: notifierFromEnvironment(env, sns), sns, topicArn: required(env, 'FINDINGS_TOPIC_ARN') };
    }
    const { settings, store, notifier, sns, topicArn } = deps;
    const at = now();
    const failures: string[] = [];
    const result: MaintenanceResult = {};
    const all: Record<MaintenanceJob, () => Promise<unknown>> = {
      exemptions: () => sweepExemptions(store, at, { controls: ALL_CONTROLS, notifier, notifyMinSeverity: settings.notifyMinSeverity, findingsUrl: settings.findingsUrl }),
      snoozes: () => sweepSnoozes(store, at, notifier, { controls: ALL_CONTROLS, notifyMinSeverity: settings.notifyMinSeverity, findingsUrl: settings.findingsUrl }),
      rollups: () => flushRollups({ store, notifier, settings }, at),
      deadlines: () => sweepDeadlines(store, at, notifier, settings),
      digest: () =>
        digestJob({
          store,
          settings,
          now: () => at,
          publish: async (digest) => {
            await sns.send(new PublishCommand(snsDigestPublishInputOf(digest, topicArn)));
          },
        }),
    };
    const jobs = jobsOf(event).map((name) => [name, all[name]] as const);
    for (const [name, job] of jobs) {
      try {
        result[name] = await job();
        const failed = (result[name] as { notificationFailures?: number }).notificationFailures;
        if (failed) failures.push(`${name}: ${failed} notifications could not be sent`);
      } catch (error) {
        failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    logger.info('maintenance sweep', { at: at.toISOString(), ...result, failures });
    if (failures.length > 0) throw new Error(`maintenance sweep: ${failures.join('; ')}; the next sweep retries`);
    return result;
  };
}
