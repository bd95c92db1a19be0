/**
 * The stack's two operational functions: the findings API (behind an HTTP API with IAM
 * authorization) and the maintenance function (on schedules). Both know the whole catalogue,
 * unlike the area functions, so they live apart from compose.ts and the area bundles stay small.
 * Both are traced (Powertools Tracer: the invocation and every SDK call; off outside Lambda), and the
 * maintenance function publishes what its deliveries counted after every invocation.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { apiGatewayHandler } from '../../adapters/lambda/api-gateway';
import { PowertoolsMetrics, publishMetrics } from '../../adapters/observability/powertools-metrics';
import { apiDepsOf } from '../../app/api/documents';
import type { Application } from '../../app/compose';
import { EVERY_MINUTE, MAINTENANCE_JOBS, runMaintenance, type MaintenanceJob } from '../../app/jobs/maintenance';
import { ALL_CONTROLS } from '../../core/controls';
import { lambdaApplication } from './compose';
import { largeAnswersFromEnvironment } from './large-answers';

/**
 * `functions/api/handler.ts`: the findings API; the IAM caller is recorded as the actor of exemption
 * changes. It publishes nothing (its role may not): what a change owes is sent by the maintenance function.
 */
export function apiFunction(
  env: NodeJS.ProcessEnv = process.env,
  clock: () => Date = () => new Date(),
  // Tests lower the size answered inline; exports and reports above it go to ANSWERS_BUCKET.
  options: { inlineLimit?: number } = {},
) {
  const logger = new Logger({ serviceName: 'trailwarden', persistentKeys: { function: 'api' } });
  const tracer = new Tracer({ serviceName: 'trailwarden' });
  const handler = apiGatewayHandler(
    () =>
      apiDepsOf(lambdaApplication({ env, catalogue: ALL_CONTROLS, notifies: false, clock, tracer }), {
        onError: (error) => logger.error('api request failed', { error: error instanceof Error ? error.message : String(error) }),
      }),
    () => largeAnswersFromEnvironment(env, clock, options.inlineLimit, tracer),
  );
  // Answers hold findings and can be megabytes: they stay out of the trace.
  return middy(handler).use(captureLambdaHandler(tracer, { captureResponse: false }));
}

/** One invocation of the maintenance function: what each job did, by name. */
export type MaintenanceResult = Partial<Record<MaintenanceJob, object>>;

/** The jobs an invocation names (`{"jobs": [...]}`, the schedule's input); none named: the one-minute jobs. */
export function jobsOf(event: unknown): readonly MaintenanceJob[] {
  const named = typeof event === 'object' && event !== null ? (event as { jobs?: unknown }).jobs : undefined;
  if (!Array.isArray(named)) return EVERY_MINUTE;
  return MAINTENANCE_JOBS.filter((job) => named.includes(job));
}

/**
 * `functions/maintenance/handler.ts`, on schedules: ends exemptions and snoozes (reopening and
 * notifying their findings) and sends the roll-ups of closed burst windows every minute, escalates
 * findings past their remediation deadline every hour, publishes the digest every day. Fails the
 * invocation when a job could not finish, after running every job, so the alarm sees it; the next
 * run retries.
 */
export function maintenanceFunction(env: NodeJS.ProcessEnv = process.env, clock: () => Date = () => new Date()) {
  const logger = new Logger({ serviceName: 'trailwarden', persistentKeys: { function: 'maintenance' } });
  const tracer = new Tracer({ serviceName: 'trailwarden' });
  const metrics = new PowertoolsMetrics({ logger });
  let app: Application | undefined;
  const sweep = async (event?: unknown): Promise<MaintenanceResult> => {
    app ??= lambdaApplication({ env, catalogue: ALL_CONTROLS, notifies: true, clock, tracer, metrics });
    const at = clock();
    const { results, failures } = await runMaintenance(app.jobs, at, jobsOf(event));
    logger.info('maintenance sweep', { at: at.toISOString(), ...results, failures });
    if (failures.length > 0) throw new Error(`maintenance sweep: ${failures.join('; ')}; the next sweep retries`);
    return results;
  };
  return middy(sweep).use(captureLambdaHandler(tracer)).use(publishMetrics(metrics));
}
