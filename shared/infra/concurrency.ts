/**
 * Reserved concurrency of the stack's functions (settings.reservedConcurrency), checked at package
 * time against what the account can reserve.
 *
 * Lambda's facts (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html and
 * https://docs.aws.amazon.com/cli/latest/reference/lambda/put-function-concurrency.html):
 * - an account has 1,000 concurrent executions per Region by default (a quota that can be raised);
 * - reserved concurrency is both a floor and a cap: the function always has it, and never more;
 * - concurrency can be reserved as long as at least 100 executions stay unreserved for the
 *   functions without reserved concurrency: you can reserve up to the account's limit minus 100.
 *
 * The defaults (settings.ts) reserve 7 × 20 + 10 + 3 = 153 of the default 1,000: the api function's
 * 10 and the maintenance function's 3 (its minute, hourly and daily schedules may start together)
 * are always there, however busy the areas are; no area can take more than 20, so an event storm
 * in one area neither starves the others nor the account's other workloads, which keep 847.
 * Areas are invoked asynchronously by EventBridge: an invocation throttled by the cap is retried
 * by Lambda's asynchronous queue (up to ASYNC_RETRY.MaximumEventAgeInSeconds), not lost.
 */
import type { Settings } from '../core/settings/settings';
import type { ServerlessFunction } from './functions';

/** The concurrent executions Lambda keeps unreserved in every account and Region. */
export const LAMBDA_MIN_UNRESERVED_CONCURRENCY = 100;

/** The most the stack may reserve: the account's limit less what Lambda keeps unreserved. */
export function reservableConcurrency(settings: Pick<Settings, 'reservedConcurrency'>): number {
  return settings.reservedConcurrency.accountLimit - LAMBDA_MIN_UNRESERVED_CONCURRENCY;
}

/**
 * Throws, naming every function's share, when the functions reserve more than the account can:
 * CloudFormation would otherwise fail part way through the deployment.
 */
export function checkReservedConcurrency(
  functions: Readonly<Record<string, Pick<ServerlessFunction, 'reservedConcurrency'>>>,
  settings: Pick<Settings, 'reservedConcurrency'>,
): void {
  const shares = Object.entries(functions).map(([name, fn]) => [name, fn.reservedConcurrency] as const);
  const total = shares.reduce((sum, [, share]) => sum + share, 0);
  const reservable = reservableConcurrency(settings);
  if (total <= reservable) return;
  const { accountLimit } = settings.reservedConcurrency;
  throw new Error(
    `reservedConcurrency: the stack's functions reserve ${total} concurrent executions ` +
      `(${shares.map(([name, share]) => `${name} ${share}`).join(', ')}), more than the ${reservable} the account can reserve ` +
      `(reservedConcurrency.accountLimit ${accountLimit} less the ${LAMBDA_MIN_UNRESERVED_CONCURRENCY} Lambda keeps unreserved): ` +
      'lower reservedConcurrency.area, .api or .maintenance, or backfill.maxConcurrency, or raise the account quota and reservedConcurrency.accountLimit',
  );
}
