import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString } from '../../kernel/values';
import { requestOf, responseOf } from '../../kernel/records';
import { callerArnOf, callerEvidenceOf } from '../../kernel/principals';
import { RDS_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

/** The Aurora cluster or RDS instance (by ARN) a Start/StopActivityStream call names. */
function streamSubjectOf(event: EventBridgeEvent): { arn: string; resourceType: string; label: string } | undefined {
  const arn = asString(requestOf(event).resourceArn);
  if (!arn) return undefined;
  const cluster = /:cluster:/.test(arn);
  return {
    arn,
    resourceType: cluster ? 'AWS::RDS::DBCluster' : 'AWS::RDS::DBInstance',
    label: cluster ? 'Aurora DB cluster' : 'RDS DB instance',
  };
}

/**
 * Database Activity Streams stopped on an Aurora cluster or RDS instance (StopActivityStream): the
 * near-real-time record of every SQL statement, login and schema change that the database sends to
 * Kinesis for monitoring ends. Activity streams exist so that database administrators cannot hide
 * what they do; stopping one is the first move of someone who means to. StartActivityStream on the
 * same resource resolves it.
 */
export const databaseActivityStreamStopped: Control = {
  id: 'audit.database-activity-stream-stopped',
  area: 'audit',
  title: 'Database activity stream stopped',
  severity: 'HIGH',
  rationale:
    'A database activity stream is the tamper-resistant audit trail of what users and administrators do inside the database; with it stopped, queries against sensitive tables, privilege grants and data exports go unrecorded.',
  runbook: [
    'Confirm with the database owners whether the stream was stopped on purpose (a planned migration); otherwise review the caller’s other recent calls (userIdentity, sourceIPAddress) and the database’s native logs for the period.',
    'Restart the stream: RDS console → Databases → <cluster or instance> → Actions → Start database activity stream (choose the KMS key and asynchronous or synchronous mode); CLI `aws rds start-activity-stream --resource-arn <arn> --mode async --kms-key-id <key> --apply-immediately`.',
    'Deny rds:StopActivityStream outside a break-glass role with an SCP, so database administrators cannot switch their own auditing off.',
  ],
  frameworks: [
    { framework: 'pci-dss-4.0', requirement: '10.2.1' },
    { framework: 'hipaa', requirement: '164.312(b)' },
    { framework: 'nist-800-53-r5', requirement: 'AU-12' },
    { framework: 'nist-800-53-r5', requirement: 'AU-9' },
  ],
  patterns: [apiCallPattern(RDS_SOURCE, ['StopActivityStream'])],
  evaluate(event) {
    const subject = streamSubjectOf(event);
    if (!subject) return [];
    return [
      {
        resourceId: subject.arn,
        resourceType: subject.resourceType,
        message: `The database activity stream of ${subject.label} ${subject.arn} was stopped by ${callerArnOf(event) ?? 'an unknown caller'}`,
        evidence: {
          resourceArn: subject.arn,
          applyImmediately: requestOf(event).applyImmediately ?? null,
          kinesisStreamName: responseOf(event).kinesisStreamName ?? null,
          status: responseOf(event).status ?? null,
          userIdentity: callerEvidenceOf(event),
        },
      },
    ];
  },
  resolution: {
    description: 'StartActivityStream on the same cluster or instance',
    patterns: [apiCallPattern(RDS_SOURCE, ['StartActivityStream'])],
    resolve(event) {
      const subject = streamSubjectOf(event);
      return subject
        ? [{ resourceId: subject.arn, message: `The database activity stream of ${subject.label} ${subject.arn} was started again` }]
        : [];
    },
  },
};
