import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { apiCallPattern, asString, pathGet, recordOf, requestOf, responseOf } from '../support';
import { arnFor, isFalse, isTrue } from './support';

const RDS = 'rds.amazonaws.com';

/** Calls that create a DB instance; when the request omits publiclyAccessible, RDS picks a default (public in a default VPC) that the response reports. */
const CREATE_CALLS = ['CreateDBInstance', 'CreateDBInstanceReadReplica', 'RestoreDBInstanceFromDBSnapshot', 'RestoreDBInstanceToPointInTime'];

/** The instance identifier: the request's (targetDBInstanceIdentifier for point-in-time restores), else the response's. */
function instanceIdOf(event: EventBridgeEvent): string | undefined {
  const request = requestOf(event);
  return asString(request.dBInstanceIdentifier) ?? asString(request.targetDBInstanceIdentifier) ?? asString(responseOf(event).dBInstanceIdentifier);
}

function instanceArnOf(event: EventBridgeEvent, id: string): string {
  return asString(responseOf(event).dBInstanceArn) ?? arnFor(event, 'rds', `db:${id}`);
}

/**
 * Whether the call leaves the instance publicly accessible: ModifyDBInstance only when it sets
 * publiclyAccessible true; a create or restore when it asks for it, or when it leaves the choice to
 * RDS and the instance it returns is publicly accessible.
 */
function makesPublic(event: EventBridgeEvent): boolean {
  const requested = requestOf(event).publiclyAccessible;
  if (isTrue(requested)) return true;
  if (recordOf(event).eventName === 'ModifyDBInstance' || requested !== undefined) return false;
  return isTrue(responseOf(event).publiclyAccessible);
}

/**
 * RDS DB instances made publicly accessible: created, restored or modified with publiclyAccessible
 * true, which gives the instance a public DNS name and address reachable wherever its security
 * groups allow. ModifyDBInstance with publiclyAccessible false, or DeleteDBInstance, resolves it.
 */
export const rdsInstancePublic: Control = {
  id: 'network.rds-instance-public',
  area: 'network',
  title: 'RDS DB instance made publicly accessible',
  severity: 'HIGH',
  rationale:
    'A publicly accessible database resolves to a public address, so one permissive security group rule exposes it to internet-wide credential stuffing and exploitation; databases belong in private subnets, reached through the application tier or a bastion.',
  runbook: [
    'Check who needs direct access; use a VPN, AWS Client VPN, SSM port forwarding or a bastion instead of a public endpoint.',
    'Console: RDS → Databases → <instance> → Modify → Connectivity → Additional configuration → Not publicly accessible → Continue → Apply immediately.',
    'CLI: `aws rds modify-db-instance --db-instance-identifier <instance> --no-publicly-accessible --apply-immediately`.',
    'Review the instance security groups for 0.0.0.0/0 rules and the database logs for connections from unknown addresses while it was public.',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '2.3.3' },
    { framework: 'fsbp', requirement: 'RDS.2' },
    { framework: 'pci-dss-4.0', requirement: '1.4.4' },
    { framework: 'nist-800-53-r5', requirement: 'AC-4' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7' },
  ],
  patterns: [apiCallPattern(RDS, ['ModifyDBInstance', ...CREATE_CALLS])],
  evaluate(event) {
    const id = instanceIdOf(event);
    if (!id || !makesPublic(event)) return [];
    const response = responseOf(event);
    return [
      {
        resourceId: instanceArnOf(event, id),
        resourceType: 'AWS::RDS::DBInstance',
        message: `RDS DB instance ${id} was made publicly accessible (${recordOf(event).eventName})`,
        evidence: {
          dBInstanceIdentifier: id,
          publiclyAccessible: requestOf(event).publiclyAccessible ?? response.publiclyAccessible ?? null,
          dBSubnetGroup: asString(pathGet(response, 'dBSubnetGroup.dBSubnetGroupName')) ?? requestOf(event).dBSubnetGroupName ?? null,
          vpcSecurityGroupIds: requestOf(event).vpcSecurityGroupIds ?? null,
        },
      },
    ];
  },
  resolution: {
    description: 'ModifyDBInstance with publiclyAccessible false, or DeleteDBInstance',
    patterns: [apiCallPattern(RDS, ['ModifyDBInstance', 'DeleteDBInstance'])],
    resolve(event) {
      const id = instanceIdOf(event);
      if (!id) return [];
      const deleted = recordOf(event).eventName === 'DeleteDBInstance';
      if (!deleted && !isFalse(requestOf(event).publiclyAccessible)) return [];
      return [{ resourceId: instanceArnOf(event, id), message: `RDS DB instance ${id} ${deleted ? 'was deleted' : 'is no longer publicly accessible'}` }];
    },
  },
};
