import type { Control, Resolution, Violation } from '../../model/control';
import { asString } from '../../kernel/values';
import { recordOf, requestOf } from '../../kernel/records';
import { EC2_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { INSTANCE_TYPE, terminatedInstanceIds } from './support';

/**
 * ModifyInstanceAttribute is logged flat: `{"instanceId": "i-…", "userData": "<sensitiveDataRemoved>"}`
 * when the call replaces the user data through its own parameter (CloudTrail redacts the script
 * itself), or `{"instanceId": "i-…", "attribute": "userData", "value": …}` when it names the
 * attribute (`aws ec2 modify-instance-attribute --attribute userData --value …`); other attribute
 * changes carry `instanceType`, `disableApiTermination`, `groupSet`, … instead.
 */
function userDataChange(request: Record<string, unknown>): { instanceId: string; userData: unknown } | undefined {
  const instanceId = asString(request.instanceId);
  if (!instanceId) return undefined;
  if (request.userData !== undefined && request.userData !== null) return { instanceId, userData: request.userData };
  if (asString(request.attribute) === 'userData') return { instanceId, userData: request.value ?? null };
  return undefined;
}

/**
 * An instance's user data replaced (ModifyInstanceAttribute with userData): the script runs as root
 * on the next start (cloud-init user scripts, ECS agent configuration on container hosts), so
 * changing it is a persistence and privilege path — stop, modify, start — that leaves no trace on
 * the host beforehand. The instance must be stopped for the call to succeed.
 */
export const instanceUserDataModified: Control = {
  id: 'host.instance-user-data-modified',
  area: 'host',
  title: 'EC2 instance user data modified',
  severity: 'HIGH',
  rationale:
    'User data runs as root when the instance starts; whoever can replace it can run any code on the host and, on a container host, reach every task and the instance role — a known attacker technique for persistence and privilege escalation.',
  runbook: [
    'Check who made the change and whether it came from the deployment pipeline (userIdentity, userAgent of the event).',
    'Inspect the new user data before the instance starts again: EC2 console → Instances → <instance> → Actions → Instance settings → Edit user data, or `aws ec2 describe-instance-attribute --instance-id <id> --attribute userData --query UserData.Value --output text | base64 -d`.',
    'If it is not an approved change, restore the approved script (`aws ec2 modify-instance-attribute --instance-id <id> --attribute userData --value file://approved-user-data.b64`) or replace the instance from its launch template; if it already started, treat the host as compromised.',
    'Restrict ec2:ModifyInstanceAttribute to the deployment roles, and launch container hosts from launch templates so user data changes go through review.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'CM-3' },
    { framework: 'nist-800-53-r5', requirement: 'SI-7' },
    { framework: 'pci-dss-4.0', requirement: '11.5.2' },
  ],
  attack: ['T1059.004'],
  patterns: [apiCallPattern(EC2_SOURCE, ['ModifyInstanceAttribute'])],
  evaluate(event): Violation[] {
    const change = userDataChange(requestOf(event));
    if (!change) return [];
    return [
      {
        resourceId: change.instanceId,
        resourceType: INSTANCE_TYPE,
        message: `The user data of instance ${change.instanceId} was replaced; it runs as root on the next start`,
        evidence: { instanceId: change.instanceId, userData: change.userData },
      },
    ];
  },
  resolution: {
    description: 'TerminateInstances of the instance (a reviewed user data change is closed by hand)',
    patterns: [apiCallPattern(EC2_SOURCE, ['TerminateInstances'])],
    resolve(event): Resolution[] {
      if (recordOf(event).eventName !== 'TerminateInstances') return [];
      return terminatedInstanceIds(event).map((id) => ({ resourceId: id, message: `Instance ${id} was terminated` }));
    },
  },
};
