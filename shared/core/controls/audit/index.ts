import type { Control } from '../../model/control';
import { cloudtrailLoggingStopped } from './cloudtrail-logging-stopped';
import { cloudtrailWeakened } from './cloudtrail-weakened';
import { configRecordingStopped } from './config-recording-stopped';
import { logRetentionWeakened } from './log-retention-weakened';
import { trailwardenTampering } from './trailwarden-tampering';
import { s3AccessLoggingDisabled } from './s3-access-logging-disabled';
import { securityHubDisabled } from './security-hub-disabled';
import { accessAnalyzerDeleted } from './access-analyzer-deleted';
import { macieDisabled } from './macie-disabled';
import { logSubscriptionRemoved } from './log-subscription-removed';
import { databaseActivityStreamStopped } from './database-activity-stream-stopped';
import { securityHubFindingsSuppressed } from './security-hub-findings-suppressed';
import { trailConfigurationChanged } from './trail-configuration-changed';
import { securityHubInsightChanged } from './security-hub-insight-changed';

/** The audit area's controls. */
export const auditControls: Control[] = [
  cloudtrailLoggingStopped,
  cloudtrailWeakened,
  configRecordingStopped,
  logRetentionWeakened,
  trailwardenTampering,
  s3AccessLoggingDisabled,
  securityHubDisabled,
  accessAnalyzerDeleted,
  macieDisabled,
  logSubscriptionRemoved,
  databaseActivityStreamStopped,
  securityHubFindingsSuppressed,
  trailConfigurationChanged,
  securityHubInsightChanged,
];
