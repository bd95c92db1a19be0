import type { Control, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asNumber, asString, isFalse, isTrue, pathGet } from '../../kernel/values';
import { recordOf, requestOf } from '../../kernel/records';
import { arnIn, bucketArn } from '../../kernel/arn';
import { BACKUP_SOURCE, DYNAMODB_SOURCE, RDS_SOURCE, S3_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { dbClusterArn, dbInstanceArn, madeByAwsService } from './support';

/** FSBP RDS.11's default minimum retention for automated backups. */
const MIN_RETENTION_DAYS = 7;
/** CreateDBInstance keeps automated backups for 1 day when backupRetentionPeriod is omitted. */
const CREATE_DEFAULT_RETENTION_DAYS = 1;
const RETENTION = 'backup retention';
const NO_FINAL_SNAPSHOT = 'deleted without final snapshot';
const VERSIONING = 'versioning suspended';
const REPLICATION = 'replication removed';

const tableArn = (event: EventBridgeEvent, name: string) => arnIn(event, 'dynamodb', `table/${name}`);

/** DynamoDB's PITR flag; CloudTrail writes DynamoDB parameters in lower camel case, the API in Pascal case. */
function pitrEnabled(request: Record<string, unknown>): unknown {
  return (
    pathGet(request, 'pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled') ??
    pathGet(request, 'PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled')
  );
}

function tableNameOf(request: Record<string, unknown>): string | undefined {
  return asString(request.tableName) ?? asString(request.TableName);
}

/** RDS instance retention set (or defaulted) below the minimum; instances of Aurora clusters keep the cluster's. */
function retentionOf(event: EventBridgeEvent): number | undefined {
  const request = requestOf(event);
  if (asString(request.dBClusterIdentifier)) return undefined;
  const requested = asNumber(request.backupRetentionPeriod);
  if (recordOf(event).eventName === 'CreateDBInstance') return requested ?? CREATE_DEFAULT_RETENTION_DAYS;
  return requested;
}

/** Retained automated backups (kept after their instance or cluster was deleted) deleted by hand. */
function evaluateAutomatedBackupDeletion(event: EventBridgeEvent): Violation[] {
  const request = requestOf(event);
  const cluster = recordOf(event).eventName === 'DeleteDBClusterAutomatedBackup';
  const resourceId = asString(cluster ? request.dbClusterResourceId : request.dbiResourceId);
  if (!resourceId) return [];
  return [
    {
      resourceId,
      resourceType: cluster ? 'AWS::RDS::DBCluster' : 'AWS::RDS::DBInstance',
      qualifier: 'automated backups deleted',
      message: `The retained automated backups of RDS ${cluster ? 'DB cluster' : 'DB instance'} ${resourceId} were deleted`,
      evidence: { [cluster ? 'dbClusterResourceId' : 'dbiResourceId']: resourceId },
    },
  ];
}

/**
 * An RDS DB instance, or an Aurora or Multi-AZ DB cluster, deleted with skipFinalSnapshot.
 * DeleteAutomatedBackups defaults to true (for clusters too): unless kept explicitly, the automated
 * backups go with it.
 */
function evaluateDeletion(event: EventBridgeEvent, cluster: boolean): Violation[] {
  const request = requestOf(event);
  const id = asString(cluster ? request.dBClusterIdentifier : request.dBInstanceIdentifier);
  if (!id || !isTrue(request.skipFinalSnapshot)) return [];
  const backupsKept = isFalse(request.deleteAutomatedBackups);
  const kind = cluster ? 'DB cluster' : 'DB instance';
  return [
    {
      resourceId: cluster ? dbClusterArn(event, id) : dbInstanceArn(event, id),
      resourceType: cluster ? 'AWS::RDS::DBCluster' : 'AWS::RDS::DBInstance',
      qualifier: NO_FINAL_SNAPSHOT,
      severity: backupsKept ? 'MEDIUM' : 'HIGH',
      message: backupsKept
        ? `RDS ${kind} ${id} was deleted without a final snapshot (automated backups kept until they expire)`
        : `RDS ${kind} ${id} was deleted without a final snapshot and with its automated backups`,
      evidence: {
        [cluster ? 'dBClusterIdentifier' : 'dBInstanceIdentifier']: id,
        skipFinalSnapshot: request.skipFinalSnapshot,
        deleteAutomatedBackups: request.deleteAutomatedBackups ?? null,
      },
    },
  ];
}

function evaluateRds(event: EventBridgeEvent): Violation[] {
  const eventName = recordOf(event).eventName;
  if (eventName === 'DeleteDBInstanceAutomatedBackup' || eventName === 'DeleteDBClusterAutomatedBackup')
    return evaluateAutomatedBackupDeletion(event);
  if (eventName === 'DeleteDBCluster' || eventName === 'DeleteDBInstance') return evaluateDeletion(event, eventName === 'DeleteDBCluster');
  const request = requestOf(event);
  const id = asString(request.dBInstanceIdentifier);
  if (!id) return [];
  const retention = retentionOf(event);
  if (retention === undefined || retention >= MIN_RETENTION_DAYS) return [];
  return [
    {
      resourceId: dbInstanceArn(event, id),
      resourceType: 'AWS::RDS::DBInstance',
      qualifier: RETENTION,
      severity: retention === 0 ? 'HIGH' : 'MEDIUM',
      message:
        retention === 0
          ? `Automated backups of RDS DB instance ${id} were turned off (retention 0 days)`
          : `RDS DB instance ${id} keeps automated backups for only ${retention} day${retention === 1 ? '' : 's'} (< ${MIN_RETENTION_DAYS})`,
      evidence: { dBInstanceIdentifier: id, backupRetentionPeriod: request.backupRetentionPeriod ?? null },
    },
  ];
}

/** S3 versioning status of a PutBucketVersioning request ("Enabled" / "Suspended"). */
function versioningStatus(request: Record<string, unknown>): string | undefined {
  return asString(pathGet(request, 'VersioningConfiguration.Status'));
}

function evaluateS3(event: EventBridgeEvent): Violation[] {
  const request = requestOf(event);
  const bucket = asString(request.bucketName);
  if (!bucket) return [];
  if (recordOf(event).eventName === 'DeleteBucketReplication') {
    return [
      {
        resourceId: bucketArn(event, bucket),
        resourceType: 'AWS::S3::Bucket',
        qualifier: REPLICATION,
        severity: 'MEDIUM',
        message: `The replication configuration of S3 bucket ${bucket} was deleted; new and changed objects are no longer copied to the replica bucket`,
        evidence: { bucketName: bucket, eventName: 'DeleteBucketReplication' },
      },
    ];
  }
  if (versioningStatus(request) !== 'Suspended') return [];
  return [
    {
      resourceId: bucketArn(event, bucket),
      resourceType: 'AWS::S3::Bucket',
      qualifier: VERSIONING,
      severity: 'MEDIUM',
      message: `Versioning was suspended on S3 bucket ${bucket}; overwritten and deleted objects are no longer kept`,
      evidence: { bucketName: bucket, VersioningConfiguration: request.VersioningConfiguration },
    },
  ];
}

function evaluateDynamoDb(event: EventBridgeEvent): Violation[] {
  const request = requestOf(event);
  const table = tableNameOf(request);
  const enabled = pitrEnabled(request);
  if (!table || !isFalse(enabled)) return [];
  return [
    {
      resourceId: tableArn(event, table),
      resourceType: 'AWS::DynamoDB::Table',
      severity: 'MEDIUM',
      message: `Point-in-time recovery was turned off for DynamoDB table ${table}`,
      evidence: { tableName: table, pointInTimeRecoveryEnabled: false },
    },
  ];
}

function evaluateBackup(event: EventBridgeEvent): Violation[] {
  // Lifecycle expiry and other work AWS Backup does itself is not a principal weakening backups.
  if (madeByAwsService(event, BACKUP_SOURCE)) return [];
  const request = requestOf(event);
  const vault = asString(request.backupVaultName);
  switch (recordOf(event).eventName) {
    case 'DeleteBackupVault':
      return vault
        ? [
            {
              resourceId: arnIn(event, 'backup', `backup-vault:${vault}`),
              resourceType: 'AWS::Backup::BackupVault',
              message: `AWS Backup vault ${vault} was deleted`,
              evidence: { backupVaultName: vault },
            },
          ]
        : [];
    case 'DeleteBackupPlan': {
      const planId = asString(request.backupPlanId);
      return planId
        ? [
            {
              resourceId: arnIn(event, 'backup', `backup-plan:${planId}`),
              resourceType: 'AWS::Backup::BackupPlan',
              message: `AWS Backup plan ${planId} was deleted; the resources it covered are no longer backed up`,
              evidence: { backupPlanId: planId },
            },
          ]
        : [];
    }
    case 'DeleteRecoveryPoint': {
      const recoveryPoint = asString(request.recoveryPointArn);
      return recoveryPoint
        ? [
            {
              resourceId: vault ? arnIn(event, 'backup', `backup-vault:${vault}`) : recoveryPoint,
              resourceType: 'AWS::Backup::BackupVault',
              qualifier: recoveryPoint,
              message: `Recovery point ${recoveryPoint} was deleted from AWS Backup vault ${vault ?? '(unknown)'} by hand`,
              evidence: { backupVaultName: vault ?? null, recoveryPointArn: recoveryPoint },
            },
          ]
        : [];
    }
    default:
      return [];
  }
}

/**
 * Backups weakened or destroyed: AWS Backup vaults, plans or recovery points deleted by a
 * principal (lifecycle expiry is done by AWS Backup itself and is not an API call of a principal),
 * RDS automated backups turned off or kept under 7 days, retained RDS automated backups deleted,
 * an RDS instance or cluster deleted without a final snapshot, DynamoDB point-in-time recovery
 * turned off, S3 versioning suspended, S3 replication (the bucket's off-site copy) removed.
 */
export const backupProtectionRemoved: Control = {
  id: 'data.backup-protection-removed',
  area: 'data',
  title: 'Backups deleted or backup protection turned off',
  severity: 'HIGH',
  rationale:
    'Backups are the last line against ransomware, sabotage and mistakes; attackers delete them before destroying or encrypting data, and short or missing retention turns an incident into permanent loss.',
  runbook: [
    'Confirm the change was approved; an unexplained deletion of backups is an incident: lock down the principal that made it and check for other destructive calls.',
    'RDS retention: RDS console → Databases → <db> → Modify → Backup retention period ≥ 7 days; CLI `aws rds modify-db-instance --db-instance-identifier <id> --backup-retention-period 7 --apply-immediately`.',
    'DynamoDB: console → Tables → <table> → Backups → Point-in-time recovery → Edit → Turn on; CLI `aws dynamodb update-continuous-backups --table-name <table> --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true`.',
    'AWS Backup: recreate the plan or vault and re-assign resources (`aws backup create-backup-plan --backup-plan file://plan.json`, `aws backup create-backup-selection …`); protect vaults with AWS Backup Vault Lock (`aws backup put-backup-vault-lock-configuration --backup-vault-name <vault> --min-retention-days 7`) and deny backup:Delete* by SCP.',
    'S3 versioning: S3 console → <bucket> → Properties → Bucket Versioning → Edit → Enable; CLI `aws s3api put-bucket-versioning --bucket <bucket> --versioning-configuration Status=Enabled`.',
    'S3 replication: S3 console → <bucket> → Management → Replication rules → Create replication rule; CLI `aws s3api put-bucket-replication --bucket <bucket> --replication-configuration file://replication.json`. Objects written while replication was off are not copied until you run S3 Batch Replication on them.',
    'Deleted without final snapshot: check for surviving automated backups (`aws rds describe-db-instance-automated-backups --db-instance-identifier <id>`, clusters `aws rds describe-db-cluster-automated-backups --db-cluster-identifier <id>`) and restore from them while they last.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'RDS.11' },
    { framework: 'fsbp', requirement: 'DynamoDB.2' },
    { framework: 'nist-800-53-r5', requirement: 'CP-9' },
    { framework: 'hipaa', requirement: '164.308(a)(7)(ii)(A)' },
    { framework: 'gdpr', requirement: 'Art. 32(1)(c)' },
  ],
  attack: ['T1490'],
  patterns: [
    apiCallPattern(BACKUP_SOURCE, ['DeleteBackupVault', 'DeleteBackupPlan', 'DeleteRecoveryPoint']),
    apiCallPattern(RDS_SOURCE, [
      'CreateDBInstance',
      'ModifyDBInstance',
      'DeleteDBInstance',
      'DeleteDBCluster',
      'DeleteDBInstanceAutomatedBackup',
      'DeleteDBClusterAutomatedBackup',
    ]),
    apiCallPattern(DYNAMODB_SOURCE, ['UpdateContinuousBackups']),
    apiCallPattern(S3_SOURCE, ['PutBucketVersioning'], { requestParameters: { VersioningConfiguration: { Status: ['Suspended'] } } }),
    apiCallPattern(S3_SOURCE, ['DeleteBucketReplication']),
  ],
  evaluate(event) {
    switch (recordOf(event).eventSource) {
      case BACKUP_SOURCE:
        return evaluateBackup(event);
      case S3_SOURCE:
        return evaluateS3(event);
      case RDS_SOURCE:
        return evaluateRds(event);
      case DYNAMODB_SOURCE:
        return evaluateDynamoDb(event);
      default:
        return [];
    }
  },
  resolution: {
    description:
      'ModifyDBInstance with backup retention of 7 days or more (RDS), UpdateContinuousBackups turning point-in-time recovery on (DynamoDB), PutBucketVersioning Enabled and PutBucketReplication (S3)',
    patterns: [
      apiCallPattern(RDS_SOURCE, ['ModifyDBInstance']),
      apiCallPattern(DYNAMODB_SOURCE, ['UpdateContinuousBackups']),
      apiCallPattern(S3_SOURCE, ['PutBucketVersioning'], { requestParameters: { VersioningConfiguration: { Status: ['Enabled'] } } }),
      apiCallPattern(S3_SOURCE, ['PutBucketReplication']),
    ],
    resolve(event) {
      const request = requestOf(event);
      if (recordOf(event).eventSource === S3_SOURCE) {
        const bucket = asString(request.bucketName);
        if (!bucket) return [];
        if (recordOf(event).eventName === 'PutBucketReplication') {
          return [
            {
              resourceId: bucketArn(event, bucket),
              qualifier: REPLICATION,
              message: `S3 bucket ${bucket} has a replication configuration again`,
            },
          ];
        }
        return versioningStatus(request) === 'Enabled'
          ? [{ resourceId: bucketArn(event, bucket), qualifier: VERSIONING, message: `Versioning is enabled again on S3 bucket ${bucket}` }]
          : [];
      }
      if (recordOf(event).eventSource === DYNAMODB_SOURCE) {
        const table = tableNameOf(request);
        return table && isTrue(pitrEnabled(request))
          ? [{ resourceId: tableArn(event, table), message: `Point-in-time recovery is on again for DynamoDB table ${table}` }]
          : [];
      }
      const id = asString(request.dBInstanceIdentifier);
      const retention = retentionOf(event);
      if (!id || retention === undefined || retention < MIN_RETENTION_DAYS) return [];
      return [
        {
          resourceId: dbInstanceArn(event, id),
          qualifier: RETENTION,
          message: `RDS DB instance ${id} keeps automated backups for ${retention} days again`,
        },
      ];
    },
  },
};
