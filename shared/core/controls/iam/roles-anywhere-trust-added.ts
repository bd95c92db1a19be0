import type { Control, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import type { Severity } from '../../model/severity';
import { asArray, asRecord, asString, pathGet } from '../../kernel/values';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { arnIn } from '../../kernel/arn';
import { callerArnOf } from '../../kernel/principals';
import { ROLES_ANYWHERE_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

const TRUST_ANCHOR_TYPE = 'AWS::RolesAnywhere::TrustAnchor';
const PROFILE_TYPE = 'AWS::RolesAnywhere::Profile';

type Kind = 'trust-anchor' | 'profile';

/** The trust anchor or profile a call is about, by ARN: from the response, else built from the id in the request. */
function arnOf(event: EventBridgeEvent, kind: Kind): string | undefined {
  const key = kind === 'trust-anchor' ? 'trustAnchor' : 'profile';
  const fromResponse = asString(pathGet(responseOf(event), `${key}.${key}Arn`));
  if (fromResponse) return fromResponse;
  const id = asString(requestOf(event)[`${key}Id`]) ?? asString(pathGet(responseOf(event), `${key}.${key}Id`));
  return id ? arnIn(event, 'rolesanywhere', `${kind}/${id}`) : undefined;
}

function kindOf(event: EventBridgeEvent): Kind {
  return /TrustAnchor$/.test(asString(recordOf(event).eventName) ?? '') ? 'trust-anchor' : 'profile';
}

/** What a CreateTrustAnchor / UpdateTrustAnchor makes trusted; undefined when an update leaves the source alone. */
function trustedSource(event: EventBridgeEvent): { sourceType: string; severity: Severity; what: string } | undefined {
  const source = asRecord(requestOf(event).source);
  const sourceType = asString(source.sourceType);
  if (!sourceType) return undefined;
  if (sourceType === 'AWS_ACM_PCA') {
    const ca = asString(pathGet(source, 'sourceData.acmPcaArn')) ?? 'an AWS Private CA';
    return { sourceType, severity: 'MEDIUM', what: `certificates issued by ${ca}` };
  }
  // CERTIFICATE_BUNDLE (and SELF_SIGNED_REPOSITORY): a CA whose private key lives outside AWS.
  return {
    sourceType,
    severity: 'HIGH',
    what: 'certificates signed by an externally managed CA (certificate bundle supplied in the request)',
  };
}

/**
 * IAM Roles Anywhere configured to hand out role credentials: a trust anchor created or re-pointed
 * (CreateTrustAnchor, UpdateTrustAnchor with a new source) or a profile created or changed to cover
 * roles (CreateProfile, UpdateProfile with roleArns). Whoever holds a certificate the anchor trusts
 * can then obtain temporary credentials for the profile's roles from anywhere, with no IAM user or
 * key to rotate: a persistence path that survives credential resets. An externally managed CA
 * (CERTIFICATE_BUNDLE) is HIGH, an AWS Private CA MEDIUM, a profile MEDIUM; a trust anchor or
 * profile created disabled is LOW. Deleting or disabling the anchor or profile resolves it.
 */
export const rolesAnywhereTrustAdded: Control = {
  id: 'iam.roles-anywhere-trust-added',
  area: 'iam',
  title: 'IAM Roles Anywhere trust anchor or profile created or changed',
  severity: 'MEDIUM',
  rationale:
    'A Roles Anywhere trust anchor lets anyone holding a certificate from its CA exchange it for role credentials from outside AWS; an anchor on a CA the attacker controls is a backdoor that no password reset or key rotation closes.',
  runbook: [
    'Confirm with the platform team that the trust anchor (its CA) and the profile (its roles) are planned; compare the CA certificate with the organization’s PKI.',
    'If not legitimate, disable and delete them: IAM console → Roles → Roles Anywhere → Trust anchors / Profiles → Disable, then Delete; CLI `aws rolesanywhere disable-trust-anchor --trust-anchor-id <id>`, `aws rolesanywhere delete-trust-anchor --trust-anchor-id <id>`, `aws rolesanywhere delete-profile --profile-id <id>`.',
    'Remove `rolesanywhere.amazonaws.com` from the trust policy of roles that should not be reachable this way, revoke their active sessions, and review CloudTrail for CreateSession calls (rolesanywhere.amazonaws.com) made with the anchor.',
    'Restrict rolesanywhere:CreateTrustAnchor, UpdateTrustAnchor, CreateProfile and UpdateProfile to an administrator role with an SCP.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-2' },
    { framework: 'nist-800-53-r5', requirement: 'IA-5(2)' },
    { framework: 'nist-800-53-r5', requirement: 'CM-3' },
  ],
  attack: ['T1098'],
  patterns: [apiCallPattern(ROLES_ANYWHERE_SOURCE, ['CreateTrustAnchor', 'UpdateTrustAnchor', 'CreateProfile', 'UpdateProfile'])],
  evaluate(event) {
    const kind = kindOf(event);
    const arn = arnOf(event, kind);
    if (!arn) return [];
    const request = requestOf(event);
    const eventName = asString(recordOf(event).eventName) ?? '';
    const created = eventName.startsWith('Create');
    const disabled = request.enabled === false;
    const caller = callerArnOf(event) ?? 'an unknown caller';
    let violation: Violation;
    if (kind === 'trust-anchor') {
      const source = trustedSource(event);
      if (!source) return [];
      violation = {
        resourceId: arn,
        resourceType: TRUST_ANCHOR_TYPE,
        severity: disabled ? 'LOW' : source.severity,
        message: `Roles Anywhere trust anchor ${asString(request.name) ?? arn} ${created ? 'was created' : 'was re-pointed'}${disabled ? ' (disabled)' : ''} by ${caller}: ${source.what} can now be exchanged for role credentials`,
        evidence: {
          eventName,
          trustAnchorArn: arn,
          name: request.name ?? null,
          sourceType: source.sourceType,
          enabled: request.enabled ?? null,
        },
      };
    } else {
      const roleArns = asArray(request.roleArns ?? pathGet(responseOf(event), 'profile.roleArns')).filter(
        (r): r is string => typeof r === 'string',
      );
      if (roleArns.length === 0) return [];
      violation = {
        resourceId: arn,
        resourceType: PROFILE_TYPE,
        severity: disabled ? 'LOW' : 'MEDIUM',
        message: `Roles Anywhere profile ${asString(request.name) ?? arn} ${created ? 'was created' : 'was changed'}${disabled ? ' (disabled)' : ''} by ${caller}: roles ${roleArns.join(', ')} can be obtained with a trusted certificate`,
        evidence: {
          eventName,
          profileArn: arn,
          name: request.name ?? null,
          roleArns,
          durationSeconds: request.durationSeconds ?? null,
          enabled: request.enabled ?? null,
        },
      };
    }
    return [violation];
  },
  resolution: {
    description: 'DeleteTrustAnchor / DisableTrustAnchor or DeleteProfile / DisableProfile of the same trust anchor or profile',
    patterns: [apiCallPattern(ROLES_ANYWHERE_SOURCE, ['DeleteTrustAnchor', 'DisableTrustAnchor', 'DeleteProfile', 'DisableProfile'])],
    resolve(event) {
      const kind = kindOf(event);
      const arn = arnOf(event, kind);
      if (!arn) return [];
      const verb = (asString(recordOf(event).eventName) ?? '').startsWith('Delete') ? 'was deleted' : 'was disabled';
      return [{ resourceId: arn, message: `Roles Anywhere ${kind === 'trust-anchor' ? 'trust anchor' : 'profile'} ${arn} ${verb}` }];
    },
  },
};
