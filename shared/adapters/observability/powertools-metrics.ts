/**
 * The operational metrics as CloudWatch metrics: Powertools Metrics writes them to stdout in the
 * Embedded Metric Format (EMF), which CloudWatch Logs turns into metrics of the namespace
 * `trailwarden` with the dimensions `service` and `area`. Counts are kept per invocation and
 * written by `publish()`, which the handler's middleware calls after every invocation, failed or not.
 *
 * One Powertools Metrics object per area: an EMF line carries one set of dimension values, and
 * the maintenance function counts notifications of several areas in one invocation. An area
 * that counted nothing writes nothing (no empty EMF line, no warning).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import type { OperationalMetric, OperationalMetrics } from '../../app/operational-metrics';
import type { Area } from '../../core/model/area';

/** The CloudWatch namespace of trailwarden's own metrics. */
export const METRICS_NAMESPACE = 'trailwarden';
/** The `service` dimension Powertools adds to every metric. */
export const METRICS_SERVICE = 'trailwarden';
/** The dimensions of every metric, as an alarm or a dashboard must name them all. */
export const metricDimensions = (area: Area) => ({ service: METRICS_SERVICE, area });

/** Operational metrics that a Lambda handler publishes once per invocation. */
export interface PublishedMetrics extends OperationalMetrics {
  /** Writes the counts of this invocation (one EMF line per area that counted) and starts again from zero. */
  publish(): void;
}

export class PowertoolsMetrics implements PublishedMetrics {
  private readonly byArea = new Map<Area, Metrics>();

  /** `logger`: where Powertools' own warnings go (the function's structured logger). */
  constructor(private readonly options: { logger?: Logger } = {}) {}

  count(metric: OperationalMetric, area: Area, value = 1): void {
    if (value <= 0) return;
    this.metricsOf(area).addMetric(metric, MetricUnit.Count, value);
  }

  publish(): void {
    for (const metrics of this.byArea.values()) if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  }

  private metricsOf(area: Area): Metrics {
    let metrics = this.byArea.get(area);
    if (!metrics) {
      metrics = new Metrics({
        namespace: METRICS_NAMESPACE,
        serviceName: METRICS_SERVICE,
        defaultDimensions: { area },
        ...(this.options.logger ? { logger: this.options.logger } : {}),
      });
      this.byArea.set(area, metrics);
    }
    return metrics;
  }
}

/** Middy middleware: publishes the invocation's metrics when it ends, successful or not (as Powertools' `logMetrics` does). */
export function publishMetrics(metrics: PublishedMetrics): MiddlewareObj {
  const publishMetricsAfterInvocation = async () => metrics.publish();
  return { after: publishMetricsAfterInvocation, onError: publishMetricsAfterInvocation };
}
