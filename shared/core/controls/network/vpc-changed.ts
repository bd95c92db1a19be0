import type { Control } from '../../model/control';
import { asString, pathGet } from '../../kernel/values';
import { requestOf, responseOf } from '../../kernel/records';
import { principalOf } from '../../kernel/principals';
import { EC2_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { type ChangeReaders, NETWORK_CHANGE_FRAMEWORKS, type ResourceChange, changeRecordsOf } from './support';

const VPC = { resourceType: 'AWS::EC2::VPC', kind: 'VPC' };
const SUBNET = { resourceType: 'AWS::EC2::Subnet', kind: 'Subnet' };
const PEERING = { resourceType: 'AWS::EC2::VPCPeeringConnection', kind: 'VPC peering connection' };

function change(type: typeof VPC, id: unknown, action: string, details: Record<string, unknown> = {}): ResourceChange | undefined {
  const resourceId = asString(id);
  return resourceId ? { resourceId, resourceType: type.resourceType, label: `${type.kind} ${resourceId}`, action, details } : undefined;
}

/** The attribute a ModifyVpcAttribute / ModifySubnetAttribute call sets, and its new value ({ value: … } in CloudTrail). */
function attributeChange(request: Record<string, unknown>, exclude: string[]): { attribute: string; value: unknown } | undefined {
  const attribute = Object.keys(request).find((key) => !exclude.includes(key));
  if (!attribute) return undefined;
  const raw = request[attribute];
  return { attribute, value: pathGet(raw, 'value') ?? raw };
}

function modified(type: typeof VPC, request: Record<string, unknown>, idField: string): ResourceChange | undefined {
  const attribute = attributeChange(request, [idField]);
  return change(
    type,
    request[idField],
    attribute ? `had ${attribute.attribute} set to ${String(attribute.value)}` : 'modified',
    attribute ? { [attribute.attribute]: attribute.value } : {},
  );
}

/**
 * How each call names its VPC, subnet or peering connection (camelCase fields, as CloudTrail logs the
 * EC2 query API). Calls as CIS 4.14 lists them, without the retired EC2-Classic ClassicLink calls,
 * plus subnets created, deleted or modified and CIDR blocks added to or removed from a VPC.
 */
const READERS: ChangeReaders = {
  CreateVpc: (e) => change(VPC, pathGet(responseOf(e), 'vpc.vpcId'), 'created', { cidrBlock: requestOf(e).cidrBlock ?? null }),
  DeleteVpc: (e) => change(VPC, requestOf(e).vpcId, 'deleted'),
  ModifyVpcAttribute: (e) => modified(VPC, requestOf(e), 'vpcId'),
  AssociateVpcCidrBlock: (e) =>
    change(
      VPC,
      requestOf(e).vpcId,
      `had CIDR ${asString(requestOf(e).cidrBlock) ?? asString(requestOf(e).ipv6CidrBlock) ?? (requestOf(e).amazonProvidedIpv6CidrBlock ? 'Amazon-provided IPv6' : 'block')} added`,
      {
        cidrBlock: requestOf(e).cidrBlock ?? null,
      },
    ),
  DisassociateVpcCidrBlock: (e) =>
    change(
      VPC,
      pathGet(responseOf(e), 'vpcId') ?? requestOf(e).vpcId,
      `had CIDR association ${asString(requestOf(e).associationId) ?? '(unnamed)'} removed`,
    ),
  CreateSubnet: (e) =>
    change(SUBNET, pathGet(responseOf(e), 'subnet.subnetId'), `created in ${asString(requestOf(e).vpcId) ?? 'a VPC'}`, {
      vpcId: requestOf(e).vpcId ?? null,
      cidrBlock: requestOf(e).cidrBlock ?? null,
    }),
  DeleteSubnet: (e) => change(SUBNET, requestOf(e).subnetId, 'deleted'),
  ModifySubnetAttribute: (e) => modified(SUBNET, requestOf(e), 'subnetId'),
  CreateVpcPeeringConnection: (e) =>
    change(
      PEERING,
      pathGet(responseOf(e), 'vpcPeeringConnection.vpcPeeringConnectionId'),
      `requested from ${asString(requestOf(e).vpcId) ?? 'a VPC'} to ${asString(requestOf(e).peerVpcId) ?? 'a VPC'}`,
      {
        vpcId: requestOf(e).vpcId ?? null,
        peerVpcId: requestOf(e).peerVpcId ?? null,
        peerOwnerId: requestOf(e).peerOwnerId ?? null,
      },
    ),
  AcceptVpcPeeringConnection: (e) => change(PEERING, requestOf(e).vpcPeeringConnectionId, 'accepted'),
  RejectVpcPeeringConnection: (e) => change(PEERING, requestOf(e).vpcPeeringConnectionId, 'rejected'),
  DeleteVpcPeeringConnection: (e) => change(PEERING, requestOf(e).vpcPeeringConnectionId, 'deleted'),
};

/**
 * Activity record: a VPC, subnet or VPC peering connection created, deleted or modified (CIS 4.14's
 * VPC changes, without the retired ClassicLink calls, plus subnet and CIDR block changes). Failed
 * calls are not recorded. Exposure that follows from such changes is judged elsewhere
 * (network.vpc-peering-untrusted-account for peering with unknown accounts, the security group, ACL
 * and route controls for reachability), so these are INFORMATIONAL: recorded for the change history
 * auditors review, not notified by default.
 */
export const vpcChanged: Control = {
  id: 'network.vpc-changed',
  area: 'network',
  title: 'VPC, subnet or peering connection changed (activity record)',
  severity: 'INFORMATIONAL',
  rationale:
    'VPCs, subnets and peering connections define which workloads share a network and which networks reach each other; creating, deleting or re-addressing them outside the reviewed process leaves segmentation that no one designed, and incident responders need the history of when the topology changed.',
  runbook: [
    'Confirm the change with its owner (the caller is in userIdentity) or an approved change; infrastructure-as-code deployments show CloudFormation or Terraform in userAgent.',
    'Unexpected VPC or subnet: check what runs in it (`aws ec2 describe-instances --filters Name=vpc-id,Values=<vpc-id>`, `aws ec2 describe-network-interfaces --filters Name=vpc-id,Values=<vpc-id>`) and its route tables and gateways; remove it if unneeded (`aws ec2 delete-subnet --subnet-id <subnet-id>`, `aws ec2 delete-vpc --vpc-id <vpc-id>`).',
    'ModifySubnetAttribute setting mapPublicIpOnLaunch true gives every new instance in the subnet a public address: revert it with `aws ec2 modify-subnet-attribute --subnet-id <subnet-id> --no-map-public-ip-on-launch` unless the subnet is meant to be public.',
    'Unexpected peering connection: check the peer account and VPC, then `aws ec2 delete-vpc-peering-connection --vpc-peering-connection-id <pcx-id>`.',
  ],
  frameworks: [{ framework: 'cis-aws', requirement: '4.14' }, ...NETWORK_CHANGE_FRAMEWORKS],
  patterns: [apiCallPattern(EC2_SOURCE, Object.keys(READERS))],
  evaluate(event) {
    return changeRecordsOf(event, READERS, (change) => `${change.label} ${change.action} by ${principalOf(event)}`);
  },
};
