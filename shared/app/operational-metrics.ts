/**
 * The operational metrics port: what the application counts for the people who run it, by area.
 * The Lambda functions publish the counts as CloudWatch metrics (shared/adapters/observability);
 * shells that publish nothing (the CLI) count into NO_METRICS. Dimensions stay low-cardinality:
 * the area only (seven values), never an account, a resource or a control.
 */
import type { Area } from '../core/model/area';

/** Every metric the application counts; the stack's alarms and dashboard read them by these names. */
export const OPERATIONAL_METRICS = [
  /** Events an area function read and evaluated (whatever they matched). */
  'EventsEvaluated',
  /** Events refused as malformed (wrong shape, bad time, too deep): logged, never retried. */
  'MalformedEventsRejected',
  /** Findings an event opened or reopened. */
  'FindingsOpened',
  /** Findings an event resolved. */
  'FindingsResolved',
  /** Notifications (and roll-ups) the notifier accepted. */
  'NotificationsSent',
  /** Notifications (and roll-ups) the notifier refused: still owed, the retry or the sweep sends them. */
  'NotificationsFailed',
] as const;

export type OperationalMetric = (typeof OPERATIONAL_METRICS)[number];

export interface OperationalMetrics {
  /** Adds `value` (default 1) to `metric` for `area`. */
  count(metric: OperationalMetric, area: Area, value?: number): void;
}

/** Counts nothing: the shells that publish no metrics. */
export const NO_METRICS: OperationalMetrics = { count: () => undefined };
