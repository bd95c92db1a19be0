import type { Control } from '../../model/control';
import { asNumber, asString } from '../../kernel/values';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { KMS_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { kmsKeyOfCall } from './support';

const DISABLED = 'disabled';
const PENDING_DELETION = 'pending deletion';
/** The shortest waiting period KMS allows; a key scheduled this close is one week from permanent loss. */
const SHORTEST_WINDOW_DAYS = 7;

/**
 * A customer managed KMS key disabled (DisableKey) or scheduled for deletion (ScheduleKeyDeletion):
 * everything encrypted under it becomes unreadable, for good once deletion completes.
 * AWS managed keys cannot be disabled or deleted, so every match is a customer managed key.
 */
export const kmsKeyDisabledOrDeleted: Control = {
  id: 'data.kms-key-disabled-or-deleted',
  area: 'data',
  title: 'KMS key disabled or scheduled for deletion',
  severity: 'HIGH',
  rationale:
    'Data encrypted under a KMS key cannot be decrypted while the key is disabled and is lost for good once the key is deleted; disabling or deleting keys is also a ransomware and sabotage technique.',
  runbook: [
    'Find what the key protects before anything else: KMS console → Customer managed keys → <key> → Key policy and aliases; CloudTrail Decrypt/GenerateDataKey calls naming the key show its users.',
    'If the deletion was not intended, cancel it within the waiting period: KMS console → <key> → Key actions → Cancel key deletion; CLI `aws kms cancel-key-deletion --key-id <key-arn>` — the key is then disabled, so also run `aws kms enable-key --key-id <key-arn>`.',
    'If disabling was not intended: `aws kms enable-key --key-id <key-arn>` (console: Key actions → Enable).',
    'Restrict kms:DisableKey and kms:ScheduleKeyDeletion in key policies to key administrators, and require MFA for them.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'KMS.3' },
    { framework: 'cis-aws', requirement: '4.7' },
    { framework: 'nist-800-53-r5', requirement: 'SC-12' },
    { framework: 'nist-800-53-r5', requirement: 'SC-12(2)' },
  ],
  attack: ['T1485'],
  patterns: [apiCallPattern(KMS_SOURCE, ['DisableKey', 'ScheduleKeyDeletion'])],
  evaluate(event) {
    const keyArn = kmsKeyOfCall(event);
    if (!keyArn) return [];
    if (recordOf(event).eventName === 'DisableKey') {
      return [
        {
          resourceId: keyArn,
          resourceType: 'AWS::KMS::Key',
          qualifier: DISABLED,
          message: `KMS key ${keyArn} was disabled; data encrypted under it cannot be decrypted`,
          evidence: { keyId: requestOf(event).keyId },
        },
      ];
    }
    const days = asNumber(requestOf(event).pendingWindowInDays);
    const deletionDate = asString(responseOf(event).deletionDate);
    return [
      {
        resourceId: keyArn,
        resourceType: 'AWS::KMS::Key',
        qualifier: PENDING_DELETION,
        severity: days !== undefined && days <= SHORTEST_WINDOW_DAYS ? 'CRITICAL' : 'HIGH',
        message: `KMS key ${keyArn} was scheduled for deletion${deletionDate ? ` on ${deletionDate}` : days !== undefined ? ` in ${days} days` : ''}`,
        evidence: {
          keyId: requestOf(event).keyId,
          pendingWindowInDays: requestOf(event).pendingWindowInDays ?? null,
          deletionDate: deletionDate ?? null,
        },
      },
    ];
  },
  resolution: {
    description: 'EnableKey (disabled) or CancelKeyDeletion (pending deletion) on the same key',
    patterns: [apiCallPattern(KMS_SOURCE, ['EnableKey', 'CancelKeyDeletion'])],
    resolve(event) {
      const keyArn = kmsKeyOfCall(event);
      if (!keyArn) return [];
      return recordOf(event).eventName === 'EnableKey'
        ? [{ resourceId: keyArn, qualifier: DISABLED, message: `KMS key ${keyArn} was enabled again` }]
        : [
            {
              resourceId: keyArn,
              qualifier: PENDING_DELETION,
              message: `Deletion of KMS key ${keyArn} was cancelled (the key stays disabled until enabled)`,
            },
          ];
    },
  },
};
