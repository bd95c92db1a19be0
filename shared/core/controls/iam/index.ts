import type { Control } from '../../model/control';
import { accessDenied } from './access-denied';
import { accessKeyExposed } from './access-key-exposed';
import { consoleSessionFromApiCredentials } from './console-session-from-api-credentials';
import { offensiveToolUsed } from './offensive-tool-used';
import { rolesAnywhereTrustAdded } from './roles-anywhere-trust-added';
import { rootPasswordChanged } from './root-password-changed';
import { sessionCredentialsMinted } from './session-credentials-minted';
import { userCreated } from './user-created';
import { administratorAccessGranted } from './administrator-access-granted';
import { consoleLoginFailed } from './console-login-failed';
import { consoleLoginWithoutMfa } from './console-login-without-mfa';
import { identityProviderChanged } from './identity-provider-changed';
import { mfaDeviceDeactivated } from './mfa-device-deactivated';
import { organizationGuardrailRemoved } from './organization-guardrail-removed';
import { passwordPolicyWeakened } from './password-policy-weakened';
import { roleTrustPolicyOpen } from './role-trust-policy-open';
import { rootAccessKeyCreated } from './root-access-key-created';
import { rootAccountUsed } from './root-account-used';
import { userCredentialsCreated } from './user-credentials-created';
import { roleCreated } from './role-created';
import { consolePasswordChanged } from './console-password-changed';
import { longTermKeyIdentityCheck } from './long-term-key-identity-check';
import { userPolicyAttached } from './user-policy-attached';
import { identityProviderDeleted } from './identity-provider-deleted';
import { identityCenterSourceChanged } from './identity-center-source-changed';
import { consolePasswordSpraying } from './console-password-spraying';
import { principalInNewRegion } from './principal-in-new-region';
import { accessKeyCreatedForAnotherUser } from './access-key-created-for-another-user';

/** The iam area's controls. */
export const iamControls: Control[] = [
  rootAccountUsed,
  rootAccessKeyCreated,
  consoleLoginWithoutMfa,
  administratorAccessGranted,
  roleTrustPolicyOpen,
  passwordPolicyWeakened,
  mfaDeviceDeactivated,
  organizationGuardrailRemoved,
  identityProviderChanged,
  userCredentialsCreated,
  consoleLoginFailed,
  accessDenied,
  accessKeyExposed,
  offensiveToolUsed,
  userCreated,
  rootPasswordChanged,
  rolesAnywhereTrustAdded,
  sessionCredentialsMinted,
  consoleSessionFromApiCredentials,
  roleCreated,
  consolePasswordChanged,
  longTermKeyIdentityCheck,
  userPolicyAttached,
  identityProviderDeleted,
  identityCenterSourceChanged,
  consolePasswordSpraying,
  principalInNewRegion,
  accessKeyCreatedForAnotherUser,
];
