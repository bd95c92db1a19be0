import type { Control } from '../../model/control';
import { asString } from '../../kernel/values';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { arnIn } from '../../kernel/arn';
import { callerEvidenceOf, principalOf } from '../../kernel/principals';
import { BACKUP_SOURCE, RDS_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { madeByAwsService } from './support';

/**
 * Activity record: a manual RDS DB snapshot or DB cluster snapshot deleted by a principal
 * (DeleteDBSnapshot, DeleteDBClusterSnapshot). Automated snapshots expire without an API call,
 * and AWS Backup deleting the snapshots it made (invokedBy backup.amazonaws.com) is its retention
 * at work, so neither is recorded. INFORMATIONAL: recorded for auditors, not notified by default;
 * the deletion of backups wholesale (vaults, plans, retained automated backups) is
 * data.backup-protection-removed's.
 */
export const rdsSnapshotDeleted: Control = {
  id: 'data.rds-snapshot-deleted',
  area: 'data',
  title: 'RDS snapshot deleted (activity record)',
  severity: 'INFORMATIONAL',
  rationale:
    'A manual snapshot is a backup that outlives its database and its automated backups; deleting one is often cleanup, but it is also how an attacker or a mistake removes the last restorable copy, so auditors need each deletion, with who made it, in the record.',
  runbook: [
    'Confirm with the caller (userIdentity) that the snapshot was due for deletion under the data’s retention rules (a cleanup job, an expired release snapshot).',
    'Check that another copy remains where one is required: `aws rds describe-db-snapshots --db-instance-identifier <db> --snapshot-type manual` (clusters: `aws rds describe-db-cluster-snapshots --db-cluster-identifier <cluster>`), or AWS Backup recovery points.',
    'Unexpected: review the principal’s other RDS and AWS Backup calls, and protect remaining snapshots by copying them to an AWS Backup vault with Vault Lock (`aws backup start-copy-job …`) and denying rds:DeleteDBSnapshot / rds:DeleteDBClusterSnapshot by SCP to all but the retention job.',
  ],
  frameworks: [
    { framework: 'pci-dss-4.0', requirement: '10.2.1.7' },
    { framework: 'nist-800-53-r5', requirement: 'CP-9' },
  ],
  patterns: [apiCallPattern(RDS_SOURCE, ['DeleteDBSnapshot', 'DeleteDBClusterSnapshot'])],
  evaluate(event) {
    if (madeByAwsService(event, BACKUP_SOURCE)) return [];
    const cluster = recordOf(event).eventName === 'DeleteDBClusterSnapshot';
    const request = requestOf(event);
    const response = responseOf(event);
    const id = asString(cluster ? request.dBClusterSnapshotIdentifier : request.dBSnapshotIdentifier);
    if (!id) return [];
    const arn =
      asString(cluster ? response.dBClusterSnapshotArn : response.dBSnapshotArn) ??
      (id.startsWith('arn:') ? id : arnIn(event, 'rds', `${cluster ? 'cluster-snapshot' : 'snapshot'}:${id}`));
    const label = cluster ? 'RDS cluster snapshot' : 'RDS snapshot';
    return [
      {
        resourceId: arn,
        resourceType: cluster ? 'AWS::RDS::DBClusterSnapshot' : 'AWS::RDS::DBSnapshot',
        message: `${label} ${id} was deleted by ${principalOf(event)}`,
        evidence: {
          [cluster ? 'dBClusterSnapshotIdentifier' : 'dBSnapshotIdentifier']: id,
          snapshotType: response.snapshotType ?? null,
          sourceDatabase: (cluster ? response.dBClusterIdentifier : response.dBInstanceIdentifier) ?? null,
          userIdentity: callerEvidenceOf(event),
          sourceIPAddress: recordOf(event).sourceIPAddress ?? null,
        },
      },
    ];
  },
};
