import type { Control } from '../../model/control';
import { cloudtrailLoggingStopped } from './cloudtrail-logging-stopped';
import { cloudtrailWeakened } from './cloudtrail-weakened';
import { configRecordingStopped } from './config-recording-stopped';
import { logRetentionWeakened } from './log-retention-weakened';
import { trailwardenTampering } from './trailwarden-tampering';

/** The audit area's controls. */
export const auditControls: Control[] = [
  cloudtrailLoggingStopped,
  cloudtrailWeakened,
  configRecordingStopped,
  logRetentionWeakened,
  trailwardenTampering,
];
