import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString } from '../../kernel/values';
import { ACCOUNT_RESOURCE_TYPE, accountOf, recordOf, regionOf, requestOf } from '../../kernel/records';
import { MACIE_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

/** Macie is enabled per account and Region; the account is the resource, the Region the qualifier. */
function qualifierOf(event: EventBridgeEvent): string {
  return `Macie in ${regionOf(event)}`;
}

/** The status an EnableMacie / UpdateMacieSession request sets (EnableMacie defaults to ENABLED). */
function requestedStatus(event: EventBridgeEvent): string | undefined {
  const status = asString(requestOf(event).status)?.toUpperCase();
  if (status) return status;
  return recordOf(event).eventName === 'EnableMacie' ? 'ENABLED' : undefined;
}

/**
 * Amazon Macie turned off in an account and Region: DisableMacie (HIGH: it also deletes the
 * account's Macie findings, classification jobs and settings) or UpdateMacieSession with status
 * PAUSED (MEDIUM: discovery and jobs stop until resumed). EnableMacie, or UpdateMacieSession with
 * status ENABLED, resolves it.
 */
export const macieDisabled: Control = {
  id: 'audit.macie-disabled',
  area: 'audit',
  title: 'Amazon Macie disabled or paused',
  severity: 'MEDIUM',
  rationale:
    'Macie is what finds sensitive data landing in the wrong S3 bucket and reports buckets becoming public or shared; disabling it deletes its findings and jobs, and pausing it stops discovery without leaving an obvious trace.',
  runbook: [
    "Confirm with the data-protection owner whether Macie was turned off on purpose (e.g. the Region is being retired); otherwise treat the call as defense evasion and review the actor's other recent calls.",
    'Paused: Macie console → Settings → Suspend Macie section → Enable Macie; CLI `aws macie2 update-macie-session --status ENABLED --region <region>`.',
    'Disabled: Macie console → Get started → Enable Macie, then recreate the sensitive data discovery jobs and findings export; CLI `aws macie2 enable-macie --status ENABLED --finding-publishing-frequency FIFTEEN_MINUTES --region <region>`.',
    'With a Macie delegated administrator, re-add the account as a member; restrict macie2:DisableMacie and macie2:UpdateMacieSession with an SCP.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'Macie.1' },
    { framework: 'nist-800-53-r5', requirement: 'CA-7' },
    { framework: 'nist-800-53-r5', requirement: 'RA-5' },
    { framework: 'nist-800-53-r5', requirement: 'SI-4' },
  ],
  patterns: [apiCallPattern(MACIE_SOURCE, ['DisableMacie', 'UpdateMacieSession'])],
  evaluate(event) {
    const account = accountOf(event);
    const region = regionOf(event);
    if (recordOf(event).eventName === 'DisableMacie') {
      return [
        {
          resourceId: account,
          resourceType: ACCOUNT_RESOURCE_TYPE,
          qualifier: qualifierOf(event),
          message: `Amazon Macie was disabled in account ${account}, Region ${region}, deleting its findings and jobs`,
          evidence: { eventName: 'DisableMacie', awsRegion: region },
          severity: 'HIGH',
        },
      ];
    }
    if (requestedStatus(event) !== 'PAUSED') return [];
    return [
      {
        resourceId: account,
        resourceType: ACCOUNT_RESOURCE_TYPE,
        qualifier: qualifierOf(event),
        message: `Amazon Macie was paused in account ${account}, Region ${region}`,
        evidence: { status: requestOf(event).status ?? null, awsRegion: region },
      },
    ];
  },
  resolution: {
    description: 'EnableMacie, or UpdateMacieSession with status ENABLED, in the same account and Region',
    patterns: [apiCallPattern(MACIE_SOURCE, ['EnableMacie', 'UpdateMacieSession'])],
    resolve(event) {
      if (requestedStatus(event) !== 'ENABLED') return [];
      const account = accountOf(event);
      return [
        {
          resourceId: account,
          qualifier: qualifierOf(event),
          message: `Amazon Macie is enabled again in account ${account}, Region ${regionOf(event)}`,
        },
      ];
    },
  },
};
