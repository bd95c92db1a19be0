/**
 * ECS task definitions as RegisterTaskDefinition records carry them (container definitions,
 * volumes, the revision ARN), the revisions DeregisterTaskDefinition and DeleteTaskDefinitions
 * retire, container image references, and ECS clusters (production or not): what the image, host,
 * data and runtime areas read of ECS.
 *
 * Request shapes per the ECS API reference (RegisterTaskDefinition, DeregisterTaskDefinition,
 * DeleteTaskDefinitions): CloudTrail records them with the API's own camelCase names.
 */
import type { Control, EventPattern } from '../model/control';
import type { EventBridgeEvent } from '../model/event';
import { arnIn } from './arn';
import { apiCallPattern } from './patterns';
import { recordOf, requestOf, responseOf } from './records';
import { ECS_SOURCE } from './sources';
import { asArray, asRecord, asString, pathGet } from './values';

// ---------------------------------------------------------------------------------------------
// Task definitions

export const TASK_DEFINITION_TYPE = 'AWS::ECS::TaskDefinition';

/** A container definition as RegisterTaskDefinition carries it: an object with name, image, … */
export type ContainerDefinition = Record<string, unknown>;

export function containersOf(event: EventBridgeEvent): ContainerDefinition[] {
  return asArray(requestOf(event).containerDefinitions)
    .map(asRecord)
    .filter((c) => Object.keys(c).length > 0);
}

export function containerNameOf(container: ContainerDefinition, index: number): string {
  return asString(container.name) ?? `container #${index + 1}`;
}

/** Task-level volumes by name: the host path each bind-mounts, when it has one. */
export function hostPathsOf(event: EventBridgeEvent): Map<string, string> {
  const paths = new Map<string, string>();
  for (const volume of asArray(requestOf(event).volumes).map(asRecord)) {
    const name = asString(volume.name);
    const sourcePath = asString(pathGet(volume, 'host.sourcePath'));
    if (name && sourcePath) paths.set(name, sourcePath);
  }
  return paths;
}

/** The mount points of a container: source volume, container path, read-only flag. */
export function mountPointsOf(container: ContainerDefinition): Array<{ sourceVolume?: string; containerPath?: string; readOnly: boolean }> {
  return asArray(container.mountPoints)
    .map(asRecord)
    .map((m) => ({ sourceVolume: asString(m.sourceVolume), containerPath: asString(m.containerPath), readOnly: m.readOnly === true }));
}

/**
 * The ARN of the revision a RegisterTaskDefinition created (responseElements.taskDefinition),
 * else one built from family and revision, else the family name.
 */
export function registeredTaskDefinitionArn(event: EventBridgeEvent): string | undefined {
  const registered = asRecord(responseOf(event).taskDefinition);
  const arn = asString(registered.taskDefinitionArn);
  if (arn) return arn;
  const family = asString(registered.family) ?? asString(requestOf(event).family);
  if (!family) return undefined;
  const revision = registered.revision;
  return typeof revision === 'number' || typeof revision === 'string'
    ? arnIn(event, 'ecs', `task-definition/${family}:${revision}`)
    : family;
}

/** `family:revision` of a task definition ARN, for messages. */
export function taskDefinitionLabel(arn: string): string {
  const match = /:task-definition\/(.+)$/.exec(arn);
  return match ? match[1]! : arn;
}

/** `family:revision` or a full ARN → the revision's ARN in the event's account and region. */
export function taskDefinitionArnOf(event: EventBridgeEvent, reference: string): string {
  return reference.startsWith('arn:') ? reference : arnIn(event, 'ecs', `task-definition/${reference}`);
}

/** The revisions a DeregisterTaskDefinition or DeleteTaskDefinitions call retires, as ARNs. */
export function retiredTaskDefinitionArns(event: EventBridgeEvent): string[] {
  const request = requestOf(event);
  const response = responseOf(event);
  const arns = new Set<string>();
  if (recordOf(event).eventName === 'DeregisterTaskDefinition') {
    const fromResponse = asString(pathGet(response, 'taskDefinition.taskDefinitionArn'));
    const fromRequest = asString(request.taskDefinition);
    if (fromResponse) arns.add(fromResponse);
    else if (fromRequest) arns.add(taskDefinitionArnOf(event, fromRequest));
  } else {
    const deleted = asArray(response.taskDefinitions)
      .map((t) => asString(asRecord(t).taskDefinitionArn))
      .filter((a): a is string => a !== undefined);
    const failed = new Set(asArray(response.failures).map((f) => asString(asRecord(f).arn)));
    for (const arn of deleted) arns.add(arn);
    if (deleted.length === 0) {
      for (const reference of asArray(request.taskDefinitions)) {
        const ref = asString(reference);
        if (ref && !failed.has(taskDefinitionArnOf(event, ref))) arns.add(taskDefinitionArnOf(event, ref));
      }
    }
  }
  return [...arns];
}

/** Trigger pattern: successful RegisterTaskDefinition calls. */
export const registerTaskDefinitionPattern: EventPattern = apiCallPattern(ECS_SOURCE, ['RegisterTaskDefinition']);

/** Resolution pattern: a revision deregistered or deleted can no longer be run. */
export const retireTaskDefinitionPattern: EventPattern = apiCallPattern(ECS_SOURCE, ['DeregisterTaskDefinition', 'DeleteTaskDefinitions']);

/** The resolution of findings on a task definition revision: retiring the revision, which can then no longer be run. */
export const taskDefinitionRetirement: NonNullable<Control['resolution']> = {
  description: 'DeregisterTaskDefinition or DeleteTaskDefinitions of the revision: it can no longer be run',
  patterns: [retireTaskDefinitionPattern],
  resolve(event) {
    return retiredTaskDefinitionArns(event).map((arn) => ({
      resourceId: arn,
      message: `Task definition ${taskDefinitionLabel(arn)} was deregistered`,
    }));
  },
};

// ---------------------------------------------------------------------------------------------
// Container image references

export interface ImageReference {
  /** The registry host, `docker.io` when the reference names none. */
  registry: string;
  /** The repository path within the registry (`library/nginx` for official Docker Hub images). */
  repository: string;
  tag?: string;
  /** `sha256:…` when the reference pins a digest. */
  digest?: string;
}

/**
 * Parses a Docker image reference (`[host[:port]/]path[:tag][@digest]`): the first path component
 * is a registry host when it contains a dot or a colon or is `localhost`; otherwise the image is
 * on Docker Hub.
 */
export function parseImageReference(image: string): ImageReference {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const hasHost = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasHost ? first.toLowerCase() : 'docker.io';
  let path = hasHost ? rest.slice(slash + 1) : rest;
  let tag: string | undefined;
  const colon = path.lastIndexOf(':');
  if (colon > path.lastIndexOf('/')) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
  }
  const repository = registry === 'docker.io' && !path.includes('/') ? `library/${path}` : path;
  return { registry, repository, tag, digest };
}

/** `123456789012.dkr.ecr.eu-west-1.amazonaws.com` (and the .com.cn / FIPS forms) → the account id. */
export function ecrRegistryAccount(registry: string): string | undefined {
  return /^(\d{12})\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/.exec(registry)?.[1];
}

// ---------------------------------------------------------------------------------------------
// Clusters

/** The cluster name of a cluster ARN (`…:cluster/name`) or the name itself. */
export function clusterNameOf(cluster: string): string {
  const match = /:cluster\/([^/]+)$/.exec(cluster);
  return match ? match[1]! : cluster;
}

/** A cluster as requests name it (a name or an ARN; omitted means `default`), as the cluster's ARN in the event's account and region. */
export function clusterArnOf(event: EventBridgeEvent, reference: string | undefined): string {
  const ref = reference ?? 'default';
  return ref.startsWith('arn:') ? ref : arnIn(event, 'ecs', `cluster/${ref}`);
}

/** True when the production cluster list (settings.productionClusters) names the cluster, by name or ARN. */
export function isProductionCluster(cluster: string | undefined, productionClusters: readonly string[]): boolean {
  if (!cluster) return false;
  const name = clusterNameOf(cluster);
  return productionClusters.some((entry) => entry === cluster || clusterNameOf(entry) === name);
}
