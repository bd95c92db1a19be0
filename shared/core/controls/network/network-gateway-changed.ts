import type { Control } from '../../model/control';
import { asString, pathGet } from '../../kernel/values';
import { requestOf, responseOf } from '../../kernel/records';
import { ec2RequestField, ec2ResponseField } from '../../kernel/ec2';
import { principalOf } from '../../kernel/principals';
import { EC2_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { type ChangeReaders, NETWORK_CHANGE_FRAMEWORKS, type ResourceChange, changeRecordsOf } from './support';

const IGW = { resourceType: 'AWS::EC2::InternetGateway', kind: 'Internet gateway' };
const CGW = { resourceType: 'AWS::EC2::CustomerGateway', kind: 'Customer gateway' };
const VGW = { resourceType: 'AWS::EC2::VPNGateway', kind: 'Virtual private gateway' };
const NAT = { resourceType: 'AWS::EC2::NatGateway', kind: 'NAT gateway' };

/** A gateway change: on the gateway, qualified by what happened ("created", "attached to vpc-…", "detached from vpc-…", "deleted"). */
function change(type: typeof IGW, gateway: unknown, action: string, vpcId?: unknown): ResourceChange | undefined {
  const id = asString(gateway);
  if (!id) return undefined;
  const vpc = asString(vpcId);
  const label = `${type.kind} ${id}`;
  return {
    resourceId: id,
    resourceType: type.resourceType,
    label,
    action: vpc ? `${action} ${vpc}` : action,
    details: { gatewayId: id, vpcId: vpc ?? null },
  };
}

/**
 * How each call names its gateway. Most EC2 calls log camelCase fields (internetGatewayId, vpcId);
 * CreateNatGateway and DeleteNatGateway log the wrapped form (CreateNatGatewayRequest /
 * CreateNatGatewayResponse.natGateway) that newer EC2 APIs use.
 */
const READERS: ChangeReaders = {
  CreateInternetGateway: (e) => change(IGW, pathGet(responseOf(e), 'internetGateway.internetGatewayId'), 'created'),
  AttachInternetGateway: (e) => change(IGW, requestOf(e).internetGatewayId, 'attached to', requestOf(e).vpcId),
  DetachInternetGateway: (e) => change(IGW, requestOf(e).internetGatewayId, 'detached from', requestOf(e).vpcId),
  DeleteInternetGateway: (e) => change(IGW, requestOf(e).internetGatewayId, 'deleted'),
  CreateCustomerGateway: (e) => change(CGW, pathGet(responseOf(e), 'customerGateway.customerGatewayId'), 'created'),
  DeleteCustomerGateway: (e) => change(CGW, requestOf(e).customerGatewayId, 'deleted'),
  AttachVpnGateway: (e) => change(VGW, requestOf(e).vpnGatewayId, 'attached to', requestOf(e).vpcId),
  DetachVpnGateway: (e) => change(VGW, requestOf(e).vpnGatewayId, 'detached from', requestOf(e).vpcId),
  CreateNatGateway: (e) =>
    change(NAT, ec2ResponseField(e, 'natGateway.natGatewayId'), 'created in', ec2ResponseField(e, 'natGateway.vpcId')),
  DeleteNatGateway: (e) => change(NAT, ec2RequestField(e, 'NatGatewayId'), 'deleted'),
};

/**
 * Activity record: a network gateway created, attached, detached or deleted. The calls are those CIS
 * 4.12 names (internet and customer gateways), plus virtual private gateways attached to or
 * detached from a VPC and NAT gateways created or deleted: each adds or removes a path between a
 * VPC and the internet or another network. Failed calls are not recorded. Attaching an internet
 * gateway exposes nothing until a route uses it (network.internet-gateway-route-added reports that
 * route), so these are INFORMATIONAL: recorded for the change history auditors review, not notified
 * by default.
 */
export const networkGatewayChanged: Control = {
  id: 'network.network-gateway-changed',
  area: 'network',
  title: 'Network gateway created, attached, detached or deleted (activity record)',
  severity: 'INFORMATIONAL',
  rationale:
    'Gateways are the doors of a VPC: an internet gateway attached to a VPC that was meant to be isolated, a new customer or virtual private gateway, or a NAT gateway removed from a private tier changes which networks the workloads can reach and be reached from, so every such change belongs in the reviewed change history.',
  runbook: [
    'Confirm the change with its owner (the caller is in userIdentity) or an approved change; infrastructure-as-code deployments show CloudFormation or Terraform in userAgent.',
    'Internet gateway attached to a VPC that should stay private: check its route tables for routes to the gateway (VPC console → Route tables, filter by the VPC), then detach it: `aws ec2 detach-internet-gateway --internet-gateway-id <igw-id> --vpc-id <vpc-id>`.',
    'Customer or virtual private gateway not expected: review the VPN connections using it (`aws ec2 describe-vpn-connections --filters Name=customer-gateway-id,Values=<cgw-id>`) and remove them with the gateway.',
    'NAT gateway deleted: private subnets routed to it lose outbound access; check the route tables that pointed at it for blackhole routes.',
  ],
  frameworks: [{ framework: 'cis-aws', requirement: '4.12' }, ...NETWORK_CHANGE_FRAMEWORKS],
  patterns: [apiCallPattern(EC2_SOURCE, Object.keys(READERS))],
  evaluate(event) {
    return changeRecordsOf(event, READERS, (change) => `${change.label} was ${change.action} by ${principalOf(event)}`);
  },
};
