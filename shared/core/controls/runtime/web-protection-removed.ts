import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString } from '../../kernel/values';
import { recordOf, requestOf } from '../../kernel/records';
import { SHIELD_SOURCE, WAF_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { baselineGroupsOf, webAclArnOf } from './support';

/** The CloudFormation type of a resource a web ACL protects, from its ARN. */
function protectedResourceType(arn: string): string {
  const service = arn.split(':')[2] ?? '';
  const resource = arn.split(':').slice(5).join(':');
  if (service === 'elasticloadbalancing') return 'AWS::ElasticLoadBalancingV2::LoadBalancer';
  if (service === 'apigateway') return 'AWS::ApiGateway::Stage';
  if (service === 'appsync') return 'AWS::AppSync::GraphQLApi';
  if (service === 'cognito-idp') return 'AWS::Cognito::UserPool';
  if (service === 'apprunner') return 'AWS::AppRunner::Service';
  if (service === 'amplify') return 'AWS::Amplify::App';
  if (service === 'ec2' && resource.startsWith('verified-access-instance')) return 'AWS::EC2::VerifiedAccessInstance';
  return 'AWS::WAFv2::WebACLAssociation';
}

/** The resource an Associate/DisassociateWebACL call names. */
function resourceArnOf(event: EventBridgeEvent): string | undefined {
  return asString(requestOf(event).resourceArn);
}

const countingQualifier = (group: string) => `${group} count only`;

/**
 * Layer-7 protection taken away from internet-facing workloads: a WAF web ACL disassociated from
 * a load balancer, API stage or other resource (HIGH), a baseline AWS managed rule group switched
 * to count-only in a web ACL (MEDIUM: matching requests are no longer blocked), and a Shield
 * Advanced protection deleted (HIGH).
 */
export const webProtectionRemoved: Control = {
  id: 'runtime.web-protection-removed',
  area: 'runtime',
  title: 'WAF or Shield protection removed from a workload',
  severity: 'HIGH',
  rationale:
    'The web ACL in front of a containerized service is what blocks injection, known exploit payloads and bot traffic before they reach the application; removing it or putting its managed rules in count mode exposes every unpatched flaw behind it.',
  runbook: [
    'Re-associate the web ACL: WAF console → Web ACLs → <web ACL> → Associated AWS resources → Add, or `aws wafv2 associate-web-acl --web-acl-arn <web-acl-arn> --resource-arn <resource-arn>`.',
    'Restore blocking for a managed rule group: WAF console → Web ACLs → <web ACL> → Rules → <rule group> → Edit → Override rule group action: None, or `aws wafv2 update-web-acl` with `"OverrideAction": {"None": {}}` for the rule.',
    'Recreate a deleted Shield Advanced protection: `aws shield create-protection --name <name> --resource-arn <resource-arn>`.',
    'Keep web ACL associations enforced with Firewall Manager WAF policies so removals are reverted automatically.',
  ],
  frameworks: [
    { framework: 'pci-dss-4.0', requirement: '6.4.2' },
    { framework: 'pci-dss-4.0', requirement: '10.7.2' },
    { framework: 'fsbp', requirement: 'APIGateway.4' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7' },
    { framework: 'nist-800-53-r5', requirement: 'SI-4' },
  ],
  patterns: [
    apiCallPattern(WAF_SOURCE, ['DisassociateWebACL', 'UpdateWebACL', 'CreateWebACL']),
    apiCallPattern(SHIELD_SOURCE, ['DeleteProtection']),
  ],
  evaluate(event): Violation[] {
    switch (recordOf(event).eventName) {
      case 'DisassociateWebACL': {
        const resource = resourceArnOf(event);
        if (!resource) return [];
        return [
          {
            resourceId: resource,
            resourceType: protectedResourceType(resource),
            qualifier: 'web ACL',
            message: `${resource} is no longer protected by an AWS WAF web ACL (DisassociateWebACL)`,
            evidence: { resourceArn: resource },
          },
        ];
      }
      case 'UpdateWebACL':
      case 'CreateWebACL': {
        const acl = webAclArnOf(event);
        if (!acl) return [];
        return baselineGroupsOf(event)
          .filter((g) => g.counting)
          .map((g) => ({
            resourceId: acl.arn,
            resourceType: 'AWS::WAFv2::WebACL',
            qualifier: countingQualifier(g.group),
            severity: 'MEDIUM',
            message: `Web ACL ${acl.name} runs the managed rule group ${g.group} in count mode: matching requests are no longer blocked`,
            evidence: { name: acl.name, rule: { name: g.rule.name, statement: g.rule.statement, overrideAction: g.rule.overrideAction } },
          }));
      }
      case 'DeleteProtection': {
        const protectionId = asString(requestOf(event).protectionId);
        if (!protectionId) return [];
        return [
          {
            resourceId: protectionId,
            resourceType: 'AWS::Shield::Protection',
            message: `Shield Advanced protection ${protectionId} was deleted: its resource no longer has DDoS response and cost protection`,
            evidence: { protectionId },
          },
        ];
      }
      default:
        return [];
    }
  },
  resolution: {
    description:
      'AssociateWebACL for the same resource; UpdateWebACL with the rule group back to blocking (overrideAction none); DeleteWebACL of the web ACL',
    patterns: [apiCallPattern(WAF_SOURCE, ['AssociateWebACL', 'UpdateWebACL', 'DeleteWebACL'])],
    resolve(event): Resolution[] {
      switch (recordOf(event).eventName) {
        case 'AssociateWebACL': {
          const resource = resourceArnOf(event);
          return resource
            ? [
                {
                  resourceId: resource,
                  qualifier: 'web ACL',
                  message: `${resource} is protected by web ACL ${asString(requestOf(event).webACLArn) ?? ''}`.trim(),
                },
              ]
            : [];
        }
        case 'DeleteWebACL': {
          const acl = webAclArnOf(event);
          return acl ? [{ resourceId: acl.arn, message: `Web ACL ${acl.name} was deleted` }] : [];
        }
        default: {
          const acl = webAclArnOf(event);
          if (!acl) return [];
          return baselineGroupsOf(event)
            .filter((g) => !g.counting)
            .map((g) => ({
              resourceId: acl.arn,
              qualifier: countingQualifier(g.group),
              message: `Web ACL ${acl.name} blocks with ${g.group} again`,
            }));
        }
      }
    },
  },
};
