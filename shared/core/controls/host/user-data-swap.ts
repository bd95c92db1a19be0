import type { Control, DetectionSignal, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString, pathGet } from '../../kernel/values';
import { accountOf, recordOf, regionOf, requestOf } from '../../kernel/records';
import { itemsOf } from '../../kernel/ec2';
import { callerEvidenceOf } from '../../kernel/principals';
import { EC2_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { INSTANCE_TYPE } from './support';

const WINDOW = 'stopModifyStart';
const STOPPED = 'stopped';
const USER_DATA = 'user data replaced';
const STARTED = 'started';

/** The instance ids a StopInstances or StartInstances request names (requestParameters.instancesSet.items). */
function instanceIdsOf(event: EventBridgeEvent): string[] {
  const ids = itemsOf(pathGet(requestOf(event), 'instancesSet')).map((item) => asString(item.instanceId));
  return [...new Set(ids.filter((id): id is string => id !== undefined))];
}

/** The instance whose user data a ModifyInstanceAttribute call replaces (its own userData parameter, or attribute userData). */
function userDataInstanceOf(event: EventBridgeEvent): string | undefined {
  const request = requestOf(event);
  const instanceId = asString(request.instanceId);
  if (!instanceId) return undefined;
  return (request.userData !== undefined && request.userData !== null) || asString(request.attribute) === 'userData'
    ? instanceId
    : undefined;
}

/**
 * The user-data swap: an instance stopped, its user data replaced (ModifyInstanceAttribute), and started
 * again, all within `stopModifyStart` (60 minutes by default) — the sequence that runs an attacker's script
 * as root on the next boot, without any access to the host. Each step is kept per instance; the step that
 * completes the sequence (in event time, whichever arrives last) raises it, HIGH. The replacement alone is
 * host.instance-user-data-modified.
 */
export const userDataSwap: Control = {
  id: 'host.user-data-swap',
  area: 'host',
  title: 'Instance stopped, user data replaced and started again',
  severity: 'HIGH',
  rationale:
    'Stop, replace user data, start: whoever may call these three APIs runs any code as root on the instance at boot, and on a container host reaches every task and the instance role, without logging in. Together, within minutes, they are the technique rather than maintenance.',
  runbook: [
    'Inspect the user data now in place: `aws ec2 describe-instance-attribute --instance-id <id> --attribute userData --query UserData.Value --output text | base64 -d`, and compare it with the launch template’s.',
    'If it is not an approved change, isolate the instance (a security group without rules), snapshot its volumes for investigation, and replace it from its launch template; revoke the sessions of the principal that made the calls.',
    'Restrict ec2:ModifyInstanceAttribute to the deployment roles, and replace instances from launch templates instead of editing them.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'CM-3' },
    { framework: 'nist-800-53-r5', requirement: 'SI-7' },
    { framework: 'pci-dss-4.0', requirement: '11.5.2' },
  ],
  attack: ['T1059.004', 'T1037'],
  patterns: [apiCallPattern(EC2_SOURCE, ['StopInstances', 'ModifyInstanceAttribute', 'StartInstances'])],
  detection: {
    windows: {
      [WINDOW]: { minutes: 60, threshold: 1, counts: 'steps', steps: [STOPPED, USER_DATA, STARTED] },
    },
    detect(event): DetectionSignal[] {
      const record = recordOf(event);
      const eventName = asString(record.eventName);
      const step = eventName === 'StopInstances' ? STOPPED : eventName === 'StartInstances' ? STARTED : USER_DATA;
      const instances =
        step === USER_DATA ? [userDataInstanceOf(event)].filter((id): id is string => id !== undefined) : instanceIdsOf(event);
      return instances.map((instanceId) => {
        const raises = (): Violation => ({
          resourceId: instanceId,
          resourceType: INSTANCE_TYPE,
          qualifier: 'user data swapped',
          message: `Instance ${instanceId} was stopped, its user data replaced and started again`,
          evidence: {
            instanceId,
            eventName: eventName ?? null,
            userIdentity: callerEvidenceOf(event),
            sourceIPAddress: record.sourceIPAddress ?? null,
          },
        });
        return { kind: 'step' as const, window: WINDOW, key: `${accountOf(event)}/${regionOf(event)}/${instanceId}`, step, raises };
      });
    },
  },
};
