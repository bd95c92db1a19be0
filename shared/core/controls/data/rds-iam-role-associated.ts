import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString } from '../../kernel/values';
import { requestOf } from '../../kernel/records';
import { callerEvidenceOf, principalOf } from '../../kernel/principals';
import { RDS_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { dbClusterArn, dbInstanceArn } from './support';

const ADDS = ['AddRoleToDBInstance', 'AddRoleToDBCluster'];
const REMOVES = ['RemoveRoleFromDBInstance', 'RemoveRoleFromDBCluster'];

/** The database a role call names, and the role: same shape for add and remove, so the qualifiers agree. */
function subjectOf(event: EventBridgeEvent): { arn: string; type: string; label: string; role: string } | undefined {
  const request = requestOf(event);
  const role = asString(request.roleArn);
  if (!role) return undefined;
  const cluster = asString(request.dBClusterIdentifier);
  if (cluster) return { arn: dbClusterArn(event, cluster), type: 'AWS::RDS::DBCluster', label: `RDS DB cluster ${cluster}`, role };
  const instance = asString(request.dBInstanceIdentifier);
  if (instance) return { arn: dbInstanceArn(event, instance), type: 'AWS::RDS::DBInstance', label: `RDS DB instance ${instance}`, role };
  return undefined;
}

const qualifierOf = (role: string) => `role ${role}`;

/**
 * Activity record: an IAM role associated with an RDS DB instance or cluster (AddRoleToDBInstance,
 * AddRoleToDBCluster). The role lets the database engine itself call AWS services for a feature
 * (featureName: s3Import, s3Export, Lambda, SageMaker, Comprehend, …), which is how SQL run inside
 * the database can read or write S3 buckets or invoke functions. Whether the role is too broad
 * needs its policies, which the event does not carry. INFORMATIONAL: recorded, not notified by
 * default; resolved when the role is removed again.
 */
export const rdsIamRoleAssociated: Control = {
  id: 'data.rds-iam-role-associated',
  area: 'data',
  title: 'IAM role associated with an RDS database (activity record)',
  severity: 'INFORMATIONAL',
  rationale:
    'An associated role gives the database engine its own AWS permissions: anyone who can run SQL on the database can then export tables to S3 or reach other services through it, outside the network and IAM controls that guard the database itself, so each association belongs in the audit record.',
  runbook: [
    'Confirm the feature (featureName) is needed and the change was planned (the caller in userIdentity).',
    'Review the role’s permissions (`aws iam list-attached-role-policies --role-name <role>`, `aws iam list-role-policies --role-name <role>`): an s3Export or s3Import role should reach only the named buckets and prefixes, a Lambda role only the named functions.',
    'Not needed: remove it (RDS console → Databases → <db> → Connectivity & security → Manage IAM roles → Delete; CLI `aws rds remove-role-from-db-instance --db-instance-identifier <db> --role-arn <role> --feature-name <feature>`, clusters `aws rds remove-role-from-db-cluster --db-cluster-identifier <cluster> --role-arn <role>`).',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-6' },
    { framework: 'nist-800-53-r5', requirement: 'CM-3' },
  ],
  patterns: [apiCallPattern(RDS_SOURCE, ADDS)],
  evaluate(event) {
    const subject = subjectOf(event);
    if (!subject) return [];
    const feature = asString(requestOf(event).featureName);
    return [
      {
        resourceId: subject.arn,
        resourceType: subject.type,
        qualifier: qualifierOf(subject.role),
        message: `IAM role ${subject.role} was associated with ${subject.label}${feature ? ` for feature ${feature}` : ''} by ${principalOf(event)}`,
        evidence: {
          roleArn: subject.role,
          featureName: feature ?? null,
          userIdentity: callerEvidenceOf(event),
        },
      },
    ];
  },
  resolution: {
    description: 'RemoveRoleFromDBInstance / RemoveRoleFromDBCluster removing the same role from the same database',
    patterns: [apiCallPattern(RDS_SOURCE, REMOVES)],
    resolve(event) {
      const subject = subjectOf(event);
      if (!subject) return [];
      return [
        {
          resourceId: subject.arn,
          qualifier: qualifierOf(subject.role),
          message: `IAM role ${subject.role} was removed from ${subject.label}`,
        },
      ];
    },
  },
};
