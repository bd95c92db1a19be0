/**
 * The api function's large answers: exports and reports too large for a Lambda answer are written to
 * the stack's answers bucket (ANSWERS_BUCKET, shared/infra/answers-bucket.ts) and answered with a
 * short-lived link. Only the Lambda composition wires this; `trailwarden serve` streams instead.
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { LargeAnswers } from '../../adapters/lambda/api-gateway';
import { S3AnswerStore } from '../../adapters/s3/answer-store';
import { traced } from './compose';

/**
 * The answers bucket from ANSWERS_BUCKET, its links signed on `clock`, its client traced by `tracer`
 * like the others; `inlineLimit` lowers the size answered inline (tests). Not set: such answers are
 * refused (422), as before the bucket existed.
 */
export function largeAnswersFromEnvironment(
  env: NodeJS.ProcessEnv,
  clock: () => Date,
  inlineLimit?: number,
  tracer?: Tracer,
): LargeAnswers | undefined {
  const bucket = env.ANSWERS_BUCKET;
  if (!bucket) return undefined;
  return {
    store: new S3AnswerStore({ client: traced(new S3Client({}), tracer), bucket, now: clock }),
    ...(inlineLimit !== undefined ? { inlineLimit } : {}),
  };
}
