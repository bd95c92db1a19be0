import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { CLOUDTRAIL_DETAIL_TYPES } from '../../model/event';
import { asString } from '../../kernel/values';
import { recordOf } from '../../kernel/records';
import { callerArnOf, callerEvidenceOf } from '../../kernel/principals';
import { SIGNIN_SOURCE } from '../../kernel/sources';
import { findingOnCaller } from './support';

/** Permission-set roles IAM Identity Center creates: its portal opens console sessions for them with GetSigninToken. */
const IDENTITY_CENTER_ROLE = /:assumed-role\/AWSReservedSSO_[^/]+\//;
/** The user agent the Identity Center portal's back end sends with that call. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: the literal user agent AWS Identity Center's portal sends, placeholder included.
const IDENTITY_CENTER_USER_AGENT = 'Jersey/${project.version}';

function isIdentityCenterSession(event: EventBridgeEvent): boolean {
  const record = recordOf(event);
  const arn = callerArnOf(event) ?? '';
  const issuer = asString(record.userIdentity?.sessionContext?.sessionIssuer?.userName) ?? '';
  return (
    IDENTITY_CENTER_ROLE.test(arn) ||
    issuer.startsWith('AWSReservedSSO_') ||
    (asString(record.userAgent) ?? '').includes(IDENTITY_CENTER_USER_AGENT)
  );
}

/**
 * GetSigninToken (the federation endpoint, signin.amazonaws.com) called with a role session's
 * temporary credentials: it turns programmatic credentials into an AWS console session. Tools such
 * as aws_consoler and Pacu do this with stolen keys to work in the console, where activity is harder
 * to follow and the original key no longer appears. IAM Identity Center's portal does the same for
 * its permission-set roles (AWSReservedSSO_*) and is not reported; federated users of a custom
 * identity broker (GetFederationToken, then GetSigninToken) are that broker's documented flow and
 * are not reported either. The finding is keyed on the role.
 */
export const consoleSessionFromApiCredentials: Control = {
  id: 'iam.console-session-from-api-credentials',
  area: 'iam',
  title: 'Console session created from a role’s API credentials',
  severity: 'MEDIUM',
  rationale:
    'People reach the console through Identity Center or a sign-in page; converting a role session’s access key into a console session is what attackers do with stolen workload credentials to browse the account and hide which key was compromised.',
  runbook: [
    'Identify the role and session (userIdentity.arn) and where the call came from (sourceIPAddress, userAgent); a workload role signing in to the console is not normal.',
    'If not explained, revoke the role’s active sessions (IAM console → Roles → <role> → Revoke active sessions, which denies credentials issued before now) and find where its credentials leaked (instance metadata, CI variables, developer machines).',
    'Review console activity after the sign-in (CloudTrail events with sessionCredentialFromConsole and the same session name).',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-17' },
    { framework: 'nist-800-53-r5', requirement: 'SI-4' },
  ],
  attack: ['T1550.001', 'T1021.007'],
  patterns: [
    {
      source: ['aws.signin'],
      'detail-type': [CLOUDTRAIL_DETAIL_TYPES.AwsApiCall, CLOUDTRAIL_DETAIL_TYPES.AwsConsoleSignIn],
      detail: { eventSource: [SIGNIN_SOURCE], eventName: ['GetSigninToken'], userIdentity: { type: ['AssumedRole'] } },
    },
  ],
  evaluate(event) {
    const record = recordOf(event);
    if (record.errorCode !== undefined || isIdentityCenterSession(event)) return [];
    return findingOnCaller(event, (principal) => ({
      qualifier: 'signin:GetSigninToken',
      message: `${principal.label} exchanged its API credentials for a console sign-in token from ${asString(record.sourceIPAddress) ?? 'an unknown address'} (${asString(record.userAgent) ?? 'no user agent'})`,
      evidence: {
        eventName: record.eventName,
        userIdentity: callerEvidenceOf(event),
        sourceIPAddress: record.sourceIPAddress ?? null,
        userAgent: record.userAgent ?? null,
      },
    }));
  },
};
