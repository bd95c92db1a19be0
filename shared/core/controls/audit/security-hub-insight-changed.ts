import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString } from '../../kernel/values';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { callerEvidenceOf, principalOf } from '../../kernel/principals';
import { SECURITY_HUB_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { hubField } from './support';

/** The insight a DeleteInsight / UpdateInsight call is about: the request's InsightArn, else the response's. */
function insightOf(event: EventBridgeEvent): string | undefined {
  return asString(hubField(requestOf(event), 'InsightArn')) ?? asString(hubField(responseOf(event), 'InsightArn'));
}

/**
 * Activity record: a Security Hub custom insight deleted (DeleteInsight) or its filters, grouping or
 * name changed (UpdateInsight). Insights are the saved views responders and dashboards use to
 * follow groups of findings; removing one, or narrowing its filters, hides findings from whoever
 * relies on that view without changing the findings themselves (archiving or suppressing findings is
 * reported by audit.security-hub-findings-suppressed). Creating an insight adds a view and is not
 * recorded; failed calls are not recorded. INFORMATIONAL: recorded for auditors, not notified by
 * default.
 */
export const securityHubInsightChanged: Control = {
  id: 'audit.security-hub-insight-changed',
  area: 'audit',
  title: 'Security Hub insight deleted or changed (activity record)',
  severity: 'INFORMATIONAL',
  rationale:
    'Teams review findings through saved insights; deleting or re-filtering one quietly drops findings from the view someone is watching, a low-noise way to keep a finding out of sight, so the history of who changed which view is part of the review record.',
  runbook: [
    "Confirm the change with the insight's owner (the caller is in userIdentity); insights used by dashboards, reports or on-call reviews should change only through the security team.",
    'Deleted by mistake: recreate it from its definition (Security Hub console → Insights → Create insight, or `aws securityhub create-insight --name <name> --filters <filters> --group-by-attribute <attribute>`); keep insight definitions in code so they can be restored.',
    'Changed: compare the new filters in the evidence with the intended ones (`aws securityhub get-insights --insight-arns <arn>`) and look for findings the new filters exclude.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AU-6' },
    { framework: 'nist-800-53-r5', requirement: 'CM-3' },
  ],
  patterns: [apiCallPattern(SECURITY_HUB_SOURCE, ['DeleteInsight', 'UpdateInsight'])],
  evaluate(event) {
    const insight = insightOf(event);
    if (!insight) return [];
    const deleted = recordOf(event).eventName === 'DeleteInsight';
    const request = requestOf(event);
    return [
      {
        resourceId: insight,
        resourceType: 'AWS::SecurityHub::Insight',
        qualifier: deleted ? 'deleted' : 'updated',
        message: `Security Hub insight ${insight} was ${deleted ? 'deleted' : 'changed'} by ${principalOf(event)}`,
        evidence: {
          eventName: recordOf(event).eventName,
          insightArn: insight,
          name: hubField(request, 'Name') ?? null,
          ...(deleted
            ? {}
            : { filters: hubField(request, 'Filters') ?? null, groupByAttribute: hubField(request, 'GroupByAttribute') ?? null }),
          userIdentity: callerEvidenceOf(event),
        },
      },
    ];
  },
};
