import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString } from '../../kernel/values';
import { recordOf, requestOf } from '../../kernel/records';
import { callerEvidenceOf, principalOf } from '../../kernel/principals';
import { EC2_SOURCE, RDS_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { canonicalCidr, isOpenToInternet } from '../../kernel/cidr';
import { NETWORK_CHANGE_FRAMEWORKS, trafficLabel } from './support';
import {
  groupOf,
  qualifierOf,
  requestedRanges,
  revokedRuleRanges,
  ruleIdFor,
  unknownPermissionQualifiers,
  type RuleRange,
} from './security-group-rules';

/** Who made the call, for evidence (arn first, as these records have always shown it). */
function callerOf(event: EventBridgeEvent): { arn: string | null; type: string | null } {
  const { type, arn } = callerEvidenceOf(event);
  return { arn, type };
}

function sourceText(range: RuleRange): string {
  if (range.kind === 'cidr') return canonicalCidr(range.source) ?? range.source;
  return range.kind === 'security-group' ? `security group ${range.source}` : `prefix list ${range.source}`;
}

/** The DB security group grant an Authorize/RevokeDBSecurityGroupIngress request names: a CIDR (cIDRIP) or an EC2 security group. */
function dbGrantOf(event: EventBridgeEvent): { group: string; qualifier: string; cidr?: string } | undefined {
  const request = requestOf(event);
  const group = asString(request.dBSecurityGroupName);
  if (!group) return undefined;
  const cidr = asString(request.cIDRIP);
  if (cidr) return { group, qualifier: `from ${canonicalCidr(cidr) ?? cidr}`, cidr };
  const ec2Group = asString(request.eC2SecurityGroupId) ?? asString(request.eC2SecurityGroupName);
  if (!ec2Group) return undefined;
  const owner = asString(request.eC2SecurityGroupOwnerId);
  return { group, qualifier: `from security group ${owner && !ec2Group.startsWith('sg-') ? `${owner}/${ec2Group}` : ec2Group}` };
}

function evaluateEc2(event: EventBridgeEvent, allowedCidrs: readonly string[]): Violation[] {
  const group = groupOf(event);
  if (!group) return [];
  const caller = callerOf(event);
  const violations = new Map<string, Violation>();
  for (const range of requestedRanges(event)) {
    // Rules open to the whole internet are reported (HIGH or CRITICAL) by network.security-group-open-to-internet.
    if (range.kind === 'cidr' && isOpenToInternet(range.source, allowedCidrs)) continue;
    const qualifier = qualifierOf(range);
    if (violations.has(qualifier)) continue;
    const ruleId = ruleIdFor(event, range);
    violations.set(qualifier, {
      resourceId: group,
      resourceType: 'AWS::EC2::SecurityGroup',
      qualifier,
      message: `Security group ${group} now allows ${trafficLabel(range.protocol, range.fromPort, range.toPort)} from ${sourceText(range)} (added by ${principalOf(event)})`,
      evidence: {
        groupId: group,
        ipPermission: range.permission,
        ...(ruleId ? { securityGroupRuleId: ruleId } : {}),
        userIdentity: caller,
      },
    });
  }
  return [...violations.values()];
}

function evaluateDb(event: EventBridgeEvent, allowedCidrs: readonly string[]): Violation[] {
  const grant = dbGrantOf(event);
  // A grant to the whole internet is reported (HIGH) by network.db-security-group-open-to-internet.
  if (!grant || (grant.cidr !== undefined && isOpenToInternet(grant.cidr, allowedCidrs))) return [];
  const caller = callerOf(event);
  const request = requestOf(event);
  return [
    {
      resourceId: grant.group,
      resourceType: 'AWS::RDS::DBSecurityGroup',
      qualifier: grant.qualifier,
      message: `RDS DB security group ${grant.group} now allows ingress ${grant.qualifier} (added by ${principalOf(event)})`,
      evidence: {
        dBSecurityGroupName: grant.group,
        cIDRIP: request.cIDRIP ?? null,
        eC2SecurityGroupId: request.eC2SecurityGroupId ?? null,
        eC2SecurityGroupName: request.eC2SecurityGroupName ?? null,
        eC2SecurityGroupOwnerId: request.eC2SecurityGroupOwnerId ?? null,
        userIdentity: caller,
      },
    },
  ];
}

/**
 * Activity record: inbound access granted to a security group, by AuthorizeSecurityGroupIngress
 * (VPC security groups: from a CIDR, another security group or a prefix list) or
 * AuthorizeDBSecurityGroupIngress (EC2-Classic era DB security groups: from a CIDR or an EC2 security
 * group). One record per rule. Rules from the whole internet are not recorded here: they are
 * reported at HIGH or CRITICAL by network.security-group-open-to-internet and
 * network.db-security-group-open-to-internet. Egress rules, failed calls and revocations are not
 * recorded. INFORMATIONAL: recorded for the change history auditors review (CIS 4.10), not notified
 * by default. Revoking the rule, or deleting the group, resolves the record.
 */
export const securityGroupIngressAdded: Control = {
  id: 'network.security-group-ingress-added',
  area: 'network',
  title: 'Security group ingress rule added (activity record)',
  severity: 'INFORMATIONAL',
  rationale:
    'Every inbound rule widens who can reach the workloads behind a group; a rule that trusts a broad public range, a security group in another account or a forgotten address is how segmentation erodes quietly, so change reviews and incident timelines need each grant, who made it and when.',
  runbook: [
    'Check the rule against an approved change (the caller is in userIdentity; CloudFormation, Terraform or console in userAgent): the source should be the narrowest CIDR, security group or prefix list that needs the port.',
    'Review sources outside the organization: a public address range, or a security group owned by another account ("<account>/<group>").',
    'Not needed: VPC console → Security groups → <group> → Inbound rules → Edit inbound rules → delete it; CLI `aws ec2 revoke-security-group-ingress --group-id <sg-id> --security-group-rule-ids <sgr-id>` (rule id in the evidence), or for DB security groups `aws rds revoke-db-security-group-ingress --db-security-group-name <group> --cidrip <cidr>` / `--ec2-security-group-id <sg-id>`.',
  ],
  frameworks: [{ framework: 'cis-aws', requirement: '4.10' }, ...NETWORK_CHANGE_FRAMEWORKS],
  patterns: [
    apiCallPattern(EC2_SOURCE, ['AuthorizeSecurityGroupIngress']),
    apiCallPattern(RDS_SOURCE, ['AuthorizeDBSecurityGroupIngress']),
  ],
  evaluate(event, { settings }) {
    return recordOf(event).eventSource === RDS_SOURCE
      ? evaluateDb(event, settings.allowedCidrs)
      : evaluateEc2(event, settings.allowedCidrs);
  },
  resolution: {
    description:
      'RevokeSecurityGroupIngress / RevokeDBSecurityGroupIngress removing the same rule, or DeleteSecurityGroup / DeleteDBSecurityGroup',
    patterns: [
      apiCallPattern(EC2_SOURCE, ['RevokeSecurityGroupIngress', 'DeleteSecurityGroup']),
      apiCallPattern(RDS_SOURCE, ['RevokeDBSecurityGroupIngress', 'DeleteDBSecurityGroup']),
    ],
    resolve(event) {
      const eventName = recordOf(event).eventName;
      if (eventName === 'DeleteDBSecurityGroup' || eventName === 'RevokeDBSecurityGroupIngress') {
        const group = asString(requestOf(event).dBSecurityGroupName);
        if (!group) return [];
        if (eventName === 'DeleteDBSecurityGroup') return [{ resourceId: group, message: `RDS DB security group ${group} was deleted` }];
        const grant = dbGrantOf(event);
        return grant
          ? [
              {
                resourceId: group,
                qualifier: grant.qualifier,
                message: `RDS DB security group ${group} no longer allows ingress ${grant.qualifier}`,
              },
            ]
          : [];
      }
      const group = groupOf(event);
      if (!group) return [];
      if (eventName === 'DeleteSecurityGroup') return [{ resourceId: group, message: `Security group ${group} was deleted` }];
      const unknown = unknownPermissionQualifiers(event);
      const resolutions = new Map<string, Resolution>();
      for (const range of [...requestedRanges(event), ...revokedRuleRanges(event)]) {
        const qualifier = qualifierOf(range);
        if (unknown.has(qualifier)) continue;
        resolutions.set(qualifier, { resourceId: group, qualifier, message: `Security group ${group} no longer allows ${qualifier}` });
      }
      return [...resolutions.values()];
    },
  },
};
