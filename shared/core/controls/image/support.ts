/**
 * Helpers shared by the image area's controls. Repositories are named by ARN
 * (`arn:aws:ecr:<region>:<registry>:repository/<name>`), built the same way from the violating
 * and the resolving event whichever of them carries the ARN; images by the id Amazon Inspector
 * gives them (`<repository ARN>/sha256:<digest>`).
 */
import type { EventBridgeEvent } from '../../model/event';
import { asString, pathGet } from '../../kernel/values';
import { accountOf, requestOf, responseOf } from '../../kernel/records';
import { arnIn } from '../../kernel/arn';
import { ecrRegistryAccount } from '../../kernel/task-definition';

export const REPOSITORY_TYPE = 'AWS::ECR::Repository';
/**
 * CloudFormation has no type for a container image; this is the CloudFormation-style rendering
 * of Inspector's resource type AWS_ECR_CONTAINER_IMAGE (Security Hub: AwsEcrContainerImage).
 */
export const IMAGE_TYPE = 'AWS::ECR::ContainerImage';

/** A repository's ARN from a registry id (default: the event's account) and a repository name (or ARN). */
export function repositoryArn(event: EventBridgeEvent, repositoryName: string, registryId?: string): string {
  if (repositoryName.startsWith('arn:')) return repositoryName;
  return arnIn(event, 'ecr', `repository/${repositoryName}`, { account: registryId });
}

/**
 * The repository an ECR repository-level API call acts on: responseElements.repository.repositoryArn
 * (CreateRepository, DeleteRepository), else built from the repository name and registry id in
 * the response or request.
 */
export function repositoryOfCall(event: EventBridgeEvent): { arn: string; name: string } | undefined {
  const response = responseOf(event);
  const request = requestOf(event);
  const listed = asString(pathGet(response, 'repository.repositoryArn'));
  const name =
    asString(pathGet(response, 'repository.repositoryName')) ?? asString(response.repositoryName) ?? asString(request.repositoryName);
  if (listed) return { arn: listed, name: name ?? listed };
  if (!name) return undefined;
  const registryId = asString(pathGet(response, 'repository.registryId')) ?? asString(response.registryId) ?? asString(request.registryId);
  return { arn: repositoryArn(event, name, registryId), name };
}

/** The private registry a registry-level ECR call acts on: the response's registryId, else the event's account. */
export function registryOf(event: EventBridgeEvent): string {
  return asString(responseOf(event).registryId) ?? accountOf(event);
}

/** True for an ECR registry host (`<account>.dkr.ecr.<region>.amazonaws.com`) of the event's own account or a trusted one. */
export function isTrustedEcrRegistry(host: string, event: EventBridgeEvent, trustedAccounts: readonly string[]): boolean {
  const ecrAccount = ecrRegistryAccount(host);
  return ecrAccount !== undefined && (ecrAccount === accountOf(event) || trustedAccounts.includes(ecrAccount));
}

/** Inspector's id for an ECR image: the repository ARN, a slash, the digest. */
export function imageId(repository: string, digest: string): string {
  return `${repository}/${digest}`;
}
