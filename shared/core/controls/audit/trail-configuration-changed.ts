import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString } from '../../kernel/values';
import { accountOf, recordOf, requestOf, responseOf } from '../../kernel/records';
import { callerEvidenceOf, principalOf } from '../../kernel/principals';
import { CLOUDTRAIL_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { trailArnOf, trailNameOf } from './support';

/** Where a trail delivers, as the request sets it (falling back to the trail the response returns). */
const DELIVERY_FIELDS = [
  's3BucketName',
  's3KeyPrefix',
  'snsTopicName',
  'cloudWatchLogsLogGroupArn',
  'cloudWatchLogsRoleArn',
  'kmsKeyId',
] as const;
/** What a trail records, as the request sets it. */
const SCOPE_FIELDS = ['isMultiRegionTrail', 'isOrganizationTrail', 'includeGlobalServiceEvents', 'enableLogFileValidation'] as const;

function settingsOf(event: EventBridgeEvent): Record<string, unknown> {
  const request = requestOf(event);
  const response = responseOf(event);
  const settings: Record<string, unknown> = {};
  for (const field of [...DELIVERY_FIELDS, ...SCOPE_FIELDS]) {
    if (request[field] !== undefined) settings[field] = request[field];
    else if (recordOf(event).eventName === 'CreateTrail' && response[field] !== undefined) settings[field] = response[field];
  }
  return settings;
}

/**
 * Activity record: a CloudTrail trail created (CreateTrail) or its settings changed (UpdateTrail),
 * two of the CloudTrail configuration changes CIS 4.5 asks to monitor. The others have their own
 * controls: StopLogging and DeleteTrail (audit.cloudtrail-logging-stopped), and settings turned off
 * or event selectors that stop recording (audit.cloudtrail-weakened, which also reports the
 * weakening UpdateTrail calls recorded here); StartLogging resolves the stopped finding. A new trail
 * or an update can send a copy of the account's activity to a bucket, topic or log group elsewhere,
 * or change the key that protects it, so each is recorded with the destination it sets. Failed calls
 * are not recorded. INFORMATIONAL: recorded for auditors, not notified by default.
 */
export const trailConfigurationChanged: Control = {
  id: 'audit.trail-configuration-changed',
  area: 'audit',
  title: 'CloudTrail trail created or its settings changed (activity record)',
  severity: 'INFORMATIONAL',
  rationale:
    "Trails decide which activity is recorded and where the record goes; a trail created or redirected outside the reviewed process can hand a copy of every API call to a bucket or log group someone else controls, or move the evidence out of the security team's reach, so auditors need each change and its author.",
  runbook: [
    "Confirm the change with its owner (the caller is in userIdentity) or an approved change; organization and security-account trails should only change through the security team's pipeline.",
    "Check the destination in the evidence: the S3 bucket, SNS topic and CloudWatch Logs group should belong to the organization's log archive or security account, and kmsKeyId to a key the security team controls (`aws cloudtrail get-trail --name <trail>`, `aws s3api get-bucket-policy --bucket <bucket>`).",
    "Not approved: restore the settings (`aws cloudtrail update-trail --name <trail> --s3-bucket-name <log-archive-bucket> --kms-key-id <key-arn>`) or delete an unexpected trail (`aws cloudtrail delete-trail --name <trail>`), and review the caller's other recent calls.",
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '4.5' },
    { framework: 'pci-dss-4.0', requirement: '10.2.1.6' },
    { framework: 'nist-800-53-r5', requirement: 'AU-12' },
    { framework: 'nist-800-53-r5', requirement: 'CM-3' },
  ],
  patterns: [apiCallPattern(CLOUDTRAIL_SOURCE, ['CreateTrail', 'UpdateTrail'])],
  evaluate(event) {
    const trail = trailArnOf(event);
    if (!trail) return [];
    const created = recordOf(event).eventName === 'CreateTrail';
    const settings = settingsOf(event);
    const bucket = asString(settings.s3BucketName);
    const changed = Object.keys(settings);
    return [
      {
        resourceId: trail,
        resourceType: 'AWS::CloudTrail::Trail',
        qualifier: created ? 'created' : 'updated',
        message: created
          ? `CloudTrail trail ${trailNameOf(trail)} was created in account ${accountOf(event)}${bucket ? `, delivering to S3 bucket ${bucket}` : ''}, by ${principalOf(event)}`
          : `CloudTrail trail ${trailNameOf(trail)} settings were changed${changed.length > 0 ? ` (${changed.join(', ')})` : ''} by ${principalOf(event)}`,
        evidence: {
          eventName: recordOf(event).eventName,
          name: requestOf(event).name ?? null,
          ...settings,
          userIdentity: callerEvidenceOf(event),
        },
      },
    ];
  },
};
