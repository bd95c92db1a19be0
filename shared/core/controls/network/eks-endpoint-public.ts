import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asRecord, asString, isFalse, stringsOf } from '../../kernel/values';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { arnIn } from '../../kernel/arn';
import { EKS_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { isOpenToInternet } from '../../kernel/cidr';

/** EKS defaults when CreateCluster omits them: public endpoint on, reachable from 0.0.0.0/0. */
const DEFAULT_PUBLIC_ACCESS = true;
const DEFAULT_PUBLIC_CIDRS = ['0.0.0.0/0'];

function requestedClusterName(event: EventBridgeEvent): string | undefined {
  return asString(requestOf(event).name) ?? asString(asRecord(responseOf(event).cluster).name);
}

/** The cluster ARN, built from the name so that CreateCluster, UpdateClusterConfig and DeleteCluster agree. */
function clusterArn(event: EventBridgeEvent, name: string): string {
  return arnIn(event, 'eks', `cluster/${name}`);
}

interface EndpointAccess {
  /** undefined when the call does not say (an update that leaves it unchanged). */
  publicAccess: boolean | undefined;
  publicAccessCidrs: string[] | undefined;
  source: Record<string, unknown>;
}

/**
 * The endpoint access the call results in. CreateCluster: the cluster in the response (what EKS
 * actually set), else the request with EKS's defaults filled in. UpdateClusterConfig: only what the
 * request changes.
 */
function endpointAccessOf(event: EventBridgeEvent): EndpointAccess | undefined {
  const requested = requestOf(event).resourcesVpcConfig;
  if (recordOf(event).eventName === 'CreateCluster') {
    const created = asRecord(responseOf(event).cluster).resourcesVpcConfig;
    const config = asRecord(created ?? requested);
    const cidrs = stringsOf(config.publicAccessCidrs);
    return {
      publicAccess: typeof config.endpointPublicAccess === 'boolean' ? config.endpointPublicAccess : DEFAULT_PUBLIC_ACCESS,
      publicAccessCidrs: cidrs.length > 0 ? cidrs : DEFAULT_PUBLIC_CIDRS,
      source: config,
    };
  }
  if (requested === undefined || requested === null) return undefined;
  const config = asRecord(requested);
  const cidrs = config.publicAccessCidrs === undefined ? undefined : stringsOf(config.publicAccessCidrs);
  return {
    publicAccess:
      typeof config.endpointPublicAccess === 'boolean'
        ? config.endpointPublicAccess
        : isFalse(config.endpointPublicAccess)
          ? false
          : undefined,
    publicAccessCidrs: cidrs,
    source: config,
  };
}

/**
 * The Kubernetes API endpoint of an EKS cluster reachable from the whole internet: CreateCluster or
 * UpdateClusterConfig leaving endpointPublicAccess on with 0.0.0.0/0 among publicAccessCidrs (EKS's
 * default when a cluster is created without those fields). Blocks in settings.allowedCidrs are accepted.
 */
export const eksEndpointPublic: Control = {
  id: 'network.eks-endpoint-public',
  area: 'network',
  title: 'EKS cluster API endpoint open to the internet',
  severity: 'HIGH',
  rationale:
    'A public EKS endpoint open to 0.0.0.0/0 exposes the Kubernetes API server to scanning, credential stuffing and API-server vulnerabilities from anywhere; private access or a short list of trusted CIDRs keeps the control plane off the internet.',
  runbook: [
    'Make sure operators and CI reach the cluster another way first (VPN, bastion, or runners inside the VPC), or collect the CIDRs they use.',
    'Console: EKS → Clusters → <cluster> → Networking → Manage endpoint access → enable Private access and either disable Public access or restrict it to the trusted CIDRs.',
    'CLI: `aws eks update-cluster-config --name <cluster> --resources-vpc-config endpointPrivateAccess=true,endpointPublicAccess=false`, or keep public access with `publicAccessCidrs=<cidr1>,<cidr2>`.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'EKS.1' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7' },
    { framework: 'nist-800-53-r5', requirement: 'AC-4' },
  ],
  patterns: [apiCallPattern(EKS_SOURCE, ['CreateCluster', 'UpdateClusterConfig'])],
  evaluate(event, { settings }) {
    const name = requestedClusterName(event);
    const access = endpointAccessOf(event);
    if (!name || !access || access.publicAccess === false) return [];
    // An update that only changes the CIDRs applies to an endpoint that is public (or becomes public).
    const open = (access.publicAccessCidrs ?? []).filter((cidr) => isOpenToInternet(cidr, settings.allowedCidrs));
    if (open.length === 0) return [];
    return [
      {
        resourceId: clusterArn(event, name),
        resourceType: 'AWS::EKS::Cluster',
        message: `EKS cluster ${name} exposes its Kubernetes API endpoint publicly to ${open.join(', ')}`,
        evidence: {
          name,
          endpointPublicAccess: access.source.endpointPublicAccess ?? `default (${DEFAULT_PUBLIC_ACCESS})`,
          publicAccessCidrs: access.source.publicAccessCidrs ?? DEFAULT_PUBLIC_CIDRS,
          ...(access.source.endpointPrivateAccess !== undefined ? { endpointPrivateAccess: access.source.endpointPrivateAccess } : {}),
        },
      },
    ];
  },
  resolution: {
    description: 'UpdateClusterConfig turning public access off or limiting publicAccessCidrs to non-internet blocks, or DeleteCluster',
    patterns: [apiCallPattern(EKS_SOURCE, ['UpdateClusterConfig', 'DeleteCluster'])],
    resolve(event, { settings }) {
      const name = requestedClusterName(event);
      if (!name) return [];
      if (recordOf(event).eventName === 'DeleteCluster') {
        return [{ resourceId: clusterArn(event, name), message: `EKS cluster ${name} was deleted` }];
      }
      const access = endpointAccessOf(event);
      if (!access) return [];
      const closed = access.publicAccess === false;
      const narrowed =
        access.publicAccessCidrs !== undefined &&
        access.publicAccessCidrs.length > 0 &&
        !access.publicAccessCidrs.some((cidr) => isOpenToInternet(cidr, settings.allowedCidrs));
      if (!closed && !narrowed) return [];
      const how = closed ? 'public endpoint access turned off' : `public access limited to ${access.publicAccessCidrs!.join(', ')}`;
      return [{ resourceId: clusterArn(event, name), message: `EKS cluster ${name} has ${how}` }];
    },
  },
};
