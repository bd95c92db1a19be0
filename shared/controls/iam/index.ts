import type { Control } from '../../model/control';
import { administratorAccessGranted } from './administrator-access-granted';
import { consoleLoginWithoutMfa } from './console-login-without-mfa';
import { passwordPolicyWeakened } from './password-policy-weakened';
import { roleTrustPolicyOpen } from './role-trust-policy-open';
import { rootAccessKeyCreated } from './root-access-key-created';
import { rootAccountUsed } from './root-account-used';

/** The iam area's controls. */
export const iamControls: Control[] = [
  rootAccountUsed,
  rootAccessKeyCreated,
  consoleLoginWithoutMfa,
  administratorAccessGranted,
  roleTrustPolicyOpen,
  passwordPolicyWeakened,
];
