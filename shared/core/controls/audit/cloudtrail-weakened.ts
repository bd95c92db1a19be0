import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import type { Severity } from '../../model/severity';
import { asArray, asRecord, asString, isFalse, isTrue, stringsOf } from '../../kernel/values';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { CLOUDTRAIL_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { trailArnOf, trailNameOf } from './support';

/** Trail settings UpdateTrail can turn off, with the request field that does it. */
const TRAIL_SETTINGS = [
  {
    qualifier: 'multi-region',
    field: 'isMultiRegionTrail',
    severity: 'HIGH',
    off: 'records only its home Region (multi-Region turned off)',
    on: 'records all Regions again',
  },
  {
    qualifier: 'log-file-validation',
    field: 'enableLogFileValidation',
    severity: 'MEDIUM',
    off: 'no longer signs digest files (log file validation turned off)',
    on: 'validates log files again',
  },
  {
    qualifier: 'global-service-events',
    field: 'includeGlobalServiceEvents',
    severity: 'MEDIUM',
    off: 'no longer records global service events such as IAM',
    on: 'records global service events again',
  },
] as const satisfies ReadonlyArray<{ qualifier: string; field: string; severity: Severity; off: string; on: string }>;

const MANAGEMENT_EVENTS = 'management-events';
const KMS_ENCRYPTION = 'kms-encryption';

/**
 * UpdateTrail removing SSE-KMS encryption: the request sets kmsKeyId to the empty string and the
 * trail it returns has no kmsKeyId (log files fall back to SSE-S3).
 */
function removesKmsEncryption(event: EventBridgeEvent): boolean {
  return requestOf(event).kmsKeyId === '' && !asString(responseOf(event).kmsKeyId);
}

/** Values a field selector matches with Equals (advanced event selectors). */
function equalsOf(selectors: unknown[], field: string): string[] | undefined {
  for (const selector of selectors) {
    const record = asRecord(selector);
    if (asString(record.field)?.toLowerCase() === field.toLowerCase()) {
      return stringsOf(record.equals);
    }
  }
  return undefined;
}

/**
 * Whether the selectors a PutEventSelectors call sets still record write management events:
 * true/false, or undefined when the call sets neither kind of selector.
 * Basic selectors: includeManagementEvents (default true) with readWriteType All or WriteOnly (default All).
 * Advanced selectors: eventCategory = Management, not restricted to readOnly = true.
 */
function recordsWriteManagementEvents(event: EventBridgeEvent): boolean | undefined {
  const request = requestOf(event);
  const advanced = request.advancedEventSelectors;
  if (Array.isArray(advanced)) {
    return advanced.some((selector) => {
      const fields = asArray(asRecord(selector).fieldSelectors);
      const categories = equalsOf(fields, 'eventCategory');
      const readOnly = equalsOf(fields, 'readOnly');
      return categories?.includes('Management') === true && !(readOnly?.length === 1 && readOnly[0] === 'true');
    });
  }
  const basic = request.eventSelectors;
  if (!Array.isArray(basic)) return undefined;
  return basic.some((selector) => {
    const record = asRecord(selector);
    const readWrite = asString(record.readWriteType) ?? 'All';
    return !isFalse(record.includeManagementEvents) && (readWrite === 'All' || readWrite === 'WriteOnly');
  });
}

/**
 * A CloudTrail trail weakened without being stopped: UpdateTrail turning off multi-Region recording,
 * log file validation or global service events, or PutEventSelectors leaving the trail without write
 * management events (includeManagementEvents false, readWriteType ReadOnly, or advanced selectors
 * without eventCategory Management), or UpdateTrail removing SSE-KMS encryption (kmsKeyId set to "").
 * One finding per weakened setting.
 */
export const cloudtrailWeakened: Control = {
  id: 'audit.cloudtrail-weakened',
  area: 'audit',
  title: 'CloudTrail trail weakened',
  severity: 'HIGH',
  rationale:
    'A trail that stops recording management events, other Regions or digest signatures keeps looking healthy while activity goes unrecorded or becomes deniable; it is a quieter alternative to StopLogging.',
  runbook: [
    'Check whether the change was approved; trails that feed trailwarden and the security account must record read and write management events in all Regions with log file validation on.',
    'Console: CloudTrail → Trails → <trail> → General details → Edit → enable Multi-Region, Log file validation; Management events → Edit → API activity Read and Write.',
    'CLI: `aws cloudtrail update-trail --name <trail> --is-multi-region-trail --enable-log-file-validation --include-global-service-events`.',
    'SSE-KMS removed: CloudTrail → Trails → <trail> → General details → Edit → Log file SSE-KMS encryption → Enabled, choose the trail key; CLI `aws cloudtrail update-trail --name <trail> --kms-key-id <key-arn>` (the key policy must allow cloudtrail.amazonaws.com to GenerateDataKey*).',
    'Management events: `aws cloudtrail put-event-selectors --trail-name <trail> --event-selectors \'[{"ReadWriteType":"All","IncludeManagementEvents":true}]\'` (or an advanced selector with eventCategory = Management).',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '3.1' },
    { framework: 'cis-aws', requirement: '3.2' },
    { framework: 'cis-aws', requirement: '3.5' },
    { framework: 'cis-aws', requirement: '4.5' },
    { framework: 'fsbp', requirement: 'CloudTrail.1' },
    { framework: 'fsbp', requirement: 'CloudTrail.2' },
    { framework: 'fsbp', requirement: 'CloudTrail.4' },
    { framework: 'pci-dss-4.0', requirement: '10.2.1' },
    { framework: 'pci-dss-4.0', requirement: '10.3.2' },
    { framework: 'hipaa', requirement: '164.312(b)' },
    { framework: 'nist-800-53-r5', requirement: 'AU-12' },
    { framework: 'nist-800-53-r5', requirement: 'AU-9' },
    { framework: 'nist-800-53-r5', requirement: 'SC-28' },
  ],
  patterns: [apiCallPattern(CLOUDTRAIL_SOURCE, ['UpdateTrail', 'PutEventSelectors'])],
  evaluate(event) {
    const trail = trailArnOf(event);
    if (!trail) return [];
    const name = trailNameOf(trail);
    const request = requestOf(event);
    if (recordOf(event).eventName === 'PutEventSelectors') {
      if (recordsWriteManagementEvents(event) !== false) return [];
      return [
        {
          resourceId: trail,
          resourceType: 'AWS::CloudTrail::Trail',
          qualifier: MANAGEMENT_EVENTS,
          severity: 'HIGH',
          message: `CloudTrail trail ${name} no longer records write management events`,
          evidence: {
            trailName: request.trailName ?? null,
            ...(request.advancedEventSelectors !== undefined
              ? { advancedEventSelectors: request.advancedEventSelectors }
              : { eventSelectors: request.eventSelectors }),
          },
        },
      ];
    }
    const violations = TRAIL_SETTINGS.filter(({ field }) => isFalse(request[field])).map(
      ({ qualifier, field, severity, off }): Violation => ({
        resourceId: trail,
        resourceType: 'AWS::CloudTrail::Trail',
        qualifier,
        severity,
        message: `CloudTrail trail ${name} ${off}`,
        evidence: { name: request.name ?? null, [field]: request[field] },
      }),
    );
    if (removesKmsEncryption(event)) {
      violations.push({
        resourceId: trail,
        resourceType: 'AWS::CloudTrail::Trail',
        qualifier: KMS_ENCRYPTION,
        severity: 'MEDIUM',
        message: `CloudTrail trail ${name} no longer encrypts its log files with a KMS key (SSE-KMS removed)`,
        evidence: { name: request.name ?? null, kmsKeyId: request.kmsKeyId },
      });
    }
    return violations;
  },
  resolution: {
    description:
      'UpdateTrail turning the setting back on (or setting a kmsKeyId again), or PutEventSelectors recording write management events again',
    patterns: [apiCallPattern(CLOUDTRAIL_SOURCE, ['UpdateTrail', 'PutEventSelectors'])],
    resolve(event) {
      const trail = trailArnOf(event);
      if (!trail) return [];
      const name = trailNameOf(trail);
      if (recordOf(event).eventName === 'PutEventSelectors') {
        return recordsWriteManagementEvents(event) === true
          ? [{ resourceId: trail, qualifier: MANAGEMENT_EVENTS, message: `CloudTrail trail ${name} records write management events again` }]
          : [];
      }
      const request = requestOf(event);
      const resolutions = TRAIL_SETTINGS.filter(({ field }) => isTrue(request[field])).map(
        ({ qualifier, on }): Resolution => ({ resourceId: trail, qualifier, message: `CloudTrail trail ${name} ${on}` }),
      );
      const kmsKeyId = asString(request.kmsKeyId);
      if (kmsKeyId) {
        resolutions.push({
          resourceId: trail,
          qualifier: KMS_ENCRYPTION,
          message: `CloudTrail trail ${name} encrypts its log files with KMS key ${kmsKeyId} again`,
        });
      }
      return resolutions;
    },
  },
};
