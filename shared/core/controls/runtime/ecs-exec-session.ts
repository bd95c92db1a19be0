import type { Control, Resolution, Violation } from '../../model/control';
import { asArray, asRecord, asString } from '../../kernel/values';
import { requestOf, responseOf } from '../../kernel/records';
import { callerArnOf } from '../../kernel/principals';
import { ECS_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { clusterArnOf, clusterNameOf, isProductionCluster } from '../../kernel/task-definition';

const taskIdOf = (task: string) => task.split('/').pop() ?? task;

/**
 * Interactive sessions opened into running containers with ECS Exec (ExecuteCommand: request
 * `cluster`, `task`, `container`, `command`, `interactive`; response `clusterArn`, `taskArn`,
 * `containerName`, `session.sessionId`). Every session is reported — MEDIUM, HIGH on a cluster
 * listed in settings.productionClusters — so that each hands-on change to a running workload is
 * reviewed. One finding per task and container; repeated sessions count on it; stopping the
 * task resolves it.
 */
export const ecsExecSession: Control = {
  id: 'runtime.ecs-exec-session',
  area: 'runtime',
  title: 'Interactive shell opened in a running ECS container',
  severity: 'MEDIUM',
  rationale:
    'ECS Exec gives a root shell inside a live container, outside the deployment pipeline: whoever holds it can read the task role credentials and secrets, change the running code and reach everything the task can, and the session leaves no trace in the image or task definition.',
  runbook: [
    'Confirm the session was expected (a ticket or incident) with the person in userIdentity; the command output is in the exec log destination if logging is configured (cluster executeCommandConfiguration: CloudWatch Logs / S3).',
    'If unexpected, stop the task so a clean copy replaces it: `aws ecs stop-task --cluster <cluster> --task <task-arn> --reason "unapproved exec session"`, and revoke the caller\'s sessions.',
    'Restrict who may exec: IAM policies on ecs:ExecuteCommand with conditions on ecs:cluster / aws:ResourceTag, and turn exec off on services that do not need it: `aws ecs update-service --cluster <cluster> --service <service> --disable-execute-command`.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-17' },
    { framework: 'nist-800-53-r5', requirement: 'AU-6' },
    { framework: 'pci-dss-4.0', requirement: '10.2.1.2' },
    { framework: 'hipaa', requirement: '164.308(a)(1)(ii)(D)' },
  ],
  patterns: [apiCallPattern(ECS_SOURCE, ['ExecuteCommand'])],
  evaluate(event, context): Violation[] {
    const request = requestOf(event);
    const response = responseOf(event);
    const cluster = clusterArnOf(event, asString(response.clusterArn) ?? asString(request.cluster));
    const task = asString(response.taskArn) ?? asString(request.task);
    const container = asString(response.containerName) ?? asString(request.container);
    if (!task) return [];
    const taskId = taskIdOf(task);
    const production = isProductionCluster(cluster, context.settings.productionClusters);
    const who = callerArnOf(event) ?? 'an unknown principal';
    return [
      {
        resourceId: cluster,
        resourceType: 'AWS::ECS::Cluster',
        qualifier: `${taskId}/${container ?? '(default container)'}`,
        severity: production ? 'HIGH' : 'MEDIUM',
        message: `${who} opened ${request.interactive === false ? 'an ECS Exec session' : 'an interactive ECS Exec session'} in container ${container ?? '(default)'} of task ${taskId} on ${
          production ? 'production ' : ''
        }cluster ${clusterNameOf(cluster)}`,
        evidence: {
          cluster: request.cluster,
          task,
          container,
          command: request.command,
          interactive: request.interactive,
          sessionId: asRecord(response.session).sessionId,
        },
      },
    ];
  },
  resolution: {
    description: 'StopTask of the task: the containers a session may have changed are gone, replaced by clean copies',
    patterns: [apiCallPattern(ECS_SOURCE, ['StopTask'])],
    resolve(event): Resolution[] {
      const request = requestOf(event);
      const task = asRecord(responseOf(event).task);
      const taskArn = asString(task.taskArn) ?? asString(request.task);
      if (!taskArn) return [];
      const cluster = clusterArnOf(event, asString(task.clusterArn) ?? asString(request.cluster));
      const taskId = taskIdOf(taskArn);
      return asArray(task.containers)
        .map((c) => asString(asRecord(c).name))
        .filter((name): name is string => name !== undefined)
        .map((name) => ({
          resourceId: cluster,
          qualifier: `${taskId}/${name}`,
          message: `Task ${taskId} (container ${name}) on cluster ${clusterNameOf(cluster)} was stopped`,
        }));
    },
  },
};
