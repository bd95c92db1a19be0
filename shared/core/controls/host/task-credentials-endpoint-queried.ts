import type { Control, Violation } from '../../model/control';
import { asArray, asRecord, asString, stringsOf } from '../../kernel/values';
import { requestOf } from '../../kernel/records';
import {
  type ContainerDefinition,
  TASK_DEFINITION_TYPE,
  containerNameOf,
  containersOf,
  registerTaskDefinitionPattern,
  registeredTaskDefinitionArn,
  taskDefinitionLabel,
  taskDefinitionRetirement,
} from '../../kernel/task-definition';

/**
 * What reaches a task's role credentials from inside a container: the ECS credentials endpoint's
 * link-local address, and the environment variables the agent sets to its path (relative) or URL
 * (full). The SDKs read these by themselves; a command line that names them fetches the
 * credentials by hand.
 */
const CREDENTIALS_ENDPOINT = /169\.254\.170\.2|AWS_CONTAINER_CREDENTIALS_(RELATIVE|FULL)_URI|AWS_CONTAINER_AUTHORIZATION_TOKEN/;

/** The command lines a container runs: its entry point, its command and its health check. */
function commandLinesOf(container: ContainerDefinition): Array<{ field: string; text: string }> {
  const healthCheck = asRecord(container.healthCheck);
  return [
    { field: 'entryPoint', text: stringsOf(container.entryPoint).join(' ') },
    { field: 'command', text: stringsOf(container.command).join(' ') },
    { field: 'healthCheck.command', text: stringsOf(asArray(healthCheck.command)).join(' ') },
  ].filter((line) => line.text !== '');
}

/**
 * A task definition revision (RegisterTaskDefinition) whose container entry point, command or
 * health check queries the ECS container credentials endpoint (169.254.170.2, or the
 * AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI variables that point at it). Applications get
 * their role credentials through the SDK without naming the endpoint; a command line that fetches
 * them by hand is how a planted task copies the task role's credentials out of the cluster. One
 * finding per revision; retiring the revision resolves it.
 */
export const taskCredentialsEndpointQueried: Control = {
  id: 'host.task-credentials-endpoint-queried',
  area: 'host',
  title: 'Task definition command queries the container credentials endpoint',
  severity: 'HIGH',
  rationale:
    'The task role’s credentials are served to containers at 169.254.170.2; SDKs fetch them on their own, so a container command that queries the endpoint itself is a sign of a task written to steal the role’s credentials and use them outside the cluster.',
  runbook: [
    'Read the revision’s container commands (ECS console → Task definitions → <family>:<revision> → JSON) and find who registered it (userIdentity, sourceIPAddress).',
    'If it is not an approved workload: stop its tasks (`aws ecs stop-task --cluster <cluster> --task <task-id>`), deregister the revision (`aws ecs deregister-task-definition --task-definition <family>:<revision>`), and revoke the task role’s sessions (IAM console → Roles → <task role> → Revoke active sessions).',
    'Review the task role’s CloudTrail activity from addresses outside the cluster since the registration.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-6' },
    { framework: 'nist-800-53-r5', requirement: 'CM-3' },
    { framework: 'nist-800-53-r5', requirement: 'SI-4' },
  ],
  attack: ['T1525', 'T1552.005'],
  patterns: [registerTaskDefinitionPattern],
  evaluate(event): Violation[] {
    const arn = registeredTaskDefinitionArn(event);
    if (!arn) return [];
    const offending = containersOf(event).flatMap((container, index) =>
      commandLinesOf(container)
        .filter((line) => CREDENTIALS_ENDPOINT.test(line.text))
        .map((line) => ({ container: containerNameOf(container, index), field: line.field, commandLine: line.text })),
    );
    if (offending.length === 0) return [];
    return [
      {
        resourceId: arn,
        resourceType: TASK_DEFINITION_TYPE,
        message: `Task definition ${taskDefinitionLabel(arn)} runs a command that queries the container credentials endpoint (container ${offending
          .map((o) => o.container)
          .join(', ')})`,
        evidence: { taskDefinitionArn: arn, family: asString(requestOf(event).family) ?? null, containers: offending },
      },
    ];
  },
  resolution: taskDefinitionRetirement,
};
