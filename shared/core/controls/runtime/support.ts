/**
 * Helpers shared by the runtime area's controls that read GuardDuty findings. `GuardDuty Finding`
 * events (aws.guardduty) carry the complete finding as `detail`, in the API's camelCase: `id`,
 * `arn`, `type`, numeric `severity`, `title`, `resource.resourceType` (Instance, AccessKey,
 * S3Bucket, S3Object, Lambda, RDSDBInstance, RDSLimitlessDB, Container, ECSCluster, EKSCluster,
 * AttackSequence) with the matching `…Details`, and `service` (`archived`, `count`, `featureName`,
 * `additionalInfo.sample` for generated sample findings). Raw findings (as exported to S3 or
 * printed by `aws guardduty get-findings`) are wrapped into such events by intake.
 */
import type { EventPattern } from '../../model/control';
import type { Severity } from '../../model/severity';
import { asString, pathGet } from '../../kernel';

export const GUARDDUTY_FINDING_PATTERN: EventPattern = { source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'] };

/** Resource types whose findings concern workloads: containers, ECS and EKS clusters. */
const WORKLOAD_RESOURCE_TYPES = new Set(['Container', 'ECSCluster', 'EKSCluster']);

/**
 * GuardDuty's severity bands (user guide, "Severity levels of GuardDuty findings"): low 1.0–3.9,
 * medium 4.0–6.9, high 7.0–8.9, critical 9.0–10.0. Each finding is reported at its band; scores
 * below 1.0 count as low.
 */
export function guardDutyBandOf(severity: unknown): Severity | undefined {
  if (typeof severity !== 'number' || !Number.isFinite(severity)) return undefined;
  if (severity >= 9) return 'CRITICAL';
  if (severity >= 7) return 'HIGH';
  if (severity >= 4) return 'MEDIUM';
  return 'LOW';
}

/** Runtime Monitoring and EKS (audit log / runtime) findings: by type family, or by a workload resource type. */
export function isWorkloadFinding(detail: Record<string, unknown>): boolean {
  const type = asString(detail.type) ?? '';
  if (/:(Runtime|Kubernetes)\//.test(type)) return true;
  return WORKLOAD_RESOURCE_TYPES.has(asString(pathGet(detail, 'resource.resourceType')) ?? '');
}

/** Sample findings (CreateSampleFindings, the console's "Generate sample findings") say so in additionalInfo. */
export function isSampleFinding(detail: Record<string, unknown>): boolean {
  const sample = pathGet(detail, 'service.additionalInfo.sample');
  return sample === true || sample === 'true';
}

export function isArchivedFinding(detail: Record<string, unknown>): boolean {
  return pathGet(detail, 'service.archived') === true;
}
