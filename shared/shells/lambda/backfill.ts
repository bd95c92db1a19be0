/**
 * `functions/backfill/handler.ts`: one batch of trail objects from the backfill state machine's
 * distributed map (shared/infra/backfill.ts), evaluated by the whole catalogue over the findings table.
 *
 * Notifications: none. The application's notifier is deferred, so a backfill of months records what
 * its events opened and resolved (findings, history, the dashboard and reports show them) without
 * paging the on-call about events long past; the transitions stay owed, and no sweep sends owed
 * notifications of events (the sweeps send their own: snoozes, deadlines, the digest), so nothing
 * pages later either. Live processing is unaffected: a live event sends only what it itself caused.
 * The function's role therefore has no sns:Publish.
 */
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { readStream } from '../../adapters/intake';
import { backfillBatchHandler, type BackfillSummary } from '../../adapters/lambda/backfill-handler';
import type { Application } from '../../app/compose';
import { ALL_CONTROLS } from '../../core/controls';
import { intakeOptionsOf } from '../../core/intake/types';
import { lambdaApplication, traced } from './compose';

export function backfillFunction(env: NodeJS.ProcessEnv = process.env, clock: () => Date = () => new Date()) {
  const logger = new Logger({ serviceName: 'trailwarden', persistentKeys: { function: 'backfill' } });
  const tracer = new Tracer({ serviceName: 'trailwarden' });
  let app: Application | undefined;
  let s3: S3Client | undefined;
  const application = () => (app ??= lambdaApplication({ env, catalogue: ALL_CONTROLS, notifies: false, clock, tracer }));
  const body = backfillBatchHandler({
    getObject: async (bucket, key) => {
      s3 ??= traced(new S3Client({}), tracer);
      try {
        const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return answer.Body as NodeJS.ReadableStream;
      } catch (error) {
        if (error instanceof NoSuchKey) return undefined;
        throw error;
      }
    },
    read: readStream,
    intake: () => intakeOptionsOf(application().settings, clock),
    pipeline: () => application().pipeline(),
  });
  const batch = async (event: unknown): Promise<BackfillSummary> => {
    const summary = await body(event);
    logger.info('backfill batch', { ...summary, refusedObjects: summary.refusedObjects.length });
    for (const refused of summary.refusedObjects) logger.warn('object refused', refused);
    return summary;
  };
  return middy<unknown, BackfillSummary, Error, Context>(batch)
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use({
      onError: async (request) => {
        logger.error('backfill batch failed: the map retries it', {
          error: request.error instanceof Error ? `${request.error.name}: ${request.error.message}` : String(request.error),
        });
      },
    });
}
