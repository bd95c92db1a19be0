import type { Control } from '../../model/control';
import { asNumber, asString } from '../../kernel/values';
import { recordOf, requestOf } from '../../kernel/records';
import { LOGS_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { logGroupArn } from './support';

const RETENTION = 'retention';
const DELETED = 'deleted';

/**
 * CloudWatch Logs evidence cut short: PutRetentionPolicy below settings.minLogRetentionDays, or the
 * log group deleted (DeleteLogGroup). A later PutRetentionPolicy at or above the minimum, or
 * DeleteRetentionPolicy (never expire), resolves the retention finding; a deletion cannot be undone.
 */
export const logRetentionWeakened: Control = {
  id: 'audit.log-retention-weakened',
  area: 'audit',
  title: 'Log group retention shortened or log group deleted',
  severity: 'MEDIUM',
  rationale:
    "Investigations and audits need months of logs; a retention period below the organization's minimum, or a deleted log group, silently destroys the evidence that application, VPC flow and CloudTrail logs hold.",
  runbook: [
    'Check whether the log group holds audit evidence (CloudTrail, flow logs, container and function logs) and whether the change was approved.',
    'Retention: CloudWatch console → Log groups → <group> → Actions → Edit retention setting → at least the minimum (365 days by default) or Never expire; CLI `aws logs put-retention-policy --log-group-name <group> --retention-in-days 365`.',
    'Deleted: logs already expired or deleted cannot be recovered; recreate the group (`aws logs create-log-group --log-group-name <group>`) with retention set, and rely on copies (S3 exports, subscription destinations) for the lost period.',
    'Restrict logs:DeleteLogGroup and logs:PutRetentionPolicy on audit log groups to a break-glass role.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'CloudWatch.16' },
    { framework: 'pci-dss-4.0', requirement: '10.5.1' },
    { framework: 'nist-800-53-r5', requirement: 'AU-11' },
    { framework: 'nist-800-53-r5', requirement: 'SI-12' },
  ],
  patterns: [apiCallPattern(LOGS_SOURCE, ['PutRetentionPolicy', 'DeleteLogGroup'])],
  evaluate(event, { settings }) {
    const request = requestOf(event);
    const name = asString(request.logGroupName);
    if (!name) return [];
    const resourceId = logGroupArn(event, name);
    if (recordOf(event).eventName === 'DeleteLogGroup') {
      return [
        {
          resourceId,
          resourceType: 'AWS::Logs::LogGroup',
          qualifier: DELETED,
          message: `CloudWatch Logs log group ${name} was deleted with all its log events`,
          evidence: { logGroupName: name },
        },
      ];
    }
    const days = asNumber(request.retentionInDays);
    if (days === undefined || days >= settings.minLogRetentionDays) return [];
    return [
      {
        resourceId,
        resourceType: 'AWS::Logs::LogGroup',
        qualifier: RETENTION,
        message: `CloudWatch Logs log group ${name} now keeps events for ${days} days, below the required ${settings.minLogRetentionDays}`,
        evidence: { logGroupName: name, retentionInDays: request.retentionInDays, minLogRetentionDays: settings.minLogRetentionDays },
      },
    ];
  },
  resolution: {
    description: 'PutRetentionPolicy at or above the minimum, or DeleteRetentionPolicy (events never expire), on the same log group',
    patterns: [apiCallPattern(LOGS_SOURCE, ['PutRetentionPolicy', 'DeleteRetentionPolicy'])],
    resolve(event, { settings }) {
      const request = requestOf(event);
      const name = asString(request.logGroupName);
      if (!name) return [];
      if (recordOf(event).eventName === 'DeleteRetentionPolicy') {
        return [
          {
            resourceId: logGroupArn(event, name),
            qualifier: RETENTION,
            message: `CloudWatch Logs log group ${name} now keeps events forever`,
          },
        ];
      }
      const days = asNumber(request.retentionInDays);
      if (days === undefined || days < settings.minLogRetentionDays) return [];
      return [
        {
          resourceId: logGroupArn(event, name),
          qualifier: RETENTION,
          message: `CloudWatch Logs log group ${name} keeps events for ${days} days, meeting the ${settings.minLogRetentionDays}-day minimum`,
        },
      ];
    },
  },
};
