import type { Control, Resolution, Violation } from '../../model/control';
import type { Severity } from '../../model/severity';
import { recordOf } from '../../kernel/records';
import { EC2_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { canonicalCidr, isOpenToInternet, isWholeInternet } from '../../kernel/cidr';
import { groupOf, qualifierOf, requestedRanges, revokedRuleRanges, ruleIdFor, unknownPermissionQualifiers } from './security-group-rules';
import { describeReach, portsOf, sensitivePortsIn, trafficLabel } from './support';

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
  attack: ['T1190'],
  patterns: [apiCallPattern(EC2_SOURCE, ['AuthorizeSecurityGroupIngress'])],
  evaluate(event, { settings }) {
    const group = groupOf(event);
    if (!group) return [];
    const seen = new Set<string>();
    const violations: Violation[] = [];
    for (const range of requestedRanges(event, true)) {
      if (!isOpenToInternet(range.source, settings.allowedCidrs)) continue;
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
        message: `Security group ${group} opens ${reach} to ${canonicalCidr(range.source) ?? range.source}`,
        evidence: { groupId: group, ipPermission: range.permission, ...(ruleId ? { securityGroupRuleId: ruleId } : {}) },
      });
    }
    return violations;
  },
  resolution: {
    description: 'RevokeSecurityGroupIngress removing the open rule (by its properties or its rule id), or DeleteSecurityGroup',
    patterns: [apiCallPattern(EC2_SOURCE, ['RevokeSecurityGroupIngress', 'DeleteSecurityGroup'])],
    resolve(event) {
      const group = groupOf(event);
      if (!group) return [];
      if (recordOf(event).eventName === 'DeleteSecurityGroup') {
        return [{ resourceId: group, message: `Security group ${group} was deleted` }];
      }
      // In a default VPC a non-matching revoke succeeds and lists the rules it did not find.
      const unknown = unknownPermissionQualifiers(event);
      const resolutions = new Map<string, Resolution>();
      for (const range of [...requestedRanges(event, true), ...revokedRuleRanges(event, true)]) {
        if (!isWholeInternet(range.source)) continue;
        const qualifier = qualifierOf(range);
        if (unknown.has(qualifier)) continue;
        resolutions.set(qualifier, { resourceId: group, qualifier, message: `Security group ${group} no longer opens ${qualifier}` });
      }
      return [...resolutions.values()];
    },
  },
};
