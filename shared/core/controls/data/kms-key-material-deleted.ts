import type { Control } from '../../model/control';
import { recordOf, requestOf } from '../../kernel/records';
import { callerEvidenceOf, principalOf } from '../../kernel/principals';
import { KMS_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { kmsKeyOfCall } from './support';

/**
 * The key material imported into a KMS key deleted (DeleteImportedKeyMaterial). The key turns
 * PendingImport at once, with no waiting period: nothing encrypted under it can be decrypted until
 * the same material is imported again, and if the only copy was outside AWS and is gone, the data
 * is lost. Deleting imported material is a ransomware technique that skips the seven-day window of
 * ScheduleKeyDeletion (data.kms-key-disabled-or-deleted). ImportKeyMaterial into the same key
 * resolves it.
 */
export const kmsKeyMaterialDeleted: Control = {
  id: 'data.kms-key-material-deleted',
  area: 'data',
  title: 'Imported KMS key material deleted',
  severity: 'HIGH',
  rationale:
    'A KMS key whose imported material is deleted stops working immediately and only the original material brings it back; whoever deleted it can hold the data encrypted under the key to ransom, without the waiting period a key deletion has.',
  runbook: [
    'Find what the key protects: KMS console → Customer managed keys → <key> → Aliases and key policy; CloudTrail Decrypt / GenerateDataKey calls naming the key show its users, who now fail.',
    'Re-import the same key material from the organization’s escrow (KMS console → <key> → Key material → Import key material; CLI `aws kms get-parameters-for-import --key-id <key-arn> …` then `aws kms import-key-material --key-id <key-arn> --encrypted-key-material fileb://material.bin --import-token fileb://token.bin --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE`).',
    'If the caller (userIdentity, sourceIPAddress) is not a key administrator acting on a change, treat it as an incident: revoke the caller’s credentials and review its other KMS calls.',
    'Restrict kms:DeleteImportedKeyMaterial in key policies to key administrators, and keep imported material in escrow outside the account.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'SC-12' },
    { framework: 'nist-800-53-r5', requirement: 'SC-12(2)' },
    { framework: 'nist-800-53-r5', requirement: 'CM-3' },
  ],
  attack: ['T1485', 'T1486'],
  patterns: [apiCallPattern(KMS_SOURCE, ['DeleteImportedKeyMaterial'])],
  evaluate(event) {
    const keyArn = kmsKeyOfCall(event);
    if (!keyArn) return [];
    const request = requestOf(event);
    return [
      {
        resourceId: keyArn,
        resourceType: 'AWS::KMS::Key',
        message: `The imported key material of KMS key ${keyArn} was deleted by ${principalOf(event)}; the key cannot decrypt until the same material is imported again`,
        evidence: {
          keyId: request.keyId ?? null,
          ...(request.keyMaterialId !== undefined ? { keyMaterialId: request.keyMaterialId } : {}),
          userIdentity: callerEvidenceOf(event),
          sourceIPAddress: recordOf(event).sourceIPAddress ?? null,
        },
      },
    ];
  },
  resolution: {
    description: 'ImportKeyMaterial into the same key',
    patterns: [apiCallPattern(KMS_SOURCE, ['ImportKeyMaterial'])],
    resolve(event) {
      const keyArn = kmsKeyOfCall(event);
      return keyArn ? [{ resourceId: keyArn, message: `Key material was imported into KMS key ${keyArn} again` }] : [];
    },
  },
};
