import type { Control } from '../../model/control';
import { ecsExecEnabled } from './ecs-exec-enabled';
import { ecsExecSession } from './ecs-exec-session';
import { guarddutyDisabled } from './guardduty-disabled';
import { guarddutyRuntimeFinding } from './guardduty-runtime-finding';
import { webProtectionRemoved } from './web-protection-removed';

/** The runtime area's controls. */
export const runtimeControls: Control[] = [
  guarddutyRuntimeFinding,
  ecsExecSession,
  ecsExecEnabled,
  webProtectionRemoved,
  guarddutyDisabled,
];
