import type { Control } from '../../model/control';
import { asString } from '../../kernel/values';
import { ACCOUNT_RESOURCE_TYPE, accountOf, recordOf, requestOf } from '../../kernel/records';
import { callerArnOf, callerEvidenceOf } from '../../kernel/principals';
import { SSO_SOURCE } from '../../kernel/sources';
import { iamCall } from './support';

/**
 * A SAML or OIDC identity provider deleted (DeleteSAMLProvider, DeleteOpenIDConnectProvider).
 * Every role that trusts the provider stops accepting its identities at once: the people who sign
 * in through it — often the administrators and the security team — are locked out, and pipelines
 * federating through OIDC stop deploying. An attacker who already holds other access removes it
 * to slow the response. Providers IAM Identity Center manages are not reported. A record that
 * names no provider is reported on the account.
 */
export const identityProviderDeleted: Control = {
  id: 'iam.identity-provider-deleted',
  area: 'iam',
  title: 'IAM SAML or OIDC identity provider deleted',
  severity: 'MEDIUM',
  rationale:
    'Deleting the identity provider that people or pipelines federate through cuts off everyone who signs in with it; removing defenders’ access is a known step to hinder the response while an attacker keeps their own foothold.',
  runbook: [
    'Confirm with the identity team that the provider was retired on purpose (userIdentity, sourceIPAddress, a change ticket); check which roles named it as Federated principal in their trust policies.',
    'If not intended, re-create it with the same name and metadata so the trusting roles work again: `aws iam create-saml-provider --name <name> --saml-metadata-document file://metadata.xml` or `aws iam create-open-id-connect-provider --url <url> --client-id-list <audience> --thumbprint-list <thumbprint>`.',
    'Review the caller’s other IAM activity, and restrict iam:DeleteSAMLProvider and iam:DeleteOpenIDConnectProvider with an SCP to the identity administrators.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-2' },
    { framework: 'nist-800-53-r5', requirement: 'CM-3' },
  ],
  attack: ['T1531'],
  patterns: [iamCall(['DeleteSAMLProvider', 'DeleteOpenIDConnectProvider'])],
  evaluate(event) {
    const record = recordOf(event);
    // IAM Identity Center removes the SAML providers it manages through its service principal.
    if (asString(record.userIdentity?.invokedBy) === SSO_SOURCE) return [];
    const request = requestOf(event);
    const saml = record.eventName === 'DeleteSAMLProvider';
    const kind = saml ? 'SAML' : 'OIDC';
    const arn = asString(saml ? request.sAMLProviderArn : request.openIDConnectProviderArn);
    const caller = callerArnOf(event) ?? 'an unknown caller';
    const evidence = {
      eventName: record.eventName,
      userIdentity: callerEvidenceOf(event),
      sourceIPAddress: record.sourceIPAddress ?? null,
    };
    if (!arn) {
      const account = accountOf(event);
      return [
        {
          resourceId: account,
          resourceType: ACCOUNT_RESOURCE_TYPE,
          qualifier: `${kind} provider not named in the record`,
          message: `A ${kind} identity provider of account ${account} was deleted by ${caller}; the record does not name it`,
          evidence,
        },
      ];
    }
    return [
      {
        resourceId: arn,
        resourceType: saml ? 'AWS::IAM::SAMLProvider' : 'AWS::IAM::OIDCProvider',
        message: `${kind} identity provider ${arn} was deleted by ${caller}; roles that trust it no longer accept its sign-ins`,
        evidence: { ...evidence, providerArn: arn },
      },
    ];
  },
};
