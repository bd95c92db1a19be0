import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asRecord, asString, pathGet } from '../../kernel/values';
import { ACCOUNT_RESOURCE_TYPE, accountOf, recordOf, requestOf, responseOf } from '../../kernel/records';
import { callerArnOf } from '../../kernel/principals';
import { EC2_SOURCE, SSM_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { INSTANCE_TYPE, terminatedInstanceIds } from './support';

/** The AWS-owned Run Command documents that execute arbitrary shell or PowerShell commands. */
const SHELL_DOCUMENTS = new Set(['AWS-RunShellScript', 'AWS-RunPowerShellScript']);

/** Commands to this many instances or more, or to tag/resource-group targets, reach a fleet. */
const FLEET_SIZE = 5;

/**
 * SendCommand as CloudTrail records it: request `documentName`, `instanceIds[]` or `targets[]`
 * ({key, values}), `parameters` ("HIDDEN_DUE_TO_SECURITY_REASONS"); response `command.commandId`,
 * `command.instanceIds`, `command.targets`. Calls made by a service on a schedule (State
 * Manager, Maintenance Windows, Automation) carry `userIdentity.invokedBy`.
 */
function commandOf(
  event: EventBridgeEvent,
): { documentName: string; commandId?: string; instanceIds: string[]; targets: unknown[] } | undefined {
  const request = requestOf(event);
  const documentName = asString(request.documentName) ?? asString(pathGet(responseOf(event), 'command.documentName'));
  if (!documentName || !SHELL_DOCUMENTS.has(documentName)) return undefined;
  const ids = [...asArray(pathGet(responseOf(event), 'command.instanceIds')), ...asArray(request.instanceIds)].filter(
    (id): id is string => typeof id === 'string' && /^(i|mi)-[0-9a-f]+$/i.test(id),
  );
  const targets = asArray(request.targets).length > 0 ? asArray(request.targets) : asArray(pathGet(responseOf(event), 'command.targets'));
  return {
    documentName,
    commandId: asString(pathGet(responseOf(event), 'command.commandId')),
    instanceIds: [...new Set(ids)],
    targets: targets.map(asRecord),
  };
}

/**
 * Arbitrary shell commands run on hosts through Systems Manager Run Command (SendCommand with
 * AWS-RunShellScript or AWS-RunPowerShellScript) by a person or workload rather than a scheduled
 * service: the commands run as root on every targeted instance and their content is not in the
 * event. MEDIUM per instance; HIGH when the command reaches a fleet (tag or resource-group
 * targets, or five instances or more). Terminating the instance resolves its finding.
 */
export const runCommandShell: Control = {
  id: 'host.run-command-shell',
  area: 'host',
  title: 'Shell commands run on hosts through SSM Run Command',
  severity: 'MEDIUM',
  rationale:
    'Run Command executes whatever script it is given as root on every targeted host, across a whole fleet at once; it is a favoured attacker tool for execution and lateral movement, and ad-hoc use bypasses the build and deployment pipeline.',
  runbook: [
    'Check who ran it and what (userIdentity; Systems Manager console → Run Command → Command history → <command id> → output, or `aws ssm list-command-invocations --command-id <id> --details`).',
    'If unexpected, treat the targeted hosts as compromised: isolate them, snapshot their volumes, and replace them (`aws ec2 terminate-instances --instance-ids <ids>`).',
    'Allow ssm:SendCommand with AWS-RunShellScript / AWS-RunPowerShellScript only to break-glass roles (IAM condition on the document ARN), and use reviewed custom documents or Automation runbooks for routine tasks.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-17' },
    { framework: 'nist-800-53-r5', requirement: 'CM-3' },
    { framework: 'pci-dss-4.0', requirement: '10.2.1.2' },
  ],
  attack: ['T1651'],
  patterns: [apiCallPattern(SSM_SOURCE, ['SendCommand'])],
  evaluate(event): Violation[] {
    if (asString(recordOf(event).userIdentity?.invokedBy)) return [];
    const command = commandOf(event);
    if (!command) return [];
    const who = callerArnOf(event) ?? 'an unknown principal';
    const fleet = command.targets.length > 0 || command.instanceIds.length >= FLEET_SIZE;
    const severity = fleet ? ('HIGH' as const) : ('MEDIUM' as const);
    if (command.instanceIds.length === 0) {
      if (command.targets.length === 0) return [];
      const account = accountOf(event);
      return [
        {
          resourceId: account,
          resourceType: ACCOUNT_RESOURCE_TYPE,
          qualifier: `command ${command.commandId ?? 'unknown'}`,
          severity,
          message: `${who} ran ${command.documentName} on the instances matching ${JSON.stringify(command.targets)} in ${event.region}`,
          evidence: { documentName: command.documentName, targets: command.targets, commandId: command.commandId },
        },
      ];
    }
    return command.instanceIds.map((instanceId) => ({
      resourceId: instanceId,
      resourceType: INSTANCE_TYPE,
      severity,
      message: `${who} ran ${command.documentName} on instance ${instanceId}${fleet ? ` (one of ${command.instanceIds.length} instances targeted)` : ''}`,
      evidence: { documentName: command.documentName, instanceIds: command.instanceIds, commandId: command.commandId },
    }));
  },
  resolution: {
    description: 'TerminateInstances of the instance (the touched host is replaced)',
    patterns: [apiCallPattern(EC2_SOURCE, ['TerminateInstances'])],
    resolve(event): Resolution[] {
      return terminatedInstanceIds(event).map((id) => ({ resourceId: id, message: `Instance ${id} was terminated` }));
    },
  },
};
