import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString } from '../../kernel/values';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { RDS_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { dbSnapshotArn } from './support';

const INSTANCE_SNAPSHOT_EVENTS = ['CreateDBSnapshot', 'CopyDBSnapshot'];
const CLUSTER_SNAPSHOT_EVENTS = ['CreateDBClusterSnapshot', 'CopyDBClusterSnapshot'];

/**
 * Snapshot types RDS and AWS Backup create on a schedule. They are the unencrypted database's
 * routine backups: the finding belongs on the database (data.encryption-at-rest-disabled), and one
 * per scheduled run would only repeat it.
 */
const SCHEDULED_SNAPSHOT_TYPES = ['automated', 'awsbackup'];

interface Snapshot {
  id: string;
  arn: string;
  resourceType: string;
  label: string;
}

/** RDS stores identifiers in lower case; the ARN is built the same way from the creating and the deleting call. */
function snapshotOf(event: EventBridgeEvent, id: string | undefined, cluster: boolean): Snapshot | undefined {
  if (!id) return undefined;
  return {
    id,
    arn: dbSnapshotArn(event, id, cluster),
    resourceType: cluster ? 'AWS::RDS::DBClusterSnapshot' : 'AWS::RDS::DBSnapshot',
    label: `RDS ${cluster ? 'cluster ' : ''}snapshot ${id}`,
  };
}

/**
 * A manual RDS snapshot, or a copy of one, that is not encrypted: the response's `encrypted`
 * (DB snapshots) or `storageEncrypted` (cluster snapshots) is false. A snapshot inherits its
 * database's encryption, but a copy is the one place an unencrypted snapshot can be encrypted (by
 * naming a kmsKeyId), so an unencrypted copy is a missed fix. A response without the flag says
 * nothing and is not reported; nor are snapshots whose snapshotType is automated or awsbackup
 * (scheduled backups, made by RDS or AWS Backup rather than by a principal).
 */
export const rdsSnapshotUnencrypted: Control = {
  id: 'data.rds-snapshot-unencrypted',
  area: 'data',
  title: 'Unencrypted RDS snapshot created or copied',
  severity: 'MEDIUM',
  rationale:
    'A snapshot is a full copy of the database that outlives it and is easy to share or restore elsewhere; unencrypted, its contents are protected by nothing but the snapshot’s permissions.',
  runbook: [
    'Make an encrypted copy and delete the unencrypted one: RDS console → Snapshots → <snapshot> → Actions → Copy snapshot → Enable encryption → choose a KMS key; CLI `aws rds copy-db-snapshot --source-db-snapshot-identifier <snapshot> --target-db-snapshot-identifier <snapshot>-encrypted --kms-key-id <key-arn>` (clusters: `aws rds copy-db-cluster-snapshot --source-db-cluster-snapshot-identifier … --kms-key-id …`), then `aws rds delete-db-snapshot --db-snapshot-identifier <snapshot>`.',
    'Fix the source: restore the database from the encrypted copy (`aws rds restore-db-instance-from-db-snapshot`) and retire the unencrypted instance, so later snapshots are encrypted.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'RDS.4' },
    { framework: 'nist-800-53-r5', requirement: 'SC-28' },
    { framework: 'nist-800-53-r5', requirement: 'SC-28(1)' },
    { framework: 'hipaa', requirement: '164.312(a)(2)(iv)' },
    { framework: 'gdpr', requirement: 'Art. 32(1)(a)' },
  ],
  patterns: [
    apiCallPattern(RDS_SOURCE, INSTANCE_SNAPSHOT_EVENTS, { responseElements: { encrypted: [false] } }),
    apiCallPattern(RDS_SOURCE, CLUSTER_SNAPSHOT_EVENTS, { responseElements: { storageEncrypted: [false] } }),
  ],
  evaluate(event) {
    const eventName = asString(recordOf(event).eventName) ?? '';
    const cluster = CLUSTER_SNAPSHOT_EVENTS.includes(eventName);
    const response = responseOf(event);
    if ((cluster ? response.storageEncrypted : response.encrypted) !== false) return [];
    if (SCHEDULED_SNAPSHOT_TYPES.includes(asString(response.snapshotType) ?? '')) return [];
    const request = requestOf(event);
    const id = cluster
      ? (asString(response.dBClusterSnapshotIdentifier) ??
        asString(request.dBClusterSnapshotIdentifier) ??
        asString(request.targetDBClusterSnapshotIdentifier))
      : (asString(response.dBSnapshotIdentifier) ?? asString(request.dBSnapshotIdentifier) ?? asString(request.targetDBSnapshotIdentifier));
    const snapshot = snapshotOf(event, id, cluster);
    if (!snapshot) return [];
    const copied = eventName.startsWith('Copy');
    const source = asString(cluster ? request.sourceDBClusterSnapshotIdentifier : request.sourceDBSnapshotIdentifier);
    const database = asString(cluster ? request.dBClusterIdentifier : request.dBInstanceIdentifier);
    return [
      {
        resourceId: snapshot.arn,
        resourceType: snapshot.resourceType,
        message: copied
          ? `${snapshot.label} was copied from ${source ?? 'another snapshot'} without encryption (no KMS key given)`
          : `${snapshot.label} of ${database ?? 'a database'} was created unencrypted`,
        evidence: {
          eventName,
          [cluster ? 'dBClusterSnapshotIdentifier' : 'dBSnapshotIdentifier']: snapshot.id,
          ...(source ? { source } : {}),
          ...(database ? { database } : {}),
          [cluster ? 'storageEncrypted' : 'encrypted']: false,
          kmsKeyId: request.kmsKeyId ?? null,
        },
      },
    ];
  },
  resolution: {
    description: 'DeleteDBSnapshot / DeleteDBClusterSnapshot of the same snapshot',
    patterns: [apiCallPattern(RDS_SOURCE, ['DeleteDBSnapshot', 'DeleteDBClusterSnapshot'])],
    resolve(event) {
      const cluster = recordOf(event).eventName === 'DeleteDBClusterSnapshot';
      const request = requestOf(event);
      const snapshot = snapshotOf(event, asString(cluster ? request.dBClusterSnapshotIdentifier : request.dBSnapshotIdentifier), cluster);
      if (!snapshot) return [];
      return [{ resourceId: snapshot.arn, message: `Unencrypted ${snapshot.label} was deleted` }];
    },
  },
};
