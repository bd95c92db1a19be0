import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import type { Severity } from '../../model/severity';
import { asArray, asRecord, asString, pathGet } from '../../kernel/values';
import { recordOf, regionOf, requestOf, responseOf } from '../../kernel/records';
import { arnIn } from '../../kernel/arn';
import { ECR_SOURCE, SIGNER_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { registryOf } from './support';

/** CloudFormation's types: the registry's managed-signing configuration (per region), a Signer profile. */
const SIGNING_CONFIGURATION_TYPE = 'AWS::ECR::SigningConfiguration';
const SIGNING_PROFILE_TYPE = 'AWS::Signer::SigningProfile';
/** CloudFormation has no type for a Signer signing job; this is the CloudFormation-style rendering. */
const SIGNING_JOB_TYPE = 'AWS::Signer::SigningJob';

const ECR_CALLS = ['PutSigningConfiguration', 'DeleteSigningConfiguration'];
const SIGNER_CALLS = ['CancelSigningProfile', 'RevokeSigningProfile', 'RevokeSignature'];

/**
 * The rules of an ECR signing configuration (ECR API reference, SigningConfiguration): `rules[]` of
 * {signingProfileArn, repositoryFilters[] {filter, filterType}}, 0 to 10 rules. PutSigningConfiguration
 * sends it as `signingConfiguration` and echoes it in the response; DeleteSigningConfiguration
 * takes no parameters and answers with `registryId` and the deleted `signingConfiguration`.
 */
function rulesOf(event: EventBridgeEvent): unknown[] | undefined {
  const echoed = pathGet(responseOf(event), 'signingConfiguration.rules');
  const requested = pathGet(requestOf(event), 'signingConfiguration.rules');
  const rules = echoed ?? requested;
  return rules === undefined ? undefined : asArray(rules);
}

/** arn:<partition>:signer:<region>:<account>:/signing-profiles/<name>, as Signer names profiles. */
function profileArn(event: EventBridgeEvent, profileName: string): string {
  return arnIn(event, 'signer', `/signing-profiles/${profileName}`);
}

/** arn:<partition>:signer:<region>:<account>:/signing-jobs/<job id>. */
function jobArn(event: EventBridgeEvent, jobId: string, owner?: string): string {
  return arnIn(event, 'signer', `/signing-jobs/${jobId}`, { account: owner });
}

function registryViolation(event: EventBridgeEvent, how: string, evidence: Record<string, unknown>): Violation {
  const registry = registryOf(event);
  return {
    resourceId: registry,
    resourceType: SIGNING_CONFIGURATION_TYPE,
    message: `ECR managed signing was ${how} for private registry ${registry} in ${regionOf(event)}: images pushed from now on are not signed`,
    evidence,
  };
}

function signerViolation(event: EventBridgeEvent): Violation | undefined {
  const request = requestOf(event);
  const reason = asString(request.reason);
  switch (recordOf(event).eventName) {
    case 'CancelSigningProfile': {
      const name = asString(request.profileName);
      if (!name) return undefined;
      return {
        resourceId: profileArn(event, name),
        resourceType: SIGNING_PROFILE_TYPE,
        qualifier: 'canceled',
        message: `Signer signing profile ${name} was canceled: nothing can be signed with it any more, so pipelines that sign with it produce unsigned images`,
        evidence: { profileName: name },
      };
    }
    case 'RevokeSigningProfile': {
      const name = asString(request.profileName);
      if (!name) return undefined;
      const version = asString(request.profileVersion);
      return {
        resourceId: profileArn(event, name),
        resourceType: SIGNING_PROFILE_TYPE,
        qualifier: `revoked ${version ?? 'version'}`,
        severity: 'HIGH' as Severity,
        message: `Signer signing profile ${name}${version ? ` version ${version}` : ''} was revoked: every signature it made after ${String(request.effectiveTime ?? 'the effective time')} is no longer trusted${reason ? ` (reason: ${reason})` : ''}`,
        evidence: { profileName: name, profileVersion: version, effectiveTime: request.effectiveTime, reason },
      };
    }
    case 'RevokeSignature': {
      const jobId = asString(request.jobId);
      if (!jobId) return undefined;
      return {
        resourceId: jobArn(event, jobId, asString(request.jobOwner)),
        resourceType: SIGNING_JOB_TYPE,
        severity: 'LOW' as Severity,
        message: `The signature of Signer signing job ${jobId} was revoked: the artifact it signed no longer verifies${reason ? ` (reason: ${reason})` : ''}`,
        evidence: { jobId, jobOwner: request.jobOwner, reason },
      };
    }
    default:
      return undefined;
  }
}

/**
 * Image signing switched off or its trust withdrawn:
 * - ECR managed signing removed — DeleteSigningConfiguration, or PutSigningConfiguration with no
 *   rules (MEDIUM): images pushed afterwards carry no signature;
 * - an AWS Signer signing profile canceled (CancelSigningProfile, MEDIUM): it cannot sign any more;
 * - a signing profile version revoked (RevokeSigningProfile, HIGH): its signatures after the
 *   effective time stop verifying — the response to a compromised signing key, or sabotage of
 *   every deployment that verifies them;
 * - one signature revoked (RevokeSignature, LOW): the usual way to withdraw a bad build.
 * Signer calls do not say whether the profile signs container images or Lambda code; both are
 * reported. Setting a signing configuration with rules again resolves the registry finding;
 * cancellation and revocation cannot be undone and are closed by hand.
 */
export const signingDisabled: Control = {
  id: 'image.signing-disabled',
  area: 'image',
  title: 'Image signing removed or signing profile canceled or revoked',
  severity: 'MEDIUM',
  rationale:
    'Signatures are how a cluster tells images built by the pipeline from anything else pushed to the registry; removing signing, canceling the profile or revoking signatures either opens the door to unsigned images or breaks every deployment that verifies them, and is also what an attacker does after tampering with the build.',
  runbook: [
    'Check who made the change and why (userIdentity of the event; for revocations the reason in the evidence). A revocation after a suspected key or pipeline compromise is expected — then find which images were signed after the effective time.',
    'Restore managed signing if it was removed: ECR console → Private registry → Settings → Signing, or `aws ecr put-signing-configuration --signing-configuration \'{"rules":[{"signingProfileArn":"arn:aws:signer:<region>:<account>:/signing-profiles/<profile>"}]}\'`.',
    'A canceled or revoked profile cannot be reactivated: create a new one (`aws signer put-signing-profile --profile-name <new> --platform-id Notation-OCI-SHA384-ECDSA`), point the signing configuration and the verification policies (Notation trust policy, admission controller) at it, and re-sign current images.',
    'Restrict ecr:PutSigningConfiguration, ecr:DeleteSigningConfiguration, signer:CancelSigningProfile, signer:RevokeSigningProfile and signer:RevokeSignature to the security team.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'SI-7(15)' },
    { framework: 'nist-800-53-r5', requirement: 'CM-14' },
    { framework: 'nist-800-53-r5', requirement: 'CM-3' },
  ],
  patterns: [apiCallPattern(ECR_SOURCE, ECR_CALLS), apiCallPattern(SIGNER_SOURCE, SIGNER_CALLS)],
  evaluate(event): Violation[] {
    switch (recordOf(event).eventName) {
      case 'DeleteSigningConfiguration':
        return [
          registryViolation(event, 'removed', { deletedSigningConfiguration: pathGet(responseOf(event), 'signingConfiguration') ?? null }),
        ];
      case 'PutSigningConfiguration': {
        const rules = rulesOf(event);
        return rules !== undefined && rules.length === 0
          ? [registryViolation(event, 'emptied (no signing rules)', { signingConfiguration: { rules } })]
          : [];
      }
      default: {
        const violation = signerViolation(event);
        return violation ? [violation] : [];
      }
    }
  },
  resolution: {
    description: 'PutSigningConfiguration with at least one signing rule (the registry signs pushed images again)',
    patterns: [apiCallPattern(ECR_SOURCE, ['PutSigningConfiguration'])],
    resolve(event): Resolution[] {
      const rules = rulesOf(event);
      if (!rules || rules.length === 0) return [];
      const registry = registryOf(event);
      const profiles = rules.map((r) => asString(asRecord(r).signingProfileArn)).filter((p): p is string => p !== undefined);
      return [
        {
          resourceId: registry,
          message: `ECR managed signing is configured again for private registry ${registry} (${profiles.join(', ') || 'signing rules set'})`,
        },
      ];
    },
  },
};
