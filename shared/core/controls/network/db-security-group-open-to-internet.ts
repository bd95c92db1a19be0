import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString } from '../../kernel/values';
import { recordOf, requestOf } from '../../kernel/records';
import { RDS_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { canonicalCidr, isOpenToInternet } from '../../kernel/cidr';

/** The DB security group and CIDR an Authorize/RevokeDBSecurityGroupIngress request names (CloudTrail writes CIDRIP as cIDRIP). */
function ingressOf(event: EventBridgeEvent): { group: string; cidr: string | undefined } | undefined {
  const request = requestOf(event);
  const group = asString(request.dBSecurityGroupName);
  if (!group) return undefined;
  return { group, cidr: asString(request.cIDRIP) };
}

/**
 * An RDS DB security group (the EC2-Classic era firewall of DB instances outside a VPC) authorized
 * for ingress from the whole internet: AuthorizeDBSecurityGroupIngress with CIDRIP 0.0.0.0/0 (or
 * ::/0) not inside settings.allowedCidrs. Every DB instance using the group then accepts connections
 * to its database port from any address. Grants to an EC2 security group or to a narrower range are
 * compliant here, as they are for VPC security groups. RevokeDBSecurityGroupIngress of the same
 * range, or DeleteDBSecurityGroup, resolves it.
 */
export const dbSecurityGroupOpenToInternet: Control = {
  id: 'network.db-security-group-open-to-internet',
  area: 'network',
  title: 'RDS DB security group allows ingress from the internet',
  severity: 'HIGH',
  rationale:
    'A DB security group open to 0.0.0.0/0 lets anyone on the internet reach the database port of every instance in the group, leaving only the database password between the data and an attacker.',
  runbook: [
    'Find the instances using the group: RDS console → Databases → <instance> → Connectivity & security, or `aws rds describe-db-instances --query "DBInstances[?DBSecurityGroups[?DBSecurityGroupName==\'<group>\']].DBInstanceIdentifier"`.',
    "Revoke the open range: `aws rds revoke-db-security-group-ingress --db-security-group-name <group> --cidrip 0.0.0.0/0`, and authorize only the application servers' security group or CIDR instead.",
    'DB security groups belong to EC2-Classic, which AWS has retired: move the instances into a VPC with VPC security groups and delete the DB security group (`aws rds delete-db-security-group --db-security-group-name <group>`).',
  ],
  frameworks: [
    { framework: 'pci-dss-4.0', requirement: '1.3.1' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7' },
    { framework: 'nist-800-53-r5', requirement: 'AC-4' },
  ],
  patterns: [apiCallPattern(RDS_SOURCE, ['AuthorizeDBSecurityGroupIngress'])],
  evaluate(event, { settings }) {
    const ingress = ingressOf(event);
    if (!ingress || !isOpenToInternet(ingress.cidr, settings.allowedCidrs)) return [];
    const cidr = canonicalCidr(ingress.cidr) ?? ingress.cidr!;
    return [
      {
        resourceId: ingress.group,
        resourceType: 'AWS::RDS::DBSecurityGroup',
        qualifier: cidr,
        message: `RDS DB security group ${ingress.group} now allows ingress from ${cidr}`,
        evidence: {
          dBSecurityGroupName: ingress.group,
          cIDRIP: ingress.cidr,
          userIdentity: { arn: recordOf(event).userIdentity?.arn ?? null },
        },
      },
    ];
  },
  resolution: {
    description: 'RevokeDBSecurityGroupIngress of the same range, or DeleteDBSecurityGroup',
    patterns: [apiCallPattern(RDS_SOURCE, ['RevokeDBSecurityGroupIngress', 'DeleteDBSecurityGroup'])],
    resolve(event) {
      const ingress = ingressOf(event);
      if (!ingress) return [];
      if (recordOf(event).eventName === 'DeleteDBSecurityGroup')
        return [{ resourceId: ingress.group, message: `RDS DB security group ${ingress.group} was deleted` }];
      const cidr = canonicalCidr(ingress.cidr);
      return cidr
        ? [
            {
              resourceId: ingress.group,
              qualifier: cidr,
              message: `RDS DB security group ${ingress.group} no longer allows ingress from ${cidr}`,
            },
          ]
        : [];
    },
  },
};
