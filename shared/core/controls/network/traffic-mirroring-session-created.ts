import type { Control, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { recordOf } from '../../kernel/records';
import { EC2_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { ec2RequestString, ec2ResponseString } from './support';

const SESSION_TYPE = 'AWS::EC2::TrafficMirrorSession';

/**
 * ModifyTrafficMirrorSession pointing an existing session at another target or filter: the mirrored
 * packets now go somewhere else, or a different share of them is copied. Changes of description,
 * packet length or VXLAN id alone are not reported.
 */
function modifiedSession(event: EventBridgeEvent): Violation[] {
  const session =
    ec2RequestString(event, 'TrafficMirrorSessionId') ?? ec2ResponseString(event, 'trafficMirrorSession.trafficMirrorSessionId');
  const target = ec2RequestString(event, 'TrafficMirrorTargetId');
  const filter = ec2RequestString(event, 'TrafficMirrorFilterId');
  if (!session || (!target && !filter)) return [];
  const source = ec2ResponseString(event, 'trafficMirrorSession.networkInterfaceId');
  const changes = [target ? `target ${target}` : undefined, filter ? `filter ${filter}` : undefined].filter(Boolean).join(' and ');
  return [
    {
      resourceId: session,
      resourceType: SESSION_TYPE,
      message: `Traffic mirror session ${session}${source ? ` (source ${source})` : ''} was changed to mirror to ${changes}`,
      evidence: {
        trafficMirrorSessionId: session,
        networkInterfaceId: source ?? null,
        trafficMirrorTargetId: target ?? null,
        trafficMirrorFilterId: filter ?? null,
      },
    },
  ];
}

/**
 * A traffic mirror session created (CreateTrafficMirrorSession), or redirected to another target or
 * filter (ModifyTrafficMirrorSession): every packet of the source network interface, payload
 * included, is copied to the mirror target (an ENI, NLB or Gateway Load Balancer endpoint that may
 * sit in another VPC or account). Legitimate for IDS appliances, and a quiet way to
 * capture credentials and data otherwise. DeleteTrafficMirrorSession resolves it.
 */
export const trafficMirroringSessionCreated: Control = {
  id: 'network.traffic-mirroring-session-created',
  area: 'network',
  title: 'VPC traffic mirroring session created or redirected',
  severity: 'MEDIUM',
  rationale:
    "A traffic mirror session copies full packets, including unencrypted credentials, tokens and data, from a workload's network interface to another destination; unless it feeds an approved inspection appliance it is a packet-capture exfiltration channel.",
  runbook: [
    "Identify the target: VPC console → Traffic mirroring → Mirror sessions → <tms> → Target, or `aws ec2 describe-traffic-mirror-targets --traffic-mirror-target-ids <tmt-id>`; confirm it is the security team's inspection appliance.",
    'If not approved, delete the session: VPC console → Traffic mirroring → Mirror sessions → <tms> → Actions → Delete; CLI `aws ec2 delete-traffic-mirror-session --traffic-mirror-session-id <tms-id>`.',
    'Review what the source interface carried while mirrored (plaintext protocols, credentials) and rotate exposed secrets; restrict ec2:CreateTrafficMirrorSession to the security team with an SCP.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-4' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7' },
  ],
  patterns: [apiCallPattern(EC2_SOURCE, ['CreateTrafficMirrorSession', 'ModifyTrafficMirrorSession'])],
  evaluate(event) {
    if (recordOf(event).eventName === 'ModifyTrafficMirrorSession') return modifiedSession(event);
    const session = ec2ResponseString(event, 'trafficMirrorSession.trafficMirrorSessionId');
    const source = ec2RequestString(event, 'NetworkInterfaceId');
    const target = ec2RequestString(event, 'TrafficMirrorTargetId');
    const resourceId = session ?? source;
    if (!resourceId) return [];
    return [
      {
        resourceId,
        resourceType: session ? SESSION_TYPE : 'AWS::EC2::NetworkInterface',
        message: `Traffic of network interface ${source ?? '(unknown)'} is now mirrored to target ${target ?? '(unknown)'}${session ? ` (session ${session})` : ''}`,
        evidence: {
          networkInterfaceId: source ?? null,
          trafficMirrorTargetId: target ?? null,
          trafficMirrorFilterId: ec2RequestString(event, 'TrafficMirrorFilterId') ?? null,
          trafficMirrorSessionId: session ?? null,
        },
      },
    ];
  },
  resolution: {
    description: 'DeleteTrafficMirrorSession of the same session',
    patterns: [apiCallPattern(EC2_SOURCE, ['DeleteTrafficMirrorSession'])],
    resolve(event) {
      const session = ec2RequestString(event, 'TrafficMirrorSessionId') ?? ec2ResponseString(event, 'trafficMirrorSessionId');
      return session ? [{ resourceId: session, message: `Traffic mirror session ${session} was deleted` }] : [];
    },
  },
};
