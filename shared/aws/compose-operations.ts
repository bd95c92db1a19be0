/**
 * The composition root of the stack's two operational functions: the findings API (behind an
 * HTTP API with IAM authorization) and the maintenance sweep (on a one-minute schedule). Both
 * read the whole catalogue, unlike the area functions, so they live apart from compose.ts and
 * the area bundles stay small.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { ALL_CONTROLS } from '../controls';
import { apiGatewayHandler } from '../api/lambda';
import { findingsExport, frameworkReport } from '../api/documents';
import { sweepExemptions } from '../exemptions/service';
import { findingStoreFromEnvironment, notifierFromEnvironment, settingsFromEnvironment } from './compose';

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

/**
 * `functions/maintenance/handler.ts`, every minute: ends exemptions (reopening and notifying their
 * findings). Fails the invocation when a job could not finish, after running every job, so the
 * alarm sees it; the next sweep retries.
 */
export function maintenanceFunction(env: NodeJS.ProcessEnv = process.env, now: () => Date = () => new Date()) {
  const logger = new Logger({ serviceName: 'trailwarden', persistentKeys: { function: 'maintenance' } });
  let deps: { settings: ReturnType<typeof settingsFromEnvironment>; store: ReturnType<typeof findingStoreFromEnvironment>; notifier: ReturnType<typeof notifierFromEnvironment> } | undefined;
  return async (): Promise<MaintenanceResult> => {
    deps ??= { settings: settingsFromEnvironment(env, ALL_CONTROLS), store: findingStoreFromEnvironment(env), notifier: notifierFromEnvironment(env) };
    const { settings, store, notifier } = deps;
    const at = now();
    const failures: string[] = [];
    const result: MaintenanceResult = {};
    const jobs: Array<[string, () => Promise<unknown>]> = [
      ['exemptions', () => sweepExemptions(store, at, { controls: ALL_CONTROLS, notifier, notifyMinSeverity: settings.notifyMinSeverity })],
    ];
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
