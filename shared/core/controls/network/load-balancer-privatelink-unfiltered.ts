import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asString, stringsOf } from '../../kernel/values';
import { requestOf, responseOf } from '../../kernel/records';
import { callerEvidenceOf, principalOf } from '../../kernel/principals';
import { ELB_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

const SETTING = 'enforceSecurityGroupInboundRulesOnPrivateLinkTraffic';

/** The setting as the call left it: the response's value, else the request's (on | off). */
function enforcementOf(event: EventBridgeEvent): string | undefined {
  return asString(responseOf(event)[SETTING]) ?? asString(requestOf(event)[SETTING]);
}

/**
 * A Network Load Balancer's security groups stop applying to AWS PrivateLink traffic
 * (SetSecurityGroups with EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic off). The load
 * balancer behind a VPC endpoint service then accepts whatever every endpoint of every consumer
 * account sends, whatever its inbound rules say: the only network filter in front of the service is
 * gone for the traffic most likely to come from outside. SetSecurityGroups turning it on again
 * resolves it.
 */
export const loadBalancerPrivateLinkUnfiltered: Control = {
  id: 'network.load-balancer-privatelink-unfiltered',
  area: 'network',
  title: 'Network Load Balancer security groups not applied to PrivateLink traffic',
  severity: 'MEDIUM',
  rationale:
    'With the setting off, inbound security group rules of a Network Load Balancer are not evaluated for traffic arriving through AWS PrivateLink, so every consumer of the endpoint service reaches the targets unfiltered; turning it off quietly removes the service’s network access control.',
  runbook: [
    'Check whether the load balancer backs a VPC endpoint service and who its consumers are: VPC console → Endpoint services → <service> → Endpoint connections and Allow principals.',
    'Turn the evaluation back on: EC2 console → Load balancers → <nlb> → Security → Edit → Enforce inbound rules on PrivateLink traffic; CLI `aws elbv2 set-security-groups --load-balancer-arn <arn> --security-groups <sg-ids> --enforce-security-group-inbound-rules-on-private-link-traffic on`.',
    'Write inbound rules that admit only the consumers’ endpoint ranges, and review target logs for connections since the change.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-4' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7' },
  ],
  patterns: [apiCallPattern(ELB_SOURCE, ['SetSecurityGroups'])],
  evaluate(event) {
    const loadBalancerArn = asString(requestOf(event).loadBalancerArn);
    if (!loadBalancerArn || enforcementOf(event) !== 'off') return [];
    const securityGroups = stringsOf(responseOf(event).securityGroupIds ?? requestOf(event).securityGroups);
    return [
      {
        resourceId: loadBalancerArn,
        resourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
        message: `Load balancer ${loadBalancerArn} no longer applies its security groups to AWS PrivateLink traffic (${principalOf(event)})`,
        evidence: { loadBalancerArn, [SETTING]: 'off', securityGroups, userIdentity: callerEvidenceOf(event) },
      },
    ];
  },
  resolution: {
    description: 'SetSecurityGroups on the same load balancer with the PrivateLink evaluation on',
    patterns: [apiCallPattern(ELB_SOURCE, ['SetSecurityGroups'])],
    resolve(event) {
      const loadBalancerArn = asString(requestOf(event).loadBalancerArn);
      if (!loadBalancerArn || enforcementOf(event) !== 'on') return [];
      return [
        {
          resourceId: loadBalancerArn,
          message: `Load balancer ${loadBalancerArn} applies its security groups to PrivateLink traffic again`,
        },
      ];
    },
  },
};
