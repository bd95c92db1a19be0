import type { Control } from '../../model/control';
import { backupProtectionRemoved } from './backup-protection-removed';
import { dynamodbDeletionProtectionDisabled } from './dynamodb-deletion-protection-disabled';
import { encryptionAtRestDisabled } from './encryption-at-rest-disabled';
import { kmsKeyDisabledOrDeleted } from './kms-key-disabled-or-deleted';
import { rdsDeletionProtectionDisabled } from './rds-deletion-protection-disabled';
import { rdsMasterPasswordReset } from './rds-master-password-reset';
import { rdsSnapshotExported } from './rds-snapshot-exported';
import { rdsSnapshotUnencrypted } from './rds-snapshot-unencrypted';
import { resourcePolicyPublic } from './resource-policy-public';
import { s3BlockPublicAccessDisabled } from './s3-block-public-access-disabled';
import { s3BucketPublic } from './s3-bucket-public';
import { s3EncryptedWithForeignKey } from './s3-encrypted-with-foreign-key';
import { s3MfaDeleteDisabled } from './s3-mfa-delete-disabled';
import { s3ObjectPublic } from './s3-object-public';
import { s3TlsNotEnforced } from './s3-tls-not-enforced';
import { secretInTaskDefinition } from './secret-in-task-definition';
import { secretReadByIamUser } from './secret-read-by-iam-user';
import { secretRotationDisabled } from './secret-rotation-disabled';
import { databaseDeleted } from './database-deleted';
import { rdsIamRoleAssociated } from './rds-iam-role-associated';
import { rdsLogFileDownloaded } from './rds-log-file-downloaded';
import { rdsSnapshotCopiedCrossRegion } from './rds-snapshot-copied-cross-region';
import { rdsSnapshotDeleted } from './rds-snapshot-deleted';
import { s3BucketDeleted } from './s3-bucket-deleted';
import { s3ObjectCopiedAcrossAccounts } from './s3-object-copied-across-accounts';
import { s3RansomNoteUploaded } from './s3-ransom-note-uploaded';
import { kmsKeyMaterialDeleted } from './kms-key-material-deleted';
import { efsFileSystemDeleted } from './efs-file-system-deleted';
import { s3BucketSharedOutside } from './s3-bucket-shared-outside';
import { secretsReadInBulk } from './secrets-read-in-bulk';

/** The data area's controls. */
export const dataControls: Control[] = [
  s3BucketPublic,
  s3ObjectPublic,
  s3BlockPublicAccessDisabled,
  s3TlsNotEnforced,
  encryptionAtRestDisabled,
  rdsSnapshotUnencrypted,
  kmsKeyDisabledOrDeleted,
  resourcePolicyPublic,
  backupProtectionRemoved,
  rdsDeletionProtectionDisabled,
  dynamodbDeletionProtectionDisabled,
  secretInTaskDefinition,
  secretRotationDisabled,
  s3MfaDeleteDisabled,
  s3EncryptedWithForeignKey,
  rdsSnapshotExported,
  rdsMasterPasswordReset,
  secretReadByIamUser,
  s3RansomNoteUploaded,
  s3ObjectCopiedAcrossAccounts,
  kmsKeyMaterialDeleted,
  s3BucketSharedOutside,
  // Activity records (INFORMATIONAL): recorded for auditors, not notified by default.
  s3BucketDeleted,
  databaseDeleted,
  rdsSnapshotDeleted,
  rdsSnapshotCopiedCrossRegion,
  rdsLogFileDownloaded,
  rdsIamRoleAssociated,
  efsFileSystemDeleted,
  secretsReadInBulk,
];
