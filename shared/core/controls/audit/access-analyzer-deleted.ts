import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString } from '../../kernel/values';
import { regionOf, requestOf, responseOf } from '../../kernel/records';
import { arnIn } from '../../kernel/arn';
import { ACCESS_ANALYZER_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

/** The analyzer's ARN: CreateAnalyzer returns it; DeleteAnalyzer only names it (analyzerName). */
function analyzerArnOf(event: EventBridgeEvent): string | undefined {
  const fromResponse = asString(responseOf(event).arn);
  if (fromResponse) return fromResponse;
  const name = asString(requestOf(event).analyzerName);
  return name ? arnIn(event, 'access-analyzer', `analyzer/${name}`) : undefined;
}

/**
 * An IAM Access Analyzer analyzer deleted (DeleteAnalyzer). Without an analyzer in the Region,
 * resources shared with outside accounts or the public (bucket, key, role and queue policies)
 * stop raising findings. CreateAnalyzer with the same name resolves it.
 */
export const accessAnalyzerDeleted: Control = {
  id: 'audit.access-analyzer-deleted',
  area: 'audit',
  title: 'IAM Access Analyzer analyzer deleted',
  severity: 'MEDIUM',
  rationale:
    'IAM Access Analyzer is what reports resources shared outside the account or organization; deleting the analyzer lets a later policy change that opens a bucket, key or role to an outside principal go unnoticed.',
  runbook: [
    "Confirm with the security team whether the analyzer was replaced (e.g. an account analyzer swapped for an organization analyzer in the delegated administrator); otherwise review the actor's other recent calls.",
    'Console: IAM → Access analyzer → Analyzer settings → Create analyzer (External access, zone of trust: the account or the organization) in the affected Region.',
    'CLI: `aws accessanalyzer create-analyzer --analyzer-name <name> --type ACCOUNT --region <region>` (or `--type ORGANIZATION` from the management or delegated administrator account).',
    'Restrict access-analyzer:DeleteAnalyzer to a break-glass role with an SCP.',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '1.20' },
    { framework: 'fsbp', requirement: 'IAM.28' },
    { framework: 'nist-800-53-r5', requirement: 'CA-7' },
    { framework: 'nist-800-53-r5', requirement: 'SI-4' },
  ],
  patterns: [apiCallPattern(ACCESS_ANALYZER_SOURCE, ['DeleteAnalyzer'])],
  evaluate(event) {
    const arn = analyzerArnOf(event);
    const name = asString(requestOf(event).analyzerName);
    if (!arn || !name) return [];
    return [
      {
        resourceId: arn,
        resourceType: 'AWS::AccessAnalyzer::Analyzer',
        message: `IAM Access Analyzer analyzer ${name} was deleted in Region ${regionOf(event)}`,
        evidence: { analyzerName: name },
      },
    ];
  },
  resolution: {
    description: 'CreateAnalyzer with the same analyzer name in the same account and Region',
    patterns: [apiCallPattern(ACCESS_ANALYZER_SOURCE, ['CreateAnalyzer'])],
    resolve(event) {
      const arn = analyzerArnOf(event);
      const name = asString(requestOf(event).analyzerName);
      return arn && name
        ? [
            {
              resourceId: arn,
              message: `IAM Access Analyzer analyzer ${name} was recreated (${asString(requestOf(event).type) ?? 'type not logged'})`,
            },
          ]
        : [];
    },
  },
};
