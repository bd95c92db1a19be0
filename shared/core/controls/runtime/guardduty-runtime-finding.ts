import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asRecord, pathGet } from '../../kernel/values';
import {
  GUARDDUTY_FINDING_PATTERN,
  THREAT_DETECTION_FRAMEWORKS,
  activeFindingViolations,
  findingArchival,
  workloadFindingOf,
} from './support';

const findingOf = (event: EventBridgeEvent) => workloadFindingOf(event.detail);

/** The process and container the finding names, for evidence. */
function workloadEvidence(detail: Record<string, unknown>): Record<string, unknown> {
  const resource = asRecord(detail.resource);
  const process = asRecord(pathGet(detail, 'service.runtimeDetails.process'));
  const containers = [
    ...asArray(pathGet(resource, 'ecsClusterDetails.taskDetails.containers')),
    ...asArray(pathGet(resource, 'kubernetesDetails.kubernetesWorkloadDetails.containers')),
    ...(Object.keys(asRecord(resource.containerDetails)).length > 0 ? [resource.containerDetails] : []),
  ]
    .map(asRecord)
    .map((c) => ({ name: c.name, image: c.image, privileged: pathGet(c, 'securityContext.privileged') }));
  return {
    id: detail.id,
    type: detail.type,
    severity: detail.severity,
    title: detail.title,
    resourceType: resource.resourceType,
    taskArn: pathGet(resource, 'ecsClusterDetails.taskDetails.arn'),
    taskDefinitionArn: pathGet(resource, 'ecsClusterDetails.taskDetails.definitionArn'),
    kubernetesWorkload: pathGet(resource, 'kubernetesDetails.kubernetesWorkloadDetails.name'),
    containers,
    process:
      Object.keys(process).length > 0
        ? { name: process.name, executablePath: process.executablePath, user: process.user, pid: process.pid }
        : undefined,
    count: pathGet(detail, 'service.count'),
  };
}

/**
 * GuardDuty findings about running workloads — Runtime Monitoring (`…:Runtime/…`: reverse shells,
 * container escapes, crypto miners, new binaries executed), EKS audit-log and runtime findings
 * (`…:Kubernetes/…`) and any finding on a container, ECS or EKS cluster resource — at GuardDuty's
 * severity band (low findings as LOW, so that a query or notification threshold, not this control,
 * decides what to ignore). Sample findings are ignored; archiving the finding resolves it. One
 * finding per workload and finding type. Other GuardDuty findings are runtime.guardduty-finding's.
 */
export const guarddutyRuntimeFinding: Control = {
  id: 'runtime.guardduty-runtime-finding',
  area: 'runtime',
  title: 'GuardDuty detected a threat in a running workload',
  severity: 'HIGH',
  rationale:
    'Runtime findings mean something is happening now inside a container or cluster — a shell to an attacker, an escape attempt, a miner — and each minute lets the attacker move to the host, the task role or the cluster API.',
  runbook: [
    'Read the finding: GuardDuty console → Findings → <finding id> (process, container, image, task or pod, network peers), or `aws guardduty get-findings --detector-id <detector> --finding-ids <id>`.',
    'Contain the workload: for ECS stop the task (`aws ecs stop-task --cluster <cluster> --task <task-arn> --reason "GuardDuty <type>"`) after capturing what you need; for EKS cordon the node and isolate the pod with a deny-all NetworkPolicy; for an instance, swap its security group for an isolation group.',
    'Rotate the credentials the workload could reach: the task or pod IAM role session (revoke active sessions in IAM → Roles → <role> → Revoke sessions), secrets it mounted.',
    'Find the entry point (vulnerable image, exposed port, stolen credentials) before redeploying; rebuild from a clean image.',
    'When handled or a confirmed false positive, archive it: `aws guardduty archive-findings --detector-id <detector> --finding-ids <id>`, and add a suppression rule for known-benign patterns.',
  ],
  frameworks: [
    ...THREAT_DETECTION_FRAMEWORKS,
    { framework: 'hipaa', requirement: '164.308(a)(6)(ii)' },
    { framework: 'hipaa', requirement: '164.308(a)(5)(ii)(B)' },
  ],
  patterns: [GUARDDUTY_FINDING_PATTERN],
  evaluate(event) {
    return activeFindingViolations(event, findingOf, workloadEvidence);
  },
  resolution: findingArchival(findingOf),
};
