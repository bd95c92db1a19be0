/**
 * The Lambda shell of one control area: a thin middy handler over the same evaluate → store →
 * notify core the CLI runs. Everything it needs is injected; `functions/<area>/handler.ts` wires
 * the production parts (shared/shells/lambda/compose.ts).
 *
 * Failure policy (EventBridge delivers at least once and invokes Lambda asynchronously):
 * - a malformed event (a wrong shape, a time that is not RFC 3339 or is more than a day ahead of
 *   the clock, nested too deep, too large) is logged with its id and counted, and the invocation
 *   succeeds: retrying it can never help;
 * - a control that throws is logged and the other controls' results still count;
 * - a store or notifier failure fails the invocation, so Lambda retries it (asynchronous
 *   invocation retries) and then sends it to the on-failure dead-letter queue. The store is
 *   idempotent by event, and notifications pending from a failed attempt are sent by the retry.
 *
 * Observability: every invocation is traced (Powertools Tracer; a no-op outside Lambda) and its
 * counts (events evaluated, malformed events, findings opened and resolved, and what delivery
 * counted) are published as CloudWatch metrics when it ends, whether it succeeded or failed.
 */
import middy from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context } from 'aws-lambda';
import type { Area } from '../../core/model/area';
import { toEvent } from '../../core/intake/to-event';
import type { IntakeOptions } from '../../core/intake/types';
import type { EventResult } from '../../app/pipeline/pipeline';
import type { EventBridgeEvent } from '../../core/model/event';
import { publishMetrics, type PublishedMetrics } from '../observability/powertools-metrics';

/** What the handler drives: the Pipeline (or a test double of it). */
export interface AreaPipeline {
  process(event: EventBridgeEvent): Promise<EventResult>;
  flush(): Promise<void>;
}

export interface AreaHandlerDeps {
  area: Area;
  logger: Logger;
  /** Created once per execution environment, on first use. */
  pipeline: () => AreaPipeline;
  /**
   * How an event is read: the clock its time is checked against and how far ahead of it it may be
   * (the `maxEventAheadMinutes` setting). Asked once per execution environment, on first use.
   */
  intake: () => IntakeOptions;
  /** Counts this area's events and findings; `areaHandler` publishes them after each invocation. */
  metrics?: PublishedMetrics;
  /** Traces each invocation (`areaHandler`); the SDK clients it reaches are captured where they are made. */
  tracer?: Tracer;
}

export type AreaOutcome =
  | { status: 'rejected'; eventId: string; reason: string; path?: string }
  | {
      status: 'processed';
      eventId: string;
      matched: number;
      transitions: Array<{ findingId: string; controlId: string; transition: string }>;
    };

function idOf(raw: unknown): string {
  const id = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).id : undefined;
  return typeof id === 'string' && id !== '' ? id : '(no id)';
}

/** The handler body, without middleware: validate, evaluate, record, notify. */
export function areaEventHandler(deps: AreaHandlerDeps) {
  let pipeline: AreaPipeline | undefined;
  let intake: IntakeOptions | undefined;
  return async (raw: unknown): Promise<AreaOutcome> => {
    const eventId = idOf(raw);
    intake ??= deps.intake();
    const item = toEvent(raw, { file: `EventBridge event ${eventId}`, line: 1 }, intake);
    if (item.kind === 'rejected') {
      deps.logger.error('malformed event: not retried', { eventId, path: item.where.path, reason: item.reason, malformedEvents: 1 });
      deps.metrics?.count('MalformedEventsRejected', deps.area);
      return { status: 'rejected', eventId, reason: item.reason, ...(item.where.path ? { path: item.where.path } : {}) };
    }
    pipeline ??= deps.pipeline();
    const result = await pipeline.process(item.event);
    // Counted once the findings are written (each write is durable when `process` returns), before
    // the notifications: a retry after a failed send changes no finding, so counts nothing twice.
    deps.metrics?.count('EventsEvaluated', deps.area);
    for (const { transition, finding } of result.changes) {
      if (transition === 'opened' || transition === 'reopened') deps.metrics?.count('FindingsOpened', finding.area);
      else if (transition === 'resolved') deps.metrics?.count('FindingsResolved', finding.area);
    }
    for (const error of result.controlErrors) {
      deps.logger.error('control failed on event', { eventId, controlId: error.controlId, reason: error.message });
    }
    await pipeline.flush();
    const transitions = result.changes
      .filter((change) => change.transition !== 'repeated')
      .map((change) => ({ findingId: change.finding.id, controlId: change.control.id, transition: change.transition }));
    deps.logger.info('event evaluated', { eventId, area: deps.area, matched: result.matched, changes: result.changes.length, transitions });
    return { status: 'processed', eventId, matched: result.matched, transitions };
  };
}

/**
 * The Lambda handler: traced, structured logging with the invocation's context, errors logged
 * before they fail the invocation, and the invocation's metrics published when it ends.
 */
export function areaHandler(deps: AreaHandlerDeps) {
  const body = areaEventHandler(deps);
  const handler = middy<unknown, AreaOutcome, Error, Context>(body);
  // The outcome names findings: it stays out of the trace (the logs and the table have it).
  if (deps.tracer) handler.use(captureLambdaHandler(deps.tracer, { captureResponse: false }));
  if (deps.metrics) handler.use(publishMetrics(deps.metrics));
  return handler.use(injectLambdaContext(deps.logger, { resetKeys: true })).use({
    onError: async (request) => {
      deps.logger.error('invocation failed: Lambda retries it, then dead-letters it', {
        eventId: idOf(request.event),
        error: request.error instanceof Error ? request.error.message : String(request.error),
      });
    },
  });
}
