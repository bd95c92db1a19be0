import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asString } from '../../kernel/values';
import { ACCOUNT_RESOURCE_TYPE, accountOf, recordOf, requestOf, responseOf } from '../../kernel/records';
import { arnIn } from '../../kernel/arn';
import { callerArnOf, callerEvidenceOf } from '../../kernel/principals';
import { SSO_SOURCE } from '../../kernel/sources';
import { iamCall } from './support';

const SAML_PROVIDER_TYPE = 'AWS::IAM::SAMLProvider';
const OIDC_PROVIDER_TYPE = 'AWS::IAM::OIDCProvider';
/** The qualifier of a finding on the account for a SAML provider the record does not name. */
const UNNAMED_SAML_PROVIDER = 'SAML provider not named in the record';

interface Provider {
  arn: string;
  resourceType: string;
  kind: 'SAML' | 'OIDC';
}

function iamArn(event: EventBridgeEvent, resource: string): string {
  return arnIn(event, 'iam', resource, { region: '' });
}

/** The provider a call acts on, by ARN (what CloudFormation's Ref returns for both provider types). */
function providerOf(event: EventBridgeEvent): Provider | undefined {
  const request = requestOf(event);
  const response = responseOf(event);
  const eventName = asString(recordOf(event).eventName) ?? '';
  if (eventName.includes('SAMLProvider')) {
    const name = asString(request.name);
    const arn =
      asString(request.sAMLProviderArn) ??
      asString(response.sAMLProviderArn) ??
      (name ? iamArn(event, `saml-provider/${name}`) : undefined);
    return arn ? { arn, resourceType: SAML_PROVIDER_TYPE, kind: 'SAML' } : undefined;
  }
  const url = asString(request.url)
    ?.replace(/^https:\/\//, '')
    .replace(/\/+$/, '');
  const arn =
    asString(request.openIDConnectProviderArn) ??
    asString(response.openIDConnectProviderArn) ??
    (url ? iamArn(event, `oidc-provider/${url}`) : undefined);
  return arn ? { arn, resourceType: OIDC_PROVIDER_TYPE, kind: 'OIDC' } : undefined;
}

/**
 * A SAML or OIDC identity provider created, or an existing one changed (new SAML metadata, new OIDC
 * thumbprints, a new OIDC audience). Whoever controls a trusted identity provider can sign in to
 * every role that trusts it; changing an existing provider's keys redirects that trust silently, so
 * updates are HIGH and creations MEDIUM. Providers IAM Identity Center manages are not reported.
 * CloudTrail leaves out request and response fields that exceed its field size limit, and a SAML
 * metadata document can be large: a CreateSAMLProvider / UpdateSAMLProvider record that names no
 * provider is still reported, on the account, since the change itself is the signal.
 */
export const identityProviderChanged: Control = {
  id: 'iam.identity-provider-changed',
  area: 'iam',
  title: 'IAM SAML or OIDC identity provider created or changed',
  severity: 'MEDIUM',
  rationale:
    'Roles that trust an identity provider accept whatever identities it vouches for; a provider added or re-keyed by an attacker is a sign-in path that needs no IAM user, password or access key and survives credential rotation.',
  runbook: [
    'Confirm with the identity team that the provider and its change were planned (userIdentity, sourceIPAddress); compare the SAML metadata signing certificate or the OIDC URL, audiences and thumbprints with the real identity provider.',
    'Review which roles trust the provider: IAM console → Identity providers → <provider> → and the roles whose trust policy names its ARN as Federated principal.',
    'If the change is not legitimate, restore the known-good metadata (`aws iam update-saml-provider --saml-provider-arn <arn> --saml-metadata-document file://metadata.xml`) or remove the provider (`aws iam delete-saml-provider --saml-provider-arn <arn>`, `aws iam delete-open-id-connect-provider --open-id-connect-provider-arn <arn>`), then revoke sessions of the trusting roles (IAM console → Roles → <role> → Revoke active sessions).',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-2' },
    { framework: 'nist-800-53-r5', requirement: 'CM-3' },
  ],
  attack: ['T1484.002'],
  patterns: [
    iamCall([
      'CreateSAMLProvider',
      'UpdateSAMLProvider',
      'CreateOpenIDConnectProvider',
      'UpdateOpenIDConnectProviderThumbprint',
      'AddClientIDToOpenIDConnectProvider',
    ]),
  ],
  evaluate(event) {
    const record = recordOf(event);
    // IAM Identity Center creates and updates its own SAML providers through its service principal.
    if (asString(record.userIdentity?.invokedBy) === SSO_SOURCE) return [];
    const provider = providerOf(event);
    const request = requestOf(event);
    const eventName = asString(record.eventName) ?? '';
    const created = eventName.startsWith('Create');
    const caller = callerArnOf(event) ?? 'an unknown caller';
    if (!provider) {
      if (eventName !== 'CreateSAMLProvider' && eventName !== 'UpdateSAMLProvider') return [];
      const account = accountOf(event);
      return [
        {
          resourceId: account,
          resourceType: ACCOUNT_RESOURCE_TYPE,
          qualifier: UNNAMED_SAML_PROVIDER,
          ...(created ? {} : { severity: 'HIGH' as const }),
          message: `A SAML identity provider of account ${account} ${created ? 'was created' : 'had its SAML metadata replaced'} by ${caller}; the record does not name the provider`,
          evidence: {
            eventName,
            userIdentity: callerEvidenceOf(event),
            sourceIPAddress: record.sourceIPAddress ?? null,
            userAgent: record.userAgent ?? null,
          },
        },
      ];
    }
    const change =
      eventName === 'UpdateSAMLProvider'
        ? 'had its SAML metadata replaced'
        : eventName === 'UpdateOpenIDConnectProviderThumbprint'
          ? 'had its certificate thumbprints replaced'
          : eventName === 'AddClientIDToOpenIDConnectProvider'
            ? `accepts a new audience ${asString(request.clientID) ?? ''}`.trimEnd()
            : 'was created';
    return [
      {
        resourceId: provider.arn,
        resourceType: provider.resourceType,
        ...(created ? {} : { severity: 'HIGH' as const }),
        message: `${provider.kind} identity provider ${provider.arn} ${change} by ${caller}`,
        evidence: {
          eventName,
          ...(provider.kind === 'SAML'
            ? { name: request.name ?? null, sAMLProviderArn: provider.arn }
            : {
                openIDConnectProviderArn: provider.arn,
                ...(request.url !== undefined ? { url: request.url } : {}),
                ...(request.clientIDList !== undefined ? { clientIDList: asArray(request.clientIDList) } : {}),
                ...(request.clientID !== undefined ? { clientID: request.clientID } : {}),
                ...(request.thumbprintList !== undefined ? { thumbprintList: asArray(request.thumbprintList) } : {}),
              }),
          userIdentity: callerEvidenceOf(event),
          sourceIPAddress: record.sourceIPAddress,
        },
      },
    ];
  },
  resolution: {
    description: 'DeleteSAMLProvider / DeleteOpenIDConnectProvider of the same provider',
    patterns: [iamCall(['DeleteSAMLProvider', 'DeleteOpenIDConnectProvider'])],
    resolve(event) {
      const provider = providerOf(event);
      if (!provider) return [];
      return [{ resourceId: provider.arn, message: `${provider.kind} identity provider ${provider.arn} was deleted` }];
    },
  },
};
