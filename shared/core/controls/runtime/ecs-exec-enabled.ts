import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asRecord, asString, pathGet } from '../../kernel/values';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { arnIn } from '../../kernel/arn';
import { ECS_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { clusterArnOf, clusterNameOf, isProductionCluster } from '../../kernel/task-definition';

interface Service {
  arn: string;
  name: string;
  cluster: string;
  /** The effective setting: the response's service.enableExecuteCommand, else the request's. */
  execEnabled?: boolean;
}

/**
 * The service a CreateService / UpdateService / DeleteService call acts on (request `cluster`,
 * `serviceName` / `service`, `enableExecuteCommand`; response `service` with `serviceArn`,
 * `clusterArn`, `enableExecuteCommand`). ARNs are built in the long format
 * `service/<cluster>/<name>` when the response lacks them.
 */
function serviceOf(event: EventBridgeEvent): Service | undefined {
  const request = requestOf(event);
  const response = asRecord(responseOf(event).service);
  const cluster = clusterArnOf(event, asString(response.clusterArn) ?? asString(request.cluster));
  const serviceRef = asString(response.serviceArn) ?? asString(request.serviceName) ?? asString(request.service);
  if (!serviceRef) return undefined;
  const arn = serviceRef.startsWith('arn:') ? serviceRef : arnIn(event, 'ecs', `service/${clusterNameOf(cluster)}/${serviceRef}`);
  const fromResponse = response.enableExecuteCommand;
  const fromRequest = request.enableExecuteCommand;
  return {
    arn,
    name: asString(response.serviceName) ?? arn.split('/').pop() ?? serviceRef,
    cluster,
    execEnabled: typeof fromResponse === 'boolean' ? fromResponse : typeof fromRequest === 'boolean' ? fromRequest : undefined,
  };
}

/**
 * ECS services created or updated with ECS Exec turned on (enableExecuteCommand true): every task
 * they start accepts interactive shells for anyone allowed ecs:ExecuteCommand. MEDIUM, HIGH on a
 * cluster listed in settings.productionClusters.
 */
export const ecsExecEnabled: Control = {
  id: 'runtime.ecs-exec-enabled',
  area: 'runtime',
  title: 'ECS service allows interactive exec into its containers',
  severity: 'MEDIUM',
  rationale:
    'With ECS Exec enabled every task of the service runs the SSM agent and accepts root shells, so a single leaked credential with ecs:ExecuteCommand becomes code execution inside production containers.',
  runbook: [
    'Turn exec off where it is not needed: `aws ecs update-service --cluster <cluster> --service <service> --disable-execute-command --force-new-deployment` (ECS console → Clusters → <cluster> → Services → <service> → Update → clear "Turn on ECS Exec").',
    'Where break-glass access must stay, require it through a dedicated role, log sessions (cluster executeCommandConfiguration logging OVERRIDE to CloudWatch Logs or S3) and keep ecs:ExecuteCommand out of day-to-day roles.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-17' },
    { framework: 'nist-800-53-r5', requirement: 'CM-7' },
  ],
  patterns: [apiCallPattern(ECS_SOURCE, ['CreateService', 'UpdateService'])],
  evaluate(event, context): Violation[] {
    const service = serviceOf(event);
    if (service?.execEnabled !== true) return [];
    const production = isProductionCluster(service.cluster, context.settings.productionClusters);
    return [
      {
        resourceId: service.arn,
        resourceType: 'AWS::ECS::Service',
        severity: production ? 'HIGH' : 'MEDIUM',
        message: `ECS service ${service.name} on ${production ? 'production ' : ''}cluster ${clusterNameOf(service.cluster)} has ECS Exec enabled (enableExecuteCommand true)`,
        evidence: {
          cluster: requestOf(event).cluster,
          service: asString(requestOf(event).serviceName) ?? asString(requestOf(event).service),
          enableExecuteCommand: true,
          taskDefinition: asString(pathGet(responseOf(event), 'service.taskDefinition')) ?? requestOf(event).taskDefinition,
        },
      },
    ];
  },
  resolution: {
    description: 'UpdateService with enableExecuteCommand false, or DeleteService',
    patterns: [apiCallPattern(ECS_SOURCE, ['UpdateService', 'DeleteService'])],
    resolve(event): Resolution[] {
      const service = serviceOf(event);
      if (!service) return [];
      if (recordOf(event).eventName === 'DeleteService')
        return [{ resourceId: service.arn, message: `ECS service ${service.name} was deleted` }];
      return service.execEnabled === false
        ? [{ resourceId: service.arn, message: `ECS service ${service.name} no longer allows ECS Exec` }]
        : [];
    },
  },
};
