/**
 * Corpus rows of the audit area that are judged (their rule's concern has controls, intake reads them) and on
 * which trailwarden deliberately disagrees with the source's label, each with a one-line reason. The agreement
 * test fails on a disagreement missing here and on an entry here that no longer disagrees.
 */
export const disagreements: Record<string, string> = {
  'panther:AWS.CloudTrail.ShortLifecycle:0':
    'the source decides the bucket holds CloudTrail logs through a mocked lookup; the rule\'s Prefix "*" is literal in S3 and would not expire the trail\'s AWSLogs/ objects',
  'panther:AWS.CloudTrail.ShortLifecycle:1':
    'the source guesses the bucket holds CloudTrail logs from its name; the rule\'s Prefix "*" is literal in S3 and would not expire the trail\'s AWSLogs/ objects',
  'panther:AWS.ConfigService.Created:0':
    'informational source rule (Severity Info): configuring an AWS Config delivery channel adds recording (it resolves audit.config-recording-stopped); the identical record is labelled compliant as AWS.ConfigService.DisabledDeleted:0',
  'panther:AWS.ConfigService.DisabledDeleted:1':
    'malformed record: DeleteDeliveryChannel carrying configurationRecorderName instead of its required deliveryChannelName, so the channel cannot be named; the identical record is labelled compliant as AWS.ConfigService.Created:1',
  'panther:AWS.SecurityHub.Finding.Evasion:2':
    'the UpdateFindings record carries CreateInsight parameters (no RecordState ARCHIVED): nothing was archived; audit.security-hub-findings-suppressed reports real archiving',
};
