import type { Control } from '../../model/control';
import { recordOf, requestOf } from '../../kernel/records';
import { CLOUDTRAIL_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { trailArnOf, trailNameOf } from './support';

/**
 * A CloudTrail trail stopped (StopLogging) or deleted (DeleteTrail). Either ends the recording of
 * API activity that every other control depends on. StartLogging on the same trail resolves it
 * (for a deleted trail, once it has been recreated under the same name and started).
 */
export const cloudtrailLoggingStopped: Control = {
  id: 'audit.cloudtrail-logging-stopped',
  area: 'audit',
  title: 'CloudTrail trail stopped or deleted',
  severity: 'HIGH',
  rationale:
    "CloudTrail is the account's record of who did what; stopping or deleting a trail is the classic first move of an intruder covering their tracks, and every detection that reads the trail goes blind with it.",
  runbook: [
    "Find who stopped or deleted the trail (userIdentity, sourceIPAddress) and whether a change ticket covers it; if not, treat the actor's credentials as compromised.",
    'Stopped: CloudTrail console → Trails → <trail> → Start logging; CLI `aws cloudtrail start-logging --name <trail-arn>`.',
    'Deleted: recreate it (console → Trails → Create trail, multi-Region, log file validation on, SSE-KMS) or `aws cloudtrail create-trail --name <trail> --s3-bucket-name <bucket> --is-multi-region-trail --enable-log-file-validation --kms-key-id <key>` followed by `aws cloudtrail start-logging --name <trail>`.',
    'Prevent recurrence with an SCP denying cloudtrail:StopLogging and cloudtrail:DeleteTrail outside a break-glass role, or use an organization trail that member accounts cannot change.',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '3.1' },
    { framework: 'cis-aws', requirement: '4.5' },
    { framework: 'fsbp', requirement: 'CloudTrail.1' },
    { framework: 'pci-dss-4.0', requirement: '10.2.1' },
    { framework: 'hipaa', requirement: '164.312(b)' },
    { framework: 'nist-800-53-r5', requirement: 'AU-2' },
    { framework: 'nist-800-53-r5', requirement: 'AU-12' },
  ],
  patterns: [apiCallPattern(CLOUDTRAIL_SOURCE, ['StopLogging', 'DeleteTrail'])],
  evaluate(event) {
    const trail = trailArnOf(event);
    if (!trail) return [];
    const stopped = recordOf(event).eventName === 'StopLogging';
    return [
      {
        resourceId: trail,
        resourceType: 'AWS::CloudTrail::Trail',
        message: `CloudTrail trail ${trailNameOf(trail)} was ${stopped ? 'stopped (StopLogging)' : 'deleted'}`,
        evidence: { eventName: recordOf(event).eventName, name: requestOf(event).name ?? null },
      },
    ];
  },
  resolution: {
    description: 'StartLogging on the same trail',
    patterns: [apiCallPattern(CLOUDTRAIL_SOURCE, ['StartLogging'])],
    resolve(event) {
      const trail = trailArnOf(event);
      return trail ? [{ resourceId: trail, message: `CloudTrail trail ${trailNameOf(trail)} is logging again` }] : [];
    },
  },
};
