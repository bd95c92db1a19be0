import type { Control } from '../../model/control';
import { isFalse, isTrue } from '../../kernel/values';
import { requestOf } from '../../kernel/records';
import { DYNAMODB_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { tableOf } from './support';

/**
 * UpdateTable with deletionProtectionEnabled false. An UpdateTable that does not name the flag
 * (capacity, indexes, streams) leaves it as it was and is not reported.
 */
export const dynamodbDeletionProtectionDisabled: Control = {
  id: 'data.dynamodb-deletion-protection-disabled',
  area: 'data',
  title: 'DynamoDB table deletion protection disabled',
  severity: 'MEDIUM',
  rationale:
    'Deletion protection is what stops one DeleteTable call, by mistake or by an attacker, from destroying a table and its data; turning it off is the step that precedes such a deletion.',
  runbook: [
    'Ask whoever made the call (userIdentity, sourceIPAddress) whether the table is being retired on purpose; if not, re-enable protection at once and review the caller’s other DynamoDB calls.',
    'Console: DynamoDB → Tables → <table> → Additional settings → Deletion protection → Turn on.',
    'CLI: `aws dynamodb update-table --table-name <table> --deletion-protection-enabled`.',
    'Make sure point-in-time recovery or AWS Backup covers the table, so that a deletion can be recovered from.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'DynamoDB.6' },
    { framework: 'nist-800-53-r5', requirement: 'CM-3' },
    { framework: 'nist-800-53-r5', requirement: 'SC-5(2)' },
  ],
  patterns: [apiCallPattern(DYNAMODB_SOURCE, ['UpdateTable'], { requestParameters: { deletionProtectionEnabled: [{ exists: true }] } })],
  evaluate(event) {
    const request = requestOf(event);
    if (!isFalse(request.deletionProtectionEnabled)) return [];
    const table = tableOf(event);
    if (!table) return [];
    return [
      {
        resourceId: table.arn,
        resourceType: 'AWS::DynamoDB::Table',
        message: `Deletion protection was disabled on DynamoDB table ${table.name}`,
        evidence: { tableName: request.tableName, deletionProtectionEnabled: request.deletionProtectionEnabled },
      },
    ];
  },
  resolution: {
    description: 'UpdateTable with deletionProtectionEnabled true on the same table',
    patterns: [apiCallPattern(DYNAMODB_SOURCE, ['UpdateTable'], { requestParameters: { deletionProtectionEnabled: [{ exists: true }] } })],
    resolve(event) {
      if (!isTrue(requestOf(event).deletionProtectionEnabled)) return [];
      const table = tableOf(event);
      if (!table) return [];
      return [{ resourceId: table.arn, message: `Deletion protection was re-enabled on DynamoDB table ${table.name}` }];
    },
  },
};
