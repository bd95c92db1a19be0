import type { Control } from '../../model/control';
import { recordOf } from '../../kernel/records';
import { callerEvidenceOf } from '../../kernel/principals';
import { EC2_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { canonicalCidr, isOpenToInternet, isWholeInternet } from '../../kernel/cidr';
import {
  type AclEntry,
  NETWORK_CHANGE_FRAMEWORKS,
  aclDeletionOf,
  aclEntryEvidence,
  aclTrafficOf,
  entryOf,
  sensitivePortsIn,
} from './support';

const directionOf = (entry: AclEntry) => (entry.egress ? 'egress' : 'ingress');
const qualifierOf = (entry: AclEntry) => `${directionOf(entry)} rule ${entry.ruleNumber}`;

/**
 * Activity record: a network ACL entry allowing traffic to or from the whole internet (0.0.0.0/0 or
 * ::/0), in either direction, created or replaced (CreateNetworkAclEntry, ReplaceNetworkAclEntry).
 * Ingress entries that reach a sensitive port (or every port) are not recorded here: they are
 * reported at MEDIUM by network.network-acl-open-to-internet. What remains (ingress to other ports,
 * such as 443 or the ephemeral range, and egress to the internet) is normal for public subnets but
 * changes the subnet's boundary, so it is recorded. Deny entries, narrower ranges and failed calls
 * are not. INFORMATIONAL: recorded for the change history auditors review (CIS 4.11), not notified by
 * default. Deleting the entry, replacing it with one that does not allow the internet, or deleting
 * the ACL resolves it.
 */
export const networkAclInternetEntryAdded: Control = {
  id: 'network.network-acl-internet-entry-added',
  area: 'network',
  title: 'Network ACL entry allowing internet traffic added (activity record)',
  severity: 'INFORMATIONAL',
  rationale:
    'A network ACL is the subnet-wide boundary behind security groups; each entry that lets the whole internet in, or lets the subnet reach any internet address, changes what the subnet may exchange with the outside, so the change history must show when the boundary moved and who moved it.',
  runbook: [
    'Check that the subnets associated with the ACL (VPC console → Network ACLs → <acl> → Subnet associations) are meant to be public, and that the change was approved (the caller is in userIdentity).',
    'Private subnets should not allow the internet in, and should reach it only through a NAT gateway or proxy; narrow the entry to the ranges needed: CLI `aws ec2 replace-network-acl-entry --network-acl-id <acl-id> [--egress|--ingress] --rule-number <n> --protocol <p> --port-range From=<from>,To=<to> --cidr-block <cidr> --rule-action allow`.',
    'Not needed: `aws ec2 delete-network-acl-entry --network-acl-id <acl-id> [--egress|--ingress] --rule-number <n>`.',
  ],
  frameworks: [{ framework: 'cis-aws', requirement: '4.11' }, ...NETWORK_CHANGE_FRAMEWORKS],
  patterns: [apiCallPattern(EC2_SOURCE, ['CreateNetworkAclEntry', 'ReplaceNetworkAclEntry'])],
  evaluate(event, { settings }) {
    const entry = entryOf(event);
    if (entry?.action !== 'allow' || !isOpenToInternet(entry.cidr, settings.allowedCidrs)) return [];
    const traffic = aclTrafficOf(event);
    if (!traffic) return [];
    if (!entry.egress && sensitivePortsIn(traffic.ports, settings.sensitivePorts).length > 0) return [];
    const cidr = canonicalCidr(entry.cidr) ?? entry.cidr;
    return [
      {
        resourceId: entry.aclId,
        resourceType: 'AWS::EC2::NetworkAcl',
        qualifier: qualifierOf(entry),
        message: entry.egress
          ? `Network ACL ${entry.aclId} egress rule ${entry.ruleNumber} allows ${traffic.label} to ${cidr}`
          : `Network ACL ${entry.aclId} ingress rule ${entry.ruleNumber} allows ${traffic.label} from ${cidr}`,
        evidence: { ...aclEntryEvidence(event, entry), userIdentity: callerEvidenceOf(event) },
      },
    ];
  },
  resolution: {
    description:
      'DeleteNetworkAclEntry of the same rule, ReplaceNetworkAclEntry with an entry that does not allow the internet, or DeleteNetworkAcl',
    patterns: [apiCallPattern(EC2_SOURCE, ['DeleteNetworkAclEntry', 'ReplaceNetworkAclEntry', 'DeleteNetworkAcl'])],
    resolve(event) {
      if (recordOf(event).eventName === 'DeleteNetworkAcl') return aclDeletionOf(event);
      const entry = entryOf(event);
      if (!entry) return [];
      if (recordOf(event).eventName === 'ReplaceNetworkAclEntry' && entry.action === 'allow' && isWholeInternet(entry.cidr)) return [];
      const verb = recordOf(event).eventName === 'DeleteNetworkAclEntry' ? 'was deleted' : 'no longer allows the internet';
      return [
        { resourceId: entry.aclId, qualifier: qualifierOf(entry), message: `Network ACL ${entry.aclId} ${qualifierOf(entry)} ${verb}` },
      ];
    },
  },
};
