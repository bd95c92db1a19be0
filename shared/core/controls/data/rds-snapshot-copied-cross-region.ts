import type { Control } from '../../model/control';
import { asString } from '../../kernel/values';
import { recordOf, regionOf, requestOf, responseOf } from '../../kernel/records';
import { arnIn, regionOfArn } from '../../kernel/arn';
import { callerEvidenceOf, principalOf } from '../../kernel/principals';
import { BACKUP_SOURCE, RDS_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { madeByAwsService } from './support';

/**
 * Activity record: an RDS DB snapshot or DB cluster snapshot copied into this region from another
 * one (CopyDBSnapshot / CopyDBClusterSnapshot, called in the destination region; the source region
 * is the request's sourceRegion, else the region of the source snapshot's ARN). Copies within a
 * region, and AWS Backup's own cross-region copy jobs, are not recorded. INFORMATIONAL: cross-region
 * copies are the usual disaster-recovery practice, but each puts a full copy of the database
 * under another region's keys, sharing and residency rules.
 */
export const rdsSnapshotCopiedCrossRegion: Control = {
  id: 'data.rds-snapshot-copied-cross-region',
  area: 'data',
  title: 'RDS snapshot copied to another region (activity record)',
  severity: 'INFORMATIONAL',
  rationale:
    'A cross-region snapshot copy moves a complete copy of a database to a region where the organization’s monitoring, key policies or data-residency commitments may not reach; disaster-recovery copies are routine, so the copy is recorded for auditors rather than alerted on.',
  runbook: [
    'Confirm the copy belongs to a disaster-recovery or migration plan (the caller in userIdentity, the destination region in awsRegion) and that the destination region is allowed for this data.',
    'Check the copy is encrypted with a key of yours in the destination region (kmsKeyId in the evidence) and not shared: `aws rds describe-db-snapshot-attributes --db-snapshot-identifier <copy> --region <destination>` (clusters: `aws rds describe-db-cluster-snapshot-attributes …`).',
    'Unplanned or not allowed: delete the copy in the destination region (`aws rds delete-db-snapshot --db-snapshot-identifier <copy> --region <destination>`; clusters `aws rds delete-db-cluster-snapshot …`) and restrict rds:CopyDBSnapshot / rds:CopyDBClusterSnapshot, e.g. with an SCP denying regions outside the approved list (aws:RequestedRegion).',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-4' },
    { framework: 'nist-800-53-r5', requirement: 'AU-6' },
  ],
  patterns: [apiCallPattern(RDS_SOURCE, ['CopyDBSnapshot', 'CopyDBClusterSnapshot'])],
  evaluate(event) {
    if (madeByAwsService(event, BACKUP_SOURCE)) return [];
    const cluster = recordOf(event).eventName === 'CopyDBClusterSnapshot';
    const request = requestOf(event);
    const response = responseOf(event);
    const source = asString(cluster ? request.sourceDBClusterSnapshotIdentifier : request.sourceDBSnapshotIdentifier);
    const target = asString(cluster ? request.targetDBClusterSnapshotIdentifier : request.targetDBSnapshotIdentifier);
    const destination = regionOf(event);
    const sourceRegion = asString(request.sourceRegion) ?? asString(response.sourceRegion) ?? regionOfArn(source);
    if (!source || !target || !sourceRegion || !destination || sourceRegion === destination) return [];
    const targetArn =
      asString(cluster ? response.dBClusterSnapshotArn : response.dBSnapshotArn) ??
      arnIn(event, 'rds', `${cluster ? 'cluster-snapshot' : 'snapshot'}:${target}`);
    const label = cluster ? 'RDS cluster snapshot' : 'RDS snapshot';
    return [
      {
        resourceId: targetArn,
        resourceType: cluster ? 'AWS::RDS::DBClusterSnapshot' : 'AWS::RDS::DBSnapshot',
        message: `${label} ${source} was copied from ${sourceRegion} to ${destination} as ${target} by ${principalOf(event)}`,
        evidence: {
          source,
          sourceRegion,
          target,
          destinationRegion: destination,
          kmsKeyId: request.kmsKeyId ?? null,
          copyTags: request.copyTags ?? null,
          userIdentity: callerEvidenceOf(event),
        },
      },
    ];
  },
};
