import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import type { Severity } from '../../model/severity';
import { apiCallPattern, asArray, asRecord, asString, pathGet, recordOf, requestOf, responseOf } from '../support';
import { canonicalCidr, isOpenToInternet, isWholeInternet } from '../support/cidr';
import { describeReach, normalizeProtocol, portsOf, sensitivePortsIn, trafficLabel, type Protocol } from './support';

const EC2 = 'ec2.amazonaws.com';

/** One source range of one rule, as the request (or a rule set in the response) describes it. */
interface RuleRange {
  protocol: Protocol;
  fromPort: unknown;
  toPort: unknown;
  cidr: string;
  /** The permission exactly as logged, for evidence. */
  permission: Record<string, unknown>;
}

function rangesOfPermission(permission: Record<string, unknown>): RuleRange[] {
  const protocol = normalizeProtocol(permission.ipProtocol);
  if (!protocol) return [];
  const cidrs = [
    ...asArray(pathGet(permission, 'ipRanges.items')).map((range) => asRecord(range).cidrIp),
    ...asArray(pathGet(permission, 'ipv6Ranges.items')).map((range) => asRecord(range).cidrIpv6),
  ];
  return cidrs.flatMap((cidr) =>
    typeof cidr === 'string' ? [{ protocol, fromPort: permission.fromPort, toPort: permission.toPort, cidr, permission }] : [],
  );
}

/**
 * The ranges an Authorize/RevokeSecurityGroupIngress request names: `ipPermissions.items`, or the
 * older top-level form (ipProtocol, fromPort, toPort, cidrIp) that the CLI's --protocol/--port/--cidr uses.
 */
function requestedRanges(event: EventBridgeEvent): RuleRange[] {
  const request = requestOf(event);
  const ranges = asArray(pathGet(request, 'ipPermissions.items')).flatMap((item) => rangesOfPermission(asRecord(item)));
  if (typeof request.cidrIp === 'string') {
    const legacy = { ipProtocol: request.ipProtocol, fromPort: request.fromPort, toPort: request.toPort, cidrIp: request.cidrIp };
    const protocol = normalizeProtocol(request.ipProtocol);
    if (protocol) ranges.push({ protocol, fromPort: request.fromPort, toPort: request.toPort, cidr: request.cidrIp, permission: legacy });
  }
  return ranges;
}

/** Ranges of the rules a RevokeSecurityGroupIngress response says it revoked (rules revoked by securityGroupRuleIds). */
function revokedRuleRanges(event: EventBridgeEvent): RuleRange[] {
  return asArray(pathGet(responseOf(event), 'revokedSecurityGroupRuleSet.items')).flatMap((item) => {
    const rule = asRecord(item);
    const protocol = normalizeProtocol(rule.ipProtocol);
    const cidr = asString(rule.cidrIpv4) ?? asString(rule.cidrIpv6);
    if (!protocol || !cidr || rule.isEgress === true) return [];
    return [{ protocol, fromPort: rule.fromPort, toPort: rule.toPort, cidr, permission: rule }];
  });
}

/** The rule, as a finding qualifier: "tcp/22 from 0.0.0.0/0". AWS canonicalizes CIDRs, so this does too. */
function qualifierOf(range: RuleRange): string {
  return `${trafficLabel(range.protocol, range.fromPort, range.toPort)} from ${canonicalCidr(range.cidr) ?? range.cidr}`;
}

function groupOf(event: EventBridgeEvent): string | undefined {
  const request = requestOf(event);
  return asString(request.groupId) ?? asString(request.groupName);
}

/** The security group rule id AWS assigned to this range, from the Authorize response (securityGroupRuleSet). */
function ruleIdFor(event: EventBridgeEvent, range: RuleRange): string | undefined {
  const wanted = qualifierOf(range);
  for (const item of asArray(pathGet(responseOf(event), 'securityGroupRuleSet.items'))) {
    const rule = asRecord(item);
    const protocol = normalizeProtocol(rule.ipProtocol);
    const cidr = asString(rule.cidrIpv4) ?? asString(rule.cidrIpv6);
    if (!protocol || !cidr) continue;
    if (qualifierOf({ protocol, fromPort: rule.fromPort, toPort: rule.toPort, cidr, permission: rule }) === wanted) {
      return asString(rule.securityGroupRuleId);
    }
  }
  return undefined;
}

/**
 * Security group ingress opened to the whole internet (0.0.0.0/0 or ::/0, IPv4 and IPv6) by
 * AuthorizeSecurityGroupIngress. A rule reaching a sensitive port (settings.sensitivePorts, or every
 * port for protocol -1) is CRITICAL, any other port HIGH, ICMP LOW. Blocks inside settings.allowedCidrs
 * are accepted, as are rules whose source is a security group or prefix list.
 */
export const securityGroupOpenToInternet: Control = {
  id: 'network.security-group-open-to-internet',
  area: 'network',
  title: 'Security group ingress open to the internet',
  severity: 'HIGH',
  rationale:
    'An ingress rule from 0.0.0.0/0 or ::/0 lets every host on the internet reach the workloads behind the group; on administration, database or container-API ports it is the most common first step of a cloud breach.',
  runbook: [
    'Confirm with the group owner whether the exposure is intended; a public web endpoint belongs behind a load balancer whose group alone opens 80/443.',
    'Console: VPC → Security groups → <group> → Inbound rules → Edit inbound rules → change the source to a specific CIDR, security group or prefix list, or delete the rule.',
    'CLI: `aws ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions IpProtocol=tcp,FromPort=<port>,ToPort=<port>,IpRanges=[{CidrIp=0.0.0.0/0}]` (for IPv6 use Ipv6Ranges=[{CidrIpv6=::/0}]), or `aws ec2 revoke-security-group-ingress --group-id <sg-id> --security-group-rule-ids <sgr-id>`.',
    'For administrative access use AWS Systems Manager Session Manager or a VPN range listed in allowedCidrs instead of an open port.',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '5.2' },
    { framework: 'cis-aws', requirement: '5.3' },
    { framework: 'fsbp', requirement: 'EC2.19' },
    { framework: 'fsbp', requirement: 'EC2.18' },
    { framework: 'fsbp', requirement: 'EC2.53' },
    { framework: 'fsbp', requirement: 'EC2.54' },
    { framework: 'pci-dss-4.0', requirement: '1.3.1' },
    { framework: 'nist-800-53-r5', requirement: 'AC-4' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7' },
    { framework: 'nist-800-53-r5', requirement: 'CM-7' },
  ],
  patterns: [apiCallPattern(EC2, ['AuthorizeSecurityGroupIngress'])],
  evaluate(event, { settings }) {
    const group = groupOf(event);
    if (!group) return [];
    const seen = new Set<string>();
    const violations: Violation[] = [];
    for (const range of requestedRanges(event)) {
      if (!isOpenToInternet(range.cidr, settings.allowedCidrs)) continue;
      const qualifier = qualifierOf(range);
      if (seen.has(qualifier)) continue;
      seen.add(qualifier);
      const label = trafficLabel(range.protocol, range.fromPort, range.toPort);
      const ports = portsOf(range.protocol, range.fromPort, range.toPort);
      const sensitive = sensitivePortsIn(ports, settings.sensitivePorts);
      // ICMP opens no service port; every other protocol is judged by the ports it reaches.
      const severity: Severity = !ports ? 'LOW' : sensitive.length > 0 ? 'CRITICAL' : 'HIGH';
      const reach = describeReach(label, ports, sensitive);
      const ruleId = ruleIdFor(event, range);
      violations.push({
        resourceId: group,
        resourceType: 'AWS::EC2::SecurityGroup',
        qualifier,
        severity,
        message: `Security group ${group} opens ${reach} to ${canonicalCidr(range.cidr) ?? range.cidr}`,
        evidence: { groupId: group, ipPermission: range.permission, ...(ruleId ? { securityGroupRuleId: ruleId } : {}) },
      });
    }
    return violations;
  },
  resolution: {
    description: 'RevokeSecurityGroupIngress removing the open rule (by its properties or its rule id), or DeleteSecurityGroup',
    patterns: [apiCallPattern(EC2, ['RevokeSecurityGroupIngress', 'DeleteSecurityGroup'])],
    resolve(event) {
      const group = groupOf(event);
      if (!group) return [];
      if (recordOf(event).eventName === 'DeleteSecurityGroup') {
        return [{ resourceId: group, message: `Security group ${group} was deleted` }];
      }
      // In a default VPC a non-matching revoke succeeds and lists the rules it did not find.
      const unknown = new Set(
        asArray(pathGet(responseOf(event), 'unknownIpPermissionSet.items'))
          .flatMap((item) => rangesOfPermission(asRecord(item)))
          .map(qualifierOf),
      );
      const resolutions = new Map<string, Resolution>();
      for (const range of [...requestedRanges(event), ...revokedRuleRanges(event)]) {
        if (!isWholeInternet(range.cidr)) continue;
        const qualifier = qualifierOf(range);
        if (unknown.has(qualifier)) continue;
        resolutions.set(qualifier, { resourceId: group, qualifier, message: `Security group ${group} no longer opens ${qualifier}` });
      }
      return [...resolutions.values()];
    },
  },
};
