import type { Control } from '../../model/control';
import { isFalse, isTrue } from '../../kernel/values';
import { requestOf } from '../../kernel/records';
import { RDS_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { DATABASE_MODIFICATIONS, modifiedDatabaseOf } from './support';

/**
 * ModifyDBInstance / ModifyDBCluster with deletionProtection false. A modify call that does not
 * name deletionProtection leaves it as it was, and creation without it is not reported (the API
 * default is off; the FSBP posture checks cover existing databases): only turning it off is a change
 * this control can attribute.
 */
export const rdsDeletionProtectionDisabled: Control = {
  id: 'data.rds-deletion-protection-disabled',
  area: 'data',
  title: 'RDS deletion protection disabled',
  severity: 'MEDIUM',
  rationale:
    'Deletion protection is what stops one DeleteDBInstance or DeleteDBCluster call, by mistake or by an attacker, from destroying a database; turning it off is the step that precedes such a deletion.',
  runbook: [
    'Ask whoever made the call (userIdentity, sourceIPAddress) whether the database is being retired on purpose; if not, re-enable protection at once and review the caller’s other RDS calls.',
    'Console: RDS → Databases → <database> → Modify → Deletion protection → Enable deletion protection → Continue → Apply immediately.',
    'CLI: `aws rds modify-db-instance --db-instance-identifier <id> --deletion-protection --apply-immediately` (instances) or `aws rds modify-db-cluster --db-cluster-identifier <id> --deletion-protection --apply-immediately` (Aurora and Multi-AZ clusters).',
    'Restrict rds:ModifyDBInstance / rds:ModifyDBCluster on production databases to the database administrators’ role.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'RDS.7' },
    { framework: 'fsbp', requirement: 'RDS.8' },
    { framework: 'nist-800-53-r5', requirement: 'CM-3' },
    { framework: 'nist-800-53-r5', requirement: 'SC-5(2)' },
  ],
  patterns: [apiCallPattern(RDS_SOURCE, DATABASE_MODIFICATIONS, { requestParameters: { deletionProtection: [{ exists: true }] } })],
  evaluate(event) {
    const request = requestOf(event);
    if (!isFalse(request.deletionProtection)) return [];
    const database = modifiedDatabaseOf(event);
    if (!database) return [];
    return [
      {
        resourceId: database.arn,
        resourceType: database.resourceType,
        message: `Deletion protection was disabled on RDS DB ${database.kind} ${database.id}`,
        evidence: {
          [database.kind === 'cluster' ? 'dBClusterIdentifier' : 'dBInstanceIdentifier']: database.id,
          deletionProtection: request.deletionProtection,
          ...(request.applyImmediately !== undefined ? { applyImmediately: request.applyImmediately } : {}),
        },
      },
    ];
  },
  resolution: {
    description: 'ModifyDBInstance / ModifyDBCluster with deletionProtection true on the same database',
    patterns: [apiCallPattern(RDS_SOURCE, DATABASE_MODIFICATIONS, { requestParameters: { deletionProtection: [{ exists: true }] } })],
    resolve(event) {
      if (!isTrue(requestOf(event).deletionProtection)) return [];
      const database = modifiedDatabaseOf(event);
      if (!database) return [];
      return [{ resourceId: database.arn, message: `Deletion protection was re-enabled on RDS DB ${database.kind} ${database.id}` }];
    },
  },
};
