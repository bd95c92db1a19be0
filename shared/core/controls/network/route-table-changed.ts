import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString, pathGet } from '../../kernel/values';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { principalOf } from '../../kernel/principals';
import { EC2_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { canonicalCidr, isWholeInternet } from '../../kernel/cidr';
import { type ChangeReaders, NETWORK_CHANGE_FRAMEWORKS, type ResourceChange, changeRecordsOf } from './support';

/** The request fields that name a route's target, as CloudTrail logs CreateRoute / ReplaceRoute. */
const TARGET_FIELDS = [
  'gatewayId',
  'natGatewayId',
  'transitGatewayId',
  'vpcPeeringConnectionId',
  'networkInterfaceId',
  'instanceId',
  'egressOnlyInternetGatewayId',
  'vpcEndpointId',
  'localGatewayId',
  'carrierGatewayId',
  'coreNetworkArn',
] as const;

function destinationOf(request: Record<string, unknown>): string | undefined {
  const cidr = asString(request.destinationCidrBlock) ?? asString(request.destinationIpv6CidrBlock);
  return cidr ? (canonicalCidr(cidr) ?? cidr) : asString(request.destinationPrefixListId);
}

function targetOf(request: Record<string, unknown>): { field: string; value: string } | undefined {
  for (const field of TARGET_FIELDS) {
    const value = asString(request[field]);
    if (value) return { field, value };
  }
  return undefined;
}

function routeTable(id: unknown, action: string, details: Record<string, unknown> = {}): ResourceChange | undefined {
  const resourceId = asString(id);
  return resourceId ? { resourceId, resourceType: 'AWS::EC2::RouteTable', label: `Route table ${resourceId}`, action, details } : undefined;
}

function route(event: EventBridgeEvent, verb: string): ResourceChange | undefined {
  const request = requestOf(event);
  const destination = destinationOf(request);
  const target = targetOf(request);
  if (!destination) return undefined;
  return routeTable(request.routeTableId, target ? `${verb} route ${destination} to ${target.value}` : `${verb} route ${destination}`, {
    destination,
    ...(target ? { [target.field]: target.value } : {}),
  });
}

/** A CreateRoute / ReplaceRoute of 0.0.0.0/0 or ::/0 to an internet gateway, which network.internet-gateway-route-added reports (LOW). */
function reportedElsewhere(event: EventBridgeEvent): boolean {
  const request = requestOf(event);
  return (
    asString(request.gatewayId)?.startsWith('igw-') === true &&
    isWholeInternet(asString(request.destinationCidrBlock) ?? asString(request.destinationIpv6CidrBlock))
  );
}

const READERS: ChangeReaders = {
  CreateRoute: (e) => route(e, 'had'),
  ReplaceRoute: (e) => route(e, 'had'),
  DeleteRoute: (e) => route(e, 'lost'),
  CreateRouteTable: (e) =>
    routeTable(pathGet(responseOf(e), 'routeTable.routeTableId'), `created in ${asString(requestOf(e).vpcId) ?? 'a VPC'}`, {
      vpcId: requestOf(e).vpcId ?? null,
    }),
  DeleteRouteTable: (e) => routeTable(requestOf(e).routeTableId, 'deleted'),
  AssociateRouteTable: (e) => {
    const request = requestOf(e);
    const subject = asString(request.subnetId) ?? asString(request.gatewayId);
    return routeTable(request.routeTableId, `associated with ${subject ?? 'a subnet'}`, {
      subnetId: request.subnetId ?? null,
      gatewayId: request.gatewayId ?? null,
      associationId: responseOf(e).associationId ?? null,
    });
  },
  ReplaceRouteTableAssociation: (e) =>
    routeTable(requestOf(e).routeTableId, `took over association ${asString(requestOf(e).associationId) ?? '(unnamed)'}`, {
      associationId: requestOf(e).associationId ?? null,
      newAssociationId: responseOf(e).newAssociationId ?? null,
    }),
  DisassociateRouteTable: (e) => {
    // The request names only the association; the route table and subnet are not in the record.
    const association = asString(requestOf(e).associationId);
    return association
      ? {
          resourceId: association,
          resourceType: 'AWS::EC2::SubnetRouteTableAssociation',
          label: `Route table association ${association}`,
          action: 'removed',
          details: {},
        }
      : undefined;
  },
};

/**
 * Activity record: a route table created, deleted, associated or disassociated, or a route in it
 * created, replaced or deleted (CIS 4.13's route table changes, plus AssociateRouteTable). A default
 * route to an internet gateway is not recorded here: network.internet-gateway-route-added reports it
 * (LOW). Failed calls are not recorded. Routes decide where a subnet's traffic can go (the internet,
 * a NAT gateway, a peered VPC, a transit gateway or an appliance), so each change is recorded for the
 * change history auditors review. INFORMATIONAL: not notified by default.
 */
export const routeTableChanged: Control = {
  id: 'network.route-table-changed',
  area: 'network',
  title: 'Route table or route changed (activity record)',
  severity: 'INFORMATIONAL',
  rationale:
    "A route sends a subnet's traffic somewhere: a new route to a peering connection, transit gateway or instance can bypass inspection or reach networks that were meant to stay apart, and a deleted or re-associated table can cut a tier off or make it public, so route changes belong in the reviewed change history.",
  runbook: [
    'Confirm the change with its owner (the caller is in userIdentity) or an approved change; infrastructure-as-code deployments show CloudFormation or Terraform in userAgent.',
    'Check the target against the design: VPC console → Route tables → <rtb> → Routes and Subnet associations; traffic to other networks should pass the intended firewall, NAT or transit gateway.',
    'Not approved: restore the route (`aws ec2 replace-route --route-table-id <rtb-id> --destination-cidr-block <cidr> --<target-type> <target-id>`, `aws ec2 delete-route --route-table-id <rtb-id> --destination-cidr-block <cidr>`) or the association (`aws ec2 replace-route-table-association --association-id <assoc-id> --route-table-id <rtb-id>`).',
  ],
  frameworks: [{ framework: 'cis-aws', requirement: '4.13' }, ...NETWORK_CHANGE_FRAMEWORKS],
  patterns: [apiCallPattern(EC2_SOURCE, Object.keys(READERS))],
  evaluate(event) {
    if (reportedElsewhere(event)) return [];
    return changeRecordsOf(
      event,
      READERS,
      (change) => `${change.label} ${change.action} (${recordOf(event).eventName ?? ''} by ${principalOf(event)})`,
    );
  },
};
