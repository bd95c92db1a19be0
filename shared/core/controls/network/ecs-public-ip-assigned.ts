import type { Control, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asRecord, asString, pathGet } from '../../kernel/values';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { arnIn, resourceNameOf } from '../../kernel/arn';
import { ECS_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

/** assignPublicIp of the request's awsvpc configuration: ENABLED, DISABLED, or undefined when the request has no networkConfiguration. */
function assignPublicIpOf(event: EventBridgeEvent): 'ENABLED' | 'DISABLED' | undefined {
  const network = requestOf(event).networkConfiguration;
  if (network === undefined || network === null) return undefined;
  // DISABLED is the default when awsvpcConfiguration omits assignPublicIp.
  return asString(pathGet(network, 'awsvpcConfiguration.assignPublicIp'))?.toUpperCase() === 'ENABLED' ? 'ENABLED' : 'DISABLED';
}

/**
 * The service ARN: from the response (CreateService, UpdateService and DeleteService all return the
 * service), else the ARN the request names, else built in the long ARN format service/<cluster>/<service>.
 */
function serviceArnOf(event: EventBridgeEvent): string | undefined {
  const fromResponse = asString(pathGet(responseOf(event), 'service.serviceArn'));
  if (fromResponse) return fromResponse;
  const request = requestOf(event);
  const service = asString(request.service) ?? asString(request.serviceName);
  if (!service) return undefined;
  if (service.startsWith('arn:')) return service;
  const cluster = resourceNameOf(asString(request.cluster) ?? 'default');
  return arnIn(event, 'ecs', `service/${cluster}/${service}`);
}

function awsvpcEvidence(event: EventBridgeEvent): Record<string, unknown> {
  const config = asRecord(pathGet(requestOf(event), 'networkConfiguration.awsvpcConfiguration'));
  return { assignPublicIp: config.assignPublicIp ?? null, subnets: config.subnets ?? null, securityGroups: config.securityGroups ?? null };
}

/**
 * ECS services and tasks given public IP addresses: CreateService, UpdateService or RunTask with
 * networkConfiguration.awsvpcConfiguration.assignPublicIp ENABLED. A public address makes the task's
 * ENI reachable from the internet wherever its security groups allow.
 */
export const ecsPublicIpAssigned: Control = {
  id: 'network.ecs-public-ip-assigned',
  area: 'network',
  title: 'ECS service or task assigned a public IP address',
  severity: 'HIGH',
  rationale:
    'Tasks with public IP addresses are directly addressable from the internet, so a single permissive security group rule exposes the container; tasks should run in private subnets and reach the internet through NAT or VPC endpoints.',
  runbook: [
    'Move the service to private subnets with a NAT gateway or VPC endpoints (ECR, S3, CloudWatch Logs, Secrets Manager) for outbound access, and expose it only through a load balancer.',
    'Console: ECS → Clusters → <cluster> → Services → <service> → Update service → Networking → turn Public IP off (and choose private subnets) → Update.',
    'CLI: `aws ecs update-service --cluster <cluster> --service <service> --network-configuration "awsvpcConfiguration={subnets=[<private-subnet>],securityGroups=[<sg>],assignPublicIp=DISABLED}"`.',
    'Stand-alone tasks: stop them with `aws ecs stop-task --cluster <cluster> --task <task-arn>` and relaunch with assignPublicIp=DISABLED.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'ECS.2' },
    { framework: 'pci-dss-4.0', requirement: '1.4.4' },
    { framework: 'nist-800-53-r5', requirement: 'AC-4' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7' },
  ],
  patterns: [apiCallPattern(ECS_SOURCE, ['CreateService', 'UpdateService', 'RunTask'])],
  evaluate(event) {
    if (assignPublicIpOf(event) !== 'ENABLED') return [];
    const request = requestOf(event);
    const cluster = resourceNameOf(asString(request.cluster) ?? 'default');
    if (recordOf(event).eventName === 'RunTask') {
      const taskDefinition = asString(request.taskDefinition) ?? '(unknown task definition)';
      return asArray(responseOf(event).tasks).flatMap((task): Violation[] => {
        const taskArn = asString(asRecord(task).taskArn);
        if (!taskArn) return [];
        return [
          {
            resourceId: taskArn,
            resourceType: 'AWS::ECS::Task', // CloudFormation has no task type; named like Security Hub's AwsEcsTask
            message: `ECS task ${resourceNameOf(taskArn)} (${taskDefinition}) in cluster ${cluster} was started with a public IP address`,
            evidence: { cluster, taskDefinition, ...awsvpcEvidence(event) },
          },
        ];
      });
    }
    const serviceArn = serviceArnOf(event);
    if (!serviceArn) return [];
    return [
      {
        resourceId: serviceArn,
        resourceType: 'AWS::ECS::Service',
        message: `ECS service ${resourceNameOf(serviceArn)} in cluster ${cluster} assigns public IP addresses to its tasks`,
        evidence: { cluster, service: resourceNameOf(serviceArn), ...awsvpcEvidence(event) },
      },
    ];
  },
  resolution: {
    description: 'UpdateService with assignPublicIp DISABLED, DeleteService, or StopTask for a stand-alone task',
    patterns: [apiCallPattern(ECS_SOURCE, ['UpdateService', 'DeleteService', 'StopTask'])],
    resolve(event) {
      const eventName = recordOf(event).eventName;
      if (eventName === 'StopTask') {
        const taskArn = asString(pathGet(responseOf(event), 'task.taskArn')) ?? asString(requestOf(event).task);
        return taskArn?.startsWith('arn:') ? [{ resourceId: taskArn, message: `ECS task ${resourceNameOf(taskArn)} was stopped` }] : [];
      }
      if (eventName === 'UpdateService' && assignPublicIpOf(event) !== 'DISABLED') return [];
      const serviceArn = serviceArnOf(event);
      if (!serviceArn) return [];
      const what = eventName === 'DeleteService' ? 'was deleted' : 'no longer assigns public IP addresses';
      return [{ resourceId: serviceArn, message: `ECS service ${resourceNameOf(serviceArn)} ${what}` }];
    },
  },
};
