import type { Control } from '../../model/control';
import { imageOrSnapshotShared } from './image-or-snapshot-shared';
import { imdsv1Allowed } from './imdsv1-allowed';
import { instancePublicIp } from './instance-public-ip';
import { instanceSecretsRead } from './instance-secrets-read';
import { instanceUserDataModified } from './instance-user-data-modified';
import { interactiveHostSession } from './interactive-host-session';
import { launchTemplateInsecure } from './launch-template-insecure';
import { patchNonCompliant } from './patch-non-compliant';
import { runCommandShell } from './run-command-shell';
import { serialConsoleEnabled } from './serial-console-enabled';
import { taskDefinitionHostAccess } from './task-definition-host-access';
import { instanceExported } from './instance-exported';
import { taskCredentialsEndpointQueried } from './task-credentials-endpoint-queried';
import { userDataSwap } from './user-data-swap';

/** The host area's controls. */
export const hostControls: Control[] = [
  patchNonCompliant,
  imdsv1Allowed,
  taskDefinitionHostAccess,
  imageOrSnapshotShared,
  serialConsoleEnabled,
  instanceUserDataModified,
  interactiveHostSession,
  launchTemplateInsecure,
  instancePublicIp,
  runCommandShell,
  instanceSecretsRead,
  instanceExported,
  taskCredentialsEndpointQueried,
  userDataSwap,
];
