import type { Control } from '../../model/control';
import { ACCOUNT_RESOURCE_TYPE, accountOf, recordOf } from '../../kernel/records';
import { callerArnOf, callerEvidenceOf } from '../../kernel/principals';
import { SSO_DIRECTORY_SOURCE, SSO_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

const CHANGES = [
  'AssociateDirectory',
  'DisassociateDirectory',
  'EnableExternalIdPConfigurationForDirectory',
  'DisableExternalIdPConfigurationForDirectory',
];

const WHAT: Record<string, string> = {
  AssociateDirectory: 'was connected to a directory',
  DisassociateDirectory: 'was disconnected from its directory',
  EnableExternalIdPConfigurationForDirectory: 'now authenticates users through an external identity provider',
  DisableExternalIdPConfigurationForDirectory: 'no longer authenticates users through its external identity provider',
};

/**
 * IAM Identity Center's identity source changed: a directory associated or disassociated, or
 * authentication through an external identity provider (SAML) enabled or disabled. The identity
 * source decides who every Identity Center user is; whoever controls it can sign in as any user and
 * receive every permission set assigned to them, in every account of the organization. These calls
 * carry no request parameters worth reading, so the call itself is the signal; the finding is on
 * the account where Identity Center is administered. It is resolved by hand.
 */
export const identityCenterSourceChanged: Control = {
  id: 'iam.identity-center-source-changed',
  area: 'iam',
  title: 'IAM Identity Center identity source changed',
  severity: 'HIGH',
  rationale:
    'Identity Center trusts its identity source for who every user is; pointing it at another directory or identity provider lets whoever runs that source impersonate any user, with their permission sets in every account, and survives the rotation of any password or key.',
  runbook: [
    'Confirm with the identity team that the identity source change was planned (userIdentity, sourceIPAddress, a change ticket): IAM Identity Center console → Settings → Identity source.',
    'If not, restore the approved identity source (Settings → Identity source → Actions → Change identity source) and its SAML metadata, then review sign-ins since the change (CloudTrail signin and sso events) and revoke active sessions of affected users.',
    'Restrict sso:*Directory*, sso-directory:*ExternalIdPConfigurationForDirectory and sso:AssociateDirectory / DisassociateDirectory with an SCP to the identity administrators of the management account.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-2' },
    { framework: 'nist-800-53-r5', requirement: 'IA-2' },
    { framework: 'nist-800-53-r5', requirement: 'CM-3' },
  ],
  attack: ['T1556'],
  patterns: [apiCallPattern(SSO_SOURCE, CHANGES), apiCallPattern(SSO_DIRECTORY_SOURCE, CHANGES)],
  evaluate(event) {
    const record = recordOf(event);
    const eventName = record.eventName ?? '';
    const account = accountOf(event);
    return [
      {
        resourceId: account,
        resourceType: ACCOUNT_RESOURCE_TYPE,
        qualifier: 'IAM Identity Center identity source',
        message: `The IAM Identity Center instance of account ${account} ${WHAT[eventName] ?? 'had its identity source changed'} (${eventName} by ${callerArnOf(event) ?? 'an unknown caller'})`,
        evidence: {
          eventName,
          eventSource: record.eventSource ?? null,
          userIdentity: callerEvidenceOf(event),
          sourceIPAddress: record.sourceIPAddress ?? null,
          userAgent: record.userAgent ?? null,
        },
      },
    ];
  },
};
