import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asRecord, asString, pathGet } from '../../kernel/values';
import { accountOf, recordOf, regionOf, requestOf, responseOf } from '../../kernel/records';
import { callerArnOf } from '../../kernel/principals';
import { SECURITY_HUB_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { hubArnOf, hubField } from './support';

const HUB_TYPE = 'AWS::SecurityHub::Hub';
const RULE_TYPE = 'AWS::SecurityHub::AutomationRule';
const SUPPRESSED_FINDINGS = 'findings suppressed';
const ARCHIVED_FINDINGS = 'findings archived';

/** Whether automation-rule actions set matching findings' workflow status to SUPPRESSED. */
function suppresses(actions: unknown): boolean {
  return asArray(actions).some(
    (action) => hubField(hubField(hubField(action, 'FindingFieldsUpdate'), 'Workflow'), 'Status') === 'SUPPRESSED',
  );
}

function batchUpdate(event: EventBridgeEvent): Violation[] {
  const request = requestOf(event);
  if (hubField(hubField(request, 'Workflow'), 'Status') !== 'SUPPRESSED') return [];
  const findings = asArray(hubField(request, 'FindingIdentifiers'));
  const processed = asArray(pathGet(responseOf(event), 'ProcessedFindings') ?? pathGet(responseOf(event), 'processedFindings'));
  return [
    {
      resourceId: hubArnOf(event),
      resourceType: HUB_TYPE,
      qualifier: SUPPRESSED_FINDINGS,
      message: `${findings.length} Security Hub finding(s) in account ${accountOf(event)}, Region ${regionOf(event)} were suppressed by ${callerArnOf(event) ?? 'an unknown caller'}`,
      evidence: {
        eventName: 'BatchUpdateFindings',
        findingIds: findings.map((f) => hubField(f, 'Id')).slice(0, 20),
        processedCount: processed.length,
        note: hubField(hubField(request, 'Note'), 'Text') ?? null,
      },
    },
  ];
}

function legacyArchive(event: EventBridgeEvent): Violation[] {
  const request = requestOf(event);
  if (hubField(request, 'RecordState') !== 'ARCHIVED') return [];
  return [
    {
      resourceId: hubArnOf(event),
      resourceType: HUB_TYPE,
      qualifier: ARCHIVED_FINDINGS,
      message: `Every Security Hub finding matching a filter in account ${accountOf(event)}, Region ${regionOf(event)} was archived by ${callerArnOf(event) ?? 'an unknown caller'} (UpdateFindings)`,
      evidence: {
        eventName: 'UpdateFindings',
        filters: hubField(request, 'Filters') ?? null,
        note: hubField(hubField(request, 'Note'), 'Text') ?? null,
      },
    },
  ];
}

function automationRules(event: EventBridgeEvent): Violation[] {
  const request = requestOf(event);
  const items =
    recordOf(event).eventName === 'CreateAutomationRule'
      ? [{ ...request, RuleArn: hubField(responseOf(event), 'RuleArn') }]
      : asArray(hubField(request, 'UpdateAutomationRulesRequestItems')).map(asRecord);
  const violations: Violation[] = [];
  for (const item of items) {
    const ruleArn = asString(hubField(item, 'RuleArn'));
    if (!ruleArn || !suppresses(hubField(item, 'Actions')) || hubField(item, 'RuleStatus') === 'DISABLED') continue;
    violations.push({
      resourceId: ruleArn,
      resourceType: RULE_TYPE,
      message: `Security Hub automation rule ${asString(hubField(item, 'RuleName')) ?? ruleArn} now suppresses every matching finding as it arrives (set by ${callerArnOf(event) ?? 'an unknown caller'})`,
      evidence: {
        eventName: recordOf(event).eventName,
        ruleArn,
        ruleName: hubField(item, 'RuleName') ?? null,
        criteria: hubField(item, 'Criteria') ?? null,
        actions: hubField(item, 'Actions') ?? null,
      },
    });
  }
  return violations;
}

/**
 * Security Hub findings hidden from responders: findings set to workflow status SUPPRESSED
 * (BatchUpdateFindings), findings archived in bulk through the legacy UpdateFindings (RecordState
 * ARCHIVED for everything matching a filter), or an automation rule that suppresses matching findings
 * as they arrive (CreateAutomationRule, BatchUpdateAutomationRules) — HIGH, since it silences future
 * findings too. Findings marked RESOLVED or NOTIFIED are ordinary triage and are not reported; nor
 * are insights, which are saved views. Deleting the automation rule resolves its finding; suppressed
 * findings are reviewed by hand.
 */
export const securityHubFindingsSuppressed: Control = {
  id: 'audit.security-hub-findings-suppressed',
  area: 'audit',
  title: 'Security Hub findings suppressed or archived',
  severity: 'MEDIUM',
  rationale:
    'Suppressed and archived findings disappear from the views responders work from; suppressing the findings an intrusion raised, or adding a rule that suppresses them as they arrive, is defense evasion that leaves every detector running.',
  runbook: [
    'Check who suppressed what (userIdentity, the finding ids or the rule’s criteria) and whether the security team agreed; suppression should go through an exception process.',
    'Restore findings: Security Hub console → Findings → filter Workflow status = SUPPRESSED → select → Workflow status → Set status to NEW; CLI `aws securityhub batch-update-findings --finding-identifiers Id=<id>,ProductArn=<arn> --workflow Status=NEW`.',
    'Remove a suppressing automation rule: Security Hub console → Automations → <rule> → Delete; CLI `aws securityhub batch-delete-automation-rules --automation-rules-arns <rule-arn>`.',
    'Restrict securityhub:BatchUpdateFindings (with a condition on securityhub:ASFFSyntaxPath/Workflow.Status) and securityhub:CreateAutomationRule to the security team.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'SI-4' },
    { framework: 'nist-800-53-r5', requirement: 'AU-6' },
  ],
  patterns: [
    apiCallPattern(SECURITY_HUB_SOURCE, ['BatchUpdateFindings', 'UpdateFindings', 'CreateAutomationRule', 'BatchUpdateAutomationRules']),
  ],
  evaluate(event) {
    switch (recordOf(event).eventName) {
      case 'BatchUpdateFindings':
        return batchUpdate(event);
      case 'UpdateFindings':
        return legacyArchive(event);
      default:
        return automationRules(event).map((v) => ({ ...v, severity: 'HIGH' as const }));
    }
  },
  resolution: {
    description: 'BatchDeleteAutomationRules deleting the suppressing automation rule',
    patterns: [apiCallPattern(SECURITY_HUB_SOURCE, ['BatchDeleteAutomationRules'])],
    resolve(event): Resolution[] {
      return asArray(hubField(requestOf(event), 'AutomationRulesArns'))
        .filter((arn): arn is string => typeof arn === 'string')
        .map((arn) => ({ resourceId: arn, message: `Security Hub automation rule ${arn} was deleted` }));
    },
  },
};
