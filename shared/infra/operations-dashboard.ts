/**
 * The stack's CloudWatch dashboard: what the areas did (events evaluated, malformed events, findings
 * opened and resolved, notifications sent and failed), how the functions ran (errors, throttles,
 * duration, concurrency), the findings table (consumed capacity, throttles on it and each index),
 * the findings topic and the dead-letter queues.
 *
 * The body is a JSON string (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html):
 * `widgets`, each with `type`, `x`, `y`, `width`, `height` (a 24-column grid) and `properties`; a
 * metric widget's `metrics` lists `[Namespace, MetricName, DimensionName, DimensionValue, ..., {options}]`.
 * The names CloudFormation gives (functions, table, queues, topic) and the Region are filled in by
 * `Fn::Sub`, whose `${…}` the body holds nowhere else.
 *
 * AWS metrics and their dimensions: Lambda (Errors, Throttles, Duration, ConcurrentExecutions by
 * FunctionName; https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html), DynamoDB
 * (ConsumedRead/WriteCapacityUnits, Read/WriteThrottleEvents by TableName and GlobalSecondaryIndexName;
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html), SNS
 * (NumberOfMessagesPublished, NumberOfNotificationsFailed by TopicName), SQS
 * (ApproximateNumberOfMessagesVisible by QueueName).
 */
import { metricDimensions, METRICS_NAMESPACE } from '../adapters/observability/powertools-metrics';
import { OPERATIONAL_METRICS, type OperationalMetric } from '../app/operational-metrics';
import type { Area } from '../core/model/area';
import { DYNAMODB_THROTTLE_METRICS } from './alarms';
import { functionLogicalId, type Resource, sub } from './cloudformation';

/** What the dashboard shows: the areas, every function, the table and its indexes, the topic, the queues. */
export interface DashboardInput {
  areas: readonly Area[];
  /** Every function of the stack (areas, api, maintenance). */
  functionNames: readonly string[];
  /** The table's logical id, and the names of its global secondary indexes. */
  table: { logicalId: string; indexNames: readonly string[] };
  topic: string;
  queues: readonly string[];
}

type MetricLine = Array<string | Record<string, string>>;

interface Widget {
  type: 'metric' | 'text';
  x: number;
  y: number;
  width: number;
  height: number;
  properties: Record<string, unknown>;
}

/** `${LogicalId}` or `${LogicalId.Attribute}`: a name CloudFormation fills in. */
const placeholder = (reference: string) => `\${${reference}}`;

const WIDTH = 8;
const HEIGHT = 6;

/** Metric widgets laid out three to a row from row `y`; returns them and the next free row. */
function rows(y: number, graphs: Array<{ title: string; stat: string; metrics: MetricLine[] }>): { widgets: Widget[]; next: number } {
  const widgets = graphs.map(
    (graph, i): Widget => ({
      type: 'metric',
      x: (i % 3) * WIDTH,
      y: y + Math.floor(i / 3) * HEIGHT,
      width: WIDTH,
      height: HEIGHT,
      properties: {
        title: graph.title,
        view: 'timeSeries',
        stacked: false,
        region: placeholder('AWS::Region'),
        stat: graph.stat,
        period: 300,
        metrics: graph.metrics,
      },
    }),
  );
  return { widgets, next: y + Math.ceil(graphs.length / 3) * HEIGHT };
}

function heading(y: number, markdown: string): Widget {
  return { type: 'text', x: 0, y, width: 24, height: 1, properties: { markdown } };
}

/** What each area counted, one line per area. */
function areaLines(areas: readonly Area[], metric: OperationalMetric): MetricLine[] {
  return areas.map((area) => [METRICS_NAMESPACE, metric, ...Object.entries(metricDimensions(area)).flat(), { label: area }]);
}

/** The dashboard body, with `${…}` placeholders for `Fn::Sub`. */
export function dashboardBody(input: DashboardInput): string {
  const widgets: Widget[] = [];
  let y = 0;
  const section = (title: string, graphs: Parameters<typeof rows>[1]) => {
    widgets.push(heading(y, `## ${title}`));
    const laid = rows(y + 1, graphs);
    widgets.push(...laid.widgets);
    y = laid.next;
  };

  section(
    'Areas',
    OPERATIONAL_METRICS.map((metric) => ({ title: metric, stat: 'Sum', metrics: areaLines(input.areas, metric) })),
  );

  const functionLines = (metric: string, stat?: string): MetricLine[] =>
    input.functionNames.map((name) => [
      'AWS/Lambda',
      metric,
      'FunctionName',
      placeholder(functionLogicalId(name)),
      { label: name, ...(stat ? { stat } : {}) },
    ]);
  section('Functions', [
    { title: 'Errors', stat: 'Sum', metrics: functionLines('Errors') },
    { title: 'Throttles', stat: 'Sum', metrics: functionLines('Throttles') },
    { title: 'Duration (p99, ms)', stat: 'p99', metrics: functionLines('Duration') },
    { title: 'Concurrent executions (maximum)', stat: 'Maximum', metrics: functionLines('ConcurrentExecutions') },
  ]);

  const table = placeholder(input.table.logicalId);
  const throttleLines: MetricLine[] = DYNAMODB_THROTTLE_METRICS.flatMap((metric) => [
    ['AWS/DynamoDB', metric, 'TableName', table, { label: `${metric} (table)` }],
    ...input.table.indexNames.map(
      (index): MetricLine => [
        'AWS/DynamoDB',
        metric,
        'TableName',
        table,
        'GlobalSecondaryIndexName',
        index,
        { label: `${metric} (${index})` },
      ],
    ),
  ]);
  section('Findings table, topic and dead letters', [
    {
      title: 'Consumed capacity units',
      stat: 'Sum',
      metrics: [
        ['AWS/DynamoDB', 'ConsumedReadCapacityUnits', 'TableName', table, { label: 'read' }],
        ['AWS/DynamoDB', 'ConsumedWriteCapacityUnits', 'TableName', table, { label: 'write' }],
      ],
    },
    { title: 'Throttle events', stat: 'Sum', metrics: throttleLines },
    {
      title: 'Findings topic',
      stat: 'Sum',
      metrics: ['NumberOfMessagesPublished', 'NumberOfNotificationsFailed'].map((metric) => [
        'AWS/SNS',
        metric,
        'TopicName',
        placeholder(`${input.topic}.TopicName`),
        { label: metric },
      ]),
    },
    {
      title: 'Dead-letter queue depth',
      stat: 'Maximum',
      metrics: input.queues.map((queue) => [
        'AWS/SQS',
        'ApproximateNumberOfMessagesVisible',
        'QueueName',
        placeholder(`${queue}.QueueName`),
        { label: queue },
      ]),
    },
  ]);

  return JSON.stringify({ start: '-PT24H', periodOverride: 'auto', widgets });
}

/** The dashboard resource, named after the stack. */
export function operationsDashboardResources(input: DashboardInput): Record<string, Resource> {
  return {
    OperationsDashboard: {
      Type: 'AWS::CloudWatch::Dashboard',
      Properties: {
        DashboardName: sub('${AWS::StackName}-operations'),
        DashboardBody: sub(dashboardBody(input)),
      },
    },
  };
}
