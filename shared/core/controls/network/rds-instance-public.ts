import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString, isFalse, isTrue, pathGet } from '../../kernel/values';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { arnIn } from '../../kernel/arn';
import { RDS_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

/** Calls that create a DB instance; when the request omits publiclyAccessible, RDS picks a default (public in a default VPC) that the response reports. */
const CREATE_CALLS = [
  'CreateDBInstance',
  'CreateDBInstanceReadReplica',
  'RestoreDBInstanceFromDBSnapshot',
  'RestoreDBInstanceToPointInTime',
];

/**
 * The same for Multi-AZ DB clusters (PubliclyAccessible is valid for Multi-AZ DB clusters only; an
 * Aurora cluster's reachability is set on its instances, which the instance calls above carry).
 */
const CLUSTER_CREATE_CALLS = ['CreateDBCluster', 'RestoreDBClusterFromSnapshot', 'RestoreDBClusterToPointInTime'];
const MODIFY_CALLS = ['ModifyDBInstance', 'ModifyDBCluster'];

interface Database {
  id: string;
  arn: string;
  resourceType: string;
  label: string;
}

/**
 * The database a call names: a cluster (dBClusterIdentifier, the new cluster for restores) for the
 * cluster calls, else the instance (targetDBInstanceIdentifier for point-in-time restores), from
 * the request or else the response.
 */
function databaseOf(event: EventBridgeEvent): Database | undefined {
  const request = requestOf(event);
  const response = responseOf(event);
  if (/DBCluster/.test(recordOf(event).eventName ?? '')) {
    const id = asString(request.dBClusterIdentifier) ?? asString(response.dBClusterIdentifier);
    if (!id) return undefined;
    return {
      id,
      arn: asString(response.dBClusterArn) ?? arnIn(event, 'rds', `cluster:${id}`),
      resourceType: 'AWS::RDS::DBCluster',
      label: `RDS DB cluster ${id}`,
    };
  }
  const id =
    asString(request.dBInstanceIdentifier) ?? asString(request.targetDBInstanceIdentifier) ?? asString(response.dBInstanceIdentifier);
  if (!id) return undefined;
  return {
    id,
    arn: asString(response.dBInstanceArn) ?? arnIn(event, 'rds', `db:${id}`),
    resourceType: 'AWS::RDS::DBInstance',
    label: `RDS DB instance ${id}`,
  };
}

/**
 * Whether the call leaves the database publicly accessible: a modify only when it sets
 * publiclyAccessible true; a create or restore when it asks for it, or when it leaves the choice to
 * RDS and the database it returns is publicly accessible.
 */
function makesPublic(event: EventBridgeEvent): boolean {
  const requested = requestOf(event).publiclyAccessible;
  if (isTrue(requested)) return true;
  if (MODIFY_CALLS.includes(recordOf(event).eventName ?? '') || requested !== undefined) return false;
  return isTrue(responseOf(event).publiclyAccessible);
}

/**
 * RDS DB instances and Multi-AZ DB clusters made publicly accessible: created, restored or modified
 * with publiclyAccessible true, which gives the database a public DNS name and address reachable
 * wherever its security groups allow. ModifyDBInstance / ModifyDBCluster with publiclyAccessible
 * false, or DeleteDBInstance / DeleteDBCluster, resolves it.
 */
export const rdsInstancePublic: Control = {
  id: 'network.rds-instance-public',
  area: 'network',
  title: 'RDS DB instance or Multi-AZ DB cluster made publicly accessible',
  severity: 'HIGH',
  rationale:
    'A publicly accessible database resolves to a public address, so one permissive security group rule exposes it to internet-wide credential stuffing and exploitation; databases belong in private subnets, reached through the application tier or a bastion.',
  runbook: [
    'Check who needs direct access; use a VPN, AWS Client VPN, SSM port forwarding or a bastion instead of a public endpoint.',
    'Console: RDS → Databases → <instance> → Modify → Connectivity → Additional configuration → Not publicly accessible → Continue → Apply immediately.',
    'CLI: `aws rds modify-db-instance --db-instance-identifier <instance> --no-publicly-accessible --apply-immediately`; Multi-AZ DB cluster: `aws rds modify-db-cluster --db-cluster-identifier <cluster> --no-publicly-accessible --apply-immediately`.',
    'Review the instance security groups for 0.0.0.0/0 rules and the database logs for connections from unknown addresses while it was public.',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '2.3.3' },
    { framework: 'fsbp', requirement: 'RDS.2' },
    { framework: 'pci-dss-4.0', requirement: '1.4.4' },
    { framework: 'nist-800-53-r5', requirement: 'AC-4' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7' },
  ],
  patterns: [apiCallPattern(RDS_SOURCE, [...MODIFY_CALLS, ...CREATE_CALLS, ...CLUSTER_CREATE_CALLS])],
  evaluate(event) {
    const database = databaseOf(event);
    if (!database || !makesPublic(event)) return [];
    const request = requestOf(event);
    const response = responseOf(event);
    return [
      {
        resourceId: database.arn,
        resourceType: database.resourceType,
        message: `${database.label} was made publicly accessible (${recordOf(event).eventName})`,
        evidence: {
          ...(database.resourceType === 'AWS::RDS::DBCluster'
            ? { dBClusterIdentifier: database.id }
            : { dBInstanceIdentifier: database.id }),
          publiclyAccessible: request.publiclyAccessible ?? response.publiclyAccessible ?? null,
          dBSubnetGroup:
            asString(pathGet(response, 'dBSubnetGroup.dBSubnetGroupName')) ??
            asString(response.dBSubnetGroup) ??
            request.dBSubnetGroupName ??
            null,
          vpcSecurityGroupIds: request.vpcSecurityGroupIds ?? null,
        },
      },
    ];
  },
  resolution: {
    description: 'ModifyDBInstance / ModifyDBCluster with publiclyAccessible false, or DeleteDBInstance / DeleteDBCluster',
    patterns: [apiCallPattern(RDS_SOURCE, [...MODIFY_CALLS, 'DeleteDBInstance', 'DeleteDBCluster'])],
    resolve(event) {
      const database = databaseOf(event);
      if (!database) return [];
      const deleted = (recordOf(event).eventName ?? '').startsWith('Delete');
      if (!deleted && !isFalse(requestOf(event).publiclyAccessible)) return [];
      return [{ resourceId: database.arn, message: `${database.label} ${deleted ? 'was deleted' : 'is no longer publicly accessible'}` }];
    },
  },
};
