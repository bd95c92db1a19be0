/**
 * Helpers shared by the runtime area's controls: GuardDuty findings and detector features, AWS WAF
 * web ACLs, and the framework references of threat detection.
 *
 * `GuardDuty Finding` events (aws.guardduty) carry the complete finding as `detail`, in the API's
 * camelCase: `id`, `arn`, `type`, numeric `severity`, `title`, `resource.resourceType` (Instance,
 * AccessKey, S3Bucket, S3Object, Lambda, RDSDBInstance, RDSLimitlessDB, Container, ECSCluster,
 * EKSCluster, AttackSequence) with the matching `…Details`, and `service` (`archived`, `count`,
 * `featureName`, `additionalInfo.sample` for generated sample findings). Raw findings (as exported
 * to S3 or printed by `aws guardduty get-findings`) are wrapped into such events by intake.
 */
import type { Control, EventPattern, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import type { FrameworkRef } from '../../model/framework';
import type { Severity } from '../../model/severity';
import { asArray, asRecord, asString, isTrue, pathGet } from '../../kernel/values';
import { requestOf } from '../../kernel/records';
import { arnIn } from '../../kernel/arn';
import { clusterNameOf } from '../../kernel/task-definition';

/**
 * Intrusion detection and response (NIST SI-4 system monitoring, IR-4 incident handling, PCI DSS
 * 11.5.1 intrusion detection): the references every control reporting a detected threat cites.
 */
export const THREAT_DETECTION_FRAMEWORKS: readonly FrameworkRef[] = [
  { framework: 'nist-800-53-r5', requirement: 'SI-4' },
  { framework: 'nist-800-53-r5', requirement: 'IR-4' },
  { framework: 'pci-dss-4.0', requirement: '11.5.1' },
];

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
  return isTrue(pathGet(detail, 'service.additionalInfo.sample'));
}

export function isArchivedFinding(detail: Record<string, unknown>): boolean {
  return pathGet(detail, 'service.archived') === true;
}

/** The resource a finding is about, as a finding resource, and how messages name it. */
export interface FindingSubject {
  id: string;
  type: string;
  label: string;
}

/** A GuardDuty finding a control reports: its subject and its finding type (the qualifier). */
export interface ReportedFinding {
  subject: FindingSubject;
  type: string;
}

/** The workload the finding is about: the ECS or EKS cluster, else the EC2 instance hosting the container. */
function workloadOf(detail: Record<string, unknown>): FindingSubject | undefined {
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

/**
 * The workload finding runtime.guardduty-runtime-finding reports for a finding detail (sample
 * findings excluded), or undefined; runtime.guardduty-finding reports every other finding.
 */
export function workloadFindingOf(detail: Record<string, unknown>): ReportedFinding | undefined {
  if (isSampleFinding(detail) || !isWorkloadFinding(detail)) return undefined;
  const subject = workloadOf(detail);
  const type = asString(detail.type);
  return subject && type ? { subject, type } : undefined;
}

/** The violation for a finding GuardDuty has not archived, at GuardDuty's severity band, keyed on its subject and type. */
export function activeFindingViolations(
  event: EventBridgeEvent,
  findingOf: (event: EventBridgeEvent) => ReportedFinding | undefined,
  evidenceOf: (detail: Record<string, unknown>) => Record<string, unknown>,
): Violation[] {
  const detail = event.detail;
  if (isArchivedFinding(detail)) return [];
  const finding = findingOf(event);
  const band = guardDutyBandOf(detail.severity);
  if (!finding || !band) return [];
  return [
    {
      resourceId: finding.subject.id,
      resourceType: finding.subject.type,
      qualifier: finding.type,
      severity: band,
      message: `GuardDuty reports ${finding.type} (severity ${String(detail.severity)}) on ${finding.subject.label}: ${asString(detail.title) ?? 'see the finding'}`,
      evidence: evidenceOf(detail),
    },
  ];
}

/** The resolution of a finding control: an update of the same finding with service.archived true. */
export function findingArchival(findingOf: (event: EventBridgeEvent) => ReportedFinding | undefined): NonNullable<Control['resolution']> {
  return {
    description: 'An update of the same GuardDuty finding with service.archived true',
    patterns: [GUARDDUTY_FINDING_PATTERN],
    resolve(event) {
      if (!isArchivedFinding(event.detail)) return [];
      const finding = findingOf(event);
      return finding
        ? [
            {
              resourceId: finding.subject.id,
              qualifier: finding.type,
              message: `GuardDuty finding ${finding.type} on ${finding.subject.label} was archived`,
            },
          ]
        : [];
    },
  };
}

/**
 * Detector features that watch workloads (GuardDuty API reference, DetectorFeatureConfiguration:
 * RUNTIME_MONITORING, EKS_RUNTIME_MONITORING, EKS_AUDIT_LOGS) and the additional configurations
 * that deploy the runtime agent (ECS_FARGATE_AGENT_MANAGEMENT, EKS_ADDON_MANAGEMENT,
 * EC2_AGENT_MANAGEMENT). Other features (S3, RDS, Lambda, malware scans) belong to other areas.
 */
export const WORKLOAD_FEATURES = new Set(['RUNTIME_MONITORING', 'EKS_RUNTIME_MONITORING', 'EKS_AUDIT_LOGS']);
export const AGENT_CONFIGURATIONS = new Set(['ECS_FARGATE_AGENT_MANAGEMENT', 'EKS_ADDON_MANAGEMENT', 'EC2_AGENT_MANAGEMENT']);

/**
 * AWS managed rule groups that carry the baseline layer-7 protections (core OWASP rule set,
 * known bad inputs, SQL injection, OS-specific exploits, IP reputation, bots, account takeover).
 */
export const BASELINE_RULE_GROUPS = new Set([
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
  'AWSManagedRulesLinuxRuleSet',
  'AWSManagedRulesUnixRuleSet',
  'AWSManagedRulesWindowsRuleSet',
  'AWSManagedRulesPHPRuleSet',
  'AWSManagedRulesWordPressRuleSet',
  'AWSManagedRulesAdminProtectionRuleSet',
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesAnonymousIpList',
  'AWSManagedRulesBotControlRuleSet',
  'AWSManagedRulesATPRuleSet',
  'AWSManagedRulesACFPRuleSet',
]);

/*
 * WAFv2 CloudTrail records use camelCase members (AWS WAF developer guide, CloudTrail examples):
 * Associate/DisassociateWebACL `resourceArn` (and `webACLArn`), Create/UpdateWebACL `name`,
 * `scope`, `id`, `rules[]` with `statement.managedRuleGroupStatement` and `overrideAction`.
 */

/** The web ACL's ARN, in the form CreateWebACL returns (`…:regional/webacl/<name>/<id>`, `global/` for CloudFront). */
export function webAclArnOf(event: EventBridgeEvent): { arn: string; name: string } | undefined {
  const request = requestOf(event);
  const name = asString(request.name);
  const id = asString(request.id) ?? asString(pathGet(event.detail, 'responseElements.summary.id'));
  const listed =
    asString(pathGet(event.detail, 'responseElements.summary.aRN')) ?? asString(pathGet(event.detail, 'responseElements.summary.arn'));
  if (listed && name) return { arn: listed, name };
  if (!name || !id) return undefined;
  const scope = asString(request.scope) === 'CLOUDFRONT' ? 'global' : 'regional';
  return { arn: arnIn(event, 'wafv2', `${scope}/webacl/${name}/${id}`), name };
}

/** Baseline AWS managed rule groups in a web ACL definition, and whether each only counts (overrideAction count). */
export function baselineGroupsOf(event: EventBridgeEvent): Array<{ group: string; counting: boolean; rule: Record<string, unknown> }> {
  return asArray(requestOf(event).rules)
    .map(asRecord)
    .flatMap((rule) => {
      const statement = asRecord(pathGet(rule, 'statement.managedRuleGroupStatement'));
      const group = asString(statement.name);
      if (asString(statement.vendorName) !== 'AWS' || !group || !BASELINE_RULE_GROUPS.has(group)) return [];
      return [{ group, counting: 'count' in asRecord(rule.overrideAction), rule }];
    });
}
