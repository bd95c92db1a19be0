import type { Control } from '../../model/control';
import { recordOf } from '../../kernel/records';
import { EC2_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { canonicalCidr, isOpenToInternet } from '../../kernel/cidr';
import { aclDeletionOf, aclEntryEvidence, aclTrafficOf, describeReach, entryOf, sensitivePortsIn, type AclEntry } from './support';

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
  patterns: [apiCallPattern(EC2_SOURCE, ['CreateNetworkAclEntry', 'ReplaceNetworkAclEntry'])],
  evaluate(event, { settings }) {
    const entry = entryOf(event);
    if (!entry || entry.egress || entry.action !== 'allow' || !isOpenToInternet(entry.cidr, settings.allowedCidrs)) return [];
    const traffic = aclTrafficOf(event);
    if (!traffic) return [];
    const sensitive = sensitivePortsIn(traffic.ports, settings.sensitivePorts);
    if (sensitive.length === 0) return [];
    return [
      {
        resourceId: entry.aclId,
        resourceType: 'AWS::EC2::NetworkAcl',
        qualifier: qualifierOf(entry),
        message: `Network ACL ${entry.aclId} ingress rule ${entry.ruleNumber} allows ${describeReach(traffic.label, traffic.ports, sensitive)} from ${canonicalCidr(entry.cidr) ?? entry.cidr}`,
        evidence: aclEntryEvidence(event, entry),
      },
    ];
  },
  resolution: {
    description: 'DeleteNetworkAclEntry of the same ingress rule, ReplaceNetworkAclEntry making it compliant, or DeleteNetworkAcl',
    patterns: [apiCallPattern(EC2_SOURCE, ['DeleteNetworkAclEntry', 'ReplaceNetworkAclEntry', 'DeleteNetworkAcl'])],
    resolve(event) {
      if (recordOf(event).eventName === 'DeleteNetworkAcl') return aclDeletionOf(event);
      const entry = entryOf(event);
      if (!entry || entry.egress) return [];
      // A replace that is itself open is reported again by evaluate; the engine drops this resolution then.
      const verb = recordOf(event).eventName === 'DeleteNetworkAclEntry' ? 'was deleted' : 'was replaced';
      return [
        {
          resourceId: entry.aclId,
          qualifier: qualifierOf(entry),
          message: `Network ACL ${entry.aclId} ingress rule ${entry.ruleNumber} ${verb}`,
        },
      ];
    },
  },
};
