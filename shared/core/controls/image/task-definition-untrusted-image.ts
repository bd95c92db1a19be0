import type { Control, ControlSettings, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString } from '../../kernel/values';
import {
  type ImageReference,
  TASK_DEFINITION_TYPE,
  containerNameOf,
  containersOf,
  parseImageReference,
  registerTaskDefinitionPattern,
  registeredTaskDefinitionArn,
  taskDefinitionLabel,
  taskDefinitionRetirement,
} from '../../kernel/task-definition';
import { isTrustedEcrRegistry } from './support';

/**
 * Whether an image comes from an approved registry: an entry of settings.approvedRegistries
 * that is the image's registry host or a prefix of `host/repository` (so
 * "123456789012.dkr.ecr.eu-west-1.amazonaws.com/base-images" approves only that path), or a
 * private ECR registry of this account or a trusted account (which includes pull-through cache
 * repositories: they are repositories of the account's own registry).
 */
function isApproved(image: ImageReference, event: EventBridgeEvent, settings: ControlSettings): boolean {
  const full = `${image.registry}/${image.repository}`;
  const approvedByList = settings.approvedRegistries.some((entry) => {
    const prefix = entry
      .toLowerCase()
      .replace(/^https?:\/\//, '')
      .replace(/\/+$/, '');
    return prefix.length > 0 && (image.registry === prefix || full.toLowerCase().startsWith(`${prefix}/`));
  });
  if (approvedByList) return true;
  return isTrustedEcrRegistry(image.registry, event, settings.trustedAccounts);
}

/** Digest references cannot change; a tag can be re-pointed by anyone who can push. */
function tagProblem(image: ImageReference): { severity: 'MEDIUM' | 'LOW'; what: string } | undefined {
  if (image.digest) return undefined;
  if (!image.tag || image.tag === 'latest')
    return { severity: 'MEDIUM', what: image.tag ? 'the tag "latest"' : 'no tag (implicitly "latest")' };
  return { severity: 'LOW', what: `the mutable tag "${image.tag}"` };
}

/**
 * ECS task definitions (RegisterTaskDefinition) whose containers run images from registries
 * outside the approved list (HIGH) or reference images by a tag instead of an @sha256 digest
 * (MEDIUM for "latest" or no tag, LOW for other tags). One finding per container and problem, on
 * the task definition revision.
 */
export const taskDefinitionUntrustedImage: Control = {
  id: 'image.task-definition-untrusted-image',
  area: 'image',
  title: 'Task definition runs an image from an unapproved registry or by mutable tag',
  severity: 'HIGH',
  rationale:
    'Images from registries the organization does not control bypass its scanning, signing and tag-immutability controls, and a tag can be re-pointed to a different image after review; pinning approved images by digest makes what runs exactly what was approved.',
  runbook: [
    "Mirror third-party images into the account's ECR (a pull-through cache rule: `aws ecr create-pull-through-cache-rule --ecr-repository-prefix docker-hub --upstream-registry-url registry-1.docker.io --credential-arn <secret-arn>`) and reference them from there.",
    'Pin images by digest: look it up with `aws ecr describe-images --repository-name <name> --image-ids imageTag=<tag> --query "imageDetails[0].imageDigest"` and use `<registry>/<name>@sha256:<digest>` in the container definition.',
    'Register a corrected revision (ECS console → Task definitions → <family> → Create new revision, or `aws ecs register-task-definition --cli-input-json file://taskdef.json`), update services to it (`aws ecs update-service --cluster <cluster> --service <service> --task-definition <family>:<revision>`), then retire the old revision: `aws ecs deregister-task-definition --task-definition <family>:<revision>`.',
    'If the registry is legitimate, add it (or the repository path) to settings.approvedRegistries.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'CM-7(5)' },
    { framework: 'nist-800-53-r5', requirement: 'SI-7' },
    { framework: 'nist-800-53-r5', requirement: 'CM-2' },
    { framework: 'hipaa', requirement: '164.312(c)(1)' },
  ],
  patterns: [registerTaskDefinitionPattern],
  evaluate(event, context): Violation[] {
    const taskDefinition = registeredTaskDefinitionArn(event);
    if (!taskDefinition) return [];
    const violations: Violation[] = [];
    containersOf(event).forEach((container, index) => {
      const name = containerNameOf(container, index);
      const reference = asString(container.image);
      if (!reference) return;
      const image = parseImageReference(reference);
      if (!isApproved(image, event, context.settings)) {
        violations.push({
          resourceId: taskDefinition,
          resourceType: TASK_DEFINITION_TYPE,
          qualifier: `${name}: registry`,
          severity: 'HIGH',
          message: `Task definition ${taskDefinitionLabel(taskDefinition)} runs container ${name} from ${image.registry}, which is not an approved registry`,
          evidence: { containerName: name, image: reference, registry: image.registry },
        });
      }
      const tag = tagProblem(image);
      if (tag) {
        violations.push({
          resourceId: taskDefinition,
          resourceType: TASK_DEFINITION_TYPE,
          qualifier: `${name}: tag`,
          severity: tag.severity,
          message: `Task definition ${taskDefinitionLabel(taskDefinition)} runs container ${name} by ${tag.what} instead of an @sha256 digest`,
          evidence: { containerName: name, image: reference },
        });
      }
    });
    return violations;
  },
  resolution: taskDefinitionRetirement,
};
