/**
 * The stack's alarms on itself: a function's invocations failing or throttled, and messages waiting
 * in a dead-letter queue. Each alarms (and clears) to the operations topic.
 */
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
