import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import type { Severity } from '../../model/severity';
import { asString } from '../../kernel/values';
import { INSTANCE_TYPE } from './support';

/**
 * `Configuration Compliance State Change` (aws.ssm), per the Systems Manager user guide's
 * EventBridge event examples: detail `resource-type` managed-instance, `resource-id`,
 * `compliance-type` Patch or Association, `compliance-status` compliant / non_compliant,
 * `patch-baseline-id`, `severity`.
 */
const PATCH_COMPLIANCE_PATTERN = {
  source: ['aws.ssm'],
  'detail-type': ['Configuration Compliance State Change'],
  detail: { 'compliance-type': ['Patch'] },
};

/** Hybrid and edge nodes (mi-…) are not EC2 instances; AWS Config records their inventory under this type. */
const MANAGED_NODE_TYPE = 'AWS::SSM::ManagedInstanceInventory';

/** Patch severities (Patch Manager: Critical, Important, Moderate, Low for Windows; Critical, High, Medium, Low for Linux). */
function severityOf(value: string | undefined): Severity {
  switch ((value ?? '').toLowerCase()) {
    case 'critical':
      return 'CRITICAL';
    case 'important':
    case 'high':
      return 'HIGH';
    case 'moderate':
    case 'medium':
      return 'MEDIUM';
    case 'low':
      return 'LOW';
    default:
      return 'HIGH';
  }
}

function statusOf(event: EventBridgeEvent): string {
  return (asString(event.detail['compliance-status']) ?? '').toLowerCase().replace(/-/g, '_');
}

/**
 * Managed nodes whose Patch Manager compliance turned NON_COMPLIANT (FSBP SSM.2): patches the
 * baseline requires are missing. The finding takes the severity Systems Manager reports for the
 * missing patches.
 */
export const patchNonCompliant: Control = {
  id: 'host.patch-non-compliant',
  area: 'host',
  title: 'Managed node is missing required patches',
  severity: 'HIGH',
  rationale:
    'Container hosts and other managed nodes missing patches that their baseline requires keep known, often remotely exploitable vulnerabilities in the kernel, container runtime and agents that every workload on the node depends on.',
  runbook: [
    'See what is missing: Systems Manager console → Patch Manager → Compliance reporting → <node>, or `aws ssm describe-instance-patches --instance-id <id> --filters Key=State,Values=Missing,Failed`.',
    'Install the patches: Systems Manager → Run Command → AWS-RunPatchBaseline (Operation: Install), or `aws ssm send-command --document-name AWS-RunPatchBaseline --parameters Operation=Install --targets Key=InstanceIds,Values=<id>`.',
    'For ECS/EKS container instances prefer replacing the node with one from the latest optimized AMI (drain it first: `aws ecs update-container-instances-state --status DRAINING` or `kubectl drain`).',
    'Make patching recurring with a patch policy (Systems Manager → Quick Setup → Patch policy) or a maintenance window.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'SSM.2' },
    { framework: 'nist-800-53-r5', requirement: 'SI-2' },
    { framework: 'nist-800-53-r5', requirement: 'SI-2(2)' },
    { framework: 'pci-dss-4.0', requirement: '6.3.3' },
  ],
  patterns: [PATCH_COMPLIANCE_PATTERN],
  evaluate(event): Violation[] {
    const node = asString(event.detail['resource-id']);
    if (!node || statusOf(event) !== 'non_compliant') return [];
    const reported = asString(event.detail.severity);
    return [
      {
        resourceId: node,
        resourceType: node.startsWith('i-') ? INSTANCE_TYPE : MANAGED_NODE_TYPE,
        severity: severityOf(reported),
        message: `Managed node ${node} is NON_COMPLIANT with patch baseline ${asString(event.detail['patch-baseline-id']) ?? '(unknown)'}${
          reported ? ` (missing ${reported.toLowerCase()} patches)` : ''
        }`,
        evidence: {
          'resource-id': node,
          'compliance-type': event.detail['compliance-type'],
          'compliance-status': event.detail['compliance-status'],
          'patch-baseline-id': event.detail['patch-baseline-id'],
          severity: event.detail.severity,
        },
      },
    ];
  },
  resolution: {
    description: 'A later Configuration Compliance State Change for the node with patch compliance COMPLIANT',
    patterns: [PATCH_COMPLIANCE_PATTERN],
    resolve(event): Resolution[] {
      const node = asString(event.detail['resource-id']);
      if (!node || statusOf(event) !== 'compliant') return [];
      return [{ resourceId: node, message: `Managed node ${node} is patch COMPLIANT again` }];
    },
  },
};
