import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import type { Severity } from '../../model/severity';
import { asArray, asRecord, asString } from '../../kernel/values';
import { ACCOUNT_RESOURCE_TYPE, accountOf, requestOf } from '../../kernel/records';
import { GUARDDUTY_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { AGENT_CONFIGURATIONS, WORKLOAD_FEATURES } from './support';

const MEMBERS = 'member accounts';

interface AutoEnableSetting {
  qualifier: string;
  label: string;
  /** NEW / ALL turn it on for members; NONE leaves it off. */
  on: boolean;
  severity: Severity;
  evidence: Record<string, unknown>;
}

/**
 * The auto-enable settings an UpdateOrganizationConfiguration request changes (GuardDuty API
 * reference): `autoEnableOrganizationMembers` (NEW | ALL | NONE) or the deprecated boolean
 * `autoEnable` for GuardDuty itself, and `features[]` with `name`, `autoEnable` (NEW | ALL | NONE)
 * and `additionalConfiguration[]` of `{name, autoEnable}` for the runtime agent.
 */
function settingsOf(event: EventBridgeEvent): AutoEnableSetting[] {
  const request = requestOf(event);
  const settings: AutoEnableSetting[] = [];
  const members = asString(request.autoEnableOrganizationMembers)?.toUpperCase();
  if (members === 'NEW' || members === 'ALL' || members === 'NONE') {
    settings.push({
      qualifier: MEMBERS,
      label: 'GuardDuty',
      on: members !== 'NONE',
      severity: 'HIGH',
      evidence: { autoEnableOrganizationMembers: members },
    });
  } else if (typeof request.autoEnable === 'boolean') {
    settings.push({
      qualifier: MEMBERS,
      label: 'GuardDuty',
      on: request.autoEnable,
      severity: 'HIGH',
      evidence: { autoEnable: request.autoEnable },
    });
  }
  for (const feature of asArray(request.features).map(asRecord)) {
    const name = asString(feature.name);
    if (!name || !WORKLOAD_FEATURES.has(name)) continue;
    const value = asString(feature.autoEnable)?.toUpperCase();
    if (value === 'NEW' || value === 'ALL' || value === 'NONE') {
      settings.push({
        qualifier: `feature ${name}`,
        label: name,
        on: value !== 'NONE',
        severity: 'MEDIUM',
        evidence: { features: [{ name, autoEnable: value }] },
      });
    }
    for (const extra of asArray(feature.additionalConfiguration).map(asRecord)) {
      const extraName = asString(extra.name);
      const extraValue = asString(extra.autoEnable)?.toUpperCase();
      if (!extraName || !AGENT_CONFIGURATIONS.has(extraName) || (extraValue !== 'NEW' && extraValue !== 'ALL' && extraValue !== 'NONE'))
        continue;
      settings.push({
        qualifier: `feature ${name}/${extraName}`,
        label: `${name} automated agent (${extraName})`,
        on: extraValue !== 'NONE',
        severity: 'LOW',
        evidence: { features: [{ name, additionalConfiguration: [{ name: extraName, autoEnable: extraValue }] }] },
      });
    }
  }
  return settings;
}

/**
 * The GuardDuty delegated administrator stops turning protection on for the organization's
 * accounts (UpdateOrganizationConfiguration): GuardDuty itself no longer auto-enabled for members
 * (autoEnableOrganizationMembers NONE, or autoEnable false — HIGH), a workload feature (Runtime
 * Monitoring, EKS Runtime Monitoring, EKS audit logs) set to NONE (MEDIUM), or the automated
 * runtime agent for Fargate, EKS or EC2 set to NONE (LOW). New accounts — often the ones
 * attackers create or target — then join without runtime threat detection. Findings are on the
 * administrator account, qualified by the setting.
 */
export const guarddutyAutoEnableDisabled: Control = {
  id: 'runtime.guardduty-auto-enable-disabled',
  area: 'runtime',
  title: 'GuardDuty organization auto-enable turned off',
  severity: 'HIGH',
  rationale:
    'Organization-wide auto-enable is what guarantees every new account and cluster gets GuardDuty and its runtime agent; with it off, new workloads run without threat detection until someone notices and enables it by hand.',
  runbook: [
    'From the GuardDuty delegated administrator account: GuardDuty console → Accounts → Auto-enable preferences → Enable for all accounts (or new accounts), including Runtime Monitoring and its automated agent configuration.',
    'CLI: `aws guardduty update-organization-configuration --detector-id <id> --auto-enable-organization-members ALL --features \'[{"Name":"RUNTIME_MONITORING","AutoEnable":"ALL","AdditionalConfiguration":[{"Name":"ECS_FARGATE_AGENT_MANAGEMENT","AutoEnable":"ALL"},{"Name":"EKS_ADDON_MANAGEMENT","AutoEnable":"ALL"},{"Name":"EC2_AGENT_MANAGEMENT","AutoEnable":"ALL"}]}]\'`.',
    'List accounts that joined meanwhile without protection (GuardDuty console → Accounts, status "Not enabled") and enable them.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'SI-4' },
    { framework: 'nist-800-53-r5', requirement: 'CA-7' },
    { framework: 'pci-dss-4.0', requirement: '11.5.1' },
  ],
  patterns: [apiCallPattern(GUARDDUTY_SOURCE, ['UpdateOrganizationConfiguration'])],
  evaluate(event): Violation[] {
    const account = accountOf(event);
    const detectorId = asString(requestOf(event).detectorId);
    return settingsOf(event)
      .filter((s) => !s.on)
      .map((s) => ({
        resourceId: account,
        resourceType: ACCOUNT_RESOURCE_TYPE,
        qualifier: s.qualifier,
        severity: s.severity,
        message: `The GuardDuty administrator ${account} no longer auto-enables ${s.label} for the organization's accounts in ${event.region}`,
        evidence: { detectorId, ...s.evidence },
      }));
  },
  resolution: {
    description: 'UpdateOrganizationConfiguration setting the same auto-enable option back to NEW or ALL (true)',
    patterns: [apiCallPattern(GUARDDUTY_SOURCE, ['UpdateOrganizationConfiguration'])],
    resolve(event): Resolution[] {
      const account = accountOf(event);
      return settingsOf(event)
        .filter((s) => s.on)
        .map((s) => ({
          resourceId: account,
          qualifier: s.qualifier,
          message: `The GuardDuty administrator ${account} auto-enables ${s.label} again in ${event.region}`,
        }));
    },
  },
};
