import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asRecord, asString, pathGet } from '../../kernel/values';
import { accountOf, recordOf, requestOf, responseOf } from '../../kernel/records';
import { EC2_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

interface Peering {
  id: string;
  /** The account on the other side of the connection from the caller's. */
  remoteAccount: string;
  remoteVpc: string | undefined;
  localVpc: string | undefined;
  remoteRegion: string | undefined;
}

/**
 * The peering a CreateVpcPeeringConnection (caller is the requester; peerOwnerId defaults to the
 * caller's account) or AcceptVpcPeeringConnection (caller is the accepter; the requester's owner is
 * in the response) call set up, as seen from the caller's account.
 */
function peeringOf(event: EventBridgeEvent): Peering | undefined {
  const connection = asRecord(pathGet(responseOf(event), 'vpcPeeringConnection'));
  const id = asString(connection.vpcPeeringConnectionId) ?? asString(requestOf(event).vpcPeeringConnectionId);
  if (!id) return undefined;
  const requester = asRecord(connection.requesterVpcInfo);
  const accepter = asRecord(connection.accepterVpcInfo);
  if (recordOf(event).eventName === 'AcceptVpcPeeringConnection') {
    const remoteAccount = asString(requester.ownerId);
    if (!remoteAccount) return undefined;
    return {
      id,
      remoteAccount,
      remoteVpc: asString(requester.vpcId),
      localVpc: asString(accepter.vpcId),
      remoteRegion: asString(requester.region),
    };
  }
  const request = requestOf(event);
  const remoteAccount = asString(request.peerOwnerId) ?? asString(accepter.ownerId) ?? accountOf(event);
  return {
    id,
    remoteAccount,
    remoteVpc: asString(request.peerVpcId) ?? asString(accepter.vpcId),
    localVpc: asString(request.vpcId) ?? asString(requester.vpcId),
    remoteRegion: asString(request.peerRegion) ?? asString(accepter.region),
  };
}

/**
 * VPC peering with an account that is neither the caller's own nor in settings.trustedAccounts:
 * a peering requested to such an account (CreateVpcPeeringConnection) or accepted from one
 * (AcceptVpcPeeringConnection). Peering joins the two networks at the routing layer, bypassing the
 * organization's egress controls. DeleteVpcPeeringConnection resolves it.
 */
export const vpcPeeringUntrustedAccount: Control = {
  id: 'network.vpc-peering-untrusted-account',
  area: 'network',
  title: 'VPC peering with an untrusted account',
  severity: 'MEDIUM',
  rationale:
    'A peering connection lets hosts in another account reach the VPC directly wherever route tables and security groups allow, outside any egress filtering; with an account the organization does not control it is a path for lateral movement and data exfiltration.',
  runbook: [
    'Confirm who owns the peer account; if it belongs to the organization or an approved partner, add it to settings.trustedAccounts.',
    'Otherwise delete the connection: VPC console → Peering connections → <pcx> → Actions → Delete peering connection; CLI `aws ec2 delete-vpc-peering-connection --vpc-peering-connection-id <pcx-id>`.',
    'Remove routes that point at the connection (`aws ec2 describe-route-tables --filters Name=route.vpc-peering-connection-id,Values=<pcx-id>`) and review flow logs for traffic to the peer CIDR.',
    'Restrict ec2:CreateVpcPeeringConnection and ec2:AcceptVpcPeeringConnection with an SCP, e.g. on the ec2:AccepterVpc / ec2:RequesterVpc condition keys.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-4' },
    { framework: 'nist-800-53-r5', requirement: 'CA-3' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7' },
  ],
  patterns: [apiCallPattern(EC2_SOURCE, ['CreateVpcPeeringConnection', 'AcceptVpcPeeringConnection'])],
  evaluate(event, context) {
    const peering = peeringOf(event);
    if (!peering) return [];
    if (peering.remoteAccount === accountOf(event) || context.settings.trustedAccounts.includes(peering.remoteAccount)) return [];
    const accepted = recordOf(event).eventName === 'AcceptVpcPeeringConnection';
    return [
      {
        resourceId: peering.id,
        resourceType: 'AWS::EC2::VPCPeeringConnection',
        message: accepted
          ? `VPC ${peering.localVpc ?? '(unknown)'} accepted peering ${peering.id} from VPC ${peering.remoteVpc ?? '(unknown)'} of untrusted account ${peering.remoteAccount}`
          : `VPC ${peering.localVpc ?? '(unknown)'} requested peering ${peering.id} with VPC ${peering.remoteVpc ?? '(unknown)'} of untrusted account ${peering.remoteAccount}`,
        evidence: {
          vpcPeeringConnectionId: peering.id,
          remoteAccount: peering.remoteAccount,
          remoteVpcId: peering.remoteVpc ?? null,
          localVpcId: peering.localVpc ?? null,
          remoteRegion: peering.remoteRegion ?? null,
        },
      },
    ];
  },
  resolution: {
    description: 'DeleteVpcPeeringConnection of the same connection',
    patterns: [apiCallPattern(EC2_SOURCE, ['DeleteVpcPeeringConnection'])],
    resolve(event) {
      const id = asString(requestOf(event).vpcPeeringConnectionId);
      return id ? [{ resourceId: id, message: `VPC peering connection ${id} was deleted` }] : [];
    },
  },
};
