import type { Control } from '../../model/control';
import { enhancedScanningDisabled } from './enhanced-scanning-disabled';
import { pullThroughCacheUntrustedUpstream } from './pull-through-cache-untrusted-upstream';
import { registryPolicyUntrusted } from './registry-policy-untrusted';
import { replicationToUntrustedAccount } from './replication-to-untrusted-account';
import { repositoryPolicyPublic } from './repository-policy-public';
import { scanOnPushDisabled } from './scan-on-push-disabled';
import { signingDisabled } from './signing-disabled';
import { tagMutabilityEnabled } from './tag-mutability-enabled';
import { taskDefinitionUntrustedImage } from './task-definition-untrusted-image';
import { vulnerabilityFindingsSuppressed } from './vulnerability-findings-suppressed';
import { vulnerableImage } from './vulnerable-image';
import { newDigestInProduction } from './new-digest-in-production';

/** The image area's controls. */
export const imageControls: Control[] = [
  vulnerableImage,
  scanOnPushDisabled,
  tagMutabilityEnabled,
  repositoryPolicyPublic,
  taskDefinitionUntrustedImage,
  replicationToUntrustedAccount,
  pullThroughCacheUntrustedUpstream,
  registryPolicyUntrusted,
  vulnerabilityFindingsSuppressed,
  enhancedScanningDisabled,
  signingDisabled,
  newDigestInProduction,
];
