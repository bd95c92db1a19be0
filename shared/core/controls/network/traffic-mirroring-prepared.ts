import type { Control, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { pathGet } from '../../kernel/values';
import { accountOf, recordOf, requestOf } from '../../kernel/records';
import { accountOfArn } from '../../kernel/arn';
import { EC2_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { ec2RequestString, ec2ResponseString } from './support';

const TARGET_TYPE = 'AWS::EC2::TrafficMirrorTarget';
const FILTER_TYPE = 'AWS::EC2::TrafficMirrorFilter';

function targetCreated(event: EventBridgeEvent, trustedAccounts: readonly string[]): Violation[] {
  const targetId = ec2ResponseString(event, 'trafficMirrorTarget.trafficMirrorTargetId');
  if (!targetId) return [];
  const eni = ec2RequestString(event, 'NetworkInterfaceId');
  const nlb = ec2RequestString(event, 'NetworkLoadBalancerArn');
  const gwlbe = ec2RequestString(event, 'GatewayLoadBalancerEndpointId');
  const destination = eni
    ? `network interface ${eni}`
    : nlb
      ? `Network Load Balancer ${nlb}`
      : gwlbe
        ? `Gateway Load Balancer endpoint ${gwlbe}`
        : 'an unnamed destination';
  const nlbAccount = accountOfArn(nlb);
  const foreign = nlbAccount !== undefined && nlbAccount !== accountOf(event) && !trustedAccounts.includes(nlbAccount);
  return [
    {
      resourceId: targetId,
      resourceType: TARGET_TYPE,
      ...(foreign ? { severity: 'MEDIUM' as const } : {}),
      message: `Traffic mirror target ${targetId} was created for ${destination}${foreign ? `, in untrusted account ${nlbAccount}` : ''}`,
      evidence: {
        trafficMirrorTargetId: targetId,
        networkInterfaceId: eni ?? null,
        networkLoadBalancerArn: nlb ?? null,
        gatewayLoadBalancerEndpointId: gwlbe ?? null,
      },
    },
  ];
}

function filterChanged(event: EventBridgeEvent): Violation[] {
  const eventName = recordOf(event).eventName;
  const filterId =
    eventName === 'CreateTrafficMirrorFilter'
      ? ec2ResponseString(event, 'trafficMirrorFilter.trafficMirrorFilterId')
      : (ec2RequestString(event, 'TrafficMirrorFilterId') ?? ec2ResponseString(event, 'trafficMirrorFilterRule.trafficMirrorFilterId'));
  if (!filterId) return [];
  if (eventName === 'CreateTrafficMirrorFilter') {
    return [
      {
        resourceId: filterId,
        resourceType: FILTER_TYPE,
        message: `Traffic mirror filter ${filterId} was created`,
        evidence: { trafficMirrorFilterId: filterId },
      },
    ];
  }
  const direction = ec2RequestString(event, 'TrafficDirection') ?? 'unknown-direction';
  const action = ec2RequestString(event, 'RuleAction') ?? 'unknown';
  const source = ec2RequestString(event, 'SourceCidrBlock') ?? '(any)';
  const destination = ec2RequestString(event, 'DestinationCidrBlock') ?? '(any)';
  // Keyed on the filter without qualifier: a filter's rules add to the filter's one finding.
  return [
    {
      resourceId: filterId,
      resourceType: FILTER_TYPE,
      message: `Traffic mirror filter ${filterId} got a ${direction} rule to ${action} traffic from ${source} to ${destination}`,
      evidence: {
        trafficMirrorFilterId: filterId,
        trafficDirection: direction,
        ruleAction: action,
        sourceCidrBlock: source,
        destinationCidrBlock: destination,
        protocol: pathGet(requestOf(event), 'CreateTrafficMirrorFilterRuleRequest.Protocol') ?? null,
      },
    },
  ];
}

/**
 * The pieces of VPC traffic mirroring set up ahead of a mirror session: a mirror target created
 * (CreateTrafficMirrorTarget: the network interface, Network Load Balancer or Gateway Load Balancer
 * endpoint that will receive copied packets) and a mirror filter created or given rules
 * (CreateTrafficMirrorFilter, CreateTrafficMirrorFilterRule: which packets get copied). Nothing is
 * copied until a session uses them (network.traffic-mirroring-session-created), so these are LOW:
 * mirroring is rare outside security tooling, and its staging is worth a look. A target behind a
 * Network Load Balancer of an account neither this one nor in settings.trustedAccounts is MEDIUM:
 * mirrored packets would leave the account. Deleting the target or filter resolves it.
 */
export const trafficMirroringPrepared: Control = {
  id: 'network.traffic-mirroring-prepared',
  area: 'network',
  title: 'VPC traffic mirror target or filter created',
  severity: 'LOW',
  rationale:
    'Traffic mirroring copies whole packets off a workload’s network interface; a new mirror target or filter is the preparation for that copy, and one pointing at a load balancer in another account prepares an exfiltration path.',
  runbook: [
    'Ask the network or security team whether a mirroring deployment (IDS, packet capture) is under way; if so, confirm the target belongs to it: VPC console → Traffic mirroring → Mirror targets / Mirror filters, or `aws ec2 describe-traffic-mirror-targets` and `aws ec2 describe-traffic-mirror-filters`.',
    'If not, check for sessions that use them (`aws ec2 describe-traffic-mirror-sessions --filters Name=traffic-mirror-target-id,Values=<tmt-id>`), delete those, then the target and filter: `aws ec2 delete-traffic-mirror-target --traffic-mirror-target-id <tmt-id>`, `aws ec2 delete-traffic-mirror-filter --traffic-mirror-filter-id <tmf-id>`.',
    'Limit ec2:CreateTrafficMirror* to the security team with an SCP.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-4' },
    { framework: 'nist-800-53-r5', requirement: 'CM-3' },
  ],
  patterns: [apiCallPattern(EC2_SOURCE, ['CreateTrafficMirrorTarget', 'CreateTrafficMirrorFilter', 'CreateTrafficMirrorFilterRule'])],
  evaluate(event, { settings }) {
    return recordOf(event).eventName === 'CreateTrafficMirrorTarget'
      ? targetCreated(event, settings.trustedAccounts)
      : filterChanged(event);
  },
  resolution: {
    description: 'DeleteTrafficMirrorTarget or DeleteTrafficMirrorFilter of the same target or filter',
    patterns: [apiCallPattern(EC2_SOURCE, ['DeleteTrafficMirrorTarget', 'DeleteTrafficMirrorFilter'])],
    resolve(event) {
      if (recordOf(event).eventName === 'DeleteTrafficMirrorTarget') {
        const targetId = ec2RequestString(event, 'TrafficMirrorTargetId') ?? ec2ResponseString(event, 'trafficMirrorTargetId');
        return targetId ? [{ resourceId: targetId, message: `Traffic mirror target ${targetId} was deleted` }] : [];
      }
      const filterId = ec2RequestString(event, 'TrafficMirrorFilterId') ?? ec2ResponseString(event, 'trafficMirrorFilterId');
      return filterId ? [{ resourceId: filterId, message: `Traffic mirror filter ${filterId} was deleted` }] : [];
    },
  },
};
