import type { Control, Resolution, Violation } from '../../model/control';
import type { Severity } from '../../model/severity';
import type { EventBridgeEvent } from '../../model/event';
import { asString } from '../../kernel/values';
import { recordOf, requestOf } from '../../kernel/records';
import { callerArnOf } from '../../kernel/principals';
import { EC2_SOURCE, INSTANCE_CONNECT_SOURCE, SSM_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { INSTANCE_TYPE, terminatedInstanceIds } from './support';

/** Session Manager documents that forward a port instead of opening a shell. */
const PORT_FORWARDING_DOCUMENTS = new Set(['AWS-StartPortForwardingSession', 'AWS-StartPortForwardingSessionToRemoteHost']);

interface HostSession {
  instanceId: string;
  how: string;
  severity: Severity;
  evidence: Record<string, unknown>;
}

/**
 * The host a session call reaches and how:
 * - SSM StartSession: request `target` (an instance id i-…, a hybrid node mi-…, or `ecs:<cluster>_<task>_<runtime id>`
 *   for ECS Exec, which runtime.ecs-exec-session reports) and optional `documentName`;
 * - EC2 Instance Connect SendSSHPublicKey: `instanceId`, `instanceOSUser`, `sSHPublicKey` (a 60-second key);
 * - SendSerialConsoleSSHPublicKey: `instanceId`, `serialPort`.
 */
function sessionOf(event: EventBridgeEvent): HostSession | undefined {
  const request = requestOf(event);
  switch (recordOf(event).eventName) {
    case 'StartSession': {
      const target = asString(request.target);
      if (!target || !/^(i|mi)-[0-9a-f]+$/i.test(target)) return undefined;
      const documentName = asString(request.documentName);
      const forwarding = documentName !== undefined && PORT_FORWARDING_DOCUMENTS.has(documentName);
      return {
        instanceId: target,
        how: forwarding ? `a Session Manager port-forwarding session (${documentName})` : 'an interactive Session Manager session',
        severity: forwarding ? 'LOW' : 'MEDIUM',
        evidence: { target, ...(documentName ? { documentName } : {}) },
      };
    }
    case 'SendSSHPublicKey': {
      const instanceId = asString(request.instanceId);
      if (!instanceId) return undefined;
      const osUser = asString(request.instanceOSUser);
      return {
        instanceId,
        how: `SSH access through EC2 Instance Connect as ${osUser ?? 'an unknown OS user'}`,
        severity: osUser === 'root' ? 'HIGH' : 'MEDIUM',
        evidence: { instanceId, instanceOSUser: osUser },
      };
    }
    case 'SendSerialConsoleSSHPublicKey': {
      const instanceId = asString(request.instanceId);
      if (!instanceId) return undefined;
      return {
        instanceId,
        how: 'a serial console session',
        severity: 'HIGH',
        evidence: { instanceId, serialPort: request.serialPort },
      };
    }
    default:
      return undefined;
  }
}

/**
 * Hands-on access to a container host: a Session Manager session (StartSession on an instance),
 * an EC2 Instance Connect key pushed for SSH (SendSSHPublicKey) or a serial console key
 * (SendSerialConsoleSSHPublicKey). Container hosts are meant to be changed only by their launch
 * template and the orchestrator, so every session is reported for review: MEDIUM, HIGH for root
 * or the serial console, LOW for port forwarding. One finding per instance; terminating the
 * instance (replacing the touched host) resolves it.
 */
export const interactiveHostSession: Control = {
  id: 'host.interactive-host-session',
  area: 'host',
  title: 'Interactive session opened on an EC2 host',
  severity: 'MEDIUM',
  rationale:
    'A shell on a container host reaches every container on it, the container runtime socket and the instance role; sessions outside the deployment pipeline are how attackers move laterally and how untracked changes creep into hosts that should be immutable.',
  runbook: [
    'Confirm the session was expected (ticket or incident) with the person in userIdentity; Session Manager output is in the session log destination if configured (Systems Manager → Session Manager → Preferences).',
    'If unexpected, isolate the instance (replace its security groups with a quarantine group), snapshot its volumes for forensics, then replace it: `aws ec2 terminate-instances --instance-ids <id>` (the Auto Scaling group or capacity provider launches a clean host).',
    'Restrict access: allow ssm:StartSession, ec2-instance-connect:SendSSHPublicKey and ec2-instance-connect:SendSerialConsoleSSHPublicKey only to break-glass roles, with conditions on ssm:resourceTag / ec2:ResourceTag.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-17' },
    { framework: 'nist-800-53-r5', requirement: 'AU-6' },
    { framework: 'pci-dss-4.0', requirement: '10.2.1.2' },
    { framework: 'hipaa', requirement: '164.308(a)(1)(ii)(D)' },
  ],
  patterns: [
    apiCallPattern(SSM_SOURCE, ['StartSession']),
    apiCallPattern(INSTANCE_CONNECT_SOURCE, ['SendSSHPublicKey', 'SendSerialConsoleSSHPublicKey']),
  ],
  evaluate(event): Violation[] {
    const session = sessionOf(event);
    if (!session) return [];
    const who = callerArnOf(event) ?? 'an unknown principal';
    return [
      {
        resourceId: session.instanceId,
        resourceType: INSTANCE_TYPE,
        severity: session.severity,
        message: `${who} opened ${session.how} on instance ${session.instanceId}`,
        evidence: session.evidence,
      },
    ];
  },
  resolution: {
    description: 'TerminateInstances of the instance (the touched host is replaced)',
    patterns: [apiCallPattern(EC2_SOURCE, ['TerminateInstances'])],
    resolve(event): Resolution[] {
      return terminatedInstanceIds(event).map((id) => ({ resourceId: id, message: `Instance ${id} was terminated` }));
    },
  },
};
