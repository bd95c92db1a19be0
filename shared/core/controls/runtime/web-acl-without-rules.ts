import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asRecord } from '../../kernel/values';
import { recordOf, requestOf } from '../../kernel/records';
import { WAF_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { baselineGroupsOf, webAclArnOf } from './support';

const WEB_ACL_TYPE = 'AWS::WAFv2::WebACL';
const NO_RULES = 'no rules';
const NO_BASELINE = 'no managed baseline';

/**
 * A Create/UpdateWebACL definition (WAFv2 API reference; UpdateWebACL replaces the whole rule
 * list): `defaultAction` ({allow: {}} or {block: {}}) and `rules[]`, each with a `statement`
 * (managed rule groups under `managedRuleGroupStatement` with `vendorName` and `name`).
 */
function definitionOf(event: EventBridgeEvent): { allowsByDefault: boolean; rules: Array<Record<string, unknown>>; baseline: string[] } {
  const request = requestOf(event);
  const rules = asArray(request.rules).map(asRecord);
  const baseline = baselineGroupsOf(event).map((g) => g.group);
  return { allowsByDefault: 'allow' in asRecord(request.defaultAction), rules, baseline };
}

/**
 * A web ACL that lets every request through unexamined or without the baseline protections:
 * created or updated with no rules at all while its default action is allow (FSBP WAF.10,
 * MEDIUM — it inspects nothing), or with rules but none of the AWS managed baseline rule groups
 * (core rule set, known bad inputs, SQL injection, IP reputation, bot control, …; LOW — custom
 * rules alone rarely cover the OWASP classes). UpdateWebACL replaces the whole rule list, so an
 * update that drops the managed groups is caught here. Web ACLs whose default action is block
 * are allow-lists and are not reported.
 */
export const webAclWithoutRules: Control = {
  id: 'runtime.web-acl-without-rules',
  area: 'runtime',
  title: 'WAF web ACL without rules or managed baseline protections',
  severity: 'MEDIUM',
  rationale:
    'A web ACL with a default allow and no rules — or without the AWS managed rule groups for common exploits and known bad inputs — looks like protection on the load balancer or API while letting injection and exploit payloads straight through to the containers behind it.',
  runbook: [
    'Add the baseline managed rule groups: WAF console → Web ACLs → <web ACL> → Rules → Add rules → Add managed rule groups → AWS managed rule groups → Core rule set and Known bad inputs (and the SQL database / Linux groups that fit the workload).',
    'CLI: fetch the definition and lock token with `aws wafv2 get-web-acl --name <name> --scope REGIONAL --id <id>`, add rules with `"Statement":{"ManagedRuleGroupStatement":{"VendorName":"AWS","Name":"AWSManagedRulesCommonRuleSet"}},"OverrideAction":{"None":{}}`, and apply them with `aws wafv2 update-web-acl ... --rules file://rules.json --lock-token <token>`.',
    'Manage baseline rule groups centrally with Firewall Manager WAF policies so a web ACL update cannot drop them.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'WAF.10' },
    { framework: 'pci-dss-4.0', requirement: '6.4.2' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7' },
    { framework: 'nist-800-53-r5', requirement: 'CM-2' },
  ],
  patterns: [apiCallPattern(WAF_SOURCE, ['CreateWebACL', 'UpdateWebACL'])],
  evaluate(event): Violation[] {
    const acl = webAclArnOf(event);
    if (!acl) return [];
    const { allowsByDefault, rules, baseline } = definitionOf(event);
    if (!allowsByDefault) return [];
    if (rules.length === 0) {
      return [
        {
          resourceId: acl.arn,
          resourceType: WEB_ACL_TYPE,
          qualifier: NO_RULES,
          message: `Web ACL ${acl.name} has no rules and allows every request by default: it inspects nothing`,
          evidence: { name: acl.name, defaultAction: requestOf(event).defaultAction, rules: [] },
        },
      ];
    }
    if (baseline.length > 0) return [];
    return [
      {
        resourceId: acl.arn,
        resourceType: WEB_ACL_TYPE,
        qualifier: NO_BASELINE,
        severity: 'LOW',
        message: `Web ACL ${acl.name} has no AWS managed baseline rule group (such as the core rule set or known bad inputs)`,
        evidence: { name: acl.name, defaultAction: requestOf(event).defaultAction, ruleNames: rules.map((r) => r.name) },
      },
    ];
  },
  resolution: {
    description: 'UpdateWebACL adding rules (and a managed baseline rule group), or DeleteWebACL',
    patterns: [apiCallPattern(WAF_SOURCE, ['UpdateWebACL', 'DeleteWebACL'])],
    resolve(event): Resolution[] {
      const acl = webAclArnOf(event);
      if (!acl) return [];
      if (recordOf(event).eventName === 'DeleteWebACL') return [{ resourceId: acl.arn, message: `Web ACL ${acl.name} was deleted` }];
      const { allowsByDefault, rules, baseline } = definitionOf(event);
      const resolutions: Resolution[] = [];
      if (rules.length > 0 || !allowsByDefault)
        resolutions.push({ resourceId: acl.arn, qualifier: NO_RULES, message: `Web ACL ${acl.name} has rules again` });
      if (baseline.length > 0 || !allowsByDefault) {
        resolutions.push({
          resourceId: acl.arn,
          qualifier: NO_BASELINE,
          message: `Web ACL ${acl.name} uses the managed rule groups ${baseline.join(', ') || '(default block)'}`,
        });
      }
      return resolutions;
    },
  },
};
