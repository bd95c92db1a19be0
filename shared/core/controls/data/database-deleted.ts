import type { Control, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString, isTrue } from '../../kernel/values';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { callerEvidenceOf, principalOf } from '../../kernel/principals';
import { DYNAMODB_SOURCE, RDS_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { dbClusterArn, dbInstanceArn, madeByAwsService, tableOf } from './support';

function callerEvidence(event: EventBridgeEvent): Record<string, unknown> {
  const record = recordOf(event);
  return { userIdentity: callerEvidenceOf(event), sourceIPAddress: record.sourceIPAddress ?? null };
}

function evaluateRds(event: EventBridgeEvent): Violation[] {
  const request = requestOf(event);
  // Without a final snapshot the deletion is data.backup-protection-removed's (HIGH), not a record.
  if (isTrue(request.skipFinalSnapshot)) return [];
  const cluster = recordOf(event).eventName === 'DeleteDBCluster';
  const id = asString(cluster ? request.dBClusterIdentifier : request.dBInstanceIdentifier);
  if (!id) return [];
  // An Aurora (or Multi-AZ cluster) member instance or a read replica holds no data of its own:
  // the cluster volume or the source instance keeps it, so removing one is scaling, not a deletion.
  const response = responseOf(event);
  if (!cluster && (asString(response.dBClusterIdentifier) || asString(response.readReplicaSourceDBInstanceIdentifier))) return [];
  // DeleteDBCluster names its final cluster snapshot with the same parameter as DeleteDBInstance.
  const finalSnapshot = asString(request.finalDBSnapshotIdentifier);
  const kind = cluster ? 'DB cluster' : 'DB instance';
  return [
    {
      resourceId: cluster ? dbClusterArn(event, id) : dbInstanceArn(event, id),
      resourceType: cluster ? 'AWS::RDS::DBCluster' : 'AWS::RDS::DBInstance',
      message: `RDS ${kind} ${id} was deleted by ${principalOf(event)}${finalSnapshot ? `, keeping final snapshot ${finalSnapshot}` : ''}`,
      evidence: {
        [cluster ? 'dBClusterIdentifier' : 'dBInstanceIdentifier']: id,
        skipFinalSnapshot: request.skipFinalSnapshot ?? null,
        finalDBSnapshotIdentifier: finalSnapshot ?? null,
        deleteAutomatedBackups: request.deleteAutomatedBackups ?? null,
        ...callerEvidence(event),
      },
    },
  ];
}

function evaluateDynamoDb(event: EventBridgeEvent): Violation[] {
  const table = tableOf(event);
  if (!table) return [];
  return [
    {
      resourceId: table.arn,
      resourceType: 'AWS::DynamoDB::Table',
      message: `DynamoDB table ${table.name} was deleted by ${principalOf(event)}`,
      evidence: { tableName: requestOf(event).tableName, ...callerEvidence(event) },
    },
  ];
}

/**
 * Activity record: a database deleted — an RDS (or Aurora, DocumentDB, Neptune) DB instance or
 * cluster deleted with a final snapshot, or a DynamoDB table deleted. Cluster member instances
 * and read replicas (the response names their cluster or source) hold no data of their own and
 * are not recorded. Deletions that skip the
 * final snapshot are data.backup-protection-removed's HIGH findings and are not recorded twice.
 * INFORMATIONAL: recorded for auditors, not notified by default.
 */
export const databaseDeleted: Control = {
  id: 'data.database-deleted',
  area: 'data',
  title: 'Database deleted (activity record)',
  severity: 'INFORMATIONAL',
  rationale:
    'Retiring a database is a normal change, but it removes a store of records from service; auditors reconstructing who deleted which database, and whether a final copy was kept, need each deletion in the history even when nobody is woken for it.',
  runbook: [
    'Confirm with the caller (userIdentity) that the database was retired on purpose (change ticket, CloudFormation or Terraform run).',
    'RDS: check that the final snapshot exists and is encrypted and kept as long as the data’s retention rules require (`aws rds describe-db-snapshots --db-snapshot-identifier <final-snapshot>`; clusters `aws rds describe-db-cluster-snapshots --db-cluster-snapshot-identifier <final-snapshot>`). Restore if the deletion was a mistake: RDS console → Snapshots → <snapshot> → Actions → Restore snapshot.',
    'DynamoDB: if point-in-time recovery was on, DynamoDB keeps a system backup of the deleted table for 35 days (console: DynamoDB → Backups; CLI `aws dynamodb list-backups --backup-type SYSTEM --table-name <table>`); restore with `aws dynamodb restore-table-from-backup`.',
    'Unexpected: treat it as an incident, review the principal’s other calls, and turn on deletion protection for the remaining databases (`aws rds modify-db-instance --deletion-protection`, `aws dynamodb update-table --deletion-protection-enabled`).',
  ],
  frameworks: [
    { framework: 'pci-dss-4.0', requirement: '10.2.1.7' },
    { framework: 'nist-800-53-r5', requirement: 'CM-3' },
  ],
  attack: ['T1485'],
  patterns: [apiCallPattern(RDS_SOURCE, ['DeleteDBInstance', 'DeleteDBCluster']), apiCallPattern(DYNAMODB_SOURCE, ['DeleteTable'])],
  evaluate(event) {
    if (madeByAwsService(event)) return [];
    return recordOf(event).eventSource === DYNAMODB_SOURCE ? evaluateDynamoDb(event) : evaluateRds(event);
  },
};
