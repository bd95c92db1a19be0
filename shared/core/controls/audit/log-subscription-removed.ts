import type { Control } from '../../model/control';
import { asString } from '../../kernel/values';
import { requestOf } from '../../kernel/records';
import { LOGS_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { logGroupArn } from './support';

/**
 * A CloudWatch Logs subscription filter deleted (DeleteSubscriptionFilter). Subscription filters are
 * how log groups stream to the central logging account, SIEM or detection pipeline (Kinesis, Firehose,
 * Lambda); deleting one stops the copy without touching the log group, so local retention checks
 * stay green. PutSubscriptionFilter with the same log group and filter name resolves it.
 */
export const logSubscriptionRemoved: Control = {
  id: 'audit.log-subscription-removed',
  area: 'audit',
  title: 'CloudWatch Logs subscription filter deleted',
  severity: 'MEDIUM',
  rationale:
    'Removing the subscription that forwards a log group to central logging blinds the SIEM and detections for that workload while the logs still appear to exist locally; it is a documented defense-evasion technique (impairing log forwarding).',
  runbook: [
    "Check whether the filter was replaced in the same change (a new PutSubscriptionFilter on the log group); otherwise ask the log group owner and review the actor's other recent calls.",
    'Console: CloudWatch → Log groups → <log group> → Subscription filters → Create (Kinesis, Firehose or Lambda subscription filter) with the central destination and the previous filter pattern.',
    'CLI: `aws logs put-subscription-filter --log-group-name <log-group> --filter-name <name> --filter-pattern "" --destination-arn <destination-arn> [--role-arn <role-arn>]`.',
    'Consider an account-level subscription filter policy (`aws logs put-account-policy --policy-type SUBSCRIPTION_FILTER_POLICY`) and deny logs:DeleteSubscriptionFilter with an SCP outside the logging pipeline role.',
  ],
  frameworks: [
    { framework: 'pci-dss-4.0', requirement: '10.7.2' },
    { framework: 'hipaa', requirement: '164.308(a)(1)(ii)(D)' },
    { framework: 'nist-800-53-r5', requirement: 'AU-6' },
    { framework: 'nist-800-53-r5', requirement: 'SI-4' },
  ],
  patterns: [apiCallPattern(LOGS_SOURCE, ['DeleteSubscriptionFilter'])],
  evaluate(event) {
    const request = requestOf(event);
    const logGroup = asString(request.logGroupName);
    const filter = asString(request.filterName);
    if (!logGroup || !filter) return [];
    return [
      {
        resourceId: logGroupArn(event, logGroup),
        resourceType: 'AWS::Logs::LogGroup',
        qualifier: filter,
        message: `Subscription filter ${filter} was deleted from log group ${logGroup}, which stops forwarding its events`,
        evidence: { logGroupName: logGroup, filterName: filter },
      },
    ];
  },
  resolution: {
    description: 'PutSubscriptionFilter with the same log group and filter name',
    patterns: [apiCallPattern(LOGS_SOURCE, ['PutSubscriptionFilter'])],
    resolve(event) {
      const request = requestOf(event);
      const logGroup = asString(request.logGroupName);
      const filter = asString(request.filterName);
      if (!logGroup || !filter) return [];
      const destination = asString(request.destinationArn);
      return [
        {
          resourceId: logGroupArn(event, logGroup),
          qualifier: filter,
          message: `Subscription filter ${filter} on log group ${logGroup} forwards again${destination ? ` to ${destination}` : ''}`,
        },
      ];
    },
  },
};
