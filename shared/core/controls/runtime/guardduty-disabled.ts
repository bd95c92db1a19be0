import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asRecord, asString } from '../../kernel/values';
import { accountOf, recordOf, requestOf, responseOf } from '../../kernel/records';
import { GUARDDUTY_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { AGENT_CONFIGURATIONS, WORKLOAD_FEATURES } from './support';

const DETECTOR_TYPE = 'AWS::GuardDuty::Detector';

const DETECTOR = 'detector';

interface Setting {
  qualifier: string;
  label: string;
  enabled: boolean;
  /** For an agent configuration: the feature it belongs to. */
  agentOf?: string;
  evidence: Record<string, unknown>;
}

/** The workload features and agent configurations a CreateDetector / UpdateDetector request sets. */
function featureSettingsOf(event: EventBridgeEvent): Setting[] {
  const settings: Setting[] = [];
  for (const feature of asArray(requestOf(event).features).map(asRecord)) {
    const name = asString(feature.name);
    if (!name || !WORKLOAD_FEATURES.has(name)) continue;
    const status = asString(feature.status)?.toUpperCase();
    if (status === 'ENABLED' || status === 'DISABLED') {
      settings.push({ qualifier: `feature ${name}`, label: `${name}`, enabled: status === 'ENABLED', evidence: { name, status } });
    }
    for (const extra of asArray(feature.additionalConfiguration).map(asRecord)) {
      const extraName = asString(extra.name);
      const extraStatus = asString(extra.status)?.toUpperCase();
      if (!extraName || !AGENT_CONFIGURATIONS.has(extraName) || (extraStatus !== 'ENABLED' && extraStatus !== 'DISABLED')) continue;
      settings.push({
        qualifier: `feature ${name}/${extraName}`,
        label: `${name} automated agent (${extraName})`,
        enabled: extraStatus === 'ENABLED',
        agentOf: name,
        evidence: { name, additionalConfiguration: [{ name: extraName, status: extraStatus }] },
      });
    }
  }
  return settings;
}

/** The detector id: request (UpdateDetector, DeleteDetector) or response (CreateDetector). */
function detectorIdOf(event: EventBridgeEvent): string | undefined {
  return asString(requestOf(event).detectorId) ?? asString(responseOf(event).detectorId);
}

/**
 * GuardDuty switched off where containers run: the detector deleted (DeleteDetector) or suspended
 * (UpdateDetector enable false), and the workload protections turned off in CreateDetector /
 * UpdateDetector — Runtime Monitoring, EKS Runtime Monitoring, EKS audit-log monitoring, or the
 * automated agent management that deploys the runtime agent to Fargate, EKS and EC2. Findings
 * are on the account (one detector per account and region), qualified by what was turned off.
 */
export const guarddutyDisabled: Control = {
  id: 'runtime.guardduty-disabled',
  area: 'runtime',
  title: 'GuardDuty or its runtime monitoring turned off',
  severity: 'HIGH',
  rationale:
    'GuardDuty and its Runtime Monitoring are the runtime threat detection for containers and container hosts; attackers turn them off first, and a disabled detector or agent means reverse shells, escapes and miners go unseen.',
  runbook: [
    'Check who did it and why (userIdentity of the event); an unexplained change is a sign of compromise.',
    'Re-enable the detector: `aws guardduty update-detector --detector-id <id> --enable` (after DeleteDetector: `aws guardduty create-detector --enable`, or re-enable it from the delegated administrator under Accounts).',
    'Re-enable runtime protection: GuardDuty console → Runtime Monitoring → Configuration → Enable, with automated agent configuration for Amazon ECS (Fargate), EKS and EC2, or `aws guardduty update-detector --detector-id <id> --features \'[{"Name":"RUNTIME_MONITORING","Status":"ENABLED","AdditionalConfiguration":[{"Name":"ECS_FARGATE_AGENT_MANAGEMENT","Status":"ENABLED"},{"Name":"EKS_ADDON_MANAGEMENT","Status":"ENABLED"},{"Name":"EC2_AGENT_MANAGEMENT","Status":"ENABLED"}]}]\'`.',
    'Prevent recurrence: manage GuardDuty from the Organizations delegated administrator with auto-enable, and deny guardduty:DeleteDetector / guardduty:UpdateDetector to member accounts with an SCP.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'GuardDuty.1' },
    { framework: 'fsbp', requirement: 'GuardDuty.12' },
    { framework: 'pci-dss-4.0', requirement: '10.7.2' },
    { framework: 'pci-dss-4.0', requirement: '11.5.1' },
    { framework: 'nist-800-53-r5', requirement: 'SI-4' },
    { framework: 'nist-800-53-r5', requirement: 'CA-7' },
    { framework: 'hipaa', requirement: '164.308(a)(1)(ii)(D)' },
  ],
  patterns: [apiCallPattern(GUARDDUTY_SOURCE, ['DeleteDetector', 'UpdateDetector', 'CreateDetector'])],
  evaluate(event): Violation[] {
    const account = accountOf(event);
    const detectorId = detectorIdOf(event);
    const eventName = recordOf(event).eventName;
    const violation = (qualifier: string, message: string, evidence: Record<string, unknown>): Violation => ({
      resourceId: account,
      resourceType: DETECTOR_TYPE,
      qualifier,
      message,
      evidence: { detectorId, ...evidence },
    });
    const detector = detectorId ? `GuardDuty detector ${detectorId}` : 'The GuardDuty detector';
    if (eventName === 'DeleteDetector') {
      return [violation(DETECTOR, `${detector} was deleted in account ${account} (${event.region}): no threat detection there`, {})];
    }
    const violations: Violation[] = [];
    if (requestOf(event).enable === false) {
      violations.push(violation(DETECTOR, `${detector} was suspended in account ${account} (${event.region})`, { enable: false }));
    }
    const disabled = featureSettingsOf(event).filter((s) => !s.enabled);
    const disabledFeatures = new Set(disabled.filter((s) => s.agentOf === undefined).map((s) => s.qualifier));
    for (const setting of disabled) {
      // An agent configuration of a feature that is itself turned off adds nothing to that finding.
      if (setting.agentOf !== undefined && disabledFeatures.has(`feature ${setting.agentOf}`)) continue;
      violations.push({
        ...violation(setting.qualifier, `GuardDuty ${setting.label} was turned off in account ${account} (${event.region})`, {
          features: [setting.evidence],
        }),
        ...(setting.agentOf !== undefined ? { severity: 'MEDIUM' as const } : {}),
      });
    }
    return violations;
  },
  resolution: {
    description: 'CreateDetector or UpdateDetector with enable true (the detector); the feature or agent configuration set back to ENABLED',
    patterns: [apiCallPattern(GUARDDUTY_SOURCE, ['UpdateDetector', 'CreateDetector'])],
    resolve(event): Resolution[] {
      const account = accountOf(event);
      const request = requestOf(event);
      const resolutions: Resolution[] = [];
      const created = recordOf(event).eventName === 'CreateDetector';
      if (request.enable === true || (created && request.enable !== false)) {
        resolutions.push({
          resourceId: account,
          qualifier: DETECTOR,
          message: `GuardDuty is enabled in account ${account} (${event.region})`,
        });
      }
      for (const setting of featureSettingsOf(event).filter((s) => s.enabled)) {
        resolutions.push({
          resourceId: account,
          qualifier: setting.qualifier,
          message: `GuardDuty ${setting.label} is enabled again in ${event.region}`,
        });
      }
      return resolutions;
    },
  },
};
