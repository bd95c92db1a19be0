import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { CLOUDTRAIL_DETAIL_TYPES } from '../../model/event';
import { asString } from '../../kernel/values';
import { apiNameOf, recordOf } from '../../kernel/records';
import { callerEvidenceOf } from '../../kernel/principals';
import { WATCHED_SERVICE_SOURCES } from '../../kernel/sources';
import { findingOnCaller } from './support';

interface Tool {
  /** Lower-case text the user agent contains. */
  marker: string;
  name: string;
  why: string;
}

/**
 * Tools whose user agent gives them away. The Linux distributions are the ones GuardDuty's
 * PenTest:IAMUser/KaliLinux, /ParrotLinux and /PentooLinux findings are about (the AWS SDKs put the
 * kernel release, e.g. `6.6.9-amd64-kali`, in the user agent); TruffleHog verifies every AWS key it
 * finds in code or logs with sts:GetCallerIdentity under its own user agent.
 */
const TOOLS: Tool[] = [
  { marker: 'trufflehog', name: 'TruffleHog', why: 'a secret scanner verifying a key it found, so the key is likely published somewhere' },
  { marker: 'kali', name: 'Kali Linux', why: 'a penetration-testing distribution' },
  { marker: 'parrot', name: 'Parrot Security OS', why: 'a penetration-testing distribution' },
  { marker: 'pentoo', name: 'Pentoo Linux', why: 'a penetration-testing distribution' },
];

/** EventBridge wildcards are case-sensitive: the spellings tools and kernels actually use. */
const USER_AGENT_WILDCARDS = [
  '*trufflehog*',
  '*TruffleHog*',
  '*Trufflehog*',
  '*TRUFFLEHOG*',
  '*kali*',
  '*Kali*',
  '*parrot*',
  '*Parrot*',
  '*pentoo*',
  '*Pentoo*',
].map((wildcard) => ({ wildcard }));

function toolOf(event: EventBridgeEvent): Tool | undefined {
  const userAgent = (asString(recordOf(event).userAgent) ?? '').toLowerCase();
  return userAgent ? TOOLS.find((tool) => userAgent.includes(tool.marker)) : undefined;
}

/**
 * An API call or sign-in whose user agent names an offensive-security tool: a secret scanner that
 * validates found AWS keys (TruffleHog) or a penetration-testing Linux distribution (Kali, Parrot,
 * Pentoo). Failed calls count: probing with a stolen key fails often. The finding is keyed on the
 * calling principal with the tool as qualifier, so a session's many calls make one finding.
 * Authorised penetration tests raise it too; suppress those by principal for the test window.
 * Calls to the services in WATCHED_SERVICE_SOURCES are examined.
 */
export const offensiveToolUsed: Control = {
  id: 'iam.offensive-tool-used',
  area: 'iam',
  title: 'AWS credentials used from an offensive-security tool',
  severity: 'MEDIUM',
  rationale:
    'Workloads and administrators do not call AWS from secret scanners or penetration-testing distributions; credentials seen there are being tested by someone who found them, or used by an attacker, unless a sanctioned test is under way.',
  runbook: [
    'Check whether an authorised penetration test or secret-scanning exercise was running for this principal (ask the security team); if so, note the test window and suppress.',
    'Otherwise treat the credentials as compromised: for an IAM user deactivate its access keys (IAM console → Users → <user> → Security credentials → Access keys → Deactivate; CLI `aws iam update-access-key --user-name <user> --access-key-id <key-id> --status Inactive`), for a role revoke active sessions (IAM console → Roles → <role> → Revoke active sessions).',
    'Find where the key leaked (repositories, CI logs, images) and review everything the principal did from that source address since (CloudTrail Lake or Athena query on userIdentity.arn and sourceIPAddress).',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'SI-4' },
    { framework: 'nist-800-53-r5', requirement: 'IA-5' },
  ],
  patterns: [
    {
      source: [...WATCHED_SERVICE_SOURCES],
      'detail-type': [CLOUDTRAIL_DETAIL_TYPES.AwsApiCall, CLOUDTRAIL_DETAIL_TYPES.AwsConsoleSignIn],
      detail: { userAgent: USER_AGENT_WILDCARDS },
    },
  ],
  evaluate(event) {
    const tool = toolOf(event);
    if (!tool) return [];
    const record = recordOf(event);
    const api = apiNameOf(event);
    return findingOnCaller(event, (principal) => ({
      qualifier: tool.name,
      message: `${principal.label} called ${api} from ${asString(record.sourceIPAddress) ?? 'an unknown address'} with ${tool.name}, ${tool.why}`,
      evidence: {
        eventSource: record.eventSource,
        eventName: record.eventName,
        userAgent: record.userAgent,
        sourceIPAddress: record.sourceIPAddress ?? null,
        userIdentity: callerEvidenceOf(event),
        errorCode: record.errorCode ?? null,
      },
    }));
  },
};
