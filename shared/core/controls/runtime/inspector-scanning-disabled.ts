import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asRecord, asString, stringsOf } from '../../kernel/values';
import { ACCOUNT_RESOURCE_TYPE, accountOf, recordOf, requestOf, responseOf } from '../../kernel/records';
import { INSPECTOR_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

/**
 * The Inspector scan types that cover container workloads: EC2 (container hosts) and ECR (images).
 * Lambda and code-repository scanning belong to other workloads. The keys are the request's
 * resourceTypes values and the camelCase members of ResourceStatus / AutoEnable.
 */
const WORKLOAD_SCANS = [
  { resourceType: 'EC2', member: 'ec2', label: 'EC2 (container host) scanning' },
  { resourceType: 'ECR', member: 'ecr', label: 'ECR (container image) scanning' },
] as const;

const scanQualifier = (resourceType: string) => `${resourceType} scanning`;
const autoEnableQualifier = (resourceType: string) => `${resourceType} auto-enable`;

/**
 * The accounts an Enable / Disable call acts on (Inspector API reference: request `accountIds`,
 * response `accounts[].accountId`; no account ids means the caller's own account). Accounts listed
 * in `failedAccounts` changed nothing.
 */
function accountsOf(event: EventBridgeEvent): string[] {
  const listed = asArray(responseOf(event).accounts)
    .map((a) => asString(asRecord(a).accountId))
    .filter((a): a is string => a !== undefined);
  if (listed.length > 0) return [...new Set(listed)];
  const failed = new Set(asArray(responseOf(event).failedAccounts).map((a) => asString(asRecord(a).accountId)));
  const requested = stringsOf(requestOf(event).accountIds);
  const accounts = requested.length > 0 ? requested : [accountOf(event)];
  return accounts.filter((a) => !failed.has(a));
}

/** The workload scan types a call names; Disable without resourceTypes disables every type. */
function scansOf(event: EventBridgeEvent): Array<(typeof WORKLOAD_SCANS)[number]> {
  const types = stringsOf(requestOf(event).resourceTypes);
  if (types.length === 0) return recordOf(event).eventName === 'Disable' ? [...WORKLOAD_SCANS] : [];
  return WORKLOAD_SCANS.filter((s) => types.includes(s.resourceType));
}

/** UpdateOrganizationConfiguration `autoEnable` members for the workload scans, true or false. */
function autoEnableOf(event: EventBridgeEvent): Array<{ scan: (typeof WORKLOAD_SCANS)[number]; enabled: boolean }> {
  const autoEnable = asRecord(requestOf(event).autoEnable);
  return WORKLOAD_SCANS.flatMap((scan) => {
    const value = autoEnable[scan.member];
    return typeof value === 'boolean' ? [{ scan, enabled: value }] : [];
  });
}

/**
 * Amazon Inspector vulnerability scanning turned off for container hosts or images: Disable for
 * EC2 or ECR (or for every type, when resourceTypes is omitted) in one or more accounts (HIGH,
 * one finding per account and scan type), and the organization's auto-enable for new member
 * accounts switched off for EC2 or ECR (UpdateOrganizationConfiguration, MEDIUM).
 */
export const inspectorScanningDisabled: Control = {
  id: 'runtime.inspector-scanning-disabled',
  area: 'runtime',
  title: 'Amazon Inspector scanning of container hosts or images turned off',
  severity: 'HIGH',
  rationale:
    'Inspector continuously rescans running hosts and pushed images against new CVEs; with it off, newly disclosed vulnerabilities in workloads already in production go unnoticed and the vulnerable-image findings stop arriving.',
  runbook: [
    'Check who turned it off (userIdentity of the event); only the delegated administrator should manage Inspector for member accounts.',
    'Re-enable scanning: Inspector console → Account management → select the accounts → Activate → Amazon EC2 scanning / Amazon ECR scanning, or `aws inspector2 enable --resource-types EC2 ECR --account-ids <account-id>`.',
    'Re-enable auto-enable for new members from the delegated administrator: Inspector console → Account management → Automatically activate Inspector for new member accounts, or `aws inspector2 update-organization-configuration --auto-enable ec2=true,ecr=true`.',
    'Deny inspector2:Disable to member accounts with an SCP.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'Inspector.1' },
    { framework: 'fsbp', requirement: 'Inspector.2' },
    { framework: 'pci-dss-4.0', requirement: '11.3.1' },
    { framework: 'nist-800-53-r5', requirement: 'RA-5' },
  ],
  patterns: [apiCallPattern(INSPECTOR_SOURCE, ['Disable', 'UpdateOrganizationConfiguration'])],
  evaluate(event): Violation[] {
    if (recordOf(event).eventName === 'UpdateOrganizationConfiguration') {
      const account = accountOf(event);
      return autoEnableOf(event)
        .filter((a) => !a.enabled)
        .map(({ scan }) => ({
          resourceId: account,
          resourceType: ACCOUNT_RESOURCE_TYPE,
          qualifier: autoEnableQualifier(scan.resourceType),
          severity: 'MEDIUM' as const,
          message: `Amazon Inspector no longer turns on ${scan.label} for new member accounts (organization managed from ${account}, ${event.region})`,
          evidence: { autoEnable: { [scan.member]: false } },
        }));
    }
    const scans = scansOf(event);
    return accountsOf(event).flatMap((account) =>
      scans.map((scan) => ({
        resourceId: account,
        resourceType: ACCOUNT_RESOURCE_TYPE,
        qualifier: scanQualifier(scan.resourceType),
        message: `Amazon Inspector ${scan.label} was turned off for account ${account} in ${event.region}`,
        evidence: { accountIds: requestOf(event).accountIds, resourceTypes: requestOf(event).resourceTypes ?? 'all' },
      })),
    );
  },
  resolution: {
    description: 'Enable for the same accounts and scan types; UpdateOrganizationConfiguration with the auto-enable member back to true',
    patterns: [apiCallPattern(INSPECTOR_SOURCE, ['Enable', 'UpdateOrganizationConfiguration'])],
    resolve(event): Resolution[] {
      if (recordOf(event).eventName === 'UpdateOrganizationConfiguration') {
        const account = accountOf(event);
        return autoEnableOf(event)
          .filter((a) => a.enabled)
          .map(({ scan }) => ({
            resourceId: account,
            qualifier: autoEnableQualifier(scan.resourceType),
            message: `Amazon Inspector turns on ${scan.label} for new member accounts again`,
          }));
      }
      const scans = scansOf(event);
      return accountsOf(event).flatMap((account) =>
        scans.map((scan) => ({
          resourceId: account,
          qualifier: scanQualifier(scan.resourceType),
          message: `Amazon Inspector ${scan.label} is on again for account ${account}`,
        })),
      );
    },
  },
};
