import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asRecord, asString } from '../../kernel/values';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { arnIn } from '../../kernel/arn';
import { GUARDDUTY_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

const FILTER_TYPE = 'AWS::GuardDuty::Filter';

/**
 * GuardDuty filter requests (API reference CreateFilter / UpdateFilter / DeleteFilter): detectorId
 * and, for Update/Delete, filterName in the URI; body `name` (CreateFilter), `action` (NOOP |
 * ARCHIVE), `findingCriteria.criterion` (a map of finding attribute → condition), `rank`.
 */
function filterOf(event: EventBridgeEvent): { arn: string; name: string; detectorId: string } | undefined {
  const request = requestOf(event);
  const detectorId = asString(request.detectorId);
  const name = asString(request.filterName) ?? asString(request.name) ?? asString(responseOf(event).name);
  if (!detectorId || !name) return undefined;
  return { arn: arnIn(event, 'guardduty', `detector/${detectorId}/filter/${name}`), name, detectorId };
}

function actionOf(event: EventBridgeEvent): string | undefined {
  return asString(requestOf(event).action)?.toUpperCase();
}

function criterionOf(event: EventBridgeEvent): Record<string, unknown> {
  const criteria = asRecord(requestOf(event).findingCriteria);
  return asRecord(criteria.criterion ?? criteria.Criterion);
}

/** Values a condition pins with Eq / Equals. */
function pinnedValues(condition: unknown): string[] {
  const c = asRecord(condition);
  return [...asArray(c.eq ?? c.Eq), ...asArray(c.equals ?? c.Equals)].filter((v): v is string => typeof v === 'string');
}

/**
 * A suppression rule is narrow when it pins the finding type AND a specific resource or source
 * (the documented use: known-benign findings of one scanner or one instance). One that pins only
 * a type, a severity or nothing archives every such finding across the account: HIGH. Runtime
 * finding types (Runtime:…, Execution:Runtime/…, PrivilegeEscalation:Runtime/…, Kubernetes…)
 * archived by type alone are HIGH as well.
 */
function breadthOf(criterion: Record<string, unknown>): { broad: boolean; types: string[] } {
  const keys = Object.keys(criterion);
  const types = pinnedValues(criterion.type);
  const scoped = keys.some(
    (k) =>
      k !== 'type' && k !== 'severity' && k !== 'updatedAt' && k !== 'region' && k !== 'accountId' && pinnedValues(criterion[k]).length > 0,
  );
  return { broad: types.length === 0 || !scoped, types };
}

/**
 * GuardDuty suppression rules: a findings filter created or updated with action ARCHIVE archives
 * every matching finding as it arrives, so no one is alerted and the finding-based controls never
 * fire. Narrow rules (finding type plus a specific resource, IP or other attribute) are MEDIUM —
 * still a change to review; rules that archive by severity, by type alone or without criteria are HIGH.
 */
export const guarddutyFindingsSuppressed: Control = {
  id: 'runtime.guardduty-findings-suppressed',
  area: 'runtime',
  title: 'GuardDuty findings auto-archived by a suppression rule',
  severity: 'MEDIUM',
  rationale:
    'A suppression rule archives matching GuardDuty findings the moment they are generated, so runtime threats it covers are never alerted on; attackers who reach the account create broad rules to silence detection.',
  runbook: [
    'Review the rule and who created it (userIdentity of the event): GuardDuty console → Findings → Suppression rules (saved rules) → <rule>.',
    'If it is not a reviewed, narrowly scoped exception, delete it: `aws guardduty delete-filter --detector-id <detector-id> --filter-name <name>`, or keep it only as a saved view: `aws guardduty update-filter --detector-id <detector-id> --filter-name <name> --action NOOP`.',
    "Review the findings it archived meanwhile: GuardDuty console → Findings → Archived, filtered by the rule's criteria.",
    'Restrict guardduty:CreateFilter / guardduty:UpdateFilter to the security team (SCP or permission boundary).',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'SI-4' },
    { framework: 'pci-dss-4.0', requirement: '11.5.1' },
  ],
  patterns: [apiCallPattern(GUARDDUTY_SOURCE, ['CreateFilter', 'UpdateFilter'])],
  evaluate(event): Violation[] {
    if (actionOf(event) !== 'ARCHIVE') return [];
    const filter = filterOf(event);
    if (!filter) return [];
    const criterion = criterionOf(event);
    const { broad, types } = breadthOf(criterion);
    const what = types.length > 0 ? `findings of type ${types.join(', ')}` : 'findings';
    return [
      {
        resourceId: filter.arn,
        resourceType: FILTER_TYPE,
        severity: broad ? 'HIGH' : 'MEDIUM',
        message: `GuardDuty suppression rule ${filter.name} (detector ${filter.detectorId}) auto-archives ${what}${broad ? ' without narrowing them to a specific resource' : ''}`,
        evidence: { name: filter.name, action: 'ARCHIVE', findingCriteria: { criterion } },
      },
    ];
  },
  resolution: {
    description: 'DeleteFilter of the rule, or UpdateFilter setting its action back to NOOP (a saved filter that archives nothing)',
    patterns: [apiCallPattern(GUARDDUTY_SOURCE, ['DeleteFilter', 'UpdateFilter'])],
    resolve(event): Resolution[] {
      const filter = filterOf(event);
      if (!filter) return [];
      if (recordOf(event).eventName === 'DeleteFilter') {
        return [{ resourceId: filter.arn, message: `GuardDuty suppression rule ${filter.name} was deleted` }];
      }
      return actionOf(event) === 'NOOP'
        ? [{ resourceId: filter.arn, message: `GuardDuty filter ${filter.name} no longer archives findings (action NOOP)` }]
        : [];
    },
  },
};
