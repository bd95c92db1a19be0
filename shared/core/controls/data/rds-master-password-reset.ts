import type { Control } from '../../model/control';
import { isTrue } from '../../kernel/values';
import { requestOf } from '../../kernel/records';
import { callerArnOf } from '../../kernel/principals';
import { RDS_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { DATABASE_MODIFICATIONS, modifiedDatabaseOf } from './support';

/**
 * ModifyDBInstance / ModifyDBCluster setting masterUserPassword: the database's administrator
 * password replaced through the control plane (CloudTrail masks the value). Switching the password
 * to Secrets Manager (manageMasterUserPassword) or rotating a managed one (rotateMasterUserPassword)
 * sets no password anyone knows and is not reported; it resolves the finding.
 */
export const rdsMasterPasswordReset: Control = {
  id: 'data.rds-master-password-reset',
  area: 'data',
  title: 'RDS master user password reset',
  severity: 'LOW',
  rationale:
    'Anyone allowed rds:ModifyDBInstance can reset the master password and then sign in to the database as its administrator, bypassing every grant inside it; a reset outside a rotation process is how control-plane access turns into data access.',
  runbook: [
    'Ask the caller (userIdentity, sourceIPAddress) why the password was reset; check the database’s connection and audit logs for sessions of the master user since then.',
    'Unexplained: reset it again to a value no one knows by handing it to Secrets Manager (RDS console → Databases → <db> → Modify → Credentials management → Managed in AWS Secrets Manager; CLI `aws rds modify-db-instance --db-instance-identifier <id> --manage-master-user-password --apply-immediately`, clusters `aws rds modify-db-cluster --db-cluster-identifier <id> --manage-master-user-password --apply-immediately`), then end the master user’s sessions.',
    'Restrict rds:ModifyDBInstance / rds:ModifyDBCluster with the masterUserPassword parameter to the database administrators’ role, e.g. by SCP.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'IA-5' },
    { framework: 'nist-800-53-r5', requirement: 'AC-2' },
    { framework: 'pci-dss-4.0', requirement: '8.6.3' },
  ],
  patterns: [apiCallPattern(RDS_SOURCE, DATABASE_MODIFICATIONS, { requestParameters: { masterUserPassword: [{ exists: true }] } })],
  evaluate(event) {
    const request = requestOf(event);
    if (request.masterUserPassword === undefined || request.masterUserPassword === null) return [];
    if (isTrue(request.manageMasterUserPassword)) return [];
    const database = modifiedDatabaseOf(event);
    if (!database) return [];
    return [
      {
        resourceId: database.arn,
        resourceType: database.resourceType,
        message: `The master user password of RDS DB ${database.kind} ${database.id} was reset by ${callerArnOf(event) ?? 'an unknown principal'}`,
        evidence: {
          [database.kind === 'cluster' ? 'dBClusterIdentifier' : 'dBInstanceIdentifier']: database.id,
          masterUserPassword: 'set (value not logged)',
          ...(request.applyImmediately !== undefined ? { applyImmediately: request.applyImmediately } : {}),
        },
      },
    ];
  },
  resolution: {
    description: 'ModifyDBInstance / ModifyDBCluster with manageMasterUserPassword or rotateMasterUserPassword true on the same database',
    patterns: [apiCallPattern(RDS_SOURCE, DATABASE_MODIFICATIONS)],
    resolve(event) {
      const request = requestOf(event);
      if (!isTrue(request.manageMasterUserPassword) && !isTrue(request.rotateMasterUserPassword)) return [];
      const database = modifiedDatabaseOf(event);
      if (!database) return [];
      return [
        {
          resourceId: database.arn,
          message: `The master user password of RDS DB ${database.kind} ${database.id} is now managed and rotated by Secrets Manager`,
        },
      ];
    },
  },
};
