import type { Control } from '../../model/control';
import { imageOrSnapshotShared } from './image-or-snapshot-shared';
import { imdsv1Allowed } from './imdsv1-allowed';
import { patchNonCompliant } from './patch-non-compliant';
import { serialConsoleEnabled } from './serial-console-enabled';
import { taskDefinitionHostAccess } from './task-definition-host-access';

/** The host area's controls. */
export const hostControls: Control[] = [
  patchNonCompliant,
  imdsv1Allowed,
  taskDefinitionHostAccess,
  imageOrSnapshotShared,
  serialConsoleEnabled,
];
