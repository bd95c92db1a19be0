import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { CLOUDTRAIL_DETAIL_TYPES } from '../../model/event';
import { asString } from '../../kernel/values';
import { apiNameOf, recordOf } from '../../kernel/records';
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

/**
 * An API call refused for lack of permission (errorCode AccessDenied…, or EC2's
 * UnauthorizedOperation / Client.UnauthorizedOperation), made by an IAM user, a role session or the
 * root user with its own client. Calls an AWS service makes on a principal's behalf (invokedBy, a
 * service host name or "AWS Internal" as source, AWS's internal user agent) are left out: they are
 * probes by the service, not by the credentials' holder. apiCallPattern excludes failed calls, so the
 * pattern is written here; it names the watched services (WATCHED_SERVICE_SOURCES) so that it is
 * routed by source.
 *
 * One refusal is LOW and means little on its own; the finding is keyed on the principal with the API
 * as qualifier, so repeated refusals aggregate instead of raising a storm. Volume thresholds (many
 * distinct APIs refused within minutes) come later.
 */
export const accessDenied: Control = {
  id: 'iam.access-denied',
  area: 'iam',
  title: 'API call denied for lack of permission',
  severity: 'LOW',
  rationale:
    'Refused calls are how stolen credentials show themselves: an attacker enumerating what a key or session may do collects AccessDenied errors its owner’s workload never produces. One refusal is weak evidence; thresholds on volume and spread come later, until then the per-principal finding shows repetition.',
  runbook: [
    'Look at the principal’s other refused calls (same finding resource, other qualifiers) and at sourceIPAddress and userAgent: refusals across many services, or from an unfamiliar address or tool, suggest the credentials are being probed.',
    'If the calls are not the principal’s own: for an IAM user deactivate the key (IAM console → Users → <user> → Security credentials → Access keys → Deactivate; CLI `aws iam update-access-key --user-name <user> --access-key-id <key-id> --status Inactive`); for a role revoke its sessions (IAM console → Roles → <role> → Revoke active sessions) and find where its credentials leaked.',
    'If a legitimate workload needs the permission, grant exactly that action on that resource; IAM Access Analyzer can generate a policy from the principal’s CloudTrail activity (`aws accessanalyzer start-policy-generation`).',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '4.1' },
    { framework: 'pci-dss-4.0', requirement: '10.2.1.4' },
    { framework: 'nist-800-53-r5', requirement: 'SI-4' },
  ],
  patterns: [
    {
      source: [...WATCHED_SERVICE_SOURCES],
      'detail-type': [CLOUDTRAIL_DETAIL_TYPES.AwsApiCall],
      detail: { errorCode: [{ prefix: 'AccessDenied' }, { suffix: 'UnauthorizedOperation' }] },
    },
  ],
  evaluate(event) {
    const errorCode = denialOf(event);
    if (!errorCode || isMadeByAwsService(event)) return [];
    const record = recordOf(event);
    const api = apiNameOf(event);
    return findingOnCaller(event, (principal) => ({
      qualifier: api,
      message: `${principal.label} was denied ${api} (${errorCode}) from ${asString(record.sourceIPAddress) ?? 'an unknown address'}`,
      evidence: {
        eventSource: record.eventSource,
        eventName: record.eventName,
        errorCode,
        errorMessage: record.errorMessage ?? null,
        userIdentity: callerEvidenceOf(event),
        sourceIPAddress: record.sourceIPAddress ?? null,
        userAgent: record.userAgent ?? null,
      },
    }));
  },
};
