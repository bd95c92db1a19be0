import type { Control } from '../../model/control';
import { ecsExecEnabled } from './ecs-exec-enabled';
import { ecsExecSession } from './ecs-exec-session';
import { falcoAlert } from './falco-alert';
import { guarddutyAutoEnableDisabled } from './guardduty-auto-enable-disabled';
import { guarddutyDisabled } from './guardduty-disabled';
import { guarddutyFinding } from './guardduty-finding';
import { guarddutyFindingsSuppressed } from './guardduty-findings-suppressed';
import { guarddutyRuntimeFinding } from './guardduty-runtime-finding';
import { guarddutyTrustedIpList } from './guardduty-trusted-ip-list';
import { inspectorScanningDisabled } from './inspector-scanning-disabled';
import { wafLoggingDisabled } from './waf-logging-disabled';
import { webAclWithoutRules } from './web-acl-without-rules';
import { webProtectionRemoved } from './web-protection-removed';

/** The runtime area's controls. */
export const runtimeControls: Control[] = [
  guarddutyRuntimeFinding,
  ecsExecSession,
  ecsExecEnabled,
  webProtectionRemoved,
  guarddutyDisabled,
  guarddutyFindingsSuppressed,
  inspectorScanningDisabled,
  wafLoggingDisabled,
  guarddutyAutoEnableDisabled,
  webAclWithoutRules,
  guarddutyFinding,
  guarddutyTrustedIpList,
  falcoAlert,
];
