import type { Control } from '../../model/control';
import { repositoryPolicyPublic } from './repository-policy-public';
import { scanOnPushDisabled } from './scan-on-push-disabled';
import { tagMutabilityEnabled } from './tag-mutability-enabled';
import { taskDefinitionUntrustedImage } from './task-definition-untrusted-image';
import { vulnerableImage } from './vulnerable-image';

/** The image area's controls. */
export const imageControls: Control[] = [
  vulnerableImage,
  scanOnPushDisabled,
  tagMutabilityEnabled,
  repositoryPolicyPublic,
  taskDefinitionUntrustedImage,
];
