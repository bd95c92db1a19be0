import type { Control, EventPattern, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import type { Severity } from '../../model/severity';
import { asArray, asRecord, asString } from '../../kernel/values';
import { ACCOUNT_RESOURCE_TYPE, accountOf } from '../../kernel/records';
import { THREAT_DETECTION_FRAMEWORKS } from './support';

/**
 * Falco alerts as events. Falco (json_output) and falcosidekick emit one JSON object per alert:
 * `rule`, `priority` (Emergency, Alert, Critical, Error, Warning, Notice, Informational, Debug),
 * `output` (the rendered message), `time`, `source` (syscall, k8s_audit, …), `hostname`, `tags`,
 * and `output_fields` (the fields the rule's output names: `container.id`, `container.name`,
 * `container.image.repository`, `k8s.ns.name`, `k8s.pod.name`, `proc.cmdline`, `user.name`, …).
 * falcosidekick has no EventBridge output, so the alert reaches the bus through a forwarder (its
 * AWS Lambda, SNS or SQS output, then PutEvents). Expected envelope:
 *
 *   { "source": "falco" (or any source starting with "falco", e.g. "falcosidekick"),
 *     "detail-type": "Falco Alert" (matched case-insensitively, whatever the source),
 *     "resources": [optional: the ARN of the EC2 instance, ECS task or cluster, or EKS cluster],
 *     "detail": <the Falco alert object as above> }
 *
 * Either way the pattern also requires `detail.rule` and `detail.priority`.
 */
const FALCO_DETAIL = { rule: [{ exists: true }], priority: [{ exists: true }] };
const PATTERNS: EventPattern[] = [
  {
    $or: [{ 'detail-type': [{ 'equals-ignore-case': 'Falco Alert' }] }, { source: [{ prefix: 'falco' }] }],
    detail: FALCO_DETAIL,
  },
];

/**
 * Falco priorities reported, and at which severity. The threshold is Warning: Notice,
 * Informational and Debug rules (e.g. Falco's default "Terminal shell in container" at Notice) are
 * informational by Falco's own ranking and are not reported.
 */
const PRIORITY_SEVERITY: Record<string, Severity> = {
  emergency: 'CRITICAL',
  alert: 'CRITICAL',
  critical: 'CRITICAL',
  error: 'HIGH',
  warning: 'MEDIUM',
};

interface AlertSubject {
  id: string;
  type: string;
  label: string;
}

/** An ARN the forwarder put in `resources`, as a finding resource. */
function subjectFromArn(arn: string): AlertSubject | undefined {
  const instance = arn.match(/^arn:[^:]+:ec2:[^:]*:\d*:instance\/(i-[0-9a-f]+)$/);
  if (instance) return { id: instance[1]!, type: 'AWS::EC2::Instance', label: `instance ${instance[1]}` };
  if (/^arn:[^:]+:ecs:[^:]*:\d*:task\//.test(arn)) return { id: arn, type: 'AWS::ECS::Task', label: `ECS task ${arn.split('/').pop()}` };
  if (/^arn:[^:]+:ecs:[^:]*:\d*:cluster\//.test(arn))
    return { id: arn, type: 'AWS::ECS::Cluster', label: `ECS cluster ${arn.split('/').pop()}` };
  if (/^arn:[^:]+:eks:[^:]*:\d*:cluster\//.test(arn))
    return { id: arn, type: 'AWS::EKS::Cluster', label: `EKS cluster ${arn.split('/').pop()}` };
  return undefined;
}

/**
 * What the alert is about: the first recognised ARN in `resources`, else the host Falco runs on,
 * by its `hostname` (an EC2 instance: a container host or Kubernetes node), else the account.
 */
function subjectOf(event: EventBridgeEvent): AlertSubject {
  for (const arn of asArray(event.resources)) {
    const subject = typeof arn === 'string' ? subjectFromArn(arn) : undefined;
    if (subject) return subject;
  }
  const detail = event.detail;
  const hostname = asString(detail.hostname) ?? asString(asRecord(detail.output_fields)['evt.hostname']);
  if (hostname) return { id: hostname, type: 'AWS::EC2::Instance', label: `host ${hostname}` };
  const account = accountOf(event);
  return { id: account, type: ACCOUNT_RESOURCE_TYPE, label: `account ${account}` };
}

/** The workload fields of the alert, for evidence: container, image, pod, process, user. */
function workloadOf(fields: Record<string, unknown>): Record<string, unknown> {
  const keys = [
    'container.id',
    'container.name',
    'container.image.repository',
    'container.image.tag',
    'k8s.ns.name',
    'k8s.pod.name',
    'proc.name',
    'proc.cmdline',
    'proc.pname',
    'user.name',
    'fd.name',
  ];
  return Object.fromEntries(keys.filter((k) => fields[k] !== undefined && fields[k] !== null).map((k) => [k, fields[k]]));
}

/**
 * Falco runtime-security alerts at priority Warning or above, forwarded as events (see the expected
 * shape above): Emergency, Alert and Critical are CRITICAL, Error HIGH, Warning MEDIUM. One finding
 * per host (or the resource the forwarder names) and Falco rule, so a rule firing in a loop
 * aggregates; the latest alert's container, pod and process are in the evidence. Falco alerts are
 * point-in-time detections: nothing resolves them, they are closed by hand.
 */
export const falcoAlert: Control = {
  id: 'runtime.falco-alert',
  area: 'runtime',
  title: 'Falco runtime alert at Warning priority or above',
  severity: 'MEDIUM',
  rationale:
    "Falco watches system calls on the hosts and reports what containers actually do — shells spawned by servers, writes below binary directories, reads of credential files, unexpected outbound connections — which no CloudTrail event shows. The threshold is Falco's Warning priority (Notice and below are informational); a minimum-priority setting would let an organization raise or lower it, until then use disabledControls, severityOverrides or the findings --min-severity filter.",
  runbook: [
    "Read the alert: the rule, its output line and the evidence (container, image, pod, process command line, user); check the rule's definition in the Falco rules files to see what it matches.",
    'If the activity is not expected, contain the workload: stop the ECS task (`aws ecs stop-task --cluster <cluster> --task <task-arn> --reason "Falco <rule>"`) or isolate the Kubernetes pod with a deny-all NetworkPolicy and cordon the node (`kubectl cordon <node>`), after capturing what forensics needs.',
    'Rotate the credentials the workload could reach (task or pod IAM role sessions, mounted secrets), find the entry point, and redeploy from a clean image.',
    "If it is benign and recurring, add a Falco rule exception (the rule's `exceptions` or an override in a local rules file) rather than lowering its priority.",
  ],
  frameworks: [...THREAT_DETECTION_FRAMEWORKS, { framework: 'hipaa', requirement: '164.308(a)(6)(ii)' }],
  patterns: PATTERNS,
  evaluate(event): Violation[] {
    const detail = event.detail;
    const rule = asString(detail.rule);
    const priority = asString(detail.priority);
    if (!rule || !priority) return [];
    const severity = PRIORITY_SEVERITY[priority.toLowerCase()];
    if (!severity) return [];
    const subject = subjectOf(event);
    const fields = asRecord(detail.output_fields);
    const output = asString(detail.output);
    return [
      {
        resourceId: subject.id,
        resourceType: subject.type,
        qualifier: rule,
        severity,
        message: `Falco rule "${rule}" (${priority}) fired on ${subject.label}${output ? `: ${output}` : ''}`,
        evidence: {
          rule,
          priority,
          output,
          time: detail.time,
          source: detail.source,
          hostname: detail.hostname,
          tags: detail.tags,
          workload: workloadOf(fields),
        },
      },
    ];
  },
};
