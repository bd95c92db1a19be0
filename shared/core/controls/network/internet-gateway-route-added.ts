import type { Control } from '../../model/control';
import { asString } from '../../kernel/values';
import { recordOf } from '../../kernel/records';
import { EC2_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { defaultRouteTo, routeNoLongerTo } from './support';

/** The internet gateway a CreateRoute/ReplaceRoute targets (gatewayId igw-…; egress-only gateways use another field and are fine). */
const internetGatewayOf = (request: Record<string, unknown>) => {
  const gateway = asString(request.gatewayId);
  return gateway?.startsWith('igw-') ? gateway : undefined;
};

/**
 * A default route (0.0.0.0/0 or ::/0) to an internet gateway added to a route table (CreateRoute,
 * ReplaceRoute). It turns every subnet associated with the table into a public subnet, where any
 * instance, task or database with a public address is reachable from the internet. LOW: public
 * subnets for load balancers and NAT gateways need exactly this route; the finding asks for a look.
 * DeleteRoute of the same destination, or ReplaceRoute to a target that is not an internet gateway, resolves it.
 */
export const internetGatewayRouteAdded: Control = {
  id: 'network.internet-gateway-route-added',
  area: 'network',
  title: 'Default route to an internet gateway added',
  severity: 'LOW',
  rationale:
    'A 0.0.0.0/0 or ::/0 route to an internet gateway makes the associated subnets public; added to a private application or database subnet it bypasses NAT and egress filtering and exposes anything holding a public address.',
  runbook: [
    'Check which subnets the route table is associated with (VPC console → Route tables → <rtb> → Subnet associations); a public tier for load balancers or NAT gateways is expected, application and database subnets are not.',
    'If the subnets should be private: VPC console → Route tables → <rtb> → Routes → Edit routes → point 0.0.0.0/0 at a NAT gateway (or remove it); CLI `aws ec2 replace-route --route-table-id <rtb-id> --destination-cidr-block 0.0.0.0/0 --nat-gateway-id <nat-id>` or `aws ec2 delete-route --route-table-id <rtb-id> --destination-cidr-block 0.0.0.0/0` (IPv6: --destination-ipv6-cidr-block ::/0, or an egress-only internet gateway).',
    'Review flow logs of the associated subnets for inbound connections from the internet since the change.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-4' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7' },
  ],
  patterns: [apiCallPattern(EC2_SOURCE, ['CreateRoute', 'ReplaceRoute'])],
  evaluate(event) {
    const route = defaultRouteTo(event, internetGatewayOf);
    if (!route) return [];
    return [
      {
        resourceId: route.routeTableId,
        resourceType: 'AWS::EC2::RouteTable',
        qualifier: route.destination,
        message: `Route table ${route.routeTableId} now routes ${route.destination} to internet gateway ${route.target} (${recordOf(event).eventName})`,
        evidence: { routeTableId: route.routeTableId, destination: route.destination, gatewayId: route.target },
      },
    ];
  },
  resolution: {
    description: 'DeleteRoute of the same destination, or ReplaceRoute pointing it at a target that is not an internet gateway',
    patterns: [apiCallPattern(EC2_SOURCE, ['DeleteRoute', 'ReplaceRoute'])],
    resolve: (event) => routeNoLongerTo(event, internetGatewayOf, 'an internet gateway'),
  },
};
