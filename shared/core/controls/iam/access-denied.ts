import type { Control, DetectionSignal } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { CLOUDTRAIL_DETAIL_TYPES } from '../../model/event';
import { asString } from '../../kernel/values';
import { accountOf, apiNameOf, recordOf } from '../../kernel/records';
import { callerEvidenceOf } from '../../kernel/principals';
import { WATCHED_SERVICE_SOURCES } from '../../kernel/sources';
import { findingOnCaller, isMadeByAwsService } from './support';

/** The error codes CIS 4.1's metric filter counts: AccessDenied… (AccessDenied, AccessDeniedException) and …UnauthorizedOperation (EC2). */
function isAccessDenied(errorCode: string | undefined): errorCode is string {
  return errorCode !== undefined && (errorCode.startsWith('AccessDenied') || errorCode.endsWith('UnauthorizedOperation'));
}

function denialOf(event: EventBridgeEvent): string | undefined {
  const errorCode = asString(recordOf(event).errorCode);
  return isAccessDenied(errorCode) ? errorCode : undefined;
}

const WINDOW = 'refusedApisPerPrincipal';

/**
 * Enumeration: API calls refused for lack of permission (errorCode AccessDenied…, or EC2's
 * UnauthorizedOperation / Client.UnauthorizedOperation: what CIS 4.1's metric filter counts), made by an
 * IAM user, a role session or the root user with its own client, are counted per principal by the distinct
 * APIs refused, across services. One refusal means little (a console page probing optional data, a missing
 * permission) and raises nothing; `refusedApisPerPrincipal` distinct APIs within its window is MEDIUM, one
 * finding per principal that repeats while the probing lasts. Calls an AWS service makes on a principal's
 * behalf (invokedBy, a service host name or "AWS Internal" as source, AWS's internal user agent) are left
 * out. apiCallPattern excludes failed calls, so the pattern is written here; it names the watched services
 * (WATCHED_SERVICE_SOURCES) so that it is routed by source.
 */
export const accessDenied: Control = {
  id: 'iam.access-denied',
  area: 'iam',
  title: 'Many API calls denied for one principal (enumeration)',
  severity: 'MEDIUM',
  rationale:
    'Refused calls are how stolen credentials show themselves: an attacker enumerating what a key or session may do collects AccessDenied errors across many services that its owner’s workload never produces. One refusal is weak evidence; many distinct APIs refused within minutes is the pattern.',
  runbook: [
    'Look at the evidence: the APIs refused (detection.values), the source address and the user agent. Refusals across many services, or from an unfamiliar address or tool, suggest the credentials are being probed.',
    'If the calls are not the principal’s own: for an IAM user deactivate the key (IAM console → Users → <user> → Security credentials → Access keys → Deactivate; CLI `aws iam update-access-key --user-name <user> --access-key-id <key-id> --status Inactive`); for a role revoke its sessions (IAM console → Roles → <role> → Revoke active sessions) and find where its credentials leaked.',
    'If a legitimate workload needs the permissions, grant exactly those actions on those resources; IAM Access Analyzer can generate a policy from the principal’s CloudTrail activity (`aws accessanalyzer start-policy-generation`).',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '4.1' },
    { framework: 'pci-dss-4.0', requirement: '10.2.1.4' },
    { framework: 'nist-800-53-r5', requirement: 'SI-4' },
  ],
  attack: ['T1580', 'T1069.003'],
  patterns: [
    {
      source: [...WATCHED_SERVICE_SOURCES],
      'detail-type': [CLOUDTRAIL_DETAIL_TYPES.AwsApiCall],
      detail: { errorCode: [{ prefix: 'AccessDenied' }, { suffix: 'UnauthorizedOperation' }] },
    },
  ],
  detection: {
    windows: { [WINDOW]: { minutes: 15, threshold: 10, counts: 'distinct APIs refused' } },
    detect(event): DetectionSignal[] {
      const errorCode = denialOf(event);
      if (!errorCode || isMadeByAwsService(event)) return [];
      const record = recordOf(event);
      const api = apiNameOf(event);
      return findingOnCaller(event, (principal) => ({
        qualifier: 'enumeration',
        message: `${principal.label} was denied many different API calls, latest ${api} (${errorCode}) from ${asString(record.sourceIPAddress) ?? 'an unknown address'}`,
        evidence: {
          eventSource: record.eventSource,
          eventName: record.eventName,
          errorCode,
          errorMessage: record.errorMessage ?? null,
          userIdentity: callerEvidenceOf(event),
          sourceIPAddress: record.sourceIPAddress ?? null,
          userAgent: record.userAgent ?? null,
        },
      })).map((violation) => ({
        kind: 'distinct' as const,
        window: WINDOW,
        key: `${accountOf(event)}/${violation.resourceType}/${violation.resourceId}`,
        value: api,
        raises: () => violation,
      }));
    },
  },
};
