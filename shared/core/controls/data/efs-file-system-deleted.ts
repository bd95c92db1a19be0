import type { Control } from '../../model/control';
import { asString } from '../../kernel/values';
import { recordOf, requestOf } from '../../kernel/records';
import { arnIn } from '../../kernel/arn';
import { callerEvidenceOf, principalOf } from '../../kernel/principals';
import { EFS_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { madeByAwsService } from './support';

/**
 * Activity record: DeleteFileSystem succeeded. EFS deletes a file system only once its mount
 * targets are gone, and takes every file with it; there is no final backup and no waiting period,
 * so what remains is whatever AWS Backup or replication copied before. Like the other deletions of
 * data stores (data.s3-bucket-deleted, data.database-deleted) it is INFORMATIONAL: recorded for
 * auditors, not notified by default; an unexpected one is the trace of a destructive attacker.
 */
export const efsFileSystemDeleted: Control = {
  id: 'data.efs-file-system-deleted',
  area: 'data',
  title: 'EFS file system deleted (activity record)',
  severity: 'INFORMATIONAL',
  rationale:
    'Deleting an EFS file system destroys every file in it at once, without a final snapshot; auditors need the record of who removed which shared volume, and an unplanned deletion is how an attacker destroys the data container tasks and hosts share.',
  runbook: [
    'Confirm with the caller (userIdentity, userAgent) that the file system was retired on purpose, e.g. a CloudFormation stack deletion or a change ticket.',
    'Unexpected: restore it from AWS Backup (AWS Backup console → Protected resources → <file system> → Restore) or from an EFS replica (`aws efs describe-replication-configurations`), and look for the DeleteMountTarget calls by the same principal just before.',
    'Restrict elasticfilesystem:DeleteFileSystem to deployment roles, and protect file systems with an AWS Backup plan whose vault has a lock.',
  ],
  frameworks: [
    { framework: 'pci-dss-4.0', requirement: '10.2.1.7' },
    { framework: 'nist-800-53-r5', requirement: 'CM-3' },
    { framework: 'nist-800-53-r5', requirement: 'CP-9' },
  ],
  attack: ['T1485'],
  patterns: [apiCallPattern(EFS_SOURCE, ['DeleteFileSystem'])],
  evaluate(event) {
    if (madeByAwsService(event)) return [];
    const fileSystemId = asString(requestOf(event).fileSystemId);
    if (!fileSystemId) return [];
    const arn = fileSystemId.startsWith('arn:') ? fileSystemId : arnIn(event, 'elasticfilesystem', `file-system/${fileSystemId}`);
    return [
      {
        resourceId: arn,
        resourceType: 'AWS::EFS::FileSystem',
        message: `EFS file system ${fileSystemId} was deleted by ${principalOf(event)}`,
        evidence: {
          fileSystemId,
          userIdentity: callerEvidenceOf(event),
          sourceIPAddress: recordOf(event).sourceIPAddress ?? null,
          userAgent: recordOf(event).userAgent ?? null,
        },
      },
    ];
  },
};
