import type { Control } from '../../model/control';
import { backupProtectionRemoved } from './backup-protection-removed';
import { encryptionAtRestDisabled } from './encryption-at-rest-disabled';
import { kmsKeyDisabledOrDeleted } from './kms-key-disabled-or-deleted';
import { resourcePolicyPublic } from './resource-policy-public';
import { s3BlockPublicAccessDisabled } from './s3-block-public-access-disabled';
import { s3BucketPublic } from './s3-bucket-public';
import { s3TlsNotEnforced } from './s3-tls-not-enforced';
import { secretInTaskDefinition } from './secret-in-task-definition';

/** The data area's controls. */
export const dataControls: Control[] = [
  s3BucketPublic,
  s3BlockPublicAccessDisabled,
  s3TlsNotEnforced,
  encryptionAtRestDisabled,
  kmsKeyDisabledOrDeleted,
  resourcePolicyPublic,
  backupProtectionRemoved,
  secretInTaskDefinition,
];
