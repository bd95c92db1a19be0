import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { apiCallPattern, asRecord, asString, recordOf, requestOf } from '../../kernel';
import { canonicalCidr, isOpenToInternet } from '../../kernel/cidr';
import { asNumber, describeReach, isTrue, normalizeProtocol, portsOf, sensitivePortsIn, trafficLabel } from './support';

const EC2 = 'ec2.amazonaws.com';

export interface AclEntry {
  aclId: string;
  ruleNumber: number;
  egress: boolean;
  action: string;
  cidr: string | undefined;
}

/** The entry a Create/Replace/DeleteNetworkAclEntry request names (fields per the EC2 API, camelCase in CloudTrail). */
export function entryOf(event: EventBridgeEvent): AclEntry | undefined {
  const request = requestOf(event);
  const aclId = asString(request.networkAclId);
  const ruleNumber = asNumber(request.ruleNumber);
  if (!aclId || ruleNumber === undefined) return undefined;
  return {
    aclId,
    ruleNumber,
    egress: isTrue(request.egress),
    action: (asString(request.ruleAction) ?? '').toLowerCase(),
    cidr: asString(request.cidrBlock) ?? asString(request.ipv6CidrBlock),
  };
}

const qualifierOf = (entry: AclEntry) => `ingress rule ${entry.ruleNumber}`;

/**
 * A network ACL ingress entry allowing traffic from the whole internet (0.0.0.0/0 or ::/0) to a
 * sensitive port (settings.sensitivePorts, which include SSH 22 and RDP 3389), or to all ports.
 * Entries that deny, that apply to egress, whose source is narrower, or that open only other ports
 * (e.g. 443) are compliant: the ACL is a coarse subnet filter and security groups still apply.
 */
export const networkAclOpenToInternet: Control = {
  id: 'network.network-acl-open-to-internet',
  area: 'network',
  title: 'Network ACL allows ingress from the internet to sensitive ports',
  severity: 'MEDIUM',
  rationale:
    'A network ACL is the subnet-wide backstop behind security groups; an allow entry from 0.0.0.0/0 or ::/0 covering administration or database ports removes that backstop for every instance and task in the subnet.',
  runbook: [
    'Check whether the entry is needed: return traffic needs the ephemeral range, but administration ports (22, 3389) should be denied from 0.0.0.0/0 by a lower-numbered deny entry.',
    'Console: VPC → Network ACLs → <acl> → Inbound rules → Edit inbound rules → narrow the source CIDR or set the rule to Deny, and add a deny for 22/3389 from 0.0.0.0/0 ahead of broad allows.',
    'CLI: `aws ec2 replace-network-acl-entry --network-acl-id <acl-id> --ingress --rule-number <n> --protocol tcp --port-range From=<from>,To=<to> --cidr-block <trusted-cidr> --rule-action allow`, or `aws ec2 delete-network-acl-entry --network-acl-id <acl-id> --ingress --rule-number <n>`.',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '5.1' },
    { framework: 'fsbp', requirement: 'EC2.21' },
    { framework: 'pci-dss-4.0', requirement: '1.3.1' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7' },
    { framework: 'nist-800-53-r5', requirement: 'AC-4(21)' },
    { framework: 'nist-800-53-r5', requirement: 'CM-7' },
  ],
  patterns: [apiCallPattern(EC2, ['CreateNetworkAclEntry', 'ReplaceNetworkAclEntry'])],
  evaluate(event, { settings }) {
    const entry = entryOf(event);
    if (!entry || entry.egress || entry.action !== 'allow' || !isOpenToInternet(entry.cidr, settings.allowedCidrs)) return [];
    const request = requestOf(event);
    const protocol = normalizeProtocol(request.aclProtocol ?? request.protocol);
    if (!protocol) return [];
    const portRange = asRecord(request.portRange);
    const ports = portsOf(protocol, portRange.from, portRange.to);
    const sensitive = sensitivePortsIn(ports, settings.sensitivePorts);
    if (sensitive.length === 0) return [];
    const label = trafficLabel(protocol, portRange.from, portRange.to);
    return [
      {
        resourceId: entry.aclId,
        resourceType: 'AWS::EC2::NetworkAcl',
        qualifier: qualifierOf(entry),
        message: `Network ACL ${entry.aclId} ingress rule ${entry.ruleNumber} allows ${describeReach(label, ports, sensitive)} from ${canonicalCidr(entry.cidr) ?? entry.cidr}`,
        evidence: {
          networkAclId: entry.aclId,
          ruleNumber: request.ruleNumber,
          egress: request.egress,
          ruleAction: request.ruleAction,
          aclProtocol: request.aclProtocol ?? request.protocol,
          portRange: request.portRange ?? null,
          ...(request.cidrBlock !== undefined ? { cidrBlock: request.cidrBlock } : { ipv6CidrBlock: request.ipv6CidrBlock }),
        },
      },
    ];
  },
  resolution: {
    description: 'DeleteNetworkAclEntry of the same ingress rule, ReplaceNetworkAclEntry making it compliant, or DeleteNetworkAcl',
    patterns: [apiCallPattern(EC2, ['DeleteNetworkAclEntry', 'ReplaceNetworkAclEntry', 'DeleteNetworkAcl'])],
    resolve(event) {
      if (recordOf(event).eventName === 'DeleteNetworkAcl') {
        const aclId = asString(requestOf(event).networkAclId);
        return aclId ? [{ resourceId: aclId, message: `Network ACL ${aclId} was deleted` }] : [];
      }
      const entry = entryOf(event);
      if (!entry || entry.egress) return [];
      // A replace that is itself open is reported again by evaluate; the engine drops this resolution then.
      const verb = recordOf(event).eventName === 'DeleteNetworkAclEntry' ? 'was deleted' : 'was replaced';
      return [{ resourceId: entry.aclId, qualifier: qualifierOf(entry), message: `Network ACL ${entry.aclId} ingress rule ${entry.ruleNumber} ${verb}` }];
    },
  },
};
