import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { apiCallPattern, asString, pathGet, recordOf, requestOf, responseOf, principalOf, callerEvidenceOf } from '../../kernel';

const EC2 = 'ec2.amazonaws.com';

interface GatewayChange {
  gateway: string;
  resourceType: string;
  kind: string;
  /** What happened, also the finding qualifier: "created", "attached to vpc-…", "detached from vpc-…", "deleted". */
  action: string;
  vpcId?: string;
}

type Reader = (event: EventBridgeEvent) => GatewayChange | undefined;

const IGW = { resourceType: 'AWS::EC2::InternetGateway', kind: 'Internet gateway' };
const CGW = { resourceType: 'AWS::EC2::CustomerGateway', kind: 'Customer gateway' };
const VGW = { resourceType: 'AWS::EC2::VPNGateway', kind: 'Virtual private gateway' };
const NAT = { resourceType: 'AWS::EC2::NatGateway', kind: 'NAT gateway' };

function change(type: typeof IGW, gateway: unknown, action: string, vpcId?: unknown): GatewayChange | undefined {
  const id = asString(gateway);
  if (!id) return undefined;
  const vpc = asString(vpcId);
  return { ...type, gateway: id, action: vpc ? `${action} ${vpc}` : action, ...(vpc ? { vpcId: vpc } : {}) };
}

/**
 * How each call names its gateway. Most EC2 calls log camelCase fields (internetGatewayId, vpcId);
 * CreateNatGateway and DeleteNatGateway log the wrapped form (CreateNatGatewayRequest /
 * CreateNatGatewayResponse.natGateway) that newer EC2 APIs use.
 */
const READERS: Record<string, Reader> = {
  CreateInternetGateway: (e) => change(IGW, pathGet(responseOf(e), 'internetGateway.internetGatewayId'), 'created'),
  AttachInternetGateway: (e) => change(IGW, requestOf(e).internetGatewayId, 'attached to', requestOf(e).vpcId),
  DetachInternetGateway: (e) => change(IGW, requestOf(e).internetGatewayId, 'detached from', requestOf(e).vpcId),
  DeleteInternetGateway: (e) => change(IGW, requestOf(e).internetGatewayId, 'deleted'),
  CreateCustomerGateway: (e) => change(CGW, pathGet(responseOf(e), 'customerGateway.customerGatewayId'), 'created'),
  DeleteCustomerGateway: (e) => change(CGW, requestOf(e).customerGatewayId, 'deleted'),
  AttachVpnGateway: (e) => change(VGW, requestOf(e).vpnGatewayId, 'attached to', requestOf(e).vpcId),
  DetachVpnGateway: (e) => change(VGW, requestOf(e).vpnGatewayId, 'detached from', requestOf(e).vpcId),
  CreateNatGateway: (e) =>
    change(
      NAT,
      pathGet(responseOf(e), 'CreateNatGatewayResponse.natGateway.natGatewayId') ?? pathGet(responseOf(e), 'natGateway.natGatewayId'),
      'created in',
      pathGet(responseOf(e), 'CreateNatGatewayResponse.natGateway.vpcId') ?? pathGet(responseOf(e), 'natGateway.vpcId'),
    ),
  DeleteNatGateway: (e) => change(NAT, pathGet(requestOf(e), 'DeleteNatGatewayRequest.NatGatewayId') ?? requestOf(e).natGatewayId, 'deleted'),
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
  frameworks: [
    { framework: 'cis-aws', requirement: '4.12' },
    { framework: 'pci-dss-4.0', requirement: '1.2.2' },
    { framework: 'nist-800-53-r5', requirement: 'CM-3' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7' },
  ],
  patterns: [apiCallPattern(EC2, Object.keys(READERS))],
  evaluate(event) {
    const eventName = recordOf(event).eventName ?? '';
    const found = READERS[eventName]?.(event);
    if (!found) return [];
    return [
      {
        resourceId: found.gateway,
        resourceType: found.resourceType,
        qualifier: found.action,
        message: `${found.kind} ${found.gateway} was ${found.action} by ${principalOf(event)}`,
        evidence: { eventName, gatewayId: found.gateway, vpcId: found.vpcId ?? null, userIdentity: callerEvidenceOf(event), userAgent: recordOf(event).userAgent ?? null },
      },
    ];
  },
};
