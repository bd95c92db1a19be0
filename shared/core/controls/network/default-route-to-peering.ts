import type { Control } from '../../model/control';
import { asString } from '../../kernel/values';
import { recordOf } from '../../kernel/records';
import { EC2_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { defaultRouteTo, routeNoLongerTo } from './support';

/** The peering connection a route request targets. */
const peeringOf = (request: Record<string, unknown>) => asString(request.vpcPeeringConnectionId);

/**
 * A default route (0.0.0.0/0 or ::/0) pointed at a VPC peering connection (CreateRoute,
 * ReplaceRoute with vpcPeeringConnectionId). Peering carries traffic only to the peer VPC's own
 * addresses and cannot serve as a gateway to the internet, so a default route over it sends all of
 * the subnets' outbound traffic — every destination without a more specific route — into another
 * VPC, possibly another account's, where it can be read; it also blackholes the subnets' internet
 * access. Peering routes belong to the peer's CIDRs. DeleteRoute of the same destination, or
 * ReplaceRoute to another target, resolves it.
 */
export const defaultRouteToPeering: Control = {
  id: 'network.default-route-to-peering',
  area: 'network',
  title: 'Default route sent over a VPC peering connection',
  severity: 'MEDIUM',
  rationale:
    'A VPC peering connection should carry only traffic for the peer’s address ranges; routing 0.0.0.0/0 or ::/0 over it hands every outbound packet of the associated subnets to the other VPC, a quiet way to divert traffic to a network someone else controls.',
  runbook: [
    'Check which peering connection the route uses and whose VPC is on the other side: VPC console → Peering connections → <pcx> (Requester / Accepter owner and VPC).',
    'Replace the default route with routes for the peer’s CIDRs only, and send 0.0.0.0/0 to the NAT or internet gateway it used before: VPC console → Route tables → <rtb> → Edit routes; CLI `aws ec2 replace-route --route-table-id <rtb-id> --destination-cidr-block 0.0.0.0/0 --nat-gateway-id <nat-id>` and `aws ec2 create-route --route-table-id <rtb-id> --destination-cidr-block <peer-cidr> --vpc-peering-connection-id <pcx-id>`.',
    'Review flow logs of the associated subnets for traffic sent to the peer since the change.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-4' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7' },
  ],
  patterns: [apiCallPattern(EC2_SOURCE, ['CreateRoute', 'ReplaceRoute'])],
  evaluate(event) {
    const route = defaultRouteTo(event, peeringOf);
    if (!route) return [];
    return [
      {
        resourceId: route.routeTableId,
        resourceType: 'AWS::EC2::RouteTable',
        qualifier: route.destination,
        message: `Route table ${route.routeTableId} now sends ${route.destination} over VPC peering connection ${route.target} (${recordOf(event).eventName})`,
        evidence: { routeTableId: route.routeTableId, destination: route.destination, vpcPeeringConnectionId: route.target },
      },
    ];
  },
  resolution: {
    description: 'DeleteRoute of the same destination, or ReplaceRoute pointing it at a target that is not a peering connection',
    patterns: [apiCallPattern(EC2_SOURCE, ['DeleteRoute', 'ReplaceRoute'])],
    resolve: (event) => routeNoLongerTo(event, peeringOf, 'a peering connection'),
  },
};
