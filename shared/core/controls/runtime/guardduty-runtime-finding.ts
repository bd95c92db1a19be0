import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asRecord, asString, pathGet } from '../../kernel';
import { clusterNameOf } from '../../kernel/task-definition';
import { GUARDDUTY_FINDING_PATTERN, guardDutyBandOf, isArchivedFinding, isSampleFinding, isWorkloadFinding } from './support';

export interface AffectedResource {
  id: string;
  type: string;
  label: string;
}

/** The workload the finding is about: the ECS or EKS cluster, else the EC2 instance hosting the container. */
function affectedResourceOf(detail: Record<string, unknown>): AffectedResource | undefined {
  const resource = asRecord(detail.resource);
  const ecs = asRecord(resource.ecsClusterDetails);
  const ecsArn = asString(ecs.arn) ?? asString(ecs.name);
  if (ecsArn) return { id: ecsArn, type: 'AWS::ECS::Cluster', label: `ECS cluster ${clusterNameOf(ecsArn)}` };
  const eks = asRecord(resource.eksClusterDetails);
  const eksArn = asString(eks.arn) ?? asString(eks.name);
  if (eksArn) return { id: eksArn, type: 'AWS::EKS::Cluster', label: `EKS cluster ${asString(eks.name) ?? eksArn}` };
  const instanceId = asString(pathGet(resource, 'instanceDetails.instanceId'));
  if (instanceId) return { id: instanceId, type: 'AWS::EC2::Instance', label: `instance ${instanceId}` };
  return undefined;
}

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
    process: Object.keys(process).length > 0 ? { name: process.name, executablePath: process.executablePath, user: process.user, pid: process.pid } : undefined,
    count: pathGet(detail, 'service.count'),
  };
}

function findingOf(event: EventBridgeEvent): { resource: AffectedResource; type: string } | undefined {
  return workloadFindingOf(event.detail);
}

/**
 * The workload finding this control reports for a finding detail (sample findings excluded), or
 * undefined; runtime.guardduty-finding reports every other finding.
 */
export function workloadFindingOf(detail: Record<string, unknown>): { resource: AffectedResource; type: string } | undefined {
  if (isSampleFinding(detail) || !isWorkloadFinding(detail)) return undefined;
  const resource = affectedResourceOf(detail);
  const type = asString(detail.type);
  return resource && type ? { resource, type } : undefined;
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
    { framework: 'nist-800-53-r5', requirement: 'SI-4' },
    { framework: 'nist-800-53-r5', requirement: 'IR-4' },
    { framework: 'pci-dss-4.0', requirement: '11.5.1' },
    { framework: 'hipaa', requirement: '164.308(a)(6)(ii)' },
    { framework: 'hipaa', requirement: '164.308(a)(5)(ii)(B)' },
  ],
  patterns: [GUARDDUTY_FINDING_PATTERN],
  evaluate(event): Violation[] {
    const detail = event.detail;
    if (isArchivedFinding(detail)) return [];
    const finding = findingOf(event);
    const score = detail.severity;
    const band = guardDutyBandOf(score);
    if (!finding || !band) return [];
    return [
      {
        resourceId: finding.resource.id,
        resourceType: finding.resource.type,
        qualifier: finding.type,
        severity: band,
        message: `GuardDuty reports ${finding.type} (severity ${score}) on ${finding.resource.label}: ${asString(detail.title) ?? 'see the finding'}`,
        evidence: workloadEvidence(detail),
      },
    ];
  },
  resolution: {
    description: 'An update of the same GuardDuty finding with service.archived true',
    patterns: [GUARDDUTY_FINDING_PATTERN],
    resolve(event): Resolution[] {
      if (!isArchivedFinding(event.detail)) return [];
      const finding = findingOf(event);
      return finding
        ? [{ resourceId: finding.resource.id, qualifier: finding.type, message: `GuardDuty finding ${finding.type} on ${finding.resource.label} was archived` }]
        : [];
    },
  },
};
