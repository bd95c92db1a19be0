/**
 * The maintenance sweep's schedules: EventBridge rules on the default bus that invoke the
 * maintenance function with the jobs to run, with the rules' retry policy and dead-letter queue.
 */
import { arnOf, functionLogicalId, type Resource } from './cloudformation';
import { RULE_RETRY_POLICY } from './event-rules';

/**
 * The maintenance function's schedules and the jobs each runs (the job names are those of
 * shared/app/jobs/maintenance.ts, kept here as data so the stack does not bundle the jobs).
 */
export const MAINTENANCE_SCHEDULES = [
  { id: 'MaintenanceSchedule', expression: 'rate(1 minute)', jobs: ['exemptions', 'snoozes', 'rollups'] },
  { id: 'DeadlineSchedule', expression: 'rate(1 hour)', jobs: ['deadlines'] },
  { id: 'DigestSchedule', expression: 'cron(0 7 * * ? *)', jobs: ['digest'] },
] as const;

/** The schedule rules, each with the permission to invoke the maintenance function; `ruleIds` in template order. */
export function scheduleResources(): { resources: Record<string, Resource>; ruleIds: string[] } {
  const fn = functionLogicalId('maintenance');
  const resources: Record<string, Resource> = {};
  const ruleIds: string[] = [];
  for (const schedule of MAINTENANCE_SCHEDULES) {
    resources[schedule.id] = {
      Type: 'AWS::Events::Rule',
      Properties: {
        Description: `trailwarden maintenance: ${schedule.jobs.join(', ')}, ${schedule.expression}`,
        ScheduleExpression: schedule.expression,
        State: 'ENABLED',
        Targets: [
          {
            Id: 'trailwarden-maintenance',
            Arn: arnOf(fn),
            Input: JSON.stringify({ jobs: schedule.jobs }),
            RetryPolicy: { ...RULE_RETRY_POLICY },
            DeadLetterConfig: { Arn: arnOf('RuleDeadLetterQueue') },
          },
        ],
      },
    };
    ruleIds.push(schedule.id);
    resources[`${schedule.id}Permission`] = {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        Action: 'lambda:InvokeFunction',
        FunctionName: arnOf(fn),
        Principal: 'events.amazonaws.com',
        SourceArn: arnOf(schedule.id),
      },
    };
  }
  return { resources, ruleIds };
}
