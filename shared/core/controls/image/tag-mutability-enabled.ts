import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString, pathGet } from '../../kernel/values';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { ECR_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { REPOSITORY_TYPE, repositoryOfCall } from './support';

/**
 * Valid values per the ECR API reference (PutImageTagMutability, CreateRepository):
 * MUTABLE | IMMUTABLE | IMMUTABLE_WITH_EXCLUSION | MUTABLE_WITH_EXCLUSION. CreateRepository
 * without the setting creates a MUTABLE repository.
 */
const MUTABLE_SETTINGS = new Set(['MUTABLE', 'MUTABLE_WITH_EXCLUSION']);
const IMMUTABLE_SETTINGS = new Set(['IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION']);

function mutabilityOf(event: EventBridgeEvent): string | undefined {
  const response = responseOf(event);
  const request = requestOf(event);
  const value =
    asString(pathGet(response, 'repository.imageTagMutability')) ??
    asString(response.imageTagMutability) ??
    asString(request.imageTagMutability);
  if (value) return value.toUpperCase();
  return recordOf(event).eventName === 'CreateRepository' ? 'MUTABLE' : undefined;
}

/**
 * ECR repositories whose tags can be overwritten (FSBP ECR.2): CreateRepository without
 * IMMUTABLE, PutImageTagMutability to MUTABLE or MUTABLE_WITH_EXCLUSION. IMMUTABLE_WITH_EXCLUSION
 * (immutable except for filtered tags) is accepted.
 */
export const tagMutabilityEnabled: Control = {
  id: 'image.tag-mutability-enabled',
  area: 'image',
  title: 'ECR repository allows image tags to be overwritten',
  severity: 'MEDIUM',
  rationale:
    'With mutable tags anyone who can push can silently replace the image behind a tag such as "prod" or "v1.4": deployments that reference the tag run whatever was pushed last, and what was scanned and approved is no longer what runs.',
  runbook: [
    'Turn on tag immutability: ECR console → Repositories → <repository> → Edit → Tag immutability → Immutable, or `aws ecr put-image-tag-mutability --repository-name <name> --image-tag-mutability IMMUTABLE`.',
    'If some tags must move (for example a "latest" used by developers), use `--image-tag-mutability IMMUTABLE_WITH_EXCLUSION --image-tag-mutability-exclusion-filters filterType=WILDCARD,filter=latest`.',
    'Reference images by digest in task definitions and manifests so a moved tag cannot change what runs.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'ECR.2' },
    { framework: 'nist-800-53-r5', requirement: 'CM-2' },
    { framework: 'nist-800-53-r5', requirement: 'CM-8(1)' },
    { framework: 'hipaa', requirement: '164.312(c)(1)' },
  ],
  patterns: [apiCallPattern(ECR_SOURCE, ['CreateRepository', 'PutImageTagMutability'])],
  evaluate(event): Violation[] {
    const repository = repositoryOfCall(event);
    const mutability = mutabilityOf(event);
    if (!repository || !mutability || !MUTABLE_SETTINGS.has(mutability)) return [];
    return [
      {
        resourceId: repository.arn,
        resourceType: REPOSITORY_TYPE,
        message: `ECR repository ${repository.name} has tag mutability ${mutability}: pushed tags can be overwritten`,
        evidence: {
          repositoryName: repository.name,
          imageTagMutability: mutability,
          imageTagMutabilityExclusionFilters: requestOf(event).imageTagMutabilityExclusionFilters,
        },
      },
    ];
  },
  resolution: {
    description: 'PutImageTagMutability to IMMUTABLE or IMMUTABLE_WITH_EXCLUSION, or DeleteRepository',
    patterns: [apiCallPattern(ECR_SOURCE, ['PutImageTagMutability', 'DeleteRepository'])],
    resolve(event): Resolution[] {
      const repository = repositoryOfCall(event);
      if (!repository) return [];
      if (recordOf(event).eventName === 'DeleteRepository')
        return [{ resourceId: repository.arn, message: `ECR repository ${repository.name} was deleted` }];
      const mutability = mutabilityOf(event);
      return mutability && IMMUTABLE_SETTINGS.has(mutability)
        ? [{ resourceId: repository.arn, message: `ECR repository ${repository.name} has tag mutability ${mutability}` }]
        : [];
    },
  },
};
