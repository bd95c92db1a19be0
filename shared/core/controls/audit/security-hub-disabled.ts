import type { Control } from '../../model/control';
import { accountOf, recordOf, regionOf } from '../../kernel/records';
import { SECURITY_HUB_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { hubArnOf } from './support';

const DISABLED = 'disabled';
const DISASSOCIATED = 'administrator-disassociated';

/**
 * AWS Security Hub disabled in an account and Region (DisableSecurityHub: the hub is removed with
 * every enabled standard, control and integration), or a member account leaving its delegated
 * administrator (DisassociateFromAdministratorAccount, or the retired DisassociateFromMasterAccount),
 * so that its findings no longer reach the central security account. Neither call takes parameters.
 * EnableSecurityHub resolves the first, AcceptAdministratorInvitation (or AcceptInvitation) the second.
 */
export const securityHubDisabled: Control = {
  id: 'audit.security-hub-disabled',
  area: 'audit',
  title: 'AWS Security Hub disabled or detached from its administrator',
  severity: 'HIGH',
  rationale:
    'Security Hub aggregates GuardDuty, Inspector, Config and standards findings into one place that responders watch; disabling it discards the enabled standards and silences every finding of that Region, a common defense-evasion step.',
  runbook: [
    "Confirm with the security team whether the Region is being retired; otherwise treat the call as defense evasion and review the actor's other recent calls (GuardDuty, CloudTrail, Config).",
    "Console: Security Hub → Go to Security Hub → Enable Security Hub (choose the organization's standards) in the affected Region; with a delegated administrator, re-add the account under Settings → Accounts.",
    'CLI: `aws securityhub enable-security-hub --region <region> --enable-default-standards` (or `--no-enable-default-standards` followed by `aws securityhub batch-enable-standards --standards-subscription-requests StandardsArn=<arn>`).',
    'Disassociated member: from the administrator account, Security Hub → Settings → Accounts → re-add the account (or with an organization configuration it is re-enrolled automatically); a standalone invitation is accepted with `aws securityhub accept-administrator-invitation --administrator-id <account-id> --invitation-id <id>`.',
    'Prevent recurrence with an SCP denying securityhub:DisableSecurityHub and securityhub:DisassociateFromAdministratorAccount outside a break-glass role.',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '4.16' },
    { framework: 'pci-dss-4.0', requirement: '10.7.2' },
    { framework: 'hipaa', requirement: '164.308(a)(1)(ii)(D)' },
    { framework: 'nist-800-53-r5', requirement: 'SI-4' },
    { framework: 'nist-800-53-r5', requirement: 'CA-7' },
  ],
  patterns: [
    apiCallPattern(SECURITY_HUB_SOURCE, ['DisableSecurityHub', 'DisassociateFromAdministratorAccount', 'DisassociateFromMasterAccount']),
  ],
  evaluate(event) {
    const eventName = recordOf(event).eventName;
    const disabled = eventName === 'DisableSecurityHub';
    return [
      {
        resourceId: hubArnOf(event),
        resourceType: 'AWS::SecurityHub::Hub',
        qualifier: disabled ? DISABLED : DISASSOCIATED,
        message: disabled
          ? `AWS Security Hub was disabled in account ${accountOf(event)}, Region ${regionOf(event)}`
          : `AWS Security Hub in account ${accountOf(event)}, Region ${regionOf(event)} was disassociated from its administrator account; its findings no longer reach it`,
        evidence: { eventName, awsRegion: regionOf(event) },
        ...(disabled ? {} : { severity: 'MEDIUM' as const }),
      },
    ];
  },
  resolution: {
    description:
      'EnableSecurityHub (disabled), or AcceptAdministratorInvitation / AcceptInvitation (disassociated), in the same account and Region',
    patterns: [apiCallPattern(SECURITY_HUB_SOURCE, ['EnableSecurityHub', 'AcceptAdministratorInvitation', 'AcceptInvitation'])],
    resolve(event) {
      if (recordOf(event).eventName === 'EnableSecurityHub') {
        return [
          {
            resourceId: hubArnOf(event),
            qualifier: DISABLED,
            message: `AWS Security Hub is enabled again in account ${accountOf(event)}, Region ${regionOf(event)}`,
          },
        ];
      }
      return [
        {
          resourceId: hubArnOf(event),
          qualifier: DISASSOCIATED,
          message: `AWS Security Hub in account ${accountOf(event)}, Region ${regionOf(event)} accepted an administrator account again`,
        },
      ];
    },
  },
};
