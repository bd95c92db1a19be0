import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString, pathGet } from '../../kernel/values';
import { requestOf, responseOf } from '../../kernel/records';
import { itemsOf } from '../../kernel/ec2';
import { EC2_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { INSTANCE_TYPE, terminatedInstanceIds } from './support';

/**
 * RunInstances records the requested network interfaces as `networkInterfaceSet.items[]` with
 * `deviceIndex`, `subnetId` and `associatePublicIpAddress`, and the launched instances as
 * `responseElements.instancesSet.items[].instanceId`. The public address itself is assigned after
 * the call, so the request flag is the evidence; launches that rely on the subnet's
 * auto-assign setting do not show it and are not reported here.
 */
function publicInterfaces(event: EventBridgeEvent): Array<Record<string, unknown>> {
  return itemsOf(pathGet(requestOf(event), 'networkInterfaceSet')).filter((i) => i.associatePublicIpAddress === true);
}

function launchedInstanceIds(event: EventBridgeEvent): string[] {
  return itemsOf(pathGet(responseOf(event), 'instancesSet'))
    .map((i) => asString(i.instanceId))
    .filter((id): id is string => id !== undefined);
}

/**
 * EC2 instances launched with a public IPv4 address requested on their network interface
 * (RunInstances with associatePublicIpAddress true, FSBP EC2.9): container hosts belong in
 * private subnets behind load balancers; a public address leaves the host one security-group
 * mistake away from the internet. One finding per launched instance.
 */
export const instancePublicIp: Control = {
  id: 'host.instance-public-ip',
  area: 'host',
  title: 'EC2 instance launched with a public IPv4 address',
  severity: 'MEDIUM',
  rationale:
    'A host with a public address is directly reachable from the internet whenever a security group or NACL is loosened, and its container runtime, kubelet or SSH become attack surface; container hosts should sit in private subnets behind load balancers.',
  runbook: [
    'If the host does not need to be reachable, replace it in a private subnet: set the launch template or Auto Scaling group network settings to "Auto-assign public IP: Disable" and private subnets, then `aws ec2 terminate-instances --instance-ids <id>` (or an instance refresh).',
    'Where inbound access is needed, put a load balancer or AWS Systems Manager Session Manager in front instead of a public address; for outbound access use a NAT gateway.',
    'Prevent it: disable auto-assign public IPv4 on private subnets (`aws ec2 modify-subnet-attribute --subnet-id <subnet> --no-map-public-ip-on-launch`) and deny ec2:RunInstances with ec2:AssociatePublicIpAddress true via SCP.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'EC2.9' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7' },
    { framework: 'nist-800-53-r5', requirement: 'AC-4' },
  ],
  patterns: [apiCallPattern(EC2_SOURCE, ['RunInstances'])],
  evaluate(event): Violation[] {
    const interfaces = publicInterfaces(event);
    if (interfaces.length === 0) return [];
    const evidence = interfaces.map((i) => ({ deviceIndex: i.deviceIndex, subnetId: i.subnetId, associatePublicIpAddress: true }));
    return launchedInstanceIds(event).map((instanceId) => ({
      resourceId: instanceId,
      resourceType: INSTANCE_TYPE,
      message: `Instance ${instanceId} was launched with a public IPv4 address on its network interface`,
      evidence: { instanceId, networkInterfaceSet: evidence },
    }));
  },
  resolution: {
    description: 'TerminateInstances of the instance',
    patterns: [apiCallPattern(EC2_SOURCE, ['TerminateInstances'])],
    resolve(event): Resolution[] {
      return terminatedInstanceIds(event).map((id) => ({ resourceId: id, message: `Instance ${id} was terminated` }));
    },
  },
};
