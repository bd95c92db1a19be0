import type { Control } from '../../model/control';
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
];
