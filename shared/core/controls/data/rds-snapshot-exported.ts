import type { Control } from '../../model/control';
import { asString } from '../../kernel/values';
import { requestOf, responseOf } from '../../kernel/records';
import { callerArnOf } from '../../kernel/principals';
import { RDS_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

/** The CloudFormation type of what an export reads: a DB snapshot, a DB cluster snapshot, or (Aurora) a DB cluster directly. */
function sourceTypeOf(sourceArn: string): { resourceType: string; label: string } {
  if (sourceArn.includes(':cluster-snapshot:')) return { resourceType: 'AWS::RDS::DBClusterSnapshot', label: 'RDS cluster snapshot' };
  if (sourceArn.includes(':cluster:')) return { resourceType: 'AWS::RDS::DBCluster', label: 'RDS DB cluster' };
  return { resourceType: 'AWS::RDS::DBSnapshot', label: 'RDS snapshot' };
}

/**
 * StartExportTask: a snapshot (or an Aurora cluster) exported to S3 as Apache Parquet. One finding
 * per source and destination bucket. LOW: exports serve analytics, but each one copies the
 * database's tables out of RDS into a bucket whose policy, not the snapshot's sharing, now decides
 * who reads them, and CloudTrail does not say which account owns that bucket.
 */
export const rdsSnapshotExported: Control = {
  id: 'data.rds-snapshot-exported',
  area: 'data',
  title: 'RDS snapshot exported to S3',
  severity: 'LOW',
  rationale:
    'An export writes the contents of a database snapshot to an S3 bucket in an open format; after that, the bucket’s permissions and account decide who can read the data, so an unplanned export is a data-exfiltration path worth confirming.',
  runbook: [
    'Confirm with the caller (userIdentity) that the export was planned, and check the destination bucket: `aws s3api get-bucket-policy --bucket <bucket>` and `aws s3api get-bucket-acl --bucket <bucket>` (a bucket you cannot read belongs to another account).',
    'Unplanned: cancel it while it runs (RDS console → Exports in Amazon S3 → <task> → Cancel; CLI `aws rds cancel-export-task --export-task-identifier <task>`), delete the exported objects, and review the role passed in iamRoleArn.',
    'Restrict rds:StartExportTask and iam:PassRole for the export role to the analytics team’s role.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-4' },
    { framework: 'nist-800-53-r5', requirement: 'AU-6' },
  ],
  patterns: [apiCallPattern(RDS_SOURCE, ['StartExportTask'])],
  evaluate(event) {
    const request = requestOf(event);
    const sourceArn = asString(request.sourceArn) ?? asString(responseOf(event).sourceArn);
    const bucket = asString(request.s3BucketName) ?? asString(responseOf(event).s3Bucket);
    if (!sourceArn || !bucket) return [];
    const { resourceType, label } = sourceTypeOf(sourceArn);
    const prefix = asString(request.s3Prefix);
    const destination = `s3://${bucket}${prefix ? `/${prefix.replace(/^\/+/, '')}` : ''}`;
    return [
      {
        resourceId: sourceArn,
        resourceType,
        qualifier: `export to s3://${bucket}`,
        message: `${label} ${sourceArn} was exported to ${destination} by ${callerArnOf(event) ?? 'an unknown principal'}`,
        evidence: {
          exportTaskIdentifier: request.exportTaskIdentifier ?? responseOf(event).exportTaskIdentifier ?? null,
          sourceArn,
          s3BucketName: bucket,
          s3Prefix: prefix ?? null,
          iamRoleArn: request.iamRoleArn ?? null,
          kmsKeyId: request.kmsKeyId ?? null,
          exportOnly: request.exportOnly ?? null,
        },
      },
    ];
  },
};
