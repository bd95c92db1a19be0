/**
 * The stack's alarms on itself: a function's invocations failing or throttled, messages waiting
 * in a dead-letter queue, the findings table or one of its indexes throttled, the findings topic
 * failing to deliver, and an area's notifications failing to publish. Each alarms (and clears) to
 * the operations topic.
 */
import { metricDimensions, METRICS_NAMESPACE } from '../adapters/observability/powertools-metrics';
import type { Area } from '../core/model/area';
import { capitalized, functionLogicalId, getAtt, type Json, type Resource, ref } from './cloudformation';

/** A CloudWatch alarm that fires when the metric reaches 1 in a five-minute period. */
function alarm(
  description: string,
  namespace: string,
  metric: string,
  dimensions: Array<{ Name: string; Value: Json }>,
  statistic = 'Sum',
): Resource {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmDescription: description,
      Namespace: namespace,
      MetricName: metric,
      Dimensions: dimensions,
      Statistic: statistic,
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [ref('OperationsTopic')],
      OKActions: [ref('OperationsTopic')],
    },
  };
}

/** The alarms on a function: invocations that failed, and invocations throttled. */
export function functionAlarms(name: string): Record<string, Resource> {
  const fn = functionLogicalId(name);
  return {
    [`${capitalized(name)}ErrorsAlarm`]: alarm(`trailwarden ${name}: invocations failed`, 'AWS/Lambda', 'Errors', [
      { Name: 'FunctionName', Value: ref(fn) },
    ]),
    [`${capitalized(name)}ThrottlesAlarm`]: alarm(`trailwarden ${name}: invocations throttled`, 'AWS/Lambda', 'Throttles', [
      { Name: 'FunctionName', Value: ref(fn) },
    ]),
  };
}

/** The alarms on the dead-letter queues: any message waiting in one (replay them once the cause is fixed). */
export function queueDepthAlarms(queues: readonly string[]): Record<string, Resource> {
  return Object.fromEntries(
    queues.map((queue) => [
      `${queue}DepthAlarm`,
      alarm(
        `trailwarden: messages waiting in ${queue} (replay them once the cause is fixed)`,
        'AWS/SQS',
        'ApproximateNumberOfMessagesVisible',
        [{ Name: 'QueueName', Value: getAtt(queue, 'QueueName') }],
        'Maximum',
      ),
    ]),
  );
}

/**
 * DynamoDB's throttling metrics: ReadThrottleEvents and WriteThrottleEvents count the throttled
 * reads and writes of the table (dimension TableName: the table only, not its indexes) or of one
 * global secondary index (TableName and GlobalSecondaryIndexName). An on-demand table throttles
 * too (account table-level quotas, a hot partition).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TroubleshootingThrottling-cloudwatch.html
 */
export const DYNAMODB_THROTTLE_METRICS = ['ReadThrottleEvents', 'WriteThrottleEvents'] as const;

/** A logical id fragment from an index name (letters and digits only): `by-area_status` → `ByAreaStatus`. */
const logicalIdOf = (name: string) =>
  name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map(capitalized)
    .join('');

/**
 * Throttled reads and writes on the table and on each of its global secondary indexes, whatever
 * `indexNames` the table definition has now (they are read from it when the stack is built).
 */
export function tableThrottleAlarms(table: string, indexNames: readonly string[]): Record<string, Resource> {
  const alarms: Record<string, Resource> = {};
  for (const metric of DYNAMODB_THROTTLE_METRICS) {
    const kind = metric === 'ReadThrottleEvents' ? 'Read' : 'Write';
    alarms[`${table}${kind}ThrottleAlarm`] = alarm(`trailwarden: ${kind.toLowerCase()}s of ${table} throttled`, 'AWS/DynamoDB', metric, [
      { Name: 'TableName', Value: ref(table) },
    ]);
    for (const index of indexNames) {
      alarms[`${table}${logicalIdOf(index)}Index${kind}ThrottleAlarm`] = alarm(
        `trailwarden: ${kind.toLowerCase()}s of ${table} index ${index} throttled`,
        'AWS/DynamoDB',
        metric,
        [
          { Name: 'TableName', Value: ref(table) },
          { Name: 'GlobalSecondaryIndexName', Value: index },
        ],
      );
    }
  }
  return alarms;
}

/**
 * Messages the findings topic could not deliver to a subscriber: NumberOfNotificationsFailed, by
 * TopicName (https://docs.aws.amazon.com/sns/latest/dg/sns-monitoring-using-cloudwatch.html;
 * the topic's name is its `Fn::GetAtt TopicName`).
 */
export function topicDeliveryAlarms(topic: string): Record<string, Resource> {
  return {
    [`${topic}DeliveryFailedAlarm`]: alarm(
      `trailwarden: ${topic} failed to deliver notifications to a subscriber`,
      'AWS/SNS',
      'NumberOfNotificationsFailed',
      [{ Name: 'TopicName', Value: getAtt(topic, 'TopicName') }],
    ),
  };
}

/**
 * Notifications of an area's findings the notifier refused (trailwarden's own NotificationsFailed
 * metric, published by the area function and the maintenance sweep): they stay owed and are retried,
 * but on-call is not hearing about them meanwhile.
 */
export function notificationFailureAlarms(areas: readonly Area[]): Record<string, Resource> {
  return Object.fromEntries(
    areas.map((area) => [
      `${capitalized(area)}NotificationsFailedAlarm`,
      alarm(
        `trailwarden ${area}: notifications could not be published (still owed; retried)`,
        METRICS_NAMESPACE,
        'NotificationsFailed',
        Object.entries(metricDimensions(area)).map(([Name, Value]) => ({ Name, Value })),
      ),
    ]),
  );
}
